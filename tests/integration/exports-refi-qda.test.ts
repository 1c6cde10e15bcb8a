import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { JSONContent } from "@tiptap/core";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import * as Y from "yjs";
import { findingsMap, findTextRange, QUOTE_SEPARATOR, type FindingTags } from "../../app/editor/findings";
import { exportPlainText } from "../../app/editor/plain-text";
import { derivedGuid, element, textElement } from "../../app/exports/xml.server";
import { listDocumentFindings, type DocumentFinding } from "../../db/queries/findings";
import { insertGrid, listFactorFamilies, listFactors, updateFactor } from "../../db/queries/grid";
import { updateStudy } from "../../db/queries/studies";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed/demo-accounts";
import { jsonToUpdate } from "../../server/collab/derive";
import { connectCollab, sessionCookieHeader, waitForSync, type CollabClient } from "../helpers/collab";
import { createDynamic, createMeeting, createStudyWithTeam, TEST_PASSWORD } from "../helpers/factories";
import { loginClient, TestClient } from "../helpers/http";
import { findDemoReport } from "../helpers/report-page";
import { startTestServer, type TestServer } from "../helpers/server";
import { childrenNamed, descendantsNamed, parseXml, type XmlNode } from "../helpers/xml";

const run = promisify(execFile);
const XSD = resolve(__dirname, "../fixtures/refi-qda/Project.xsd");
const PROJECT_NS = "urn:QDA-XML:project:1.0";
const CODEBOOK_NS = "urn:QDA-XML:codebook:1.0";
const BOM = [0xef, 0xbb, 0xbf];
const today = () => new Date().toISOString().slice(0, 10);

/** What a passage's text must be in the export file: NFC, CRLF line ends. */
const asExported = (text: string) => text.normalize("NFC").replace(/\n/g, "\r\n");
/** `[start, end)` counted in Unicode code points, as REFI-QDA positions are. */
const codePointSlice = (text: string, start: number, end: number) => Array.from(text).slice(start, end).join("");

const mark = (id: string) => ({ type: "finding", attrs: { id } });
const text = (value: string, findingId?: string): JSONContent =>
  findingId ? { type: "text", text: value, marks: [mark(findingId)] } : { type: "text", text: value };

test("exportPlainText: NFC, CRLF and code points over exactly the exported text", () => {
  const doc: JSONContent = {
    type: "doc",
    content: [
      { type: "paragraph", content: [text("Cafe\u0301 "), text("🌱 œuvre", "a"), text(" fin")] },
      { type: "paragraph", content: [text("ligne", "b"), { type: "hardBreak" }, text("suite ", "c")] },
      // A mark ending between the two halves of an emoji takes the whole emoji.
      { type: "paragraph", content: [text("x\uD83C", "d"), text("\uDF31y")] },
    ],
  };
  const { text: exported, passages } = exportPlainText(doc);
  expect(exported).toBe("Café 🌱 œuvre fin\r\n\r\nligne\r\nsuite \r\n\r\nx🌱y");
  expect(exported).toBe(exported.normalize("NFC"));
  // « Café » is 4 code points once composed; the emoji is one; each line end is two.
  expect(passages.get("a")).toEqual([{ start: 5, end: 12 }]);
  expect(passages.get("b")).toEqual([{ start: 20, end: 25 }]);
  // Trimmed like the stored quote.
  expect(passages.get("c")).toEqual([{ start: 27, end: 32 }]);
  expect(passages.get("d")).toEqual([{ start: 37, end: 39 }]);
  expect(["a", "b", "c", "d"].map((id) => passages.get(id)!.map((p) => codePointSlice(exported, p.start, p.end)))).toEqual([
    ["🌱 œuvre"],
    ["ligne"],
    ["suite"],
    ["x🌱"],
  ]);
});

