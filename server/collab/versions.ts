import type { JSONContent } from "@tiptap/core";
import { Node } from "@tiptap/pm/model";
import { prosemirrorToYXmlFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { collab as labels } from "../../app/i18n/collab";
import type { DB } from "../../db/client";
import { findDocumentVersion, insertDocumentVersion } from "../../db/queries/document-versions";
import { editorSchema, stateToJSON } from "./derive";
import { CONTENT_FIELD } from "./persistence";

/** Stores the live document's full state (not a diff) so a version stands on its own. */
export function saveSnapshot(
  db: DB,
  documentId: string,
  live: Y.Doc,
  values: { label: string; userId: string | null; automatic: boolean },
) {
  return insertDocumentVersion(db, {
    documentId,
    label: values.label,
    automatic: values.automatic,
    snapshot: Y.encodeStateAsUpdate(live),
    createdBy: values.userId,
  });
}

export async function versionJSON(db: DB, documentId: string, versionId: string): Promise<JSONContent | null> {
  const version = await findDocumentVersion(db, documentId, versionId);
  return version ? stateToJSON(version.snapshot) : null;
}

/**
 * Saves the current state as « Avant restauration de … », then replaces the live content with the
 * version's in ONE Y transaction: collaborators receive one update, persisted like any other.
 * Returns false when the version does not belong to the document.
 */
export async function restoreSnapshot(
  db: DB,
  documentId: string,
  live: Y.Doc,
  versionId: string,
  userId: string,
  origin: unknown,
): Promise<boolean> {
  const version = await findDocumentVersion(db, documentId, versionId);
  if (!version) return false;
  // Converted through the schema from a throwaway doc: the restored content is what the editor
  // can show, and the live document is only ever written, never converted.
  const content = Node.fromJSON(editorSchema(), stateToJSON(version.snapshot));
  await saveSnapshot(db, documentId, live, { label: labels.beforeRestore(version.label), userId, automatic: false });
  live.transact(() => {
    const fragment = live.getXmlFragment(CONTENT_FIELD);
    fragment.delete(0, fragment.length);
    prosemirrorToYXmlFragment(content, fragment);
  }, origin);
  return true;
}
