import { hashPassword } from "../app/models/password.server";
import type { DB } from "../db/client";
import { seedDemo } from "../db/seed/demo";

/** Loads the whole demo study: its rows, then the content of its reports. */
export async function loadDemo(db: DB): Promise<void> {
  await seedDemo(db, hashPassword);
}
