import type { AppLoadContext } from "@remix-run/node";
import type { JSONContent } from "@tiptap/core";
import { CITATION_NODE } from "../../../app/editor/citation";
import { FINDING_MARK } from "../../../app/editor/finding-mark";
import { plainText, wordCount } from "../../../app/editor/plain-text";
import { heading, paragraph, synthesisTemplate } from "../../../app/editor/templates";
import { buildSynthesisPlan, planHeading } from "../../../app/models/synthesis-plan.server";
import type { DB } from "../../../db/client";
import { findDocument, insertStudySynthesisIfMissing, updateDocumentDerived } from "../../../db/queries/documents";
import { listDocumentFindings } from "../../../db/queries/findings";
import { listAudiences } from "../../../db/queries/grid";

/**
 * What the exports bench adds to a study before timing: what the collaboration server and the
 * synthesis page would have written, without running them.
 */

/** A text node's finding marks: the ids of the findings whose passage covers it. */
const findingMarks = (ids: readonly string[]) => ids.map((id) => ({ type: FINDING_MARK, attrs: { id } }));

/**
 * A paragraph's single text node cut at every passage boundary, each piece carrying a finding
 * mark per passage over it (findings overlap: excludes "" on the mark). The text is unchanged.
 */
function markParagraph(text: string, ranges: [string, number, number][]): JSONContent[] {
  const cuts = [...new Set([0, text.length, ...ranges.flatMap(([, start, end]) => [start, end])])].sort((a, b) => a - b);
  const pieces: JSONContent[] = [];
  for (let i = 1; i < cuts.length; i++) {
    const [from, to] = [cuts[i - 1]!, cuts[i]!];
    const over = ranges.filter(([, start, end]) => start <= from && end >= to).map(([id]) => id);
    pieces.push({ type: "text", text: text.slice(from, to), ...(over.length > 0 ? { marks: findingMarks(over) } : {}) });
  }
  return pieces;
}

/**
 * The generated study's reports are plain paragraphs, its findings bulk rows quoting whole
 * sentences of them (tests/bench/findings/generate.ts). Here each live finding's sentence gets a
 * `finding` mark with its id in the report's derived JSON, as tagging in the editor leaves it,
 * so that the REFI-QDA export finds a passage for every selection. Orphaned findings get none
 * (their passage was deleted). The plain text must stay exactly the same: checked.
 */
export async function markGeneratedFindings(db: DB, documentIds: readonly string[]): Promise<{ marked: number; missing: number }> {
  let marked = 0;
  let missing = 0;
  await db.transaction().execute(async (trx) => {
    for (const documentId of documentIds) {
      const document = await findDocument(trx, documentId);
      if (!document?.json || document.plain_text === null) throw new Error(`Rapport ${documentId} sans copie dérivée`);
      const json = JSON.parse(document.json) as JSONContent;
      const paragraphs = (json.content ?? []).map((block) => block.content?.[0]?.text ?? "");
      const ranges = paragraphs.map((): [string, number, number][] => []);
      for (const finding of await listDocumentFindings(trx, documentId)) {
        if (finding.orphaned_at !== null) continue;
        const at = paragraphs.findIndex((p) => p.includes(finding.quote));
        if (at < 0) {
          missing++;
          continue;
        }
        const start = paragraphs[at]!.indexOf(finding.quote);
        ranges[at]!.push([finding.id, start, start + finding.quote.length]);
        marked++;
      }
      const content = paragraphs.map((text, i) => ({ type: "paragraph", content: markParagraph(text, ranges[i]!) }));
      const markedJson: JSONContent = { type: "doc", content };
      if (plainText(markedJson) !== document.plain_text) throw new Error(`Le texte du rapport ${documentId} a changé en ajoutant les marques`);
      await updateDocumentDerived(trx, documentId, { plainText: document.plain_text, json: JSON.stringify(markedJson), wordCount: wordCount });
    }
  });
  return { marked, missing };
}

const text = (value: string, marks?: JSONContent["marks"]): JSONContent => ({ type: "text", text: value, ...(marks ? { marks } : {}) });
const cell = (type: "tableHeader" | "tableCell", value: string): JSONContent => ({ type, content: [paragraph(value)] });
const listItem = (value: string, nested?: JSONContent): JSONContent => ({ type: "listItem", content: [paragraph(value), ...(nested ? [nested] : [])] });

