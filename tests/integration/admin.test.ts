import { describe, expect, it } from "vitest";
import { listDynamicTypes } from "../../db/queries/dynamics";
import { listFactors } from "../../db/queries/grid";
import { findMembership } from "../../db/queries/memberships";
import { findUserByEmail } from "../../db/queries/users";
import codebook from "../../db/seed/demo/codebook.json";
import dynamicsData from "../../db/seed/demo/dynamics.json";
import { createStudyWithTeam, createUser, TEST_PASSWORD } from "../helpers/factories";
import { loginClient, pageText, TestClient, visibleText } from "../helpers/http";
import { testServerForFile } from "../helpers/server";

const server = testServerForFile();
const db = () => server().database.db;

const clientFor = (email: string, password = TEST_PASSWORD) => loginClient(server().url, email, password);

async function adminClient() {
  const admin = await createUser(db(), { name: "Ada Admin", is_admin: 1 });
  return { admin, client: await clientFor(admin.email) };
}

const studyForm = (overrides: Record<string, string> = {}) => ({
  title: `Étude créée ${crypto.randomUUID().slice(0, 8)}`,
  summary: "Une étude-action sur les circuits courts.",
  startsOn: "2027-01-15",
  endsOn: "2027-12-15",
  pilotEmail: "pilote-nouvelle@example.org",
  pilotName: "Pia Pilote",
  ...overrides,
});

async function studyIdByTitle(title: string) {
  return (await db().selectFrom("studies").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
}

describe("access to the administration", () => {
  it("answers 404 to a logged-in non-admin, for the page and for a forged creation", async () => {
    const { pilote } = await createStudyWithTeam(db());
    const client = await clientFor(pilote.email);
    expect((await client.get("/admin")).status).toBe(404);
    const before = await db().selectFrom("studies").select("id").execute();
    expect((await client.post("/admin", studyForm())).status).toBe(404);
    expect(await db().selectFrom("studies").select("id").execute()).toHaveLength(before.length);
  });

  it("sends an anonymous visitor to the login page", async () => {
    const response = await new TestClient(server().url).get("/admin");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/connexion/);
  });

  it("lists the studies with their pilots and member count, but none of their content", async () => {
    const { study, pilote } = await createStudyWithTeam(db());
    const { client } = await adminClient();
    const response = await client.get("/admin");
    expect(response.status).toBe(200);
    const text = await pageText(response);
    expect(text).toContain(study.title);
    expect(text).toContain(pilote.name);
    expect(text).toContain("Administration");
  });
});

describe("creating a study", () => {
  it("names an existing account pilot at once, with the demo typology and grid to start from", async () => {
    const { admin, client } = await adminClient();
    const future = await createUser(db(), { name: "Pierre Existant" });
    const form = studyForm({ pilotEmail: future.email.toUpperCase(), pilotName: "ignoré" });
    const created = await client.post("/admin", form);
    expect(created.status).toBe(200);
    expect(await pageText(created)).toContain(`Étude « ${form.title} » créée ; Pierre Existant en est pilote.`);

    const studyId = await studyIdByTitle(form.title);
    expect((await findMembership(db(), studyId, future.id))?.role).toBe("pilote");
    expect(await findMembership(db(), studyId, admin.id)).toBeUndefined();
    expect((await listDynamicTypes(db(), studyId)).map((t) => t.key)).toEqual(dynamicsData.types.map((t) => t.key));
    expect(await listFactors(db(), studyId)).toHaveLength(codebook.families.flatMap((f) => f.factors).length);

    const listing = await pageText(await client.get("/admin"));
    expect(listing).toMatch(new RegExp(`${form.title} .*Pierre Existant 1`));

    // The pilot works in it; the admin, not a member, sees nothing of it.
    const pilot = await clientFor(future.email);
    expect((await pilot.get(`/etudes/${studyId}/equipe`)).status).toBe(200);
    expect((await client.get(`/etudes/${studyId}`)).status).toBe(404);
    expect((await client.get(`/etudes/${studyId}/equipe`)).status).toBe(404);
  });

  it("invites a pilot who has no account yet, through a link that works", async () => {
    const { client } = await adminClient();
    const form = studyForm({ pilotEmail: "Pia.Nouvelle@example.org" });
    const created = await client.post("/admin", form);
    expect(created.status).toBe(200);
    const html = await created.text();
    expect(visibleText(html)).toContain("pia.nouvelle@example.org n'a pas encore de compte");
    const match = /https?:\/\/[^"\s<]+\/invitation\/[A-Za-z0-9_-]{43}/.exec(html);
    expect(match).not.toBeNull();
    const link = new URL(match![0]).pathname;

    const studyId = await studyIdByTitle(form.title);
    const invitee = new TestClient(server().url);
    const page = await invitee.get(link);
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(visibleText(pageHtml)).toContain(form.title);
    expect(visibleText(pageHtml)).toContain("pilote");
    expect(pageHtml).toContain('value="Pia Pilote"');

    const accepted = await invitee.post(link, { name: "Pia Pilote", password: "mot-de-passe-de-pia", confirmation: "mot-de-passe-de-pia" });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe(`/etudes/${studyId}`);
    const pia = await findUserByEmail(db(), "pia.nouvelle@example.org");
    expect((await findMembership(db(), studyId, pia!.id))?.role).toBe("pilote");
    expect(await pageText(await invitee.get(`/etudes/${studyId}/equipe`))).toContain("Inviter une personne");
    expect(await pageText(await client.get("/admin"))).toMatch(new RegExp(`${form.title} .*Pia Pilote 1`));
  });

  it("refuses bad input with French messages and creates nothing", async () => {
    const { client } = await adminClient();
    const before = (await db().selectFrom("studies").select("id").execute()).length;
    const cases: [Record<string, string>, string][] = [
      [studyForm({ title: "" }), "Ce champ est obligatoire."],
      [studyForm({ title: "t".repeat(10_000) }), "200 caractères au maximum."],
      [studyForm({ pilotEmail: "pas-une-adresse" }), "Adresse e-mail invalide."],
      [studyForm({ pilotName: "" }), "Ce champ est obligatoire."],
      [studyForm({ startsOn: "2027-02-30" }), "Date invalide"],
      [studyForm({ startsOn: "2027-12-01", endsOn: "2027-01-01" }), "La date de fin doit suivre la date de début."],
    ];
    for (const [form, message] of cases) {
      const response = await client.post("/admin", form);
      expect(response.status).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    expect(await db().selectFrom("studies").select("id").execute()).toHaveLength(before);
  });
});
