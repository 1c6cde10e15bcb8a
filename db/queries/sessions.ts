import { type Executor, nowIso } from "./executor";

export async function insertSession(db: Executor, values: { id: string; userId: string; expiresAt: Date }) {
  await db
    .insertInto("sessions")
    .values({ id: values.id, user_id: values.userId, created_at: nowIso(), expires_at: values.expiresAt.toISOString() })
    .execute();
}

/** The session's user, if the session exists and has not expired. */
export function findSessionUser(db: Executor, sessionId: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as session_id",
      "sessions.expires_at",
      "users.id",
      "users.email",
      "users.name",
      "users.color",
      "users.is_admin",
    ])
    .where("sessions.id", "=", sessionId)
    .where("sessions.expires_at", ">", nowIso())
    .executeTakeFirst();
}

export async function deleteSession(db: Executor, sessionId: string) {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

export async function deleteUserSessions(db: Executor, userId: string, exceptSessionId?: string) {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (exceptSessionId) query = query.where("id", "!=", exceptSessionId);
  await query.execute();
}

export async function deleteExpiredSessions(db: Executor) {
  await db.deleteFrom("sessions").where("expires_at", "<=", nowIso()).execute();
}
