import { getSchema, type JSONContent } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { contentExtensions } from "../../app/editor/extensions";
import { plainText, wordCount } from "../../app/editor/plain-text";
import type { DB } from "../../db/client";
import { touchDocumentEditors } from "../../db/queries/document-editors";
import { updateDocumentDerived } from "../../db/queries/documents";
import { CONTENT_FIELD } from "./persistence";

let schema: Schema | undefined;
/** The editor's schema, built once from the shared extension list. */
export const editorSchema = (): Schema => (schema ??= getSchema(contentExtensions()));

/**
 * Tiptap JSON of a document state. Always converts a THROWAWAY copy: converting with a schema
 * that lacks one of the document's nodes deletes that node from the Y.Doc it reads, and on the
 * live document that deletion would reach every collaborator.
 */
export function stateToJSON(state: Uint8Array): JSONContent {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, state);
    return yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(CONTENT_FIELD), editorSchema()).toJSON() as JSONContent;
  } finally {
    copy.destroy();
  }
}

export const docToJSON = (live: Y.Doc): JSONContent => stateToJSON(Y.encodeStateAsUpdate(live));

/** A Yjs update that creates the given content from nothing (templates, demo, first state). */
export function jsonToUpdate(json: JSONContent): Uint8Array {
  const doc = prosemirrorJSONToYDoc(editorSchema(), json, CONTENT_FIELD);
  try {
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** Last edits since the previous derive: who, and when their latest change was stored. */
export type Edits = Map<string, string>;

/** Writes the derived columns and the editors list; the last editor becomes updated_by. */
export async function writeDerived(db: DB, documentId: string, json: JSONContent, edits: Edits): Promise<void> {
  const text = plainText(json);
  const sorted = [...edits].map(([userId, at]) => ({ userId, at })).sort((a, b) => a.at.localeCompare(b.at));
  const last = sorted.at(-1);
  await db.transaction().execute(async (trx) => {
    await updateDocumentDerived(trx, documentId, {
      plainText: text,
      json: JSON.stringify(json),
      wordCount: wordCount(text),
      updatedAt: last?.at,
      updatedBy: last?.userId,
    });
    await touchDocumentEditors(trx, documentId, sorted);
  });
}
