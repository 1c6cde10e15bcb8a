import { derivedContent } from "../editor/derived-content";
import type { AppLoadContext } from "@remix-run/node";
import { findStudySynthesis, insertStudySynthesisIfMissing } from "../../db/queries/documents";
import { listFindings } from "../../db/queries/findings-browser";
import { listAudiences } from "../../db/queries/grid";
import { factorTallies } from "../../db/queries/synthesis-panel";
import type { Role } from "../../db/schema";
import { citationsOf } from "../editor/citation";
import { synthesisTemplate } from "../editor/templates";
import { isUuid, requireStudyRole } from "./access.server";
import { citeFinding, loadCitedFindings } from "./citations.server";
import { describeFinding, hasFilters, loadVocabulary, parseFindingFilters, parsePage, type Vocabulary } from "./findings-read.server";
import { requireUser } from "./session.server";

/**
 * The study's synthesis, created on first use: the insert is ignored when a concurrent request
 * created it first, so a study never gets two. Its template is written by the server (through the
 * collaboration hub, which leaves a document with content alone) until a derived copy exists,
 * which also finishes a creation interrupted between the insert and the template.
 */
export async function ensureSynthesis(context: AppLoadContext, studyId: string) {
  const db = context.db;
  const existing =
    (await findStudySynthesis(db, studyId)) ??
    (await insertStudySynthesisIfMissing(db, studyId)) ??
    (await findStudySynthesis(db, studyId));
  if (!existing) throw new Error(`Synthèse introuvable pour l'étude ${studyId}`);
  if (existing.json !== null) return existing;
  const audiences = await listAudiences(db, studyId);
  await context.collab.initializeDocument(existing.id, synthesisTemplate(audiences));
  return (await findStudySynthesis(db, studyId)) ?? existing;
}

/** The signed-in user, their role in the study of the URL, and that study's synthesis. */
export async function requireSynthesis(request: Request, context: AppLoadContext, params: { studyId?: string }, minimum: Role = "lecteur") {
  const user = await requireUser(request, context);
  const { study, role } = await requireStudyRole(context, user, params.studyId, minimum);
  const synthesis = await ensureSynthesis(context, study.id);
  return { user, study, role, synthesis };
}

/** What a citation block compares itself with: the finding as it is now. */
export interface CitationLive {
  quote: string;
  source: string;
  orphaned: boolean;
  url: string | null;
}

/** Ids that can name a finding; anything else is dropped. At most `limit`, to bound a request. */
export function parseFindingIds(raw: string | null, limit = 500): string[] {
  return [...new Set((raw ?? "").split(",").filter(isUuid))].slice(0, limit);
}

/** The live state of the named findings of the study; an id absent from the result is a deleted (or foreign) finding. */
export async function citationStates(
  context: AppLoadContext,
  studyId: string,
  ids: readonly string[]
): Promise<Record<string, CitationLive>> {
  const found = await loadCitedFindings(context, studyId, ids);
  return Object.fromEntries([...found].map(([id, f]) => [id, { quote: f.quote, source: f.source, orphaned: f.orphaned, url: f.url }]));
}

/** The finding ids cited in the synthesis's derived copy. */
export function citedIds(json: string | null): string[] {
  return [...new Set(citationsOf(derivedContent(json)).flatMap((c) => c.findingId ?? []))];
}

/**
 * The side panel: the grid's families and factors (grid order), each factor with its number of
 * findings under the filters and that number per dynamic. Factors without findings are kept
 * (greyed by the page) unless archived.
 */
export async function loadSynthesisPanel(context: AppLoadContext, studyId: string, search: URLSearchParams) {
  const { filters, values } = parseFindingFilters(search);
  const vocabulary = await loadVocabulary(context, studyId);
  const tallies = await factorTallies(context.db, studyId, filters);
  const counts = new Map(tallies.factors.map((r) => [r.factorId, r.count]));
  const dynamicNames = new Map(vocabulary.dynamics.map((d) => [d.id, d.name]));
  const perDynamic = new Map<string, { id: string; name: string; count: number }[]>();
  for (const cell of tallies.cells) {
    const list = perDynamic.get(cell.factorId) ?? [];
    list.push({ id: cell.dynamicId, name: dynamicNames.get(cell.dynamicId) ?? "", count: cell.count });
    perDynamic.set(cell.factorId, list);
  }
  const families = vocabulary.families.map((family) => ({
    ...family,
    factors: vocabulary.factors
      .filter((f) => f.familyId === family.id && (!f.archived || counts.has(f.id)))
      .map((f) => ({
        id: f.id,
        label: f.label,
        color: f.color,
        count: counts.get(f.id) ?? 0,
        dynamics: (perDynamic.get(f.id) ?? []).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "fr")),
      })),
  }));
  return { vocabulary, values, filtered: hasFilters(filters), families };
}

/** Findings of a factor listed per request in the panel. */
export const PANEL_PAGE_SIZE = 50;

/** A finding as the panel lists it, with the attributes a citation block takes from it. */
export function panelFinding(studyId: string, row: Parameters<typeof describeFinding>[1], vocabulary: Vocabulary) {
  const f = citeFinding(describeFinding(studyId, row, vocabulary));
  return {
    id: f.id,
    quote: f.quote,
    source: f.source,
    kindLabel: f.kindLabel,
    dynamics: f.dynamics.map((d) => d.name),
    meeting: f.meeting,
    orphaned: f.orphaned,
    url: f.url,
  };
}

export type PanelFinding = ReturnType<typeof panelFinding>;

/** One page of a factor's findings under the panel's filters (newest first), and whether more follow. */
export async function loadFactorFindings(context: AppLoadContext, studyId: string, search: URLSearchParams) {
  const factorId = search.get("ouvrir");
  if (!isUuid(factorId)) return { findings: [] as PanelFinding[], more: false };
  const { filters } = parseFindingFilters(search);
  const page = parsePage(search.get("page"));
  const vocabulary = await loadVocabulary(context, studyId);
  const rows = await listFindings(
    context.db,
    studyId,
    { ...filters, factorIds: [...(filters.factorIds ?? []), factorId] },
    { limit: PANEL_PAGE_SIZE + 1, offset: (page - 1) * PANEL_PAGE_SIZE }
  );
  return {
    findings: rows.slice(0, PANEL_PAGE_SIZE).map((row) => panelFinding(studyId, row, vocabulary)),
    more: rows.length > PANEL_PAGE_SIZE,
  };
}
