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
 * Ids met in the counts, numbered 0, 1, 2… in order of appearance, so counts live in typed arrays
 * indexed by those numbers. A comma-joined list recurs across counts (the same dynamics with other
 * factors), so each distinct list is split once.
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

/** Tallies one grouping of the matrix, fed per factor (cells and rows) and per column list (column totals and total). */
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

  /** Counts `n` findings tagged with this factor and linked to these (distinct) columns: its cells and row. */
  addFactor(factor: number, columns: Int32Array, n: number) {
    if (columns.length === 0) return;
    const at = factor * this.columnIds.length;
    this.rows[factor]! += n;
    for (const c of columns) this.cells[at + c]! += n;
  }

  /** Counts `n` findings with at least one factor, linked to these (distinct) columns: column totals and the total. */
  addFindings(columns: Int32Array, n: number) {
    if (columns.length === 0) return;
    this.total += n;
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
 * The study's maintained counts (migration 0007): per factor and dynamic list, per dynamic list
 * (findings with a factor), and the lists' texts, each split once. A few hundred to a thousand
 * rows, whatever the number of findings.
 */
async function readCounts(db: Executor, studyId: string) {
  const [{ rows: byFactor }, { rows: byList }, { rows: lists }] = await Promise.all([
    sql<{ factorId: string; list: number; n: number }>`
      select factor_id as "factorId", dynamic_list as list, findings as n from matrix_factor_counts where study_id = ${studyId} and findings > 0`.execute(db),
    sql<{ list: number; n: number }>`
      select dynamic_list as list, findings as n from matrix_dynamic_counts where study_id = ${studyId} and findings > 0`.execute(db),
    sql<{ id: number; ids: string }>`select id, ids from matrix_tag_lists where study_id = ${studyId}`.execute(db),
  ]);
  return { byFactor, byList, lists: new Map(lists.map((l) => [l.id, l.ids])) };
}

/**
 * Both groupings from the maintained counts. In SQL, counting findings (not cells) in rows, columns
 * and types would take one distinct count per figure over every finding.
 */
async function computeMatrixCounts(db: Executor, studyId: string): Promise<Record<MatrixColumns, MatrixCounts>> {
  const [{ byFactor, byList, lists }, dynamicTypes] = await Promise.all([
    readCounts(db, studyId),
    db.selectFrom("dynamics").select(["id", "type_id"]).where("study_id", "=", studyId).execute(),
  ]);
  const factors = new Ids();
  const dynamics = new Ids();
  const dynamicsOf = (list: number) => dynamics.parse(lists.get(list) ?? null);
  for (const { factorId } of byFactor) factors.number(factorId);
  for (const { list } of [...byFactor, ...byList]) dynamicsOf(list);

  const typeOf = new Map(dynamicTypes.map((d) => [d.id, d.type_id]));
  const types = new Ids();
  // Per dynamic number, its type's number (-1 if the dynamic is gone).
  const typeNumber = Int32Array.from(dynamics.ids, (d) => {
    const type = typeOf.get(d);
    return type === undefined ? -1 : types.number(type);
  });
  // The ids of a list are distinct (the link tables' primary keys); its types may not be.
  const typesOf = new Map<Int32Array, Int32Array>();
  const distinctTypes = (list: number) => {
    const ids = dynamicsOf(list);
    let found = typesOf.get(ids);
    if (!found) typesOf.set(ids, (found = Int32Array.from(new Set([...ids].map((d) => typeNumber[d]!).filter((t) => t >= 0)))));
    return found;
  };

  const byDynamic = new Tally(factors.ids, dynamics.ids);
  const byType = new Tally(factors.ids, types.ids);
  for (const { factorId, list, n } of byFactor) {
    const factor = factors.number(factorId);
    byDynamic.addFactor(factor, dynamicsOf(list), Number(n));
    byType.addFactor(factor, distinctTypes(list), Number(n));
  }
  for (const { list, n } of byList) {
    byDynamic.addFindings(dynamicsOf(list), Number(n));
    byType.addFindings(distinctTypes(list), Number(n));
  }
  const dynamic = byDynamic.result();
  // A factor's spread counts dynamics whatever the grouping: the by-dynamic figure serves both.
  return { dynamic, type: { ...byType.result(), dynamicsObserved: dynamic.dynamicsObserved } };
}

/**
 * Factor × factor: how many findings carry both tags (each unordered pair once, first id < second),
 * and per factor how many findings carry it at all (the diagonal). From the maintained count per
 * factor list (migration 0007).
 */
async function computeCooccurrenceCounts(db: Executor, studyId: string) {
  const { rows } = await sql<{ ids: string; n: number }>`
    select l.ids, c.findings as n from matrix_factor_list_counts c join matrix_tag_lists l on l.id = c.factor_list
    where c.study_id = ${studyId} and c.findings > 0`.execute(db);
  const ids = new Ids();
  const combinations = rows.map((r) => ({ factors: ids.parse(r.ids), n: Number(r.n) }));
  const factorIds = ids.ids;
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
