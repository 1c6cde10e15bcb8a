import { afterAll, beforeAll, expect, test } from "vitest";
import type * as Y from "yjs";
import { addFinding, findTextRange, type FindingTags } from "../../app/editor/findings";
import { plainTextWithFindings } from "../../app/editor/plain-text";
import { listDocumentFindings } from "../../db/queries/findings";
import { insertGrid, listFactors } from "../../db/queries/grid";
import { docToJSON } from "../../server/collab/derive";
import { appendParagraph, collabClientsForFile, sessionCookieHeader, textOf, waitForSync } from "../helpers/collab";
import { createDynamic, createMeeting, createStudyWithTeam } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
const open = collabClientsForFile();

beforeAll(async () => {
  server = await startTestServer({ env: { TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "20" } });
});

afterAll(() => server?.close());

/** Each finding's passages, read from a client's copy of the document. */
function passagesIn(doc: Y.Doc): Record<string, string[]> {
  const { text, passages } = plainTextWithFindings(docToJSON(doc));
  return Object.fromEntries([...passages].map(([id, list]) => [id, list.map((p) => text.slice(p.start, p.end))]));
}

test("two members tag overlapping passages at the same moment: both keep their whole passages", async () => {
  const db = server.database.db;
  const team = await createStudyWithTeam(db);
  await insertGrid(db, team.study.id, {
    kinds: [{ key: "facteur", label: "Facteur clé de succès" }],
    audiences: [],
    families: [{ key: "engager", label: "Engager", color: "#d97706", factors: [{ key: "confiance", label: "Confiance", definition: "" }] }],
  });
  const [factor] = await listFactors(db, team.study.id);
  const dynamic = await createDynamic(db, team.study.id);
  const { report } = await createMeeting(db, team.study.id, { dynamicIds: [dynamic.id] });

  const paule = open(server.url, report.id, await sessionCookieHeader(db, team.pilote.id));
  const marc = open(server.url, report.id, await sessionCookieHeader(db, team.membre.id));
  await Promise.all([waitForSync(paule), waitForSync(marc)]);
  const paragraph = "0123456789abcdefghij, la suite du paragraphe.";
  appendParagraph(paule.doc, paragraph);
  await expect.poll(() => textOf(marc.doc)).toBe(paragraph);

  const tags = (createdBy: string): FindingTags => ({
    kind: "facteur",
    factors: [factor!.id],
    dynamics: [dynamic.id],
    audience: null,
    comment: "",
    createdBy,
    createdAt: new Date().toISOString(),
  });
  const first = crypto.randomUUID();
  const second = crypto.randomUUID();
  const rangeIn = (doc: Y.Doc, from: number, to: number) => {
    const found = findTextRange(doc, paragraph)!;
    return { text: found.text, index: found.index + from, length: to - from };
  };
  // Same turn of the event loop: neither client has seen the other's finding when it makes its own.
  addFinding(paule.doc, rangeIn(paule.doc, 0, 10), first, tags(team.pilote.id));
  addFinding(marc.doc, rangeIn(marc.doc, 5, 15), second, tags(team.membre.id));

  const expected = { [first]: ["0123456789"], [second]: ["56789abcde"] };
  for (const client of [paule, marc]) await expect.poll(() => passagesIn(client.doc)).toEqual(expected);

  await expect
    .poll(async () => Object.fromEntries((await listDocumentFindings(db, report.id)).map((f) => [f.id, [f.quote, f.created_by]])))
    .toEqual({ [first]: ["0123456789", team.pilote.id], [second]: ["56789abcde", team.membre.id] });
  // The text itself is untouched by the two marks.
  expect(textOf(paule.doc)).toBe(paragraph);
});
