import { type Executor, nowIso } from "./executor";
import { linkTokenColumns, type LinkTokenValues } from "./link-tokens";

/** Stores a new reset link and cancels the user's earlier unused ones: only the newest works. */
export async function replacePasswordReset(
  db: Executor,
  values: { userId: string } & LinkTokenValues,
) {
  const now = nowIso();
  await db
    .updateTable("password_resets")
    .set({ used_at: now })
    .where("user_id", "=", values.userId)
    .where("used_at", "is", null)
    .execute();
  return db
    .insertInto("password_resets")
    .values({ ...linkTokenColumns(values, now), user_id: values.userId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The reset with its user's name and email, whatever its state. */
export function findPasswordResetByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom("password_resets")
    .innerJoin("users", "users.id", "password_resets.user_id")
    .selectAll("password_resets")
    .select(["users.name as user_name", "users.email as user_email"])
    .where("password_resets.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** Marks the reset used; false when it already was (a double submit). */
export async function markPasswordResetUsed(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable("password_resets")
    .set({ used_at: nowIso() })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
