import { sql } from "kysely";
import type { DynamicUpdate, NewDynamic, NewDynamicType } from "../schema";
import { type Executor, newId, nowIso } from "./executor";

export async function insertDynamicType(db: Executor, values: Omit<NewDynamicType, "id"> & { id?: string }) {
  return db.insertInto("dynamic_types").values({ id: newId(), ...values }).returningAll().executeTakeFirstOrThrow();
}

export function listDynamicTypes(db: Executor, studyId: string) {
  return db.selectFrom("dynamic_types").selectAll().where("study_id", "=", studyId).orderBy("position").execute();
}

export async function insertDynamic(
  db: Executor,
  values: Omit<NewDynamic, "id" | "created_at" | "updated_at"> & { id?: string },
) {
  const now = nowIso();
  return db
    .insertInto("dynamics")
    .values({ id: newId(), created_at: now, updated_at: now, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findDynamic(db: Executor, studyId: string, id: string) {
  return db.selectFrom("dynamics").selectAll().where("study_id", "=", studyId).where("id", "=", id).executeTakeFirst();
}

export async function updateDynamic(db: Executor, studyId: string, id: string, values: Omit<DynamicUpdate, "id" | "study_id">) {
  await db
    .updateTable("dynamics")
    .set({ ...values, updated_at: nowIso() })
    .where("study_id", "=", studyId)
    .where("id", "=", id)
    .execute();
}

export function findDynamicType(db: Executor, studyId: string, id: string) {
  return db.selectFrom("dynamic_types").selectAll().where("study_id", "=", studyId).where("id", "=", id).executeTakeFirst();
}

export async function updateDynamicType(
  db: Executor,
  studyId: string,
  id: string,
  values: { label?: string; definition?: string; position?: number; archived_at?: string | null },
) {
  await db.updateTable("dynamic_types").set(values).where("study_id", "=", studyId).where("id", "=", id).execute();
}

export async function deleteDynamicType(db: Executor, studyId: string, id: string) {
  await db.deleteFrom("dynamic_types").where("study_id", "=", studyId).where("id", "=", id).execute();
}

/** The study's types with how many dynamics (archived included) use each. */
export function listDynamicTypesWithUsage(db: Executor, studyId: string) {
  return db
    .selectFrom("dynamic_types")
    .leftJoin("dynamics", "dynamics.type_id", "dynamic_types.id")
    .selectAll("dynamic_types")
    .select((eb) => eb.fn.count<number>("dynamics.id").as("usage"))
    .where("dynamic_types.study_id", "=", studyId)
    .groupBy("dynamic_types.id")
    .orderBy("dynamic_types.position")
    .execute();
}

export async function nextDynamicTypePosition(db: Executor, studyId: string): Promise<number> {
  const row = await db
    .selectFrom("dynamic_types")
    .select((eb) => eb.fn.max<number | null>("position").as("max"))
    .where("study_id", "=", studyId)
    .executeTakeFirst();
  return row?.max == null ? 0 : Number(row.max) + 1;
}

export async function countDynamicsOfType(db: Executor, studyId: string, typeId: string): Promise<number> {
  const row = await db
    .selectFrom("dynamics")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("study_id", "=", studyId)
    .where("type_id", "=", typeId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface DynamicFilters {
  typeId?: string | null;
  department?: string | null;
  /** Case-insensitive substring of the territory. */
  territory?: string | null;
  includeArchived?: boolean;
}

/** The study's dynamics with their type's label and how many meetings concern each, by name. */
export function listDynamics(db: Executor, studyId: string, filters: DynamicFilters = {}) {
  let query = db
    .selectFrom("dynamics")
    .innerJoin("dynamic_types", "dynamic_types.id", "dynamics.type_id")
    .selectAll("dynamics")
    .select(["dynamic_types.label as type_label", "dynamic_types.position as type_position"])
    .select((eb) =>
      eb
        .selectFrom("meeting_dynamics")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("meeting_dynamics.dynamic_id", "=", "dynamics.id")
        .as("meeting_count"),
    )
    .where("dynamics.study_id", "=", studyId);
  if (!filters.includeArchived) query = query.where("dynamics.archived_at", "is", null);
  if (filters.typeId) query = query.where("dynamics.type_id", "=", filters.typeId);
  if (filters.department) query = query.where("dynamics.department", "=", filters.department);
  if (filters.territory) {
    const escaped = filters.territory.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    query = query.where(sql<boolean>`lower(dynamics.territory) like ${`%${escaped}%`} escape '\\'`);
  }
  return query.orderBy(sql`dynamics.name collate nocase`).execute();
}

/** The departments the study's dynamics are in, for the filter. */
export async function listDynamicDepartments(db: Executor, studyId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("dynamics")
    .select("department")
    .distinct()
    .where("study_id", "=", studyId)
    .where("department", "is not", null)
    .orderBy("department")
    .execute();
  return rows.map((r) => r.department!);
}

/** Those of `ids` that are dynamics of this study, with their archive state. */
export async function findStudyDynamicRefs(db: Executor, studyId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("dynamics")
    .select(["id", "archived_at"])
    .where("study_id", "=", studyId)
    .where("id", "in", ids)
    .execute();
}

/** Whether anything refers to the dynamic, which then may only be archived. */
export async function isDynamicLinked(db: Executor, dynamicId: string): Promise<boolean> {
  const row = await db.selectFrom("meeting_dynamics").select("meeting_id").where("dynamic_id", "=", dynamicId).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function deleteDynamic(db: Executor, studyId: string, id: string) {
  await db.deleteFrom("dynamics").where("study_id", "=", studyId).where("id", "=", id).execute();
}
