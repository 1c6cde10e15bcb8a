import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDocumentVersions } from "../../db/queries/document-versions";
import { findStudySynthesis } from "../../db/queries/documents";
import { createMeeting, createStudyWithTeam, TEST_PASSWORD } from "../helpers/factories";
import { TestClient, visibleText } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let team: Awaited<ReturnType<typeof createStudyWithTeam>>;
let reportId: string;
let reportPath: string;
let versionsPath: string;
let synthesisId: string;

beforeAll(async () => {
  server = await startTestServer();
  team = await createStudyWithTeam(server.database.db);
  const { meeting, report } = await createMeeting(server.database.db, team.study.id, { title: "Visite à Figeac" });
  reportId = report.id;
  reportPath = `/etudes/${team.study.id}/visites/${meeting.id}/compte-rendu`;
  versionsPath = `${reportPath}/versions`;
  // Created, with its template, by its page's first load.
  expect((await (await clientOf(team.pilote)).get(`/etudes/${team.study.id}/synthese`)).status).toBe(200);
  synthesisId = (await findStudySynthesis(server.database.db, team.study.id))!.id;
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

/** The two documents written together: each has its versions page. */
const documents = [
  { name: "a visit report", path: () => versionsPath, id: () => reportId },
  { name: "the synthesis", path: () => `/etudes/${team.study.id}/synthese/versions`, id: () => synthesisId },
];

describe.each(documents)("the versions of $name", (doc) => {
  it("lets a member save a labelled version, listed with its author", async () => {
    const membre = await clientOf(team.membre);
    const saved = await membre.post(doc.path(), { intent: "save", label: "Relue en équipe" });
    expect(saved.status).toBe(200);
    expect(visibleText(await saved.text())).toContain("Version enregistrée.");
    const list = visibleText(await (await membre.get(doc.path())).text());
    expect(list).toContain("Relue en équipe");
    expect(list).toContain("Marc Membre");
  });

  it("restores a version for a member, the content replaced being kept first", async () => {
    const membre = await clientOf(team.membre);
    await membre.post(doc.path(), { intent: "save", label: "À restaurer" });
    const before = await listDocumentVersions(server.database.db, doc.id());
    const version = before.find((v) => v.label === "À restaurer")!;
    const restored = await membre.post(doc.path(), { intent: "restore", versionId: version.id });
    expect(restored.status).toBe(200);
    expect(visibleText(await restored.text())).toContain("Version restaurée");
    const after = await listDocumentVersions(server.database.db, doc.id());
    expect(after.map((v) => v.label)).toContain("Avant restauration de « À restaurer »");
    expect(after).toHaveLength(before.length + 1);
  });

  it("refuses an empty label with a French message and saves nothing", async () => {
    const membre = await clientOf(team.membre);
    const before = (await listDocumentVersions(server.database.db, doc.id())).length;
    const response = await membre.post(doc.path(), { intent: "save", label: "   " });
    expect(response.status).toBe(400);
    expect(visibleText(await response.text())).toContain("Ce champ est obligatoire.");
    expect(await listDocumentVersions(server.database.db, doc.id())).toHaveLength(before);
  });

  it("shows the list to a lecteur but refuses their save and restore", async () => {
    const lecteur = await clientOf(team.lecteur);
    const page = visibleText(await (await lecteur.get(doc.path())).text());
    expect(page).not.toContain("Enregistrer une version");
    const before = await listDocumentVersions(server.database.db, doc.id());
    expect((await lecteur.post(doc.path(), { intent: "save", label: "Intrusion" })).status).toBe(403);
    expect((await lecteur.post(doc.path(), { intent: "restore", versionId: before[0]!.id })).status).toBe(403);
    expect(await listDocumentVersions(server.database.db, doc.id())).toHaveLength(before.length);
  });

  it("does not restore a version of another document named through this one", async () => {
    const other = await createMeeting(server.database.db, team.study.id);
    await server.collab.saveVersion(other.report.id, "Ailleurs", team.pilote.id);
    const [foreign] = await listDocumentVersions(server.database.db, other.report.id);
    const before = await listDocumentVersions(server.database.db, doc.id());
    const pilote = await clientOf(team.pilote);
    expect((await pilote.post(doc.path(), { intent: "restore", versionId: foreign!.id })).status).toBe(404);
    expect(await listDocumentVersions(server.database.db, doc.id())).toHaveLength(before.length);
  });
});
