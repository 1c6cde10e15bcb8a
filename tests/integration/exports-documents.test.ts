import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { JSONContent } from "@tiptap/core";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "../../app/exports/markdown.server";
import { findStudySynthesis, insertStudySynthesisIfMissing } from "../../db/queries/documents";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed/demo-accounts";
import { createMeeting, createStudyWithTeam, createUser, TEST_PASSWORD } from "../helpers/factories";
import { loginClient, TestClient, visibleText } from "../helpers/http";
import { openInLibreOffice } from "../helpers/libreoffice";
import { findDemoReport } from "../helpers/report-page";
import { startTestServer, type TestServer } from "../helpers/server";
import { descendantsNamed, parseXml, type XmlNode } from "../helpers/xml";

const run = promisify(execFile);
const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const STUDY_SLUG = "dynamiques-collectives-de-transitions-dans-les-territoires";
const today = () => new Date().toISOString().slice(0, 10);

let server: TestServer;
let origin: string;
let demo: Awaited<ReturnType<typeof findDemoReport>> & { meetingId: string };
let lecteur: TestClient;
let outsider: TestClient;
/** The demo Figeac report's findings, in document order. */
let findings: { id: string; quote: string }[];

const FIGEAC_SOURCE = "Figeacteurs · Rencontre territoriale à Figeac · 8 novembre 2018";

beforeAll(async () => {
  server = await startTestServer({ demo: true });
  origin = new URL(server.url).origin;
  const db = server.database.db;
  const report = await findDemoReport(db);
  demo = { ...report, meetingId: report.reportPath.split("/")[4]! };
  findings = await db.selectFrom("findings").select(["id", "quote"]).where("document_id", "=", report.reportId).orderBy("seq").execute();
  lecteur = await loginClient(server.url, DEMO_ACCOUNTS[2].email, DEMO_PASSWORD);
  const stranger = await createUser(db, { email: "inconnu@example.org" });
  outsider = await loginClient(server.url, stranger.email, TEST_PASSWORD);
});
afterAll(() => server?.close());

// ---- Reading the files back ----

