import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDocumentVersions } from "../../db/queries/document-versions";
import { createMeeting, createStudyWithTeam, TEST_PASSWORD } from "../helpers/factories";
import { TestClient, visibleText } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let team: Awaited<ReturnType<typeof createStudyWithTeam>>;
let reportId: string;
let reportPath: string;
let versionsPath: string;

beforeAll(async () => {
  server = await startTestServer();
  team = await createStudyWithTeam(server.database.db);
  const { meeting, report } = await createMeeting(server.database.db, team.study.id, { title: "Visite à Figeac" });
  reportId = report.id;
  reportPath = `/etudes/${team.study.id}/visites/${meeting.id}/compte-rendu`;
  versionsPath = `${reportPath}/versions`;
});
afterAll(() => server?.close());

async function clientOf(user: { email: string }) {
  const client = new TestClient(server.url);
  await client.login(user.email, TEST_PASSWORD);
  return client;
}

describe("the report page", () => {
  it("shows the visit to every member, and nothing to anyone else", async () => {
    const lecteur = await clientOf(team.lecteur);
    const page = await lecteur.get(reportPath);
    expect(page.status).toBe(200);
    const text = visibleText(await page.text());
    expect(text).toContain("Visite à Figeac");
    expect(text).toContain("Retour à la visite");

    expect((await (await clientOf(team.outsider)).get(reportPath)).status).toBe(404);
    expect((await new TestClient(server.url).get(reportPath)).status).toBe(302);
  });

  it("answers 404 for a meeting of another study named under this study", async () => {
    const other = await createStudyWithTeam(server.database.db);
    const { meeting } = await createMeeting(server.database.db, other.study.id);
    const membre = await clientOf(team.membre);
    expect((await membre.get(`/etudes/${team.study.id}/visites/${meeting.id}/compte-rendu`)).status).toBe(404);
    expect((await membre.get(`/etudes/${team.study.id}/visites/pas-un-uuid/compte-rendu`)).status).toBe(404);
  });
});

describe("the versions panel", () => {
  it("lets a member save a labelled version, listed with its author", async () => {
    const membre = await clientOf(team.membre);
    const saved = await membre.post(versionsPath, { intent: "save", label: "Relue en équipe" });
    expect(saved.status).toBe(200);
    expect(visibleText(await saved.text())).toContain("Version enregistrée.");
    const list = visibleText(await (await membre.get(versionsPath)).text());
    expect(list).toContain("Relue en équipe");
    expect(list).toContain("Marc Membre");
  });

  it("refuses an empty label with a French message and saves nothing", async () => {
    const membre = await clientOf(team.membre);
    const before = (await listDocumentVersions(server.database.db, reportId)).length;
    const response = await membre.post(versionsPath, { intent: "save", label: "   " });
    expect(response.status).toBe(400);
    expect(visibleText(await response.text())).toContain("Ce champ est obligatoire.");
    expect(await listDocumentVersions(server.database.db, reportId)).toHaveLength(before);
  });

  it("shows the list to a lecteur but refuses their save and restore", async () => {
    const lecteur = await clientOf(team.lecteur);
    const page = visibleText(await (await lecteur.get(versionsPath)).text());
    expect(page).not.toContain("Enregistrer une version");
    const before = await listDocumentVersions(server.database.db, reportId);
    expect((await lecteur.post(versionsPath, { intent: "save", label: "Intrusion" })).status).toBe(403);
    expect((await lecteur.post(versionsPath, { intent: "restore", versionId: before[0]!.id })).status).toBe(403);
    expect(await listDocumentVersions(server.database.db, reportId)).toHaveLength(before.length);
  });

  it("does not restore a version of another document named through this one", async () => {
    const other = await createMeeting(server.database.db, team.study.id);
    await server.collab.saveVersion(other.report.id, "Ailleurs", team.pilote.id);
    const [foreign] = await listDocumentVersions(server.database.db, other.report.id);
    const before = await listDocumentVersions(server.database.db, reportId);
    const pilote = await clientOf(team.pilote);
    expect((await pilote.post(versionsPath, { intent: "restore", versionId: foreign!.id })).status).toBe(404);
    expect(await listDocumentVersions(server.database.db, reportId)).toHaveLength(before.length);
  });
});