test("the XML writer escapes what a parser would change and drops what XML cannot hold", () => {
  const xml = element("A", { name: 'a "b" & <c>\tcol\r\nligne', empty: "", skipped: null }, [
    textElement("T", "x < y & z > w\r\n\u0001\uD800fin 🌱"),
  ]);
  expect(xml).toBe('<A name="a &quot;b&quot; &amp; &lt;c&gt;&#9;col&#13;&#10;ligne" empty=""><T>x &lt; y &amp; z &gt; w&#13;\nfin 🌱</T></A>');
  const node = parseXml(xml);
  expect(node.attributes.name).toBe('a "b" & <c>\tcol\r\nligne');
  expect(node.children[0]!.text).toBe("x < y & z > w\r\nfin 🌱");
  // Name-based: version 5, the same for the same row and role, different for another role.
  const guid = derivedGuid("2f1e6b0c-8d4a-4e53-9b1a-0c6f5d7e8a91", "passage/1");
  expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(derivedGuid("2f1e6b0c-8d4a-4e53-9b1a-0c6f5d7e8a91", "passage/1")).toBe(guid);
  expect(derivedGuid("2f1e6b0c-8d4a-4e53-9b1a-0c6f5d7e8a91", "passage/2")).not.toBe(guid);
});

// ---- The export read back ----

interface Project {
  response: Response;
  entries: Record<string, Uint8Array>;
  qde: string;
  root: XmlNode;
  /** Every selection by GUID, with the code-point substring of its source's file. */
  selections: Map<string, { node: XmlNode; source: string; text: string }>;
}

