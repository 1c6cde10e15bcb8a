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

/** Tallies one grouping of the matrix, fed one finding at a time (its factors and columns). */
class Tally {
  private cells = new Map<string, number>();
  private rows = new Map<string, number>();
  private columns = new Map<string, number>();
  private total = 0;

  add(factors: ReadonlySet<string>, columns: ReadonlySet<string>) {
    if (factors.size === 0 || columns.size === 0) return;
    this.total++;
    for (const f of factors) {
      this.rows.set(f, (this.rows.get(f) ?? 0) + 1);
      for (const c of columns) {
        const key = `${f} ${c}`;
        this.cells.set(key, (this.cells.get(key) ?? 0) + 1);
      }
    }
    for (const c of columns) this.columns.set(c, (this.columns.get(c) ?? 0) + 1);
  }

  result(spread: Map<string, Set<string>>): MatrixCounts {
    return {
      cells: [...this.cells].map(([key, count]) => {
        const [factorId, columnId] = key.split(" ") as [string, string];
        return { factorId, columnId, count };
      }),
      rows: [...this.rows].map(([factorId, count]) => ({ factorId, count })),
      columns: [...this.columns].map(([columnId, count]) => ({ columnId, count })),
      total: this.total,
      dynamicsObserved: [...spread].map(([factorId, dynamics]) => ({ factorId, count: dynamics.size })),
    };
  }
}

/** Each counted finding with its factor and dynamic ids (comma-joined UUIDs), one row per finding. */
async function taggedFindings(db: Executor, studyId: string, withDynamics: boolean) {
  // Correlated group_concat lookups by primary key: far cheaper for SQLite than joining the
  // link tables (one row per finding instead of per factor × dynamic).
  const { rows } = await sql<{ factors: string | null; dynamics: string | null }>`
    select
      (select group_concat(factor_id) from finding_factors where finding_id = f.id) as factors,
      ${withDynamics ? sql`(select group_concat(dynamic_id) from finding_dynamics where finding_id = f.id)` : sql`null`} as dynamics
    from findings f
    where f.study_id = ${studyId} and f.orphaned_at is null
  `.execute(db);
  return rows.map((r) => ({ factors: r.factors ? r.factors.split(",") : [], dynamics: r.dynamics ? r.dynamics.split(",") : [] }));
}

/**
 * One pass over the study's findings, counted in memory for both groupings: in SQL, counting
 * findings (not cells) in rows, columns and types would take one distinct count per figure.
 */
async function computeMatrixCounts(db: Executor, studyId: string): Promise<Record<MatrixColumns, MatrixCounts>> {
  const [findings, dynamicTypes] = await Promise.all([
    taggedFindings(db, studyId, true),
    db.selectFrom("dynamics").select(["id", "type_id"]).where("study_id", "=", studyId).execute(),
  ]);
  const typeOf = new Map(dynamicTypes.map((d) => [d.id, d.type_id]));
  const byDynamic = new Tally();
  const byType = new Tally();
  const spread = new Map<string, Set<string>>();
  for (const finding of findings) {
    if (finding.factors.length === 0 || finding.dynamics.length === 0) continue;
    const factors = new Set(finding.factors);
    const dynamics = new Set(finding.dynamics);
    byDynamic.add(factors, dynamics);
    byType.add(factors, new Set(finding.dynamics.flatMap((d) => typeOf.get(d) ?? [])));
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
  for (const finding of await taggedFindings(db, studyId, false)) {
    const factors = [...new Set(finding.factors)].sort();
    for (const [i, a] of factors.entries()) {
      tagged.set(a, (tagged.get(a) ?? 0) + 1);
      for (const b of factors.slice(i + 1)) {
        const key = `${a} ${b}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
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
