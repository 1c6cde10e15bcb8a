import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Database } from "./schema";

export type DB = Kysely<Database>;

export interface DatabaseHandle {
  db: DB;
  /** Raw driver handle: only db/ uses it (backup, pragmas, FTS). */
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

/**
 * Opens the one database handle of the process. WAL lets readers run while the collaboration
 * hub writes; synchronous=FULL is set explicitly because better-sqlite3's WAL default (NORMAL)
 * can lose the last commits on a power cut, and Terrain promises that no word is lost.
 */
export function openDatabase(path: string): DatabaseHandle {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    sqlite,
    async close() {
      await db.destroy();
    },
  };
}

export function readPragmas(handle: DatabaseHandle) {
  return {
    journalMode: handle.sqlite.pragma("journal_mode", { simple: true }) as string,
    synchronous: handle.sqlite.pragma("synchronous", { simple: true }) as number,
    foreignKeys: handle.sqlite.pragma("foreign_keys", { simple: true }) as number,
  };
}
