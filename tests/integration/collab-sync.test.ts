import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPORT_TEMPLATE_SECTIONS, reportTemplate } from "../../app/editor/templates";
import { findDocument, listStudyDocumentIds } from "../../db/queries/documents";
import { listDocumentEditors } from "../../db/queries/document-editors";
import { listAllStudies } from "../../db/queries/studies";
import { appendParagraph, collabClientsForFile, sessionCookieHeader, textOf, waitForSync } from "../helpers/collab";
import { createMeeting, createStudyWithTeam } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let team: Awaited<ReturnType<typeof createStudyWithTeam>>;
// Derive soon after an edit (the tests read the derived copy), the restarted server too.
const env = { TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "20" };
const open = collabClientsForFile();

beforeAll(async () => {
  server = await startTestServer({ env });
  team = await createStudyWithTeam(server.database.db);
});

afterAll(() => server?.close());

async function newReport() {
  return (await createMeeting(server.database.db, team.study.id)).report;
}

describe("co-writing through the collaboration server", () => {
  test("two clients converge, and a client joining later gets the whole document", async () => {
    const db = server.database.db;
    const report = await newReport();
    const a = open(server.url, report.id, await sessionCookieHeader(db, team.pilote.id));
    const b = open(server.url, report.id, await sessionCookieHeader(db, team.membre.id));
    await Promise.all([waitForSync(a), waitForSync(b)]);

    appendParagraph(a.doc, "Paule ouvre le compte rendu.");
    appendParagraph(b.doc, "Marc ajoute les acteurs rencontrés.");
    appendParagraph(a.doc, "Paule relit.");

    for (const client of [a, b]) {
      await expect.poll(() => textOf(client.doc)).toContain("Marc ajoute les acteurs rencontrés.");
      await expect.poll(() => textOf(client.doc)).toContain("Paule relit.");
    }
    expect(textOf(a.doc)).toBe(textOf(b.doc));

    const late = open(server.url, report.id, await sessionCookieHeader(db, team.lecteur.id));
    await waitForSync(late);
    expect(textOf(late.doc)).toBe(textOf(a.doc));
  });

  test("initializeDocument writes the report template once", async () => {
    const report = await newReport();
    await server.collab.initializeDocument(report.id, reportTemplate());
    await server.collab.initializeDocument(report.id, reportTemplate());

    const client = open(server.url, report.id, await sessionCookieHeader(server.database.db, team.membre.id));
    await waitForSync(client);
    const text = textOf(client.doc);
    for (const section of REPORT_TEMPLATE_SECTIONS) expect(text).toContain(section);
    expect(text.split("Fiche d'identité")).toHaveLength(2);
    expect((await findDocument(server.database.db, report.id))?.plain_text).toContain("Pistes de propositions");
  });

  test("the derived text, word count and editors appear in the documents table", async () => {
    const db = server.database.db;
    const report = await newReport();
    const client = open(server.url, report.id, await sessionCookieHeader(db, team.membre.id));
    await waitForSync(client);
    appendParagraph(client.doc, "Le tiers-lieu réunit quatre associations.");

    await expect
      .poll(async () => (await findDocument(db, report.id))?.plain_text)
      .toBe("Le tiers-lieu réunit quatre associations.");
    const row = await findDocument(db, report.id);
    expect(row?.word_count).toBe(5);
    expect(row?.updated_by).toBe(team.membre.id);
    expect(JSON.parse(row?.json ?? "null")).toMatchObject({ type: "doc" });
    expect((await listDocumentEditors(db, report.id)).map((e) => e.name)).toEqual(["Marc Membre"]);
  });

  test("a restart keeps the content", async () => {
    const db = server.database.db;
    const report = await newReport();
    const client = open(server.url, report.id, await sessionCookieHeader(db, team.pilote.id));
    await waitForSync(client);
    appendParagraph(client.doc, "Ce paragraphe survit au redémarrage.");
    await expect.poll(async () => (await findDocument(db, report.id))?.plain_text).toContain("survit");
    client.destroy();

    const databasePath = server.databasePath;
    await server.close();
    server = await startTestServer({ databasePath, env });

    const again = open(server.url, report.id, await sessionCookieHeader(server.database.db, team.pilote.id));
    await waitForSync(again);
    expect(textOf(again.doc)).toBe("Ce paragraphe survit au redémarrage.");
  });
});

describe("the demo's reports", () => {
  let demo: TestServer;
  afterAll(() => demo?.close());

  test("the Figeac report holds its demo text and the other reports the template, with derived text", async () => {
    demo = await startTestServer({ demo: true });
    const db = demo.database.db;
    const [study] = await listAllStudies(db);
    if (!study) throw new Error("la démo n'a pas d'étude");
    const reports = await Promise.all(
      (await listStudyDocumentIds(db, study.id, "report")).map(async ({ id }) => (await findDocument(db, id))!),
    );
    expect(reports.length).toBeGreaterThan(1);
    const figeac = reports.filter((r) => r.plain_text.includes("Figeacteurs"));
    expect(figeac).toHaveLength(1);
    expect(figeac[0]!.word_count).toBeGreaterThan(50);
    for (const other of reports.filter((r) => r !== figeac[0])) {
      expect(other.plain_text).toContain("Fiche d'identité");
    }
  });
});
