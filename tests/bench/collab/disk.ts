import SQLite from "better-sqlite3";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { percentile, sleep } from "./stats";

/** About the rate of Terrain's turn commits at 50 clients × 2/s. */
const COMMIT_INTERVAL_MS = 15;

/**
 * The disk's own durable commit, timed just before a run: the commit of one of Terrain's turns
 * (one small row and its index entry, WAL, synchronous=FULL) at the same rate, in a scratch
 * database beside the run's, with nothing else running. A server that fsyncs before relaying
 * cannot have a better tail than this: when the disk stalls here, Terrain's p99 shows it too.
 */
export async function probeDisk(dir: string, durationMs = 3000): Promise<Record<string, number>> {
  const path = join(dir, "disk-probe.sqlite");
  const sqlite = new SQLite(path);
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.exec("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, document_id TEXT, data BLOB, created_at TEXT)");
    sqlite.exec("CREATE INDEX IF NOT EXISTS probe_document ON probe (document_id, id)");
    const insert = sqlite.prepare("INSERT INTO probe (document_id, data, created_at) VALUES (?, ?, ?)");
    const commit = sqlite.transaction(() => insert.run("d", Buffer.alloc(80), new Date().toISOString()));
    const durations: number[] = [];
    for (const end = Date.now() + durationMs; Date.now() < end; await sleep(COMMIT_INTERVAL_MS)) {
      const start = performance.now();
      commit();
      durations.push(performance.now() - start);
    }
    durations.sort((a, b) => a - b);
    return {
      diskCommitP50Ms: percentile(durations, 50),
      diskCommitP99Ms: percentile(durations, 99),
      diskCommitMaxMs: durations.at(-1) ?? Number.NaN,
    };
  } finally {
    sqlite.close();
    rmSync(path, { force: true });
  }
}
