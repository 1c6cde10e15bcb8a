import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import {
  addFinding,
  findingAttribute,
  findingsMap,
  findTextRange,
  QUOTE_SEPARATOR,
  type FindingTags,
} from "../../app/editor/findings";
import { plainTextWithFindings } from "../../app/editor/plain-text";
import { findDocument, listStudyDocumentIds } from "../../db/queries/documents";
import { listDocumentVersions } from "../../db/queries/document-versions";
import { listDynamics } from "../../db/queries/dynamics";
import { listDocumentFindings } from "../../db/queries/findings";
import { insertGrid, listFactors, updateFactor } from "../../db/queries/grid";
import { listAllStudies } from "../../db/queries/studies";
import { jsonToUpdate } from "../../server/collab/derive";
import { CONTENT_FIELD } from "../../server/collab/persistence";
import { appendParagraph, collabClientsForFile, sessionCookieHeader, textOf, waitForSync } from "../helpers/collab";
import { createDynamic, createMeeting, createStudyWithTeam } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

const GRID = {
  kinds: [
    { key: "facteur", label: "Facteur clé de succès" },
    { key: "proposition", label: "Proposition", hasAudience: true },
  ],
  audiences: [{ key: "financeurs", label: "Partenaires financeurs" }],
  families: [
    {
      key: "engager",
      label: "Engager",
      color: "#d97706",
      factors: [
        { key: "confiance", label: "Confiance", definition: "" },
        { key: "facilitateur", label: "Facilitateur", definition: "" },
        { key: "tiers", label: "Tiers de confiance", definition: "" },
      ],
    },
  ],
};

let server: TestServer;
let team: Awaited<ReturnType<typeof createStudyWithTeam>>;
let factor: Record<string, string>;
let dynamicId: string;
const open = collabClientsForFile();

beforeAll(async () => {
  server = await startTestServer({ env: { TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "20" } });
  const db = server.database.db;
  team = await createStudyWithTeam(db);
  await insertGrid(db, team.study.id, GRID);
  factor = Object.fromEntries((await listFactors(db, team.study.id)).map((f) => [f.key, f.id]));
  dynamicId = (await createDynamic(db, team.study.id, { name: "Figeacteurs" })).id;
});

afterAll(() => server?.close());

const tags = (overrides: Partial<FindingTags> = {}): FindingTags => ({
  kind: "facteur",
  factors: [factor.confiance!],
  dynamics: [dynamicId],
  audience: null,
  comment: "",
  createdBy: team.membre.id,
  createdAt: new Date().toISOString(),
  ...overrides,
});

/** A report open in the official client of a member, holding the given paragraphs. */
async function openReport(...paragraphs: string[]) {
  const db = server.database.db;
  const { report } = await createMeeting(db, team.study.id, { dynamicIds: [dynamicId] });
  const client = open(server.url, report.id, await sessionCookieHeader(db, team.membre.id));
  await waitForSync(client);
  for (const text of paragraphs) appendParagraph(client.doc, text);
  return { report, client, doc: client.doc };
}

const range = (doc: Y.Doc, needle: string) => {
  const found = findTextRange(doc, needle);
  if (!found) throw new Error(`« ${needle} » introuvable`);
  return found;
};

const docRow = async (documentId: string) => {
  const row = await findDocument(server.database.db, documentId);
  if (!row) throw new Error("document absent");
  return row;
};

const stored = async (documentId: string, id: string) =>
  (await listDocumentFindings(server.database.db, documentId)).find((f) => f.id === id);

