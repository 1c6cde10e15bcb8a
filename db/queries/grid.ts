import { type Executor, newId } from "./executor";

export interface GridInput {
  kinds: readonly { key: string; label: string; hasAudience?: boolean }[];
  audiences: readonly { key: string; label: string }[];
  families: readonly {
    key: string;
    label: string;
    color: string;
    factors: readonly { key: string; label: string; definition: string }[];
  }[];
}

/** Writes a whole analysis grid into a study that has none yet (new studies, the demo). */
export async function insertGrid(db: Executor, studyId: string, grid: GridInput) {
  if (grid.kinds.length > 0) {
    await db
      .insertInto("finding_kinds")
      .values(
        grid.kinds.map((k, position) => ({
          study_id: studyId,
          key: k.key,
          label: k.label,
          has_audience: k.hasAudience ? 1 : 0,
          position,
        })),
      )
      .execute();
  }
  if (grid.audiences.length > 0) {
    await db
      .insertInto("audiences")
      .values(grid.audiences.map((a, position) => ({ study_id: studyId, key: a.key, label: a.label, position })))
      .execute();
  }
  for (const [familyPosition, family] of grid.families.entries()) {
    const familyId = newId();
    await db
      .insertInto("factor_families")
      .values({ id: familyId, study_id: studyId, key: family.key, label: family.label, color: family.color, position: familyPosition })
      .execute();
    if (family.factors.length === 0) continue;
    await db
      .insertInto("factors")
      .values(
        family.factors.map((f, position) => ({
          id: newId(),
          study_id: studyId,
          family_id: familyId,
          key: f.key,
          label: f.label,
          definition: f.definition,
          position,
        })),
      )
      .execute();
  }
}

export function listFactorFamilies(db: Executor, studyId: string) {
  return db.selectFrom("factor_families").selectAll().where("study_id", "=", studyId).orderBy("position").execute();
}

export function listFactors(db: Executor, studyId: string) {
  return db.selectFrom("factors").selectAll().where("study_id", "=", studyId).orderBy("position").execute();
}
