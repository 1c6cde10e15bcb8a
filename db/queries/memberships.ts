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

/** Changes the role of an existing member of this study; false when they are not one. */
export async function updateMembershipRole(db: Executor, studyId: string, userId: string, role: Role): Promise<boolean> {
  const result = await db
    .updateTable("memberships")
    .set({ role, updated_at: nowIso() })
    .where("study_id", "=", studyId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Adds the member only if absent: accepting an invitation never demotes an existing member. */
export async function insertMembershipIfAbsent(db: Executor, studyId: string, userId: string, role: Role) {
  const now = nowIso();
  await db
    .insertInto("memberships")
    .values({ study_id: studyId, user_id: userId, role, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(["study_id", "user_id"]).doNothing())
    .execute();
}

/** Every study's pilots and member count, for the administration overview (no content). */
export function listMembershipSummaries(db: Executor) {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.study_id", "memberships.role", "users.name"])
    .orderBy("users.name")
    .execute();
}
