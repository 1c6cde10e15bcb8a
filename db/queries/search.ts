import { sql } from "kysely";
import type { Executor } from "./executor";

/**
 * Full-text search over a study's reports and findings (SQLite FTS5 — the one SQLite-specific
 * query module; a PostgreSQL port rewrites this file against tsvector columns).
 *
 * The indexes fold case and accents (unicode61 remove_diacritics 2) and the migration's triggers
 * spell out œ/æ before indexing; the query is folded the same way here. User input never
 * reaches FTS syntax: it is cut into words and every word is quoted, so « Saint-Jean », `"`,
 * `*`, `NEAR`, `AND` or parentheses are plain words.
 */

/** Wraps the highlighted words of a snippet; control characters no report text contains. */
export const HIGHLIGHT_START = "\u0002";
export const HIGHLIGHT_END = "\u0003";

const LIGATURES: Record<string, string> = { œ: "oe", Œ: "OE", æ: "ae", Æ: "AE" };

const foldLigatures = (text: string) => text.replace(/[œŒæÆ]/g, (c) => LIGATURES[c]!);

/** The words of a query, ligatures spelled out as in the indexes. */
export function queryWords(input: string): string[] {
  return foldLigatures(input.normalize("NFC"))
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
}

/**
 * An FTS5 MATCH expression: every word quoted (all required); the last word also matches as a
 * prefix while the user is still typing it (no trailing space). Null when there is nothing to look for.
 */
export function toMatchExpression(input: string): string | null {
  const words = queryWords(input);
  if (words.length === 0) return null;
  const typing = !/\s$/.test(input);
  return words.map((w, i) => `"${w}"${typing && i === words.length - 1 ? "*" : ""}`).join(" ");
}

export interface ReportHit {
  documentId: string;
  meetingId: string;
  meetingTitle: string;
  meetingStartsOn: string;
  snippet: string;
}

export interface FindingHit {
  id: string;
  kind: string;
  meetingId: string;
  meetingTitle: string;
  snippet: string;
}

/**
 * The indexes hold the folded text (« coeur »), the page must show the original (« cœur »): FTS5's
 * highlight() marks the matches in the whole folded text, the marks are carried over to the
 * original (folding only turns one ligature into two letters, and a mark never falls inside a
 * word), then a window of words around the first match is cut as snippet() would.
 */
export function originalSnippet(original: string, highlighted: string, words: number): string {
  const marks = new RegExp(`[${HIGHLIGHT_START}${HIGHLIGHT_END}]`, "g");
  // A text changed since indexing (cannot happen through the triggers): show the folded one.
  const marked = highlighted.replace(marks, "") === foldLigatures(original) ? carryMarks(original, highlighted) : highlighted;
  const tokens = marked.split(/\s+/).filter((t) => t.length > 0);
  const first = Math.max(0, tokens.findIndex((t) => t.includes(HIGHLIGHT_START)));
  const start = Math.max(0, Math.min(first - Math.floor(words / 4), tokens.length - words));
  const end = Math.min(tokens.length, start + words);
  // Close a highlight the window cuts through, so that every mark stays paired.
  const before = tokens.slice(0, start).join(" ");
  let text = tokens.slice(start, end).join(" ");
  if (before.lastIndexOf(HIGHLIGHT_START) > before.lastIndexOf(HIGHLIGHT_END)) text = HIGHLIGHT_START + text;
  if (text.lastIndexOf(HIGHLIGHT_START) > text.lastIndexOf(HIGHLIGHT_END)) text += HIGHLIGHT_END;
  return `${start > 0 ? "…" : ""}${text}${end < tokens.length ? "…" : ""}`;
}

function carryMarks(original: string, highlighted: string): string {
  let out = "";
  let j = 0;
  for (const ch of original) {
    while (highlighted[j] === HIGHLIGHT_START || highlighted[j] === HIGHLIGHT_END) out += highlighted[j++];
    j += LIGATURES[ch]?.length ?? ch.length;
    out += ch;
  }
  return out + highlighted.slice(j);
}

export async function searchReports(db: Executor, studyId: string, match: string, limit = 30): Promise<ReportHit[]> {
  const { rows } = await sql<Omit<ReportHit, "snippet"> & { text: string; highlighted: string }>`
    select d.id as documentId, m.id as meetingId, m.title as meetingTitle, m.starts_on as meetingStartsOn,
      d.plain_text as text, highlight(documents_fts, 2, ${HIGHLIGHT_START}, ${HIGHLIGHT_END}) as highlighted
    from documents_fts
    join documents d on d.id = documents_fts.document_id
    join meetings m on m.id = d.meeting_id
    where documents_fts match ${match} and documents_fts.study_id = ${studyId} and d.study_id = ${studyId}
    order by documents_fts.rank
    limit ${limit}
  `.execute(db);
  return rows.map(({ text, highlighted, ...hit }) => ({ ...hit, snippet: originalSnippet(text, highlighted, 16) }));
}

export async function searchFindings(db: Executor, studyId: string, match: string, limit = 30): Promise<FindingHit[]> {
  const { rows } = await sql<Omit<FindingHit, "snippet"> & { quote: string; comment: string; quoteHit: string; commentHit: string }>`
    select f.id, f.kind, m.id as meetingId, m.title as meetingTitle, f.quote, f.comment,
      highlight(findings_fts, 0, ${HIGHLIGHT_START}, ${HIGHLIGHT_END}) as quoteHit,
      highlight(findings_fts, 1, ${HIGHLIGHT_START}, ${HIGHLIGHT_END}) as commentHit
    from findings_fts
    join findings f on f.seq = findings_fts.rowid
    join documents d on d.id = f.document_id
    join meetings m on m.id = d.meeting_id
    where findings_fts match ${match} and f.study_id = ${studyId}
    order by findings_fts.rank
    limit ${limit}
  `.execute(db);
  // The passage when the match is there, else the comment (a match is in one or the other).
  return rows.map(({ quote, comment, quoteHit, commentHit, ...hit }) => ({
    ...hit,
    snippet: quoteHit.includes(HIGHLIGHT_START) || !commentHit.includes(HIGHLIGHT_START) ? originalSnippet(quote, quoteHit, 24) : originalSnippet(comment, commentHit, 24),
  }));
}