async function download(client: TestClient, path: string) {
  const response = await client.get(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get("cache-control")).toContain("no-store");
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

function expectAttachment(response: Response, fileName: string, contentType: string) {
  expect(response.headers.get("content-type")).toBe(contentType);
  expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${fileName}"; filename*=UTF-8''${fileName}`);
}

interface Docx {
  parts: Record<string, string>;
  /** The body's paragraphs: style, text, and the footnotes they refer to. */
  paragraphs: { style: string | null; text: string; notes: string[] }[];
  /** Footnote id → its text (separators left out). */
  footnotes: Map<string, string>;
}

const textOf = (node: XmlNode) =>
  descendantsNamed(node, "w:t")
    .map((t) => t.text)
    .join("");

/**
 * A DOCX unzipped and checked for what Word and LibreOffice need before opening it: every XML
 * part well formed (xmllint), every part typed in [Content_Types].xml, every internal
 * relationship pointing at a part of the package.
 */
async function readDocx(bytes: Uint8Array): Promise<Docx> {
  const entries = unzipSync(bytes);
  const parts = Object.fromEntries(Object.entries(entries).map(([path, content]) => [path, strFromU8(content)]));
  for (const [path, xml] of Object.entries(parts)) {
    if (!/\.(xml|rels)$/.test(path)) continue;
    const child = run("xmllint", ["--noout", "-"]);
    child.child.stdin!.end(xml);
    await expect(child, path).resolves.toMatchObject({ stderr: "" });
  }
  const types = parseXml(parts["[Content_Types].xml"]!);
  const overrides = new Map(descendantsNamed(types, "Override").map((o) => [o.attributes.PartName!, o.attributes.ContentType!]));
  const defaults = new Set(descendantsNamed(types, "Default").map((d) => d.attributes.Extension!));
  for (const path of Object.keys(parts)) {
    if (path === "[Content_Types].xml") continue;
    expect(overrides.has(`/${path}`) || defaults.has(path.split(".").pop()!), path).toBe(true);
  }
  for (const partName of overrides.keys()) expect(Object.keys(parts), partName).toContain(partName.slice(1));
  expect(overrides.get("/word/document.xml")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
  expect(overrides.get("/word/footnotes.xml")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml");
  for (const rels of Object.keys(parts).filter((p) => p.endsWith(".rels"))) {
    const base = rels.replace(/_rels\/[^/]*\.rels$/, "");
    for (const rel of descendantsNamed(parseXml(parts[rels]!), "Relationship")) {
      if (rel.attributes.TargetMode === "External") continue;
      const target = rel.attributes.Target!.startsWith("/") ? rel.attributes.Target!.slice(1) : `${base}${rel.attributes.Target}`;
      expect(Object.keys(parts), `${rels} → ${target}`).toContain(target);
    }
  }

  const body = parseXml(parts["word/document.xml"]!);
  const paragraphs = descendantsNamed(body, "w:p").map((p) => ({
    style: descendantsNamed(p, "w:pStyle")[0]?.attributes["w:val"] ?? null,
    text: textOf(p),
    notes: descendantsNamed(p, "w:footnoteReference").map((r) => r.attributes["w:id"]!),
  }));
  const footnotes = new Map(
    descendantsNamed(parseXml(parts["word/footnotes.xml"]!), "w:footnote")
      .filter((n) => !n.attributes["w:type"])
      .map((n) => [n.attributes["w:id"]!, textOf(n)]),
  );
  return { parts, paragraphs, footnotes };
}

const withStyle = (docx: Docx, style: string) => docx.paragraphs.filter((p) => p.style === style).map((p) => p.text);

// ---- The synthesis written through the collaboration hub ----

const text = (value: string, marks?: JSONContent["marks"]): JSONContent => ({ type: "text", text: value, ...(marks ? { marks } : {}) });
const para = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });
const heading = (level: number, value: string): JSONContent => ({ type: "heading", attrs: { level }, content: [text(value)] });
const item = (...content: JSONContent[]): JSONContent => ({ type: "listItem", content });
const cell = (type: "tableHeader" | "tableCell", value: string): JSONContent => ({ type, content: [para(text(value))] });
const citation = (findingId: string, quote: string, source: string): JSONContent => ({ type: "citation", attrs: { findingId, quote, source } });

function synthesisContent(): JSONContent {
  const [first, , third] = findings;
  return {
    type: "doc",
    content: [
      heading(1, "Synthèse"),
      heading(2, "Enseignements #1 et *priorités*"),
      para(
        text("Une *étoile* littérale et un # dièse, "),
        text("du gras", [{ type: "bold" }]),
        text(" et "),
        text("un lien", [{ type: "link", attrs: { href: "https://example.org/terrain" } }]),
        text("."),
      ),
      {
        type: "bulletList",
        content: [
          item(para(text("Premier point")), { type: "orderedList", attrs: { start: 1 }, content: [item(para(text("Sous-point numéroté")))] }),
          item(para(text("Second point"))),
        ],
      },
      {
        type: "table",
        content: [
          { type: "tableRow", content: [cell("tableHeader", "Facteur"), cell("tableHeader", "Dynamiques")] },
          { type: "tableRow", content: [cell("tableCell", "Coopération"), cell("tableCell", "2")] },
        ],
      },
      { type: "blockquote", content: [para(text("Une remarque de l'équipe"))] },
      citation(first!.id, first!.quote, "Ancienne source"),
      para(text("Entre les deux citations.")),
      citation(third!.id, third!.quote, "Ancienne source"),
      heading(2, "Conclusion"),
    ],
  };
}

describe("the synthesis exports", () => {
  beforeAll(async () => {
    const db = server.database.db;
    // The synthesis as the page creates it, its content written by the server's hub (then derived).
    const created = await insertStudySynthesisIfMissing(db, demo.studyId);
    await server.collab.initializeDocument(created!.id, synthesisContent());
    expect((await findStudySynthesis(db, demo.studyId))?.json).toContain("Sous-point numéroté");
  });

  it("downloads a valid Word document: title page, headings, lists, table, quotes and the citations as numbered notes", async () => {
    const { response, bytes } = await download(lecteur, `/etudes/${demo.studyId}/synthese/docx`);
    expectAttachment(response, `synthese-${STUDY_SLUG}-${today()}.docx`, DOCX_TYPE);
    const docx = await readDocx(bytes);

    expect(withStyle(docx, "Title")).toEqual(["Synthèse"]);
    const texts = docx.paragraphs.map((p) => p.text);
    expect(texts).toContain("Dynamiques collectives de transitions dans les territoires");
    expect(texts).toContain("Document généré par Terrain");
    expect(withStyle(docx, "Heading1")).toEqual(["Synthèse"]);
    expect(withStyle(docx, "Heading2")).toEqual(["Enseignements #1 et *priorités*", "Conclusion"]);
    expect(texts).toContain("Une *étoile* littérale et un # dièse, du gras et un lien.");
    expect(withStyle(docx, "ListParagraph")).toEqual(["Premier point", "Sous-point numéroté", "Second point"]);
    const table = descendantsNamed(parseXml(docx.parts["word/document.xml"]!), "w:tr").map((row) => descendantsNamed(row, "w:tc").map(textOf));
    expect(table).toEqual([
      ["Facteur", "Dynamiques"],
      ["Coopération", "2"],
    ]);
    expect(withStyle(docx, "Quote")).toEqual(["Une remarque de l'équipe"]);

    // Each citation: its quote, then a note naming dynamic, visit and date (live, not the stale attribute).
    const cited = docx.paragraphs.filter((p) => p.style === "Citation");
    expect(cited.map((p) => p.text)).toEqual([`« ${findings[0]!.quote} »`, `« ${findings[2]!.quote} »`]);
    expect(cited.map((p) => p.notes)).toEqual([["1"], ["2"]]);
    expect([...docx.footnotes.keys()]).toEqual(["1", "2"]);
    for (const note of docx.footnotes.values()) expect(note).toBe(`${FIGEAC_SOURCE} — voir le passage`);
    // The notes link to the passages in the report.
    const links = docx.parts["word/_rels/footnotes.xml.rels"]!;
    expect(links).toContain(`${origin}${demo.reportPath}`);
    expect(docx.parts["word/footnotes.xml"]).toContain(`enseignement-${findings[0]!.id}`);

    // French document properties.
    expect(docx.parts["docProps/core.xml"]).toContain("<dc:creator>Terrain</dc:creator>");
    expect(docx.parts["docProps/core.xml"]).toContain("<dc:language>fr-FR</dc:language>");
    expect(docx.parts["docProps/core.xml"]).toContain("<dc:title>Synthèse — Dynamiques collectives de transitions dans les territoires</dc:title>");
    expect(docx.parts["word/styles.xml"]).toContain('<w:lang w:val="fr-FR"/>');
  });

  it("opens in LibreOffice with its headings, table, quotes and notes", async () => {
    const { bytes } = await download(lecteur, `/etudes/${demo.studyId}/synthese/docx`);
    const html = await openInLibreOffice(bytes, "docx", "html");
    const text = visibleText(html);
    // The note's link keeps the passage's fragment (written as w:anchor beside the relationship).
    expect(html).toContain(`${origin}${demo.reportPath}#enseignement-${findings[0]!.id}`);
    for (const expected of ["Enseignements #1 et *priorités*", "Sous-point numéroté", "Coopération", "Une remarque de l'équipe", findings[0]!.quote, findings[2]!.quote]) {
      expect(text).toContain(expected);
    }
    expect(text.split(FIGEAC_SOURCE).length - 1).toBe(2);
  }, 180_000);

  it("downloads GitHub-flavoured Markdown with escaped text, a table and the citations as footnotes with links", async () => {
    const { response, bytes } = await download(lecteur, `/etudes/${demo.studyId}/synthese/markdown`);
    expectAttachment(response, `synthese-${STUDY_SLUG}-${today()}.md`, "text/markdown; charset=utf-8");
    const md = new TextDecoder().decode(bytes);
    const lines = md.split("\n");

    expect(lines[0]).toBe("**Dynamiques collectives de transitions dans les territoires** · Synthèse  ");
    expect(lines).toContain("# Synthèse");
    expect(lines).toContain("## Enseignements \\#1 et \\*priorités\\*");
    expect(lines).toContain("Une \\*étoile\\* littérale et un \\# dièse, **du gras** et [un lien](<https://example.org/terrain>).");
    expect(md).toContain("- Premier point\n  1. Sous-point numéroté\n- Second point");
    expect(md).toContain("| Facteur | Dynamiques |\n| --- | --- |\n| Coopération | 2 |");
    expect(lines).toContain("> Une remarque de l'équipe");
    for (const f of [findings[0]!, findings[2]!]) expect(f.quote).not.toMatch(/[\\`*_[\]<>#|~&!]/);
    expect(lines).toContain(`> ${findings[0]!.quote}[^1]`);
    expect(lines).toContain(`> ${findings[2]!.quote}[^2]`);
    const passage = (id: string) => `${origin}${demo.reportPath}#enseignement-${id}`;
    expect(lines).toContain(`[^1]: ${FIGEAC_SOURCE} — <${passage(findings[0]!.id)}>`);
    expect(lines).toContain(`[^2]: ${FIGEAC_SOURCE} — <${passage(findings[2]!.id)}>`);
    expect(md).not.toContain("Ancienne source");
    expect(md.endsWith("\n")).toBe(true);
  });

  it("exports a synthesis nobody opened yet as its template", async () => {
    const team = await createStudyWithTeam(server.database.db);
    const client = await loginClient(server.url, team.lecteur.email, TEST_PASSWORD);
    const md = new TextDecoder().decode((await download(client, `/etudes/${team.study.id}/synthese/markdown`)).bytes);
    expect(md).toContain("# Synthèse\n\n## Introduction");
    expect(md).toContain("## Conclusion");
  });
});

describe("the report exports", () => {
  const reportFile = (extension: string) => `compte-rendu-rencontre-territoriale-a-figeac-${today()}.${extension}`;

  it("downloads the demo Figeac report as a valid Word document, its findings as plain text", async () => {
    const { response, bytes } = await download(lecteur, `${demo.reportPath}/docx`);
    expectAttachment(response, reportFile("docx"), DOCX_TYPE);
    const docx = await readDocx(bytes);
    expect(withStyle(docx, "Title")).toEqual(["Compte rendu — Rencontre territoriale à Figeac"]);
    const texts = docx.paragraphs.map((p) => p.text);
    expect(texts).toContain("Visite : du 8 novembre 2018 au 9 novembre 2018");
    expect(texts).toContain("Figeacteurs");
    expect(withStyle(docx, "Heading2")).toEqual([
      "Contexte et acteurs rencontrés",
      "Gouvernance et coopération",
      "Facteurs clés de succès observés",
      "Freins et difficultés",
      "Propositions",
    ]);
    const body = texts.join("\n");
    for (const f of findings) expect(body).toContain(f.quote);
    expect(docx.parts["word/document.xml"]).not.toContain("w:footnoteReference");
    expect(docx.footnotes.size).toBe(0);
  });

  it("downloads the report as Markdown", async () => {
    const { response, bytes } = await download(lecteur, `${demo.reportPath}/markdown`);
    expectAttachment(response, reportFile("md"), "text/markdown; charset=utf-8");
    const md = new TextDecoder().decode(bytes);
    expect(md.split("\n")[0]).toBe("**Dynamiques collectives de transitions dans les territoires** · Compte rendu — Rencontre territoriale à Figeac  ");
    expect(md).toContain("\n## Gouvernance et coopération\n");
    for (const f of findings) expect(md).toContain(f.quote);
    expect(md).not.toContain("[^1]");
  });
});

describe("who may export", () => {
  const paths = () => [
    `/etudes/${demo.studyId}/synthese/docx`,
    `/etudes/${demo.studyId}/synthese/markdown`,
    `${demo.reportPath}/docx`,
    `${demo.reportPath}/markdown`,
  ];

  it("is 404 for a non-member and sends an anonymous visitor to the login page", async () => {
    for (const path of paths()) {
      expect((await outsider.get(path)).status, path).toBe(404);
      const anonymous = await new TestClient(server.url).get(path);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.headers.get("location"), path).toMatch(/^\/connexion/);
    }
  });

  it("is 404 for a visit of another study named under this one", async () => {
    const other = await createStudyWithTeam(server.database.db);
    const { meeting } = await createMeeting(server.database.db, other.study.id);
    for (const format of ["docx", "markdown"]) {
      expect((await lecteur.get(`/etudes/${demo.studyId}/visites/${meeting.id}/compte-rendu/${format}`)).status).toBe(404);
    }
  });
});

describe("Markdown rendering", () => {
  const render = (...content: JSONContent[]) =>
    renderMarkdown({ studyTitle: "É", title: "T", details: [], exportedOn: "1 janvier 2026", content: { type: "doc", content }, citations: [] })
      .split("\n\n---\n\n")[1]!
      .trimEnd();

  it("escapes what would read as Markdown syntax, at the start of a line too", () => {
    expect(render(para(text("- pas une liste")), para(text("1. pas un numéro")), para(text("a_b [c](d) <e> `f` | ~g~ & !h")))).toBe(
      "\\- pas une liste\n\n1\\. pas un numéro\n\na\\_b \\[c\\](d) \\<e\\> \\`f\\` \\| \\~g\\~ \\& \\!h",
    );
  });

  it("keeps marks open across text nodes and moves spaces out of the delimiters", () => {
    const bold = { type: "bold" };
    const italic = { type: "italic" };
    expect(render(para(text("du ", [bold]), text("gras italique ", [bold, italic]), text("fin")))).toBe("**du *gras italique*** fin");
    expect(render(para(text("code `x`", [{ type: "code" }])))).toBe("`` code `x` ``");
    expect(render(para(text("ligne"), { type: "hardBreak" }, text("- suite")))).toBe("ligne\\\n\\- suite");
    expect(render(para(text("lien", [{ type: "link", attrs: { href: "javascript:alert(1)" } }])))).toBe("lien");
  });

  it("keeps a table cell on one line, whatever it holds", () => {
    const row = (...cells: JSONContent[]): JSONContent => ({ type: "tableRow", content: cells });
    const cellOf = (...content: JSONContent[]): JSONContent => ({ type: "tableCell", content });
    const bullets: JSONContent = { type: "bulletList", content: [item(para(text("x"))), item(para(text("y")))] };
    const table: JSONContent = {
      type: "table",
      content: [
        row(cellOf(para(text("A"))), cellOf(para(text("B")))),
        row(cellOf(para(text("un"), { type: "hardBreak" }, text("deux"))), cellOf(bullets)),
      ],
    };
    expect(render(table)).toBe("| A | B |\n| --- | --- |\n| un<br>deux | - x<br>- y |");
  });
});