describe("findings extracted from the live document into SQLite", () => {
  test("a finding made through the official client lands with its quote, factors, dynamics and author", async () => {
    const { report, doc } = await openReport(
      "Les acteurs décrivent une confiance construite sur plusieurs années de projets communs, qui permet d'agir vite.",
    );
    const id = crypto.randomUUID();
    // The entry claims the pilot made it: the server trusts the connection, not the claim.
    addFinding(doc, range(doc, "une confiance construite sur plusieurs années"), id, tags({
      factors: [factor.confiance!, factor.facilitateur!],
      createdBy: team.pilote.id,
    }));

    await expect.poll(() => stored(report.id, id)).toMatchObject({
      kind: "facteur",
      quote: "une confiance construite sur plusieurs années",
      factors: [factor.confiance, factor.facilitateur].sort(),
      dynamics: [dynamicId],
      audience: null,
      orphaned_at: null,
      created_by: team.membre.id,
      updated_by: team.membre.id,
    });
  });

  test("editing inside the passage updates the quote; changing the tags updates the row", async () => {
    const { report, doc } = await openReport("Le PTCE joue un rôle de tiers facilitateur reconnu.");
    const id = crypto.randomUUID();
    const passage = range(doc, "un rôle de tiers facilitateur");
    addFinding(doc, passage, id, tags());
    await expect.poll(async () => (await stored(report.id, id))?.quote).toBe("un rôle de tiers facilitateur");

    // Typed inside the marked text, the words take its marks (as in the editor).
    passage.text.insert(passage.index + "un rôle de".length, " véritable");
    await expect.poll(async () => (await stored(report.id, id))?.quote).toBe("un rôle de véritable tiers facilitateur");

    findingsMap(doc).set(id, tags({ kind: "proposition", audience: "financeurs", comment: "À creuser", factors: [factor.tiers!] }));
    await expect.poll(() => stored(report.id, id)).toMatchObject({
      kind: "proposition",
      audience: "financeurs",
      comment: "À creuser",
      factors: [factor.tiers],
      quote: "un rôle de véritable tiers facilitateur",
    });
  });

  test("deleting the passage orphans the finding, undoing the deletion brings it back", async () => {
    const { report, doc } = await openReport("Avant. Le financement de l'animation reste fragile. Après.");
    const id = crypto.randomUUID();
    addFinding(doc, range(doc, "Le financement de l'animation reste fragile."), id, tags());
    await expect.poll(async () => (await stored(report.id, id))?.quote).toBe("Le financement de l'animation reste fragile.");

    const undo = new Y.UndoManager(doc.getXmlFragment(CONTENT_FIELD));
    const passage = range(doc, "Le financement de l'animation reste fragile. ");
    passage.text.delete(passage.index, passage.length);
    expect(textOf(doc)).toBe("Avant. Après.");

    await expect.poll(async () => (await stored(report.id, id))?.orphaned_at).not.toBeNull();
    // Kept for review, with its last quote.
    expect((await stored(report.id, id))?.quote).toBe("Le financement de l'animation reste fragile.");

    undo.undo();
    expect(textOf(doc)).toBe("Avant. Le financement de l'animation reste fragile. Après.");
    await expect.poll(async () => (await stored(report.id, id))?.orphaned_at).toBeNull();
    expect((await stored(report.id, id))?.quote).toBe("Le financement de l'animation reste fragile.");
    undo.destroy();
  });

  test("a copy of the mark elsewhere keeps ONE finding with two passages, in document order", async () => {
    const { report, doc } = await openReport("Premier paragraphe : la confiance se construit.", "Second paragraphe.");
    const id = crypto.randomUUID();
    addFinding(doc, range(doc, "la confiance se construit"), id, tags());
    await expect.poll(async () => (await stored(report.id, id))?.quote).toBe("la confiance se construit");

    // A paste carries the mark with the same id into another paragraph.
    const second = range(doc, "Second paragraphe.");
    second.text.insert(second.index + second.length, " Elle prend du temps.", { [findingAttribute(id)]: { id } });

    await expect
      .poll(async () => (await stored(report.id, id))?.quote)
      .toBe(`la confiance se construit${QUOTE_SEPARATOR}Elle prend du temps.`);
    expect((await listDocumentFindings(server.database.db, report.id)).map((f) => f.id)).toEqual([id]);
    const { text, passages } = plainTextWithFindings(JSON.parse((await docRow(report.id)).json!));
    expect(passages.get(id)?.map((p) => text.slice(p.start, p.end))).toEqual(["la confiance se construit", " Elle prend du temps."]);
  });

  test("restoring a version that holds the passage un-orphans the finding, with its current tags", async () => {
    const { report, doc } = await openReport("Un passage à conserver. Une suite.");
    const id = crypto.randomUUID();
    addFinding(doc, range(doc, "Un passage à conserver."), id, tags());
    await expect.poll(() => stored(report.id, id)).toBeDefined();
    await server.collab.saveVersion(report.id, "Avec l'enseignement", team.pilote.id);
    const [version] = await listDocumentVersions(server.database.db, report.id);

    const passage = range(doc, "Un passage à conserver. ");
    passage.text.delete(passage.index, passage.length);
    findingsMap(doc).set(id, tags({ comment: "Retouché après la version" }));
    await expect.poll(async () => (await stored(report.id, id))?.orphaned_at).not.toBeNull();

    await server.collab.restoreVersion(report.id, version!.id, team.pilote.id);
    await expect.poll(() => textOf(doc)).toBe("Un passage à conserver. Une suite.");
    await expect.poll(() => stored(report.id, id)).toMatchObject({
      orphaned_at: null,
      quote: "Un passage à conserver.",
      // The tags live beside the content: a restore brings back passages, not older tags.
      comment: "Retouché après la version",
    });
  });

  test("restoring a version brings back a finding deleted since, with its tags and its author", async () => {
    const { report, doc, client } = await openReport("Un constat supprimé puis rétabli. La suite.");
    const id = crypto.randomUUID();
    const createdAt = "2026-11-30T09:00:00.000Z";
    addFinding(doc, range(doc, "Un constat supprimé puis rétabli."), id, tags({ comment: "À garder", createdAt }));
    await expect.poll(() => stored(report.id, id)).toBeDefined();
    await server.collab.saveVersion(report.id, "Avec le constat", team.pilote.id);
    const [version] = await listDocumentVersions(server.database.db, report.id);

    // Deleted as the editor deletes a finding: its marks and its entry in one transaction.
    const passage = range(doc, "Un constat supprimé puis rétabli.");
    doc.transact(() => {
      passage.text.format(passage.index, passage.length, { [findingAttribute(id)]: null });
      findingsMap(doc).delete(id);
    });
    await expect.poll(() => stored(report.id, id)).toBeUndefined();

    const receivedBefore = client.received.length;
    await server.collab.restoreVersion(report.id, version!.id, team.pilote.id);
    await expect.poll(() => findingsMap(doc).get(id)?.comment).toBe("À garder");
    expect(client.received.length - receivedBefore).toBe(1);
    await expect.poll(() => stored(report.id, id)).toMatchObject({
      orphaned_at: null,
      quote: "Un constat supprimé puis rétabli.",
      comment: "À garder",
      // The member who made it, not the pilote who restored the version.
      created_by: team.membre.id,
      created_at: createdAt,
    });
  });

  test("invalid tags are not copied: unknown kind, factors and dynamics of another study", async () => {
    const db = server.database.db;
    const other = await createStudyWithTeam(db);
    await insertGrid(db, other.study.id, GRID);
    const foreignFactor = (await listFactors(db, other.study.id))[0]!.id;
    const foreignDynamic = (await createDynamic(db, other.study.id)).id;

    const { report, doc } = await openReport("Un passage au type inconnu.", "Un passage aux étiquettes étrangères.");
    const unknownKind = crypto.randomUUID();
    const foreign = crypto.randomUUID();
    addFinding(doc, range(doc, "type inconnu"), unknownKind, tags({ kind: "inconnu" }));
    addFinding(doc, range(doc, "étiquettes étrangères"), foreign, tags({
      factors: [foreignFactor, factor.tiers!, "pas-un-facteur"],
      dynamics: [foreignDynamic, dynamicId],
      audience: "financeurs",
    }));

    await expect.poll(() => stored(report.id, foreign)).toMatchObject({
      quote: "étiquettes étrangères",
      factors: [factor.tiers],
      dynamics: [dynamicId],
      // A « facteur » has no audience.
      audience: null,
    });
    expect(await stored(report.id, unknownKind)).toBeUndefined();
  });

  test("an entry naming a finding of another report changes nothing there", async () => {
    const first = await openReport("Le passage d'origine.");
    const id = crypto.randomUUID();
    addFinding(first.doc, range(first.doc, "passage d'origine"), id, tags());
    await expect.poll(() => stored(first.report.id, id)).toBeDefined();

    const second = await openReport("Un autre compte rendu.");
    addFinding(second.doc, range(second.doc, "autre compte rendu"), id, tags({ comment: "détourné" }));
    await expect.poll(async () => (await docRow(second.report.id)).plain_text).toBe("Un autre compte rendu.");
    appendParagraph(second.doc, "Encore une modification.");
    await expect.poll(async () => (await docRow(second.report.id)).plain_text).toContain("Encore une modification.");

    expect(await listDocumentFindings(server.database.db, second.report.id)).toEqual([]);
    expect(await stored(first.report.id, id)).toMatchObject({ quote: "passage d'origine", comment: "" });
  });

  test("a factor merged into another stands for its target", async () => {
    const db = server.database.db;
    const study = await createStudyWithTeam(db);
    await insertGrid(db, study.study.id, GRID);
    const [kept, merged] = await listFactors(db, study.study.id);
    await updateFactor(db, study.study.id, merged!.id, { merged_into: kept!.id, archived_at: new Date().toISOString() });
    const { report } = await createMeeting(db, study.study.id);
    const client = open(server.url, report.id, await sessionCookieHeader(db, study.membre.id));
    await waitForSync(client);
    appendParagraph(client.doc, "Deux facteurs fusionnés.");

    const id = crypto.randomUUID();
    addFinding(client.doc, range(client.doc, "facteurs fusionnés"), id, tags({ factors: [merged!.id, kept!.id], dynamics: [] }));
    await expect.poll(async () => (await stored(report.id, id))?.factors).toEqual([kept!.id]);
  });

  test("removing the map key deletes the row; marks without an entry are ignored", async () => {
    const { report, doc } = await openReport("Un enseignement retiré.");
    const id = crypto.randomUUID();
    addFinding(doc, range(doc, "enseignement retiré"), id, tags());
    await expect.poll(() => stored(report.id, id)).toBeDefined();

    findingsMap(doc).delete(id);
    await expect.poll(() => stored(report.id, id)).toBeUndefined();
    // The mark is still in the text, without tags: nothing comes back.
    appendParagraph(doc, "Une autre modification.");
    await expect.poll(async () => (await docRow(report.id)).plain_text).toContain("Une autre modification.");
    expect(await listDocumentFindings(server.database.db, report.id)).toEqual([]);
  });

  test("a lecteur's finding never reaches SQLite (its updates are dropped)", async () => {
    const db = server.database.db;
    const { report, doc } = await openReport("Un passage que le lecteur voudrait marquer.");
    const reader = open(server.url, report.id, await sessionCookieHeader(db, team.lecteur.id));
    await waitForSync(reader);
    await expect.poll(() => textOf(reader.doc)).toBe("Un passage que le lecteur voudrait marquer.");
    addFinding(reader.doc, range(reader.doc, "le lecteur voudrait marquer"), crypto.randomUUID(), tags({ createdBy: team.lecteur.id }));

    appendParagraph(doc, "Le membre continue.");
    await expect.poll(async () => (await docRow(report.id)).plain_text).toContain("Le membre continue.");
    expect(await listDocumentFindings(db, report.id)).toEqual([]);
    expect(findingsMap(doc).size).toBe(0);
  });

  test("a finding made offline reaches SQLite on reconnect", async () => {
    const db = server.database.db;
    const { report, client } = await openReport("Écrit hors ligne.");
    await expect.poll(async () => (await docRow(report.id)).plain_text).toBe("Écrit hors ligne.");
    client.provider.disconnect();
    const id = crypto.randomUUID();
    addFinding(client.doc, range(client.doc, "hors ligne"), id, tags());
    expect(await stored(report.id, id)).toBeUndefined();

    client.provider.connect();
    await expect.poll(async () => (await listDocumentFindings(db, report.id)).map((f) => f.quote)).toEqual(["hors ligne"]);
  });
});

