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
