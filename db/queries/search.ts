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

/** The words of a query, ligatures spelled out as in the indexes. */
export function queryWords(input: string): string[] {
  return input
    .normalize("NFC")
    .replace(/[œŒæÆ]/g, (c) => LIGATURES[c]!)
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

export async function searchReports(db: Executor, studyId: string, match: string, limit = 30): Promise<ReportHit[]> {
  const { rows } = await sql<ReportHit>`
    select d.id as documentId, m.id as meetingId, m.title as meetingTitle, m.starts_on as meetingStartsOn,
      snippet(documents_fts, 2, ${HIGHLIGHT_START}, ${HIGHLIGHT_END}, '…', 16) as snippet
    from documents_fts
    join documents d on d.id = documents_fts.document_id
    join meetings m on m.id = d.meeting_id
    where documents_fts match ${match} and documents_fts.study_id = ${studyId} and d.study_id = ${studyId}
    order by documents_fts.rank
    limit ${limit}
  `.execute(db);
  return rows;
}

export async function searchFindings(db: Executor, studyId: string, match: string, limit = 30): Promise<FindingHit[]> {
  const { rows } = await sql<FindingHit>`
    select f.id, f.kind, m.id as meetingId, m.title as meetingTitle,
      snippet(findings_fts, -1, ${HIGHLIGHT_START}, ${HIGHLIGHT_END}, '…', 24) as snippet
    from findings_fts
    join findings f on f.seq = findings_fts.rowid
    join documents d on d.id = f.document_id
    join meetings m on m.id = d.meeting_id
    where findings_fts match ${match} and f.study_id = ${studyId}
    order by findings_fts.rank
    limit ${limit}
  `.execute(db);
  return rows;
}