describe("the demo's findings", () => {
  let demo: TestServer;
  afterAll(() => demo?.close());

  test("the Figeac report's findings are in SQLite after loadDemo, with their quotes, factors, dynamics and audience", async () => {
    demo = await startTestServer({ demo: true });
    const db = demo.database.db;
    const [study] = await listAllStudies(db);
    if (!study) throw new Error("la démo n'a pas d'étude");
    const keyOf = new Map((await listFactors(db, study.id)).map((f) => [f.id, f.key]));
    const nameOf = new Map((await listDynamics(db, study.id)).map((d) => [d.id, d.name]));
    const findings = (
      await Promise.all((await listStudyDocumentIds(db, study.id, "report")).map(({ id }) => listDocumentFindings(db, id)))
    ).flat();

    expect(
      findings.map((f) => ({
        quote: f.quote,
        kind: f.kind,
        audience: f.audience,
        factors: f.factors.map((id) => keyOf.get(id)).sort(),
        dynamics: f.dynamics.map((id) => nameOf.get(id)),
        orphaned: f.orphaned_at !== null,
      })),
    ).toEqual([
      {
        quote: "Les acteurs décrivent une confiance construite sur plusieurs années de projets communs",
        kind: "facteur",
        audience: null,
        factors: ["confiance"],
        dynamics: ["Figeacteurs"],
        orphaned: false,
      },
      {
        quote: "L'équipe salariée du PTCE joue un rôle de tiers facilitateur reconnu par tous les membres.",
        kind: "facteur",
        audience: null,
        factors: ["facilitateur", "ingenierie"],
        dynamics: ["Figeacteurs"],
        orphaned: false,
      },
      {
        quote: "Le financement de l'animation reste fragile et dépend d'appels à projets successifs.",
        kind: "frein",
        audience: null,
        factors: ["ingenierie"],
        dynamics: ["Figeacteurs"],
        orphaned: false,
      },
      {
        quote: "Financer dans la durée l'animation et l'ingénierie des coopérations territoriales plutôt que des projets ponctuels.",
        kind: "proposition",
        audience: "financeurs",
        factors: ["ingenierie", "temps-long"],
        dynamics: ["Figeacteurs"],
        orphaned: false,
      },
    ]);
    const pilot = findings[0]!.created_by;
    expect(findings.every((f) => f.created_by === pilot && pilot !== null)).toBe(true);
  });
});

