import { sql } from "kysely";
import { type FindingFilters, filtered } from "./findings-browser";
import type { Executor } from "./executor";
import { cachedForStudy } from "./findings-cache";

export interface FactorTallies {
  /** Findings per factor (a finding tagged with two factors counts once in each). */
  factors: { factorId: string; count: number }[];
  /** Findings per factor and dynamic. */
  cells: { factorId: string; dynamicId: string; count: number }[];
}

/**
 * The synthesis panel's counts under the findings browser's filters, computed in SQL so that the
 * panel stays light whatever the number of findings; cached until the study's findings change.
 */
export function factorTallies(db: Executor, studyId: string, filters: FindingFilters): Promise<FactorTallies> {
  return cachedForStudy(db, studyId, `synthesis-panel:${JSON.stringify(filters)}`, async () => {
    const ids = filtered(db, studyId, filters, "set").select("f.id");
    const [factors, cells] = await Promise.all([
      db
        .selectFrom("finding_factors as ff")
        .select(["ff.factor_id as factorId", sql<number>`count(*)`.as("count")])
        .where("ff.finding_id", "in", ids)
        .groupBy("ff.factor_id")
        .execute(),
      db
        .selectFrom("finding_factors as ff")
        .innerJoin("finding_dynamics as fd", "fd.finding_id", "ff.finding_id")
        .select(["ff.factor_id as factorId", "fd.dynamic_id as dynamicId", sql<number>`count(*)`.as("count")])
        .where("ff.finding_id", "in", ids)
        .groupBy(["ff.factor_id", "fd.dynamic_id"])
        .execute(),
    ]);
    return {
      factors: factors.map((r) => ({ ...r, count: Number(r.count) })),
      cells: cells.map((r) => ({ ...r, count: Number(r.count) })),
    };
  });
}
