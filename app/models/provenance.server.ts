import { derivedContent } from "../editor/derived-content";
import type { AppLoadContext } from "@remix-run/node";
import { findStudySynthesis } from "../../db/queries/documents";
import { countFindingsPerFactor, listPlanFactors, listUncitedFindings } from "../../db/queries/synthesis-plan";
import { citationStatus, citationsOf } from "../editor/citation";
import { loadCitedFindings } from "./citations.server";
import { loadVocabulary } from "./findings-read.server";

/** How many not-yet-cited findings the page lists (the count covers them all). */
export const UNCITED_SHOWN = 100;


/**
 * The synthesis's citations in document order with their live state, the study's findings not
 * cited yet, and the live factors none of whose findings is cited, by family. Null when the
 * synthesis was never opened (its document is created by the synthesis page).
 */
export async function loadProvenance(context: AppLoadContext, studyId: string) {
  const synthesis = await findStudySynthesis(context.db, studyId);
  if (!synthesis) return null;
  const blocks = citationsOf(derivedContent(synthesis.json));
  const vocabulary = await loadVocabulary(context, studyId);
  const cited = await loadCitedFindings(context, studyId, blocks.flatMap((b) => b.findingId ?? []), vocabulary);
  const citedIds = [...cited.keys()];
  const [uncited, factors, counts] = await Promise.all([
    listUncitedFindings(context.db, studyId, citedIds, UNCITED_SHOWN),
    listPlanFactors(context.db, studyId),
    countFindingsPerFactor(context.db, studyId),
  ]);
  const uncitedFindings = await loadCitedFindings(context, studyId, uncited.ids, vocabulary);

  const citations = blocks.map((block, index) => {
    const live = block.findingId ? cited.get(block.findingId) : undefined;
    const status = citationStatus(block, live ?? null);
    return {
      index,
      status,
      quote: block.quote,
      liveQuote: status === "stale" && live!.quote !== block.quote ? live!.quote : null,
      // Where it comes from today; a deleted finding's block still names where it came from.
      source: live?.source ?? block.source,
      citedSource: status === "stale" && live!.source !== block.source ? block.source : null,
      url: live?.url ?? null,
    };
  });

  const citedFactors = new Set([...cited.values()].flatMap((f) => f.factors.map((x) => x.id)));
  const families: { id: string; label: string; factors: { id: string; label: string; findings: number }[] }[] = [];
  for (const factor of factors) {
    if (citedFactors.has(factor.id)) continue;
    let family = families.at(-1);
    if (family?.id !== factor.familyId) families.push((family = { id: factor.familyId, label: factor.familyLabel, factors: [] }));
    family.factors.push({ id: factor.id, label: factor.label, findings: counts.get(factor.id) ?? 0 });
  }

  return {
    citations,
    uncited: { total: uncited.total, findings: uncited.ids.flatMap((id) => uncitedFindings.get(id) ?? []) },
    factorsWithoutCitation: families,
    hasFactors: factors.length > 0,
  };
}