test("one serializer: a passage running on into the next paragraph, or split by bold, stays one passage", () => {
  const mark = (id: string) => ({ type: "finding", attrs: { id } });
  const { text, passages } = plainTextWithFindings({
    type: "doc",
    content: [
      { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Titre" }] },
      { type: "paragraph" },
      {
        type: "paragraph",
        content: [
          { type: "text", text: "Début " },
          { type: "text", text: "fin du premier", marks: [mark("a")] },
        ],
      },
      {
        type: "paragraph",
        content: [
          { type: "text", text: "début du ", marks: [mark("a")] },
          { type: "text", text: "second", marks: [mark("a"), { type: "bold" }] },
          { type: "text", text: " paragraphe" },
          { type: "hardBreak" },
          { type: "text", text: "ligne" },
        ],
      },
    ],
  });
  expect(text).toBe("Titre\n\nDébut fin du premier\n\ndébut du second paragraphe\nligne");
  expect(passages.get("a")?.map((p) => text.slice(p.start, p.end))).toEqual(["fin du premier\n\ndébut du second"]);
});

test("the mark attribute matches y-tiptap's own naming, so the editor never rewrites it", () => {
  const id = crypto.randomUUID();
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    jsonToUpdate({
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "text", text: "abc", marks: [{ type: "finding", attrs: { id } }] }] }],
    }),
  );
  const text = (doc.getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  expect(text.toDelta()).toEqual([{ insert: "abc", attributes: { [findingAttribute(id)]: { id } } }]);
  doc.destroy();
});