async function download(client: TestClient, path: string) {
  const response = await client.get(path);
  expect(response.status).toBe(200);
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function readProject(client: TestClient, studyId: string): Promise<Project> {
  const { response, bytes } = await download(client, `/etudes/${studyId}/export/qdpx`);
  expect(response.headers.get("content-type")).toBe("application/zip");
  expect(response.headers.get("cache-control")).toContain("no-store");
  // Streamed: sent as it is zipped, so its length is not known up front.
  expect(response.headers.get("content-length")).toBeNull();
  const entries = unzipSync(bytes);
  for (const [path, content] of Object.entries(entries)) expect([...content.subarray(0, 3)], path).not.toEqual(BOM);
  const qde = strFromU8(entries["project.qde"]!);
  const root = parseXml(qde);
  const selections = new Map<string, { node: XmlNode; source: string; text: string }>();
  for (const source of descendantsNamed(root, "TextSource")) {
    const guid = source.attributes.guid!;
    expect(source.attributes.plainTextPath).toBe(`internal://${guid}.txt`);
    const file = entries[`sources/${guid}.txt`];
    expect(file, `sources/${guid}.txt`).toBeDefined();
    const content = strFromU8(file!);
    for (const node of childrenNamed(source, "PlainTextSelection")) {
      const start = Number(node.attributes.startPosition);
      const end = Number(node.attributes.endPosition);
      selections.set(node.attributes.guid!, { node, source: guid, text: codePointSlice(content, start, end) });
    }
  }
  return { response, entries, qde, root, selections };
}

async function validate(qde: string) {
  const dir = mkdtempSync(join(tmpdir(), "terrain-qdpx-"));
  try {
    const path = join(dir, "project.qde");
    writeFileSync(path, qde);
    // Rejects (non-zero exit) on any schema error, with xmllint's message.
    const { stderr } = await run("xmllint", ["--noout", "--schema", XSD, path]);
    expect(stderr).toContain("validates");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const attributeList = (nodes: XmlNode[], name: string) => nodes.map((n) => n.attributes[name]);

/**
 * What every export must hold, checked against the database: one text file per report, the
 * grid as codes, each passage of each finding still in its report as a selection whose text is
 * the finding's quote (NFC, CRLF), codings and references pointing at exported elements.
 */
async function checkProject(project: Project, studyId: string, reportIds: string[]) {
  const { entries, root, selections } = project;
  expect(Object.keys(entries).sort()).toEqual(["project.qde", ...reportIds.map((id) => `sources/${id}.txt`)].sort());
  expect(project.qde.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  expect(root.name).toBe("Project");
  expect(root.attributes.xmlns).toBe(PROJECT_NS);
  await validate(project.qde);
  for (const id of reportIds) expect(strFromU8(entries[`sources/${id}.txt`]!)).not.toMatch(/[^\r]\n|^\n/);

  const db = server.database.db;
  const families = await listFactorFamilies(db, studyId);
  const factors = await listFactors(db, studyId);
  const codes = childrenNamed(childrenNamed(childrenNamed(root, "CodeBook")[0]!, "Codes")[0]!, "Code");
  expect(attributeList(codes, "guid")).toEqual(families.map((f) => f.id));
  for (const [i, code] of codes.entries()) {
    expect(code.attributes).toMatchObject({ name: families[i]!.label, isCodable: "false", color: families[i]!.color });
    const children = childrenNamed(code, "Code");
    const own = factors.filter((f) => f.family_id === families[i]!.id);
    expect(attributeList(children, "guid")).toEqual(own.map((f) => f.id));
    for (const [j, child] of children.entries()) {
      expect(child.attributes).toMatchObject({ name: own[j]!.label, isCodable: "true", color: own[j]!.color ?? families[i]!.color });
      expect(childrenNamed(child, "Description")[0]?.text ?? "").toBe(own[j]!.definition);
    }
  }
  const codable = new Set(factors.map((f) => f.id));
  const users = new Set(attributeList(descendantsNamed(root, "User"), "guid"));

  const findings = new Map<string, DocumentFinding & { reportId: string }>();
  for (const reportId of reportIds) {
    for (const f of await listDocumentFindings(db, reportId)) findings.set(f.id, { ...f, reportId });
  }
  let expected = 0;
  for (const finding of findings.values()) {
    if (finding.orphaned_at !== null) {
      expect(selections.has(finding.id), "orphaned finding exported").toBe(false);
      continue;
    }
    const parts = finding.quote.split(QUOTE_SEPARATOR);
    parts.forEach((part, i) => {
      const selection = selections.get(i === 0 ? finding.id : derivedGuid(finding.id, `passage/${i}`));
      expect(selection, `passage ${i} of « ${finding.quote} »`).toBeDefined();
      expect(selection!.source).toBe(finding.reportId);
      expect(selection!.text).toBe(asExported(part));
      expect(attributeList(descendantsNamed(selection!.node, "CodeRef"), "targetGUID").sort()).toEqual(finding.factors);
    });
    expected += parts.length;
  }
  expect(selections.size).toBe(expected);

  for (const { node } of selections.values()) {
    for (const ref of descendantsNamed(node, "CodeRef")) expect(codable.has(ref.attributes.targetGUID!)).toBe(true);
    for (const coding of childrenNamed(node, "Coding")) expect(users.has(coding.attributes.creatingUser!)).toBe(true);
    if (node.attributes.creatingUser) expect(users.has(node.attributes.creatingUser)).toBe(true);
  }
  for (const ref of descendantsNamed(root, "SelectionRef")) expect(selections.has(ref.attributes.targetGUID!)).toBe(true);
  for (const ref of descendantsNamed(root, "SourceRef")) expect(reportIds).toContain(ref.attributes.targetGUID);
  return findings;
}

// ---- Fixture: a report written through the collaboration server ----

let server: TestServer;
let team: Awaited<ReturnType<typeof createStudyWithTeam>>;
let studyId: string;
let reports: { written: string; empty: string };
let dynamics: { D1: string; D2: string };
let factor: Record<string, string>;
const ids = {
  accents: crypto.randomUUID(),
  afterEmoji: crypto.randomUUID(),
  twoParagraphs: crypto.randomUUID(),
  afterBreak: crypto.randomUUID(),
  twoPassages: crypto.randomUUID(),
  orphaned: crypto.randomUUID(),
};
let collab: CollabClient | undefined;

const GRID = {
  kinds: [
    { key: "facteur", label: "Facteur clé de succès" },
    { key: "proposition", label: "Proposition", hasAudience: true },
  ],
  audiences: [{ key: "financeurs", label: "Partenaires financeurs" }],
  families: [
    {
      key: "gouvernance",
      label: "Gouvernance & pilotage",
      color: "#2563eb",
      factors: [
        { key: "cooperation", label: "Coopération « locale »", definition: 'Quand élus & habitants disent "nous" <ensemble>.' },
        { key: "leadership", label: "Leadership", definition: "" },
      ],
    },
    {
      key: "ressources",
      label: "Ressources",
      color: "#16a34a",
      factors: [{ key: "financement", label: "Financement", definition: "Des moyens\nsur la durée." }],
    },
  ],
};

/** The report: accents, œ, a decomposed accent, emoji, a hard break, a finding over two paragraphs. */
function reportContent(): JSONContent {
  return {
    type: "doc",
    content: [
      { type: "heading", attrs: { level: 2 }, content: [text("Ce que nous avons vu")] },
      {
        type: "paragraph",
        content: [
          text("À Figeac, "),
          text("l'Œuvre commune réunit élus et habitants 🌱 au cafe\u0301", ids.accents),
          text(" associatif, "),
          text("ouvert à tous 🎉", ids.afterEmoji),
          text("."),
        ],
      },
      {
        type: "paragraph",
        content: [
          text("Première ligne du cœur", ids.twoPassages),
          { type: "hardBreak" },
          text("seconde ligne "),
          text("après la pause 🌍 ", ids.afterBreak),
          text("— fin."),
        ],
      },
      { type: "paragraph", content: [text("La confiance "), text("se construit lentement.", ids.twoParagraphs)] },
      {
        type: "paragraph",
        content: [text("Elle demande du temps & des moyens", ids.twoParagraphs), text(" <partagés>. "), text("Œuvre collective", ids.twoPassages)],
      },
      { type: "paragraph", content: [text("Un passage "), text("bientôt supprimé", ids.orphaned), text(".")] },
    ],
  };
}

beforeAll(async () => {
  server = await startTestServer({ demo: true, env: { TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "20" } });
  const db = server.database.db;
  team = await createStudyWithTeam(db);
  studyId = team.study.id;
  await updateStudy(db, studyId, { title: "Étude « Cœur & Causse »", summary: "Une étude d'essai & ses <exports>." });
  await insertGrid(db, studyId, GRID);
  factor = Object.fromEntries((await listFactors(db, studyId)).map((f) => [f.key, f.id]));
  await updateFactor(db, studyId, factor.leadership!, { color: "#dc2626" });
  const D1 = await createDynamic(db, studyId, { name: "Figeacteurs", description: "Tiers-lieu & <atelier>" });
  const D2 = await createDynamic(db, studyId, { name: "Ferme du Causse" });
  dynamics = { D1: D1.id, D2: D2.id };
  const written = await createMeeting(db, studyId, { title: "Visite à Figeac — « cœur »", starts_on: "2018-11-08", dynamicIds: [D1.id, D2.id] });
  const empty = await createMeeting(db, studyId, { title: "Visite sans compte rendu", starts_on: "2019-02-12", dynamicIds: [D2.id] });
  reports = { written: written.report.id, empty: empty.report.id };

  collab = connectCollab(server.url, reports.written, await sessionCookieHeader(db, team.membre.id));
  await waitForSync(collab);
  const doc = collab.doc;
  const tags = (overrides: Partial<FindingTags>): FindingTags => ({
    kind: "facteur",
    factors: [],
    dynamics: [],
    audience: null,
    comment: "",
    createdBy: team.membre.id,
    createdAt: new Date().toISOString(),
    ...overrides,
  });
  // Text, marks and tags reach the server in ONE update, as the editor sends a tagged passage. Built
  // aside: an update applied inside a local transaction makes Yjs think another client has its id.
  const draft = new Y.Doc();
  Y.applyUpdate(draft, jsonToUpdate(reportContent()));
  draft.transact(() => {
    const map = findingsMap(draft);
    map.set(ids.accents, tags({ factors: [factor.cooperation!, factor.leadership!], dynamics: [D1.id] }));
    map.set(ids.afterEmoji, tags({ factors: [factor.financement!], dynamics: [D2.id] }));
    map.set(
      ids.twoParagraphs,
      tags({ kind: "proposition", audience: "financeurs", comment: "À creuser & <vérifier>", factors: [factor.cooperation!], dynamics: [D1.id, D2.id] }),
    );
    map.set(ids.afterBreak, tags({}));
    map.set(ids.twoPassages, tags({ factors: [factor.leadership!], dynamics: [D2.id] }));
    map.set(ids.orphaned, tags({ factors: [factor.cooperation!], dynamics: [D1.id] }));
  });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(draft));
  draft.destroy();
  const wait = { timeout: 15_000, interval: 50 };
  await vi.waitFor(async () => expect(await listDocumentFindings(db, reports.written)).toHaveLength(6), wait);
  // Its passage deleted, a finding is kept but orphaned: it has no position left to export.
  const passage = findTextRange(doc, "bientôt supprimé")!;
  passage.text.delete(passage.index, passage.length);
  await vi.waitFor(async () => {
    const orphaned = (await listDocumentFindings(db, reports.written)).find((f) => f.id === ids.orphaned);
    expect(orphaned?.orphaned_at).not.toBeNull();
  }, wait);
});

afterAll(async () => {
  collab?.destroy();
  await server?.close();
});

const member = (role: "pilote" | "membre" | "lecteur" | "outsider") => loginClient(server.url, team[role].email, TEST_PASSWORD);

describe("REFI-QDA project export (.qdpx)", () => {
  test("a report with accents, œ, NFD, emoji, a hard break and a finding over two paragraphs", async () => {
    const client = await member("lecteur");
    const project = await readProject(client, studyId);
    expect(project.response.headers.get("content-disposition")).toContain(`filename="etude-etude-coeur-causse-${today()}.qdpx"`);
    const findings = await checkProject(project, studyId, [reports.written, reports.empty]);

    const file = strFromU8(project.entries[`sources/${reports.written}.txt`]!);
    expect(file).toBe(file.normalize("NFC"));
    expect(file).toContain("au café associatif");
    expect(file).toContain("Première ligne du cœur\r\nseconde ligne");
    expect(file).not.toContain("bientôt supprimé");
    expect(strFromU8(project.entries[`sources/${reports.empty}.txt`]!)).toBe("");

    const selection = (id: string) => project.selections.get(id)!;
    expect(selection(ids.accents).text).toBe("l'Œuvre commune réunit élus et habitants 🌱 au café");
    expect(selection(ids.afterEmoji).text).toBe("ouvert à tous 🎉");
    expect(selection(ids.afterBreak).text).toBe("après la pause 🌍");
    expect(selection(ids.twoParagraphs).text).toBe("se construit lentement.\r\n\r\nElle demande du temps & des moyens");
    expect(selection(derivedGuid(ids.twoPassages, "passage/1")).text).toBe("Œuvre collective");
    expect(project.selections.has(ids.orphaned)).toBe(false);
    // Single-passage findings: the selection is the quote SQLite holds, after NFC and CRLF.
    for (const id of [ids.accents, ids.afterEmoji, ids.afterBreak, ids.twoParagraphs]) {
      expect(selection(id).text).toBe(asExported(findings.get(id)!.quote));
    }
    expect(findings.get(ids.accents)!.quote).toContain("e\u0301");

    const proposition = selection(ids.twoParagraphs).node;
    expect(childrenNamed(proposition, "Description")[0]!.text).toBe("Proposition · Public : Partenaires financeurs\nÀ creuser & <vérifier>");
    expect(proposition.attributes).toMatchObject({ creatingUser: team.membre.id, name: "Proposition" });
    expect(childrenNamed(selection(ids.afterBreak).node, "Coding")).toEqual([]);

    // Dynamics are cases: the reports of their visits and the passages tagged with them.
    const cases = new Map(descendantsNamed(project.root, "Case").map((c) => [c.attributes.guid!, c]));
    const refs = (guid: string, name: string) => attributeList(childrenNamed(cases.get(guid)!, name), "targetGUID").sort();
    expect(cases.get(dynamics.D1)!.attributes.name).toBe("Figeacteurs");
    expect(childrenNamed(cases.get(dynamics.D1)!, "Description")[0]!.text).toBe("Tiers-lieu & <atelier>");
    expect(refs(dynamics.D1, "SourceRef")).toEqual([reports.written]);
    expect(refs(dynamics.D2, "SourceRef")).toEqual([reports.written, reports.empty].sort());
    expect(refs(dynamics.D1, "SelectionRef")).toEqual([ids.accents, ids.twoParagraphs].sort());
    expect(refs(dynamics.D2, "SelectionRef")).toEqual(
      [ids.afterEmoji, ids.twoParagraphs, ids.twoPassages, derivedGuid(ids.twoPassages, "passage/1")].sort(),
    );

    expect(project.root.attributes.name).toBe("Étude « Cœur & Causse »");
    expect(childrenNamed(project.root, "Description")[0]!.text).toBe("Une étude d'essai & ses <exports>.");
    expect(attributeList(descendantsNamed(project.root, "User"), "guid").sort()).toEqual(
      [team.pilote.id, team.membre.id, team.lecteur.id].sort(),
    );
  });

  test("the demo study exports and validates, each of its findings a selection equal to its quote", async () => {
    const { studyId: demoId } = await findDemoReport(server.database.db);
    const client = await loginClient(server.url, DEMO_ACCOUNTS[2].email, DEMO_PASSWORD);
    const project = await readProject(client, demoId);
    const reportIds = (
      await server.database.db.selectFrom("documents").select("id").where("study_id", "=", demoId).where("kind", "=", "report").execute()
    ).map((r) => r.id);
    const findings = await checkProject(project, demoId, reportIds);
    expect(findings.size).toBeGreaterThanOrEqual(4);
    expect(project.selections.size).toBe(findings.size);
  });

  test("two exports give every element the same GUID", async () => {
    const client = await member("membre");
    const guids = async () => [...(await readProject(client, studyId)).qde.matchAll(/ guid="([^"]+)"/g)].map((m) => m[1]);
    const first = await guids();
    expect(await guids()).toEqual(first);
    expect(first).toEqual(expect.arrayContaining([reports.written, factor.cooperation, ids.accents, team.membre.id]));
    expect(new Set(first).size).toBe(first.length);
  });
});

describe("REFI-QDA codebook export (.qdc)", () => {
  test("the grid alone, in the codebook namespace, with the project's codes", async () => {
    const client = await member("lecteur");
    const { response, bytes } = await download(client, `/etudes/${studyId}/grille/qdc`);
    expect(response.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain(`filename="grille-etude-coeur-causse-${today()}.qdc"`);
    expect([...bytes.subarray(0, 3)]).not.toEqual(BOM);
    const root = parseXml(strFromU8(bytes));
    expect(root.name).toBe("CodeBook");
    expect(root.attributes).toMatchObject({ xmlns: CODEBOOK_NS, origin: "Terrain" });
    const codes = childrenNamed(root, "Codes")[0]!;
    const tree = (node: XmlNode): unknown[] =>
      childrenNamed(node, "Code").map((c) => ({
        ...c.attributes,
        description: childrenNamed(c, "Description")[0]?.text ?? "",
        codes: tree(c),
      }));
    expect(tree(codes)).toEqual([
      {
        guid: expect.any(String),
        name: "Gouvernance & pilotage",
        isCodable: "false",
        color: "#2563eb",
        description: "",
        codes: [
          { guid: factor.cooperation, name: "Coopération « locale »", isCodable: "true", color: "#2563eb", description: 'Quand élus & habitants disent "nous" <ensemble>.', codes: [] },
          { guid: factor.leadership, name: "Leadership", isCodable: "true", color: "#dc2626", description: "", codes: [] },
        ],
      },
      {
        guid: expect.any(String),
        name: "Ressources",
        isCodable: "false",
        color: "#16a34a",
        description: "",
        codes: [{ guid: factor.financement, name: "Financement", isCodable: "true", color: "#16a34a", description: "Des moyens\nsur la durée.", codes: [] }],
      },
    ]);
    // The same codes, GUIDs included, as in the project export.
    const project = await readProject(client, studyId);
    expect(childrenNamed(childrenNamed(project.root, "CodeBook")[0]!, "Codes")[0]).toEqual(codes);
  });
});

describe("who may export", () => {
  const paths = () => [`/etudes/${studyId}/export/qdpx`, `/etudes/${studyId}/grille/qdc`];

  test("every member may, a non-member gets 404, an anonymous visitor is sent to the login page", async () => {
    for (const role of ["pilote", "membre", "lecteur"] as const) {
      const client = await member(role);
      for (const path of paths()) expect((await client.get(path)).status, `${role} ${path}`).toBe(200);
    }
    const outsider = await member("outsider");
    const demoReader = await loginClient(server.url, DEMO_ACCOUNTS[2].email, DEMO_PASSWORD);
    for (const path of paths()) {
      expect((await outsider.get(path)).status).toBe(404);
      expect((await demoReader.get(path)).status).toBe(404);
      const anonymous = await new TestClient(server.url).get(path);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toBe(`/connexion?redirectTo=${encodeURIComponent(path)}`);
    }
    expect((await outsider.get(`/etudes/${crypto.randomUUID()}/export/qdpx`)).status).toBe(404);
    expect((await outsider.get(`/etudes/pas-un-identifiant/grille/qdc`)).status).toBe(404);
  });

  test("the grid page and the findings page link to the exports", async () => {
    const client = await member("lecteur");
    const grid = await (await client.get(`/etudes/${studyId}/grille`)).text();
    expect(grid).toContain(`href="/etudes/${studyId}/grille/qdc"`);
    expect(grid).toContain("Exporter la grille (.qdc)");
    const findings = await (await client.get(`/etudes/${studyId}/enseignements`)).text();
    expect(findings).toContain(`href="/etudes/${studyId}/export/qdpx"`);
    expect(findings).toContain("Exporter le projet REFI-QDA (.qdpx)");
  });
});
