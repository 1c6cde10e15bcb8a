import * as Y from "yjs";
import type { DB } from "../../db/client";
import { appendDocumentUpdates, hasDocumentUpdates, listDocumentUpdates, replaceDocumentUpdates } from "../../db/queries/document-updates";

/** The Y.XmlFragment that holds the ProseMirror content (the Collaboration extension's default). */
export const CONTENT_FIELD = "default";

/**
 * Loads a document by replaying its log in id order, in one Y transaction: no Y.mergeUpdates
 * over many rows (super-linear), and one transaction so observers fire once.
 */
export async function loadYDoc(db: DB, documentId: string): Promise<{ doc: Y.Doc; rows: number }> {
  const rows = await listDocumentUpdates(db, documentId);
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const row of rows) Y.applyUpdate(doc, row);
  });
  return { doc, rows: rows.length };
}

/**
 * Replaces each document's log by its loaded Y.Doc's full state, all in one transaction. The state
 * comes from the Y.Doc (`encodeStateAsUpdate`, linear) rather than Y.mergeUpdates over the rows.
 * The caller guarantees every stored row is already applied to its Y.Doc (no append in flight).
 */
export async function compactDocuments(db: DB, documents: { id: string; doc: Y.Doc }[]): Promise<void> {
  if (documents.length === 0) return;
  const states = documents.map(({ id, doc }) => ({ id, state: Y.encodeStateAsUpdate(doc) }));
  await db.transaction().execute(async (trx) => {
    for (const { id, state } of states) await replaceDocumentUpdates(trx, id, state);
  });
}

/**
 * Writes a first state into a document that has none (demo loading, before any hub exists).
 * Returns false, changing nothing, when the document already has content.
 */
export async function storeInitialState(db: DB, documentId: string, update: Uint8Array): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (await hasDocumentUpdates(trx, documentId)) return false;
    await appendDocumentUpdates(trx, [{ documentId, data: update }]);
    return true;
  });
}
