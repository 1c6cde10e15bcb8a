import { type Executor, nowIso } from "./executor";
import { normalizeEmail } from "./users";

export async function recordLoginFailure(db: Executor, email: string) {
  await db.insertInto("login_failures").values({ email: normalizeEmail(email), failed_at: nowIso() }).execute();
}

export async function countRecentLoginFailures(db: Executor, email: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom("login_failures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("email", "=", normalizeEmail(email))
    .where("failed_at", ">", since.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function clearLoginFailures(db: Executor, email: string) {
  await db.deleteFrom("login_failures").where("email", "=", normalizeEmail(email)).execute();
}
