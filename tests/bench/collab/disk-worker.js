// The disk probe's thread (started by disk.ts): its commits block this thread only, never the
// harness's probe clients, whose receive times are the measured latencies. Plain JavaScript: a
// worker thread does not get the TypeScript loader of the process that starts it.
import SQLite from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";

/** @type {{ path: string, intervalMs: number }} */
const { path, intervalMs } = workerData;
const sqlite = new SQLite(path);
sqlite.pragma("journal_mode = WAL");
sqlite.pragma("synchronous = FULL");
sqlite.exec("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, document_id TEXT, data BLOB, created_at TEXT)");
sqlite.exec("CREATE INDEX IF NOT EXISTS probe_document ON probe (document_id, id)");
const insert = sqlite.prepare("INSERT INTO probe (document_id, data, created_at) VALUES (?, ?, ?)");
const commit = sqlite.transaction(() => insert.run("d", Buffer.alloc(80), new Date().toISOString()));

/** @type {number[]} */
const durations = [];
const timer = setInterval(() => {
  const start = performance.now();
  commit();
  durations.push(performance.now() - start);
}, intervalMs);

parentPort?.once("message", () => {
  clearInterval(timer);
  sqlite.close();
  parentPort?.postMessage(durations);
});
