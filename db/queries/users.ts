import type { NewUser, User, UserUpdate } from "../schema";
import { type Executor, newId, nowIso } from "./executor";

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function insertUser(
  db: Executor,
  values: Omit<NewUser, "id" | "created_at" | "updated_at"> & { id?: string },
): Promise<User> {
  const now = nowIso();
  return db
    .insertInto("users")
    .values({ id: newId(), created_at: now, updated_at: now, ...values, email: normalizeEmail(values.email) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findUserById(db: Executor, id: string) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom("users").selectAll().where("email", "=", normalizeEmail(email)).executeTakeFirst();
}

export async function updateUser(db: Executor, id: string, values: Omit<UserUpdate, "id">) {
  await db
    .updateTable("users")
    .set({ ...values, updated_at: nowIso() })
    .where("id", "=", id)
    .execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteUser(db: Executor, id: string) {
  await db.deleteFrom("users").where("id", "=", id).execute();
}
