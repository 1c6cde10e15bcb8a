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

/**
 * Ids met in the tag combinations, numbered 0, 1, 2… in order of appearance, so counts live in
 * typed arrays indexed by those numbers. A comma-joined list recurs across combinations (the same
 * factors with other dynamics), so each distinct list is split once.
 */
class Ids {
  readonly ids: string[] = [];
  private numbers = new Map<string, number>();
  private lists = new Map<string, Int32Array>();

  number(id: string) {
    let n = this.numbers.get(id);
    if (n === undefined) this.numbers.set(id, (n = this.ids.push(id) - 1));
    return n;
  }

  /** The numbers of a comma-joined list, in the list's (sorted id) order. */
  parse(joined: string | null): Int32Array {
    if (!joined) return EMPTY;
    let list = this.lists.get(joined);
    if (!list) this.lists.set(joined, (list = Int32Array.from(joined.split(","), (id) => this.number(id))));
    return list;
  }
}
const EMPTY = new Int32Array(0);

/** Tallies one grouping of the matrix, fed one tag combination at a time (its factors, columns and findings). */
class Tally {
  private cells: Float64Array;
  private rows: Float64Array;
  private columns: Float64Array;
  private total = 0;

  constructor(private factorIds: readonly string[], private columnIds: readonly string[]) {
    this.cells = new Float64Array(factorIds.length * columnIds.length);
    this.rows = new Float64Array(factorIds.length);
    this.columns = new Float64Array(columnIds.length);
  }

  /** Counts `n` findings tagged with these factors and (distinct) columns. */
  add(factors: Int32Array, columns: Int32Array, n: number) {
    if (factors.length === 0 || columns.length === 0) return;
    const width = this.columnIds.length;
    this.total += n;
    for (const f of factors) {
      this.rows[f]! += n;
      for (const c of columns) this.cells[f * width + c]! += n;
    }
    for (const c of columns) this.columns[c]! += n;
  }

  result(): MatrixCounts {
    const width = this.columnIds.length;
    const cells: MatrixCounts["cells"] = [];
    const dynamicsObserved: MatrixCounts["dynamicsObserved"] = [];
    for (const [f, factorId] of this.factorIds.entries()) {
      let observed = 0;
      for (const [c, columnId] of this.columnIds.entries()) {
        const count = this.cells[f * width + c]!;
        if (count > 0) {
          cells.push({ factorId, columnId, count });
          observed++;
        }
      }
      if (this.rows[f]! > 0) dynamicsObserved.push({ factorId, count: observed });
    }
    return {
      cells,
      rows: nonZero(this.factorIds, this.rows).map(([factorId, count]) => ({ factorId, count })),
      columns: nonZero(this.columnIds, this.columns).map(([columnId, count]) => ({ columnId, count })),
      total: this.total,
      dynamicsObserved,
    };
  }
}

function nonZero(ids: readonly string[], counts: Float64Array): [string, number][] {
  return ids.flatMap((id, i) => (counts[i]! > 0 ? [[id, counts[i]!] as [string, number]] : []));
}

/**
 * The study's counted findings grouped by tag combination (migration 0004 keeps each finding's
 * sorted, comma-joined factor and dynamic ids): a few thousand rows however many findings, read
 * in index order without a join or a sort. Tallied in JS rather than SQL: splitting the lists in
 * SQL (json_each, recursive CTE) is SQLite-specific and multiplies the rows to group.
 */
async function tagCombinations(db: Executor, studyId: string, withDynamics: boolean) {
  const { rows } = await sql<{ factors: string | null; dynamics: string | null; n: number }>`
    select factor_ids as factors, ${withDynamics ? sql`dynamic_ids` : sql`null`} as dynamics, count(*) as n
    from findings
    where study_id = ${studyId} and orphaned_at is null
    group by factor_ids${withDynamics ? sql`, dynamic_ids` : sql``}
  `.execute(db);
  const factors = new Ids();
  const dynamics = new Ids();
  const combinations = rows.map((r) => ({ factors: factors.parse(r.factors), dynamics: dynamics.parse(r.dynamics), n: Number(r.n) }));
  return { combinations, factorIds: factors.ids, dynamicIds: dynamics.ids };
}

/**
 * One pass over the study's tag combinations, counted in memory for both groupings: in SQL, counting
 * findings (not cells) in rows, columns and types would take one distinct count per figure.
 */
async function computeMatrixCounts(db: Executor, studyId: string): Promise<Record<MatrixColumns, MatrixCounts>> {
  const [{ combinations, factorIds, dynamicIds }, dynamicTypes] = await Promise.all([
    tagCombinations(db, studyId, true),
    db.selectFrom("dynamics").select(["id", "type_id"]).where("study_id", "=", studyId).execute(),
  ]);
  const typeOf = new Map(dynamicTypes.map((d) => [d.id, d.type_id]));
  const types = new Ids();
  // Per dynamic number, its type's number (-1 if the dynamic is gone).
  const typeNumber = Int32Array.from(dynamicIds, (d) => {
    const type = typeOf.get(d);
    return type === undefined ? -1 : types.number(type);
  });
  // The ids of a combination are distinct (the link tables' primary keys); its types may not be.
  const typesOf = new Map<Int32Array, Int32Array>();
  const distinctTypes = (dynamics: Int32Array) => {
    let list = typesOf.get(dynamics);
    if (!list) typesOf.set(dynamics, (list = Int32Array.from(new Set([...dynamics].map((d) => typeNumber[d]!).filter((t) => t >= 0)))));
    return list;
  };
  const byDynamic = new Tally(factorIds, dynamicIds);
  const byType = new Tally(factorIds, types.ids);
  for (const { factors, dynamics, n } of combinations) {
    byDynamic.add(factors, dynamics, n);
    byType.add(factors, distinctTypes(dynamics), n);
  }
  const dynamic = byDynamic.result();
  // A factor's spread counts dynamics whatever the grouping: the by-dynamic figure serves both.
  return { dynamic, type: { ...byType.result(), dynamicsObserved: dynamic.dynamicsObserved } };
}

/**
 * Factor × factor: how many findings carry both tags (each unordered pair once, first id < second),
 * and per factor how many findings carry it at all (the diagonal).
 */
async function computeCooccurrenceCounts(db: Executor, studyId: string) {
  const { combinations, factorIds } = await tagCombinations(db, studyId, false);
  const size = factorIds.length;
  // Lists are sorted by id, so a pair's numbers always come in the same order: [earlier * size + later].
  const pairs = new Float64Array(size * size);
  const tagged = new Float64Array(size);
  for (const { factors, n } of combinations) {
    for (let i = 0; i < factors.length; i++) {
      const a = factors[i]!;
      tagged[a]! += n;
      for (let j = i + 1; j < factors.length; j++) pairs[a * size + factors[j]!]! += n;
    }
  }
  return {
    pairs: factorIds.flatMap((a, i) => factorIds.flatMap((b, j) => (pairs[i * size + j]! > 0 ? [{ a, b, count: pairs[i * size + j]! }] : []))),
    tagged: nonZero(factorIds, tagged).map(([factorId, count]) => ({ factorId, count })),
  };
}
