import type { AppLoadContext } from "@remix-run/node";
import type { JSONContent } from "@tiptap/core";
import { listPlanFactors, listStrongestPerTags, listStrongestPropositions, type Strength } from "../../db/queries/synthesis-plan";
import { citationContent } from "../editor/citation";
import { heading, paragraph } from "../editor/templates";
import { formatDateTime } from "../i18n/format";
import { plan as t } from "../i18n/provenance";
import { type CitedFinding, loadCitedFindings } from "./citations.server";
import { loadVocabulary } from "./findings-read.server";

/** A quote longer than this reads as a passage rather than a quote: shorter ones are preferred. */
export const STRONG_QUOTE_MAX = 600;
/** A big study holds thousands of propositions: the draft keeps the strongest of each audience. */
export const PROPOSITIONS_PER_AUDIENCE = 30;

/** The citation block of a finding, as the synthesis stores it. */
export const citationBlock = (finding: CitedFinding): JSONContent =>
  citationContent({ findingId: finding.id, quote: finding.quote, source: finding.source });

const stronger = (a: Strength, b: Strength) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** A factor's evidence: the dynamics it was observed in and the strongest finding of each. */
interface FactorEvidence {
  dynamicIds: Set<string>;
  /** By dynamic id; "" holds findings linked to no dynamic. */
  strongest: Map<string, { id: string; strength: Strength }>;
}

const NO_DYNAMIC = "";

/**
 * The draft « Générer un plan » inserts: per family (grid order) and live factor, its definition,
 * where it was observed and one strong quote per dynamic as citation blocks, then the factors
 * without findings; then the propositions by audience. Strong: the grid's first kinds first
 * (« Facteur clé de succès » leads the starting grid, « Proposition » closes it), then the longest
 * quote up to STRONG_QUOTE_MAX characters, then the oldest: the same study gives the same draft.
 * Whatever the number of findings: two grouped queries, then only the chosen quotes are read.
 */
export async function buildSynthesisPlan(context: AppLoadContext, studyId: string): Promise<JSONContent[]> {
  const vocabulary = await loadVocabulary(context, studyId);
  const ranking = { kinds: vocabulary.kinds.map((k) => k.key), maxLength: STRONG_QUOTE_MAX };
  const [factors, perTags, propositions] = await Promise.all([
    listPlanFactors(context.db, studyId),
    listStrongestPerTags(context.db, studyId, ranking),
    listStrongestPropositions(context.db, studyId, ranking, PROPOSITIONS_PER_AUDIENCE),
  ]);

  const evidence = new Map<string, FactorEvidence>(factors.map((f) => [f.id, { dynamicIds: new Set(), strongest: new Map() }]));
  for (const combination of perTags) {
    for (const factorId of combination.factorIds) {
      const entry = evidence.get(factorId);
      if (!entry) continue;
      for (const dynamicId of combination.dynamicIds.length > 0 ? combination.dynamicIds : [NO_DYNAMIC]) {
        if (dynamicId !== NO_DYNAMIC) entry.dynamicIds.add(dynamicId);
        const current = entry.strongest.get(dynamicId);
        if (!current || stronger(combination.strength, current.strength) < 0) entry.strongest.set(dynamicId, combination);
      }
    }
  }

  const chosenIds = [
    ...[...evidence.values()].flatMap((e) => [...e.strongest.values()].map((c) => c.id)),
    ...[...propositions.values()].flatMap((p) => p.ids),
  ];
  const cited = await loadCitedFindings(context, studyId, chosenIds, vocabulary);
  // A finding linked to several dynamics may be the strongest of each: it is quoted once.
  const citations = (ids: readonly string[]) => [...new Set(ids)].flatMap((id) => (cited.has(id) ? [citationBlock(cited.get(id)!)] : []));

  // Dynamics (and so types) in the typology's order, as everywhere else in the study.
  const dynamicOrder = [...vocabulary.dynamics.map((d) => d.id), NO_DYNAMIC];
  const typeOf = new Map(vocabulary.dynamics.map((d) => [d.id, d.typeId]));
  const typeLabels = (dynamicIds: Set<string>) => {
    const typeIds = new Set([...dynamicIds].map((id) => typeOf.get(id)));
    return vocabulary.types.filter((ty) => typeIds.has(ty.id)).map((ty) => ty.label);
  };

  const blocks: JSONContent[] = [];
  const families = [...new Map(factors.map((f) => [f.familyId, f.familyLabel])).entries()];
  for (const [familyId, familyLabel] of families) {
    blocks.push(heading(familyLabel, 2));
    const withoutFindings: string[] = [];
    for (const factor of factors.filter((f) => f.familyId === familyId)) {
      const { dynamicIds, strongest } = evidence.get(factor.id)!;
      if (strongest.size === 0) {
        withoutFindings.push(factor.label);
        continue;
      }
      blocks.push(heading(factor.label, 3));
      if (factor.definition.trim() !== "") blocks.push(paragraph(factor.definition));
      blocks.push(paragraph(t.observed(dynamicIds.size, typeLabels(dynamicIds))));
      blocks.push(...citations(dynamicOrder.flatMap((id) => strongest.get(id)?.id ?? [])));
    }
    if (withoutFindings.length > 0) blocks.push(paragraph(t.factorsWithoutFindings(withoutFindings)));
  }

  if (vocabulary.audiences.length > 0) {
    blocks.push(heading(t.propositions, 2));
    for (const audience of vocabulary.audiences) {
      const { ids, total } = propositions.get(audience.key) ?? { ids: [], total: 0 };
      blocks.push(heading(audience.label, 3));
      if (total === 0) blocks.push(paragraph(t.noProposition));
      blocks.push(...citations(ids));
      if (total > ids.length) blocks.push(paragraph(t.morePropositions(total - ids.length)));
    }
  }
  return blocks;
}

/** The heading the plan is inserted under, so that each generation can be told apart and cut. */
export const planHeading = (generatedAt: Date): JSONContent => heading(t.heading(formatDateTime(generatedAt.toISOString())), 1);
