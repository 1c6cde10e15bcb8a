import type { AppLoadContext } from "@remix-run/node";
import { listFindingKinds } from "../../db/queries/grid";
import { HIGHLIGHT_END, HIGHLIGHT_START, searchFindings, searchReports, toMatchExpression } from "../../db/queries/search";
import { SEARCH_LIMIT } from "./findings-options";
import { passageUrl } from "./findings-read.server";

/**
 * A snippet cut into plain-text parts, the matched words flagged: the page renders each part as
 * text (React escapes it), never as HTML, whatever the report or the query contains.
 */
export function snippetParts(snippet: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  for (const [i, chunk] of snippet.split(HIGHLIGHT_START).entries()) {
    const [inside, ...after] = i === 0 ? [null, chunk] : chunk.split(HIGHLIGHT_END);
    if (inside) parts.push({ text: inside, hit: true });
    const rest = after.join("");
    if (rest) parts.push({ text: rest, hit: false });
  }
  return parts;
}

export async function searchStudy(context: AppLoadContext, studyId: string, q: string) {
  const match = toMatchExpression(q);
  if (!match) return { searched: false, reports: [], findings: [] };
  const [reports, findings, kinds] = await Promise.all([
    searchReports(context.db, studyId, match, SEARCH_LIMIT),
    searchFindings(context.db, studyId, match, SEARCH_LIMIT),
    listFindingKinds(context.db, studyId),
  ]);
  return {
    searched: true,
    reports: reports.map((r) => ({
      documentId: r.documentId,
      meetingTitle: r.meetingTitle,
      meetingStartsOn: r.meetingStartsOn,
      parts: snippetParts(r.snippet),
      url: `/etudes/${studyId}/visites/${r.meetingId}/compte-rendu`,
    })),
    findings: findings.map((f) => ({
      id: f.id,
      kindLabel: kinds.find((k) => k.key === f.kind)?.label ?? f.kind,
      meetingId: f.meetingId,
      meetingTitle: f.meetingTitle,
      parts: snippetParts(f.snippet),
      url: passageUrl(studyId, f.meetingId, f.id),
    })),
  };
}
