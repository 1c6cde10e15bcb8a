import type { Role } from "../schema";
import { type Executor, nowIso } from "./executor";

export function findMembership(db: Executor, studyId: string, userId: string) {
  return db
    .selectFrom("memberships")
    .selectAll()
    .where("study_id", "=", studyId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** Adds the member, or changes their role when they already belong to the study. */
export async function upsertMembership(db: Executor, studyId: string, userId: string, role: Role) {
  const now = nowIso();
  await db
    .insertInto("memberships")
    .values({ study_id: studyId, user_id: userId, role, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(["study_id", "user_id"]).doUpdateSet({ role, updated_at: now }))
    .execute();
}

export async function deleteMembership(db: Executor, studyId: string, userId: string) {
  await db.deleteFrom("memberships").where("study_id", "=", studyId).where("user_id", "=", userId).execute();
}

export function listStudyMembers(db: Executor, studyId: string) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["users.id", "users.email", "users.name", "users.color", "memberships.role", "memberships.created_at"])
    .where("memberships.study_id", "=", studyId)
    .orderBy("users.name")
    .execute();
}

export async function countPilots(db: Executor, studyId: string): Promise<number> {
  const row = await db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("study_id", "=", studyId)
    .where("role", "=", "pilote")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
