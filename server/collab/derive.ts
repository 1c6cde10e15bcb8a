import { getSchema, type JSONContent } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { contentExtensions } from "../../app/editor/extensions";
import { findingsMap } from "../../app/editor/findings";
import { plainTextWithFindings, wordCount } from "../../app/editor/plain-text";
import type { DB } from "../../db/client";
import { touchDocumentEditors } from "../../db/queries/document-editors";
import { updateDocumentDerived } from "../../db/queries/documents";
import { type Executor, nowIso } from "../../db/queries/executor";
import { findingsFingerprint, syncFindings, type FindingWriters } from "./findings";
import { CONTENT_FIELD } from "./persistence";

let schema: Schema | undefined;
/** The editor's schema, built once from the shared extension list. */
export const editorSchema = (): Schema => (schema ??= getSchema(contentExtensions()));

/**
 * Tiptap JSON of a document state. Always converts a THROWAWAY copy: converting with a schema
 * that lacks one of the document's nodes deletes that node from the Y.Doc it reads, and on the
 * live document that deletion would reach every collaborator.
 */
function readCopy<T>(state: Uint8Array, read: (copy: Y.Doc) => T): T {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, state);
    return read(copy);
  } finally {
    copy.destroy();
  }
}

const contentJSON = (copy: Y.Doc): JSONContent =>
  yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(CONTENT_FIELD), editorSchema()).toJSON() as JSONContent;

export const stateToJSON = (state: Uint8Array): JSONContent => readCopy(state, contentJSON);

export const docToJSON = (live: Y.Doc): JSONContent => stateToJSON(Y.encodeStateAsUpdate(live));

/** What derive reads from one copy of the state: the content and the findings' tags. */
export interface DocumentSnapshot {
  json: JSONContent;
  findings: Record<string, unknown>;
}

export const stateSnapshot = (state: Uint8Array): DocumentSnapshot =>
  readCopy(state, (copy) => ({ json: contentJSON(copy), findings: findingsMap(copy).toJSON() }));

export const docSnapshot = (live: Y.Doc): DocumentSnapshot => stateSnapshot(Y.encodeStateAsUpdate(live));

/** A Yjs update that creates the given content from nothing (templates, demo, first state). */
export function jsonToUpdate(json: JSONContent): Uint8Array {
  const doc = prosemirrorJSONToYDoc(editorSchema(), json, CONTENT_FIELD);
  try {
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Builds the editor schema and runs the conversion code once, at start-up: otherwise the first
 * derive of a process pays for it (20–40 ms measured) on the event loop, in the middle of typing.
 */
export function warmUpDerive(): void {
  const json = stateToJSON(jsonToUpdate({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Terrain" }] }] }));
  plainTextWithFindings(json);
}

/** Last edits since the previous derive: who, and when their latest change was stored. */
export type Edits = Map<string, string>;

/** What the previous derive left: who wrote the findings' tags since, and its fingerprint. */
export interface DeriveKnown {
  writers?: FindingWriters;
  previous?: string | null;
}

/**
 * Writes the derived columns, the editors list and the findings; the last editor becomes
 * updated_by. Returns the findings' fingerprint: given back as `previous` on the next derive, an
 * unchanged one skips the findings' queries. Call it in a transaction: the hub writes several
 * documents in one, so a busy server does not commit (and fsync) once per document.
 */
export async function writeDerivedIn(
  trx: Executor,
  documentId: string,
  { json, findings }: DocumentSnapshot,
  edits: Edits,
  known: DeriveKnown = {},
): Promise<string> {
  const content = plainTextWithFindings(json);
  const text = content.text;
  const fingerprint = findingsFingerprint(content, findings);
  const sorted = [...edits].map(([userId, at]) => ({ userId, at })).sort((a, b) => a.at.localeCompare(b.at));
  const last = sorted.at(-1);
  await updateDocumentDerived(trx, documentId, {
    plainText: text,
    json: JSON.stringify(json),
    wordCount,
    updatedAt: last?.at,
    updatedBy: last?.userId,
  });
  await touchDocumentEditors(trx, documentId, sorted);
  if (fingerprint !== known.previous) {
    await syncFindings(trx, documentId, content, findings, { writers: known.writers ?? new Map(), lastEditor: last?.userId ?? null }, nowIso());
  }
  return fingerprint;
}

/** writeDerivedIn for one document, in its own transaction. */
export function writeDerived(
  db: DB,
  documentId: string,
  snapshot: DocumentSnapshot,
  edits: Edits,
  known: DeriveKnown = {},
): Promise<string> {
  return db.transaction().execute((trx) => writeDerivedIn(trx, documentId, snapshot, edits, known));
}