/**
 * What people write around the citations: formatted text with a link, nested and numbered lists,
 * a quote, and a table of `rows` rows; so every kind of block of the DOCX and Markdown renderers
 * is exercised.
 */
function writtenSection(rows: number): JSONContent[] {
  return [
    heading("Annexe : lecture transversale", 2),
    {
      type: "paragraph",
      content: [
        text("Les enseignements croisés montrent une "),
        text("coopération durable", [{ type: "bold" }]),
        text(" entre structures, "),
        text("surtout en milieu rural", [{ type: "italic" }]),
        text(" ; voir le "),
        text("rapport national", [{ type: "link", attrs: { href: "https://example.org/rapport" } }]),
        text(". Les caractères * _ # | [ ] < > doivent rester lisibles."),
      ],
    },
    {
      type: "bulletList",
      content: [
        listItem("Gouvernance partagée", { type: "bulletList", content: [listItem("Collège des habitants"), listItem("Comité de pilotage élargi")] }),
        listItem("Financements croisés"),
        listItem("Ancrage territorial"),
      ],
    },
    { type: "orderedList", attrs: { start: 1 }, content: [listItem("Constituer le collectif"), listItem("Formaliser les rôles"), listItem("Évaluer chaque année")] },
    { type: "blockquote", content: [paragraph("« On a appris à se parler avant d'apprendre à décider ensemble. »")] },
    {
      type: "table",
      content: [
        { type: "tableRow", content: ["Dynamique", "Facteur clé", "Frein", "Proposition"].map((v) => cell("tableHeader", v)) },
        ...Array.from({ length: rows }, (_, i) => ({
          type: "tableRow",
          content: [`Dynamique ${i + 1}`, "Portage par les habitants", "Turn-over des bénévoles", "Un poste de coordination mutualisé"].map((v) =>
            cell("tableCell", v),
          ),
        })),
      ],
    },
  ];
}

/** Keeps the first `max` citation blocks of a list of blocks and drops the rest. */
function capCitations(blocks: JSONContent[], max: number): { blocks: JSONContent[]; citations: number; planned: number } {
  let planned = 0;
  const kept = blocks.filter((block) => block.type !== CITATION_NODE || ++planned <= max);
  return { blocks: kept, citations: Math.min(planned, max), planned };
}

/**
 * The study's synthesis as a team would have it after « Générer un plan »: the template (its
 * sections and one heading per audience), the plan (S2's buildSynthesisPlan: per factor its
 * definition and one strong quote per dynamic as citation blocks, then propositions by audience),
 * at most `maxCitations` citation blocks kept, and a written section with lists and a table.
 * Stored as the server's derived copy (json + plain text), which is what the exports read.
 */
export async function writeSynthesis(
  context: AppLoadContext,
  studyId: string,
  maxCitations: number,
): Promise<{ documentId: string; citations: number; planned: number; blocks: number; words: number }> {
  const db = context.db;
  const row = await insertStudySynthesisIfMissing(db, studyId);
  if (!row) throw new Error(`L'étude ${studyId} a déjà une synthèse`);
  const template = synthesisTemplate(await listAudiences(db, studyId)).content ?? [];
  const plan = capCitations(await buildSynthesisPlan(context, studyId), maxCitations);
  const content = [...template, planHeading(new Date("2026-01-15T10:00:00Z")), ...plan.blocks, ...writtenSection(20)];
  const json: JSONContent = { type: "doc", content };
  const textOfDoc = plainText(json);
  const words = wordCount(textOfDoc);
  await updateDocumentDerived(db, row.id, { plainText: textOfDoc, json: JSON.stringify(json), wordCount: words });
  return { documentId: row.id, citations: plan.citations, planned: plan.planned, blocks: content.length, words };
}

/** The study's report with the most findings (the heaviest single-report export), and its visit. */
export async function busiestReport(db: DB, reports: readonly { meetingId: string; documentId: string }[]) {
  let best: { meetingId: string; documentId: string; findings: number } | null = null;
  for (const report of reports) {
    const findings = (await listDocumentFindings(db, report.documentId)).length;
    if (!best || findings > best.findings) best = { ...report, findings };
  }
  if (!best) throw new Error("Aucun compte rendu");
  return best;
}
