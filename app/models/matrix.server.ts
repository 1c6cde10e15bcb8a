import type { AppLoadContext } from "@remix-run/node";
import { type FindingFilters, listFindings } from "../../db/queries/findings-browser";
import { cooccurrenceCounts, type MatrixColumns, matrixCounts } from "../../db/queries/matrix";
import { isUuid } from "./access.server";
import { describeFinding, PAGE_SIZE, type Vocabulary } from "./findings-read.server";

/**
 * A factor « stands out » when it is observed in at most this many dynamics: a fifth of the
 * study's active dynamics, at least one (17 dynamics → 3 or fewer; under 10 → a single one).
 */
export function rareThreshold(activeDynamics: number): number {
  return Math.max(1, Math.floor(activeDynamics / 5));
}

export async function loadMatrix(context: AppLoadContext, studyId: string, by: MatrixColumns, vocabulary: Vocabulary) {
  const counts = await matrixCounts(context.db, studyId, by);
  const cell = new Map(counts.cells.map((c) => [`${c.factorId}:${c.columnId}`, c.count]));
  const rowTotal = new Map(counts.rows.map((r) => [r.factorId, r.count]));
  const columnTotal = new Map(counts.columns.map((c) => [c.columnId, c.count]));
  const spread = new Map(counts.dynamicsObserved.map((r) => [r.factorId, r.count]));
  const threshold = rareThreshold(vocabulary.dynamics.filter((d) => !d.archived).length);

  const columns =
    by === "type"
      ? vocabulary.types.map((ty) => ({ id: ty.id, label: ty.label, groupId: ty.id }))
      : vocabulary.dynamics
          .filter((d) => !d.archived || columnTotal.has(d.id))
          .map((d) => ({ id: d.id, label: d.name, groupId: d.typeId }));
  const families = vocabulary.families
    .map((family) => ({
      ...family,
      factors: vocabulary.factors
        .filter((f) => f.familyId === family.id && (!f.archived || rowTotal.has(f.id)))
        .map((f) => {
          const observedIn = spread.get(f.id) ?? 0;
          return {
            id: f.id,
            label: f.label,
            color: f.color,
            total: rowTotal.get(f.id) ?? 0,
            observedIn,
            rare: observedIn > 0 && observedIn <= threshold,
            cells: columns.map((c) => cell.get(`${f.id}:${c.id}`) ?? 0),
          };
        }),
    }))
    .filter((family) => family.factors.length > 0);
  return {
    columns: columns.map((c) => ({ ...c, total: columnTotal.get(c.id) ?? 0 })),
    families,
    total: counts.total,
    max: Math.max(0, ...counts.cells.map((c) => c.count)),
    threshold,
  };
}

export async function loadCooccurrences(context: AppLoadContext, studyId: string, vocabulary: Vocabulary) {
  const { pairs, tagged } = await cooccurrenceCounts(context.db, studyId);
  const pair = new Map(pairs.map((p) => [`${p.a}:${p.b}`, p.count]));
  const diagonal = new Map(tagged.map((r) => [r.factorId, r.count]));
  const factors = vocabulary.factors.filter((f) => diagonal.has(f.id));
  const count = (a: string, b: string) => (a === b ? (diagonal.get(a) ?? 0) : (pair.get(a < b ? `${a}:${b}` : `${b}:${a}`) ?? 0));
  return {
    factors: factors.map((f) => ({ id: f.id, label: f.label, color: f.color })),
    rows: factors.map((a) => factors.map((b) => count(a.id, b.id))),
    max: Math.max(0, ...pairs.map((p) => p.count)),
  };
}

/**
 * The quotes behind one cell: the same findings the cell counts (orphaned ones excluded). The
 * count is the cell's own, from the matrix or co-occurrence counts migration 0007 keeps: counting
 * them again walks every finding of a big factor (about 100 ms on 24,000).
 */
export async function loadCellFindings(context: AppLoadContext, studyId: string, filters: FindingFilters, total: number, vocabulary: Vocabulary) {
  const rows = await listFindings(context.db, studyId, { ...filters, orphaned: false }, { limit: PAGE_SIZE });
  return { total, findings: rows.map((r) => describeFinding(studyId, r, vocabulary)) };
}

/** A cell's count in a loaded matrix (0 when its row or column is not shown). */
export function matrixCellCount(matrix: Awaited<ReturnType<typeof loadMatrix>>, factorId: string, columnId: string): number {
  const column = matrix.columns.findIndex((c) => c.id === columnId);
  const factor = matrix.families.flatMap((f) => f.factors).find((f) => f.id === factorId);
  return (factor && column >= 0 ? factor.cells[column] : 0) ?? 0;
}

/** A pair's count in the loaded co-occurrences (the diagonal for one factor twice). */
export function pairCount(cooccurrences: Awaited<ReturnType<typeof loadCooccurrences>>, a: string, b: string): number {
  const i = cooccurrences.factors.findIndex((f) => f.id === a);
  const j = cooccurrences.factors.findIndex((f) => f.id === b);
  return i >= 0 && j >= 0 ? (cooccurrences.rows[i]![j] ?? 0) : 0;
}

/** A selected matrix cell from the URL, kept only if both ids belong to this study's matrix. */
export function parseCell(search: URLSearchParams, by: MatrixColumns, vocabulary: Vocabulary) {
  const factorId = search.get("facteur");
  const columnId = search.get("colonne");
  if (!isUuid(factorId) || !isUuid(columnId)) return null;
  const factor = vocabulary.factors.find((f) => f.id === factorId);
  const column =
    by === "type"
      ? vocabulary.types.find((ty) => ty.id === columnId)
      : vocabulary.dynamics.map((d) => ({ id: d.id, label: d.name })).find((d) => d.id === columnId);
  if (!factor || !column) return null;
  const filters: FindingFilters = by === "type" ? { factorIds: [factorId], dynamicTypeId: columnId } : { factorIds: [factorId], dynamicId: columnId };
  return { factorLabel: factor.label, columnLabel: column.label, filters, factorId, columnId };
}

/** A selected co-occurrence cell (two factors, or the same one twice for the diagonal). */
export function parsePair(search: URLSearchParams, vocabulary: Vocabulary) {
  const ids = search.getAll("facteur").filter(isUuid).slice(0, 2);
  if (ids.length === 0) return null;
  const factors = ids.map((id) => vocabulary.factors.find((f) => f.id === id));
  if (factors.some((f) => !f)) return null;
  const [a, b = a] = factors as { id: string; label: string }[];
  return { factorLabel: a!.label, columnLabel: b!.label, filters: { factorIds: ids } as FindingFilters, ids };
}
