import type { AppLoadContext } from "@remix-run/node";
import { listFindings } from "../../db/queries/findings-browser";
import { formatDay } from "../i18n/format";
import { type DescribedFinding, describeFinding, loadVocabulary, type Vocabulary } from "./findings-read.server";

/** A finding as a citation shows it: its live quote and state, and where it was seen. */
export type CitedFinding = DescribedFinding & { source: string };

/**
 * « Dynamique · Visite · date », the one wording of a citation's source: in the block, in the
 * provenance view and in the exports' notes.
 */
export function citationSource(finding: DescribedFinding): string {
  const parts = [
    finding.dynamics.map((d) => d.name).join(", "),
    finding.meeting?.title ?? "",
    finding.meeting?.startsOn ? formatDay(finding.meeting.startsOn) : "",
  ];
  return parts.filter((p) => p !== "").join(" · ");
}

export const citeFinding = (finding: DescribedFinding): CitedFinding => ({ ...finding, source: citationSource(finding) });

/**
 * The named findings of the study, by id; an id of another study, or of a deleted finding, is
 * simply absent from the map.
 */
export async function loadCitedFindings(
  context: AppLoadContext,
  studyId: string,
  findingIds: readonly string[],
  vocabulary?: Vocabulary,
): Promise<Map<string, CitedFinding>> {
  if (findingIds.length === 0) return new Map();
  const [words, rows] = await Promise.all([
    vocabulary ?? loadVocabulary(context, studyId),
    listFindings(context.db, studyId, { findingIds: [...new Set(findingIds)] }, { limit: null }),
  ]);
  return new Map(rows.map((row) => [row.id, citeFinding(describeFinding(studyId, row, words))]));
}
