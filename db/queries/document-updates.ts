import type { DatabaseHandle } from "../client";
import { type Executor, nowIso } from "./executor";

export interface UpdateRow {
  documentId: string;
  data: Uint8Array;
}

// A busy turn can hold thousands of updates: stay well under SQLite's limit of bound parameters.
const APPEND_CHUNK_ROWS = 2_000;

/** Appends one batch of Yjs updates (one event-loop turn) to the document logs. */
export async function appendDocumentUpdates(db: Executor, rows: UpdateRow[]) {
  if (rows.length === 0) return;
  const createdAt = nowIso();
  for (let start = 0; start < rows.length; start += APPEND_CHUNK_ROWS) {
    await db
      .insertInto("document_updates")
      .values(
        rows
          .slice(start, start + APPEND_CHUNK_ROWS)
          .map((row) => ({ document_id: row.documentId, data: row.data, created_at: createdAt })),
      )
      .execute();
  }
}

/**
 * The collaboration hub's hot path: one event-loop turn's updates, appended in one transaction by a
 * statement prepared once. Through Kysely the same commit compiled and prepared three statements
 * and crossed a dozen promises, about 0.3 ms of CPU per turn on the loop that relays keystrokes
 * (bench:collab, docs/benchmarks.md run H). Kysely's connection lock is held meanwhile, so no
 * other request's transaction is open on the handle. SQLite only: on PostgreSQL this is
 * appendDocumentUpdates in a transaction (docs/decisions/0008-durable-turn-commit.md).
 */
export function prepareUpdateAppender({ db, sqlite }: DatabaseHandle): (rows: UpdateRow[]) => Promise<void> {
  const insert = sqlite.prepare("INSERT INTO document_updates (document_id, data, created_at) VALUES (?, ?, ?)");
  const appendAll = sqlite.transaction((rows: UpdateRow[], createdAt: string) => {
    for (const { documentId, data } of rows) {
      insert.run(documentId, Buffer.from(data.buffer, data.byteOffset, data.byteLength), createdAt);
    }
  });
  return async (rows) => {
    if (rows.length === 0) return;
    await db.connection().execute(async () => appendAll(rows, nowIso()));
  };
}

/** The document's update log in the order it was written (the order it must be replayed in). */
export async function listDocumentUpdates(db: Executor, documentId: string): Promise<Uint8Array[]> {
  const rows = await db
    .selectFrom("document_updates")
    .select("data")
    .where("document_id", "=", documentId)
    .orderBy("id")
    .execute();
  return rows.map((row) => row.data);
}

export async function countDocumentUpdates(db: Executor, documentId: string): Promise<number> {
  const row = await db
    .selectFrom("document_updates")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("document_id", "=", documentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Replaces the whole log with one state row; call it in a transaction. */
export async function replaceDocumentUpdates(db: Executor, documentId: string, state: Uint8Array) {
  await db.deleteFrom("document_updates").where("document_id", "=", documentId).execute();
  await db.insertInto("document_updates").values({ document_id: documentId, data: state, created_at: nowIso() }).execute();
}

export async function hasDocumentUpdates(db: Executor, documentId: string): Promise<boolean> {
  const row = await db.selectFrom("document_updates").select("id").where("document_id", "=", documentId).limit(1).executeTakeFirst();
  return row !== undefined;
}
