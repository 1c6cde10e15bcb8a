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

export function listFindingKinds(db: Executor, studyId: string) {
  return db.selectFrom("finding_kinds").selectAll().where("study_id", "=", studyId).orderBy("position").execute();
}

export function listAudiences(db: Executor, studyId: string) {
  return db.selectFrom("audiences").selectAll().where("study_id", "=", studyId).orderBy("position").execute();
}

/** The study's factors, each with how many findings (orphaned ones included) it tags. */
export async function listFactorsWithCounts(db: Executor, studyId: string) {
  const rows = await db
    .selectFrom("factors")
    .leftJoin("finding_factors", "finding_factors.factor_id", "factors.id")
    .selectAll("factors")
    .select((eb) => eb.fn.count<number>("finding_factors.finding_id").as("finding_count"))
    .where("factors.study_id", "=", studyId)
    .groupBy("factors.id")
    .orderBy("factors.position")
    .execute();
  return rows.map((row) => ({ ...row, finding_count: Number(row.finding_count) }));
}

export function findFactorFamily(db: Executor, studyId: string, id: string) {
  return db.selectFrom("factor_families").selectAll().where("study_id", "=", studyId).where("id", "=", id).executeTakeFirst();
}

export function findFactor(db: Executor, studyId: string, id: string) {
  return db.selectFrom("factors").selectAll().where("study_id", "=", studyId).where("id", "=", id).executeTakeFirst();
}

export async function insertFactorFamily(db: Executor, values: { study_id: string; key: string; label: string; color: string; position: number }) {
  return db.insertInto("factor_families").values({ id: newId(), ...values }).returningAll().executeTakeFirstOrThrow();
}

export async function insertFactor(
  db: Executor,
  values: { study_id: string; family_id: string; key: string; label: string; definition: string; color: string | null; position: number },
) {
  return db.insertInto("factors").values({ id: newId(), ...values }).returningAll().executeTakeFirstOrThrow();
}

export async function updateFactorFamily(db: Executor, studyId: string, id: string, values: { label?: string; color?: string; position?: number }) {
  await db.updateTable("factor_families").set(values).where("study_id", "=", studyId).where("id", "=", id).execute();
}

export async function updateFactor(
  db: Executor,
  studyId: string,
  id: string,
  values: {
    label?: string;
    definition?: string;
    color?: string | null;
    family_id?: string;
    position?: number;
    archived_at?: string | null;
    merged_into?: string | null;
  },
) {
  await db.updateTable("factors").set(values).where("study_id", "=", studyId).where("id", "=", id).execute();
}

export async function deleteFactorFamily(db: Executor, studyId: string, id: string) {
  await db.deleteFrom("factor_families").where("study_id", "=", studyId).where("id", "=", id).execute();
}

export async function deleteFactor(db: Executor, studyId: string, id: string) {
  await db.deleteFrom("factors").where("study_id", "=", studyId).where("id", "=", id).execute();
}

export async function updateFindingKindLabel(db: Executor, studyId: string, key: string, label: string) {
  await db.updateTable("finding_kinds").set({ label }).where("study_id", "=", studyId).where("key", "=", key).execute();
}

export async function updateAudienceLabel(db: Executor, studyId: string, key: string, label: string) {
  await db.updateTable("audiences").set({ label }).where("study_id", "=", studyId).where("key", "=", key).execute();
}

/** The ids of the findings a factor tags. */
export async function listFindingIdsOfFactor(db: Executor, factorId: string): Promise<string[]> {
  const rows = await db.selectFrom("finding_factors").select("finding_id").where("factor_id", "=", factorId).execute();
  return rows.map((r) => r.finding_id);
}

/**
 * Re-tags every finding of `fromId` with `toId` (a finding already tagged with both keeps one
 * link) and removes the `fromId` links.
 */
export async function moveFactorLinks(db: Executor, fromId: string, toId: string) {
  await db
    .insertInto("finding_factors")
    .columns(["finding_id", "factor_id"])
    .expression((eb) => eb.selectFrom("finding_factors").select((e) => ["finding_id", e.val(toId).as("factor_id")]).where("factor_id", "=", fromId))
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db.deleteFrom("finding_factors").where("factor_id", "=", fromId).execute();
}

/** Factors formerly merged into `fromId` now point straight at `toId`, so no chain forms. */
export async function redirectMergedFactors(db: Executor, studyId: string, fromId: string, toId: string) {
  await db.updateTable("factors").set({ merged_into: toId }).where("study_id", "=", studyId).where("merged_into", "=", fromId).execute();
}
