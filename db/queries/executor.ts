import type { Kysely } from "kysely";
import type { Database } from "../schema";

/** A Kysely handle or a transaction: every query function takes one, so callers can compose. */
export type Executor = Kysely<Database>;

export const newId = (): string => crypto.randomUUID();
export const nowIso = (): string => new Date().toISOString();
