import { sql } from "kysely";
import type { Executor } from "./executor";

/**
 * Results computed over a study's findings (matrix, co-occurrences, counts), kept per database
 * handle and study while the study's findings version stays the same. Triggers (migration 0003)
 * bump that version on every write that can change such a result, whoever the writer is, so a
 * cached value is never stale; the version check itself is one primary-key read.
 */
const MAX_ENTRIES = 500;
const caches = new WeakMap<Executor, Map<string, { version: number; value: unknown }>>();

export async function cachedForStudy<T>(db: Executor, studyId: string, name: string, compute: () => Promise<T>): Promise<T> {
  const row = await sql<{ version: number }>`select version from findings_versions where study_id = ${studyId}`.execute(db);
  const version = Number(row.rows[0]?.version ?? 0);
  let entries = caches.get(db);
  if (!entries) caches.set(db, (entries = new Map()));
  const key = `${studyId}:${name}`;
  const hit = entries.get(key);
  if (hit && hit.version === version) {
    // Most recently used last, so the oldest entry is the first one evicted.
    entries.delete(key);
    entries.set(key, hit);
    return hit.value as T;
  }
  const value = await compute();
  entries.delete(key);
  entries.set(key, { version, value });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return value;
}
