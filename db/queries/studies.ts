import type { NewStudy, Role, StudyUpdate } from "../schema";
import { type Executor, newId, nowIso } from "./executor";

export async function insertStudy(
  db: Executor,
  values: Omit<NewStudy, "id" | "created_at" | "updated_at"> & { id?: string },
) {
  const now = nowIso();
  return db
    .insertInto("studies")
    .values({ id: newId(), created_at: now, updated_at: now, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findStudyById(db: Executor, id: string) {
  return db.selectFrom("studies").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function updateStudy(db: Executor, id: string, values: Omit<StudyUpdate, "id">) {
  await db.updateTable("studies").set({ ...values, updated_at: nowIso() }).where("id", "=", id).execute();
}

/** The studies a user belongs to, with their role in each. */
export function listStudiesOfUser(db: Executor, userId: string) {
  return db
    .selectFrom("studies")
    .innerJoin("memberships", "memberships.study_id", "studies.id")
    .select(["studies.id", "studies.title", "studies.summary", "studies.starts_on", "studies.ends_on", "memberships.role"])
    .where("memberships.user_id", "=", userId)
    .orderBy("studies.created_at", "desc")
    .execute() as Promise<
    { id: string; title: string; summary: string; starts_on: string | null; ends_on: string | null; role: Role }[]
  >;
}

export function listAllStudies(db: Executor) {
  return db.selectFrom("studies").selectAll().orderBy("created_at", "desc").execute();
}

export async function hasDemoStudy(db: Executor): Promise<boolean> {
  const row = await db.selectFrom("studies").select("id").where("is_demo", "=", 1).executeTakeFirst();
  return row !== undefined;
}
