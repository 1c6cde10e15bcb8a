import { sql } from "kysely";
import type { Executor } from "./executor";
import { cachedForStudy as cached } from "./findings-cache";

/**
 * Factor × dynamic counts and factor co-occurrences. Only findings whose passage is still in a report
 * count (orphaned ones wait for review in the findings browser). A finding tagged with two
 * factors and linked to two dynamics counts once in each of the four cells, and once in each
 * row, column and grand total: totals count findings, not cells.
 */
export type MatrixColumns = "dynamic" | "type";

export interface MatrixCounts {
  cells: { factorId: string; columnId: string; count: number }[];
  rows: { factorId: string; count: number }[];
  columns: { columnId: string; count: number }[];
  /** Findings that appear in at least one cell. */
  total: number;
  /** Per factor, in how many distinct dynamics it is observed (whatever the grouping). */
  dynamicsObserved: { factorId: string; count: number }[];
}

export async function matrixCounts(db: Executor, studyId: string, by: MatrixColumns): Promise<MatrixCounts> {
  const both = await cached(db, studyId, "matrix", () => computeMatrixCounts(db, studyId));
  return both[by];
}

export function cooccurrenceCounts(db: Executor, studyId: string) {
  return cached(db, studyId, "cooccurrences", () => computeCooccurrenceCounts(db, studyId));
}

/** Tallies one grouping of the matrix, fed one tag combination at a time (its factors, columns and findings). */
class Tally {
  // Nested maps: a joined two-id key would be built and hashed for every cell of every combination.
  private cells = new Map<string, Map<string, number>>();
  private rows = new Map<string, number>();
  private columns = new Map<string, number>();
  private total = 0;

  /** Counts `n` findings tagged with these factors and columns. */
  add(factors: readonly string[], columns: readonly string[], n: number) {
    if (factors.length === 0 || columns.length === 0) return;
    this.total += n;
    for (const f of factors) {
      this.rows.set(f, (this.rows.get(f) ?? 0) + n);
      let row = this.cells.get(f);
      if (!row) this.cells.set(f, (row = new Map()));
      for (const c of columns) row.set(c, (row.get(c) ?? 0) + n);
    }
    for (const c of columns) this.columns.set(c, (this.columns.get(c) ?? 0) + n);
  }

  result(spread: Map<string, Set<string>>): MatrixCounts {
    return {
      cells: [...this.cells].flatMap(([factorId, row]) => [...row].map(([columnId, count]) => ({ factorId, columnId, count }))),
      rows: [...this.rows].map(([factorId, count]) => ({ factorId, count })),
      columns: [...this.columns].map(([columnId, count]) => ({ columnId, count })),
      total: this.total,
      dynamicsObserved: [...spread].map(([factorId, dynamics]) => ({ factorId, count: dynamics.size })),
    };
  }
}

/**
 * The study's counted findings grouped by tag combination (migration 0004 keeps each finding's
 * sorted, comma-joined factor and dynamic ids): a few thousand rows however many findings, read
 * in index order without a join or a sort.
 */
async function tagCombinations(db: Executor, studyId: string, withDynamics: boolean) {
  const { rows } = await sql<{ factors: string | null; dynamics: string | null; n: number }>`
    select factor_ids as factors, ${withDynamics ? sql`dynamic_ids` : sql`null`} as dynamics, count(*) as n
    from findings
    where study_id = ${studyId} and orphaned_at is null
    group by factor_ids${withDynamics ? sql`, dynamic_ids` : sql``}
  `.execute(db);
  return rows.map((r) => ({ factors: r.factors ? r.factors.split(",") : [], dynamics: r.dynamics ? r.dynamics.split(",") : [], n: Number(r.n) }));
}

/**
 * One pass over the study's tag combinations, counted in memory for both groupings: in SQL, counting
 * findings (not cells) in rows, columns and types would take one distinct count per figure.
 */
async function computeMatrixCounts(db: Executor, studyId: string): Promise<Record<MatrixColumns, MatrixCounts>> {
  const [combinations, dynamicTypes] = await Promise.all([
    tagCombinations(db, studyId, true),
    db.selectFrom("dynamics").select(["id", "type_id"]).where("study_id", "=", studyId).execute(),
  ]);
  const typeOf = new Map(dynamicTypes.map((d) => [d.id, d.type_id]));
  const byDynamic = new Tally();
  const byType = new Tally();
  const spread = new Map<string, Set<string>>();
  for (const combination of combinations) {
    if (combination.factors.length === 0 || combination.dynamics.length === 0) continue;
    // The ids of a combination are distinct (the link tables' primary keys); its types may not be.
    const { factors, dynamics, n } = combination;
    byDynamic.add(factors, dynamics, n);
    byType.add(factors, [...new Set(dynamics.flatMap((d) => typeOf.get(d) ?? []))], n);
    for (const f of factors) {
      let seen = spread.get(f);
      if (!seen) spread.set(f, (seen = new Set()));
      for (const d of dynamics) seen.add(d);
    }
  }
  return { dynamic: byDynamic.result(spread), type: byType.result(spread) };
}

/**
 * Factor × factor: how many findings carry both tags (each unordered pair once, first id < second),
 * and per factor how many findings carry it at all (the diagonal).
 */
async function computeCooccurrenceCounts(db: Executor, studyId: string) {
  const pairs = new Map<string, number>();
  const tagged = new Map<string, number>();
  for (const { factors, n } of await tagCombinations(db, studyId, false)) {
    for (const [i, a] of factors.entries()) {
      tagged.set(a, (tagged.get(a) ?? 0) + n);
      for (const b of factors.slice(i + 1)) {
        const key = `${a} ${b}`;
        pairs.set(key, (pairs.get(key) ?? 0) + n);
      }
    }
  }
  return {
    pairs: [...pairs].map(([key, count]) => {
      const [a, b] = key.split(" ") as [string, string];
      return { a, b, count };
    }),
    tagged: [...tagged].map(([factorId, count]) => ({ factorId, count })),
  };
}
