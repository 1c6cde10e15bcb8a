import type { JSONContent } from "@tiptap/core";
import { Node } from "@tiptap/pm/model";
import { prosemirrorToYXmlFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { findingsMap, type FindingTags } from "../../app/editor/findings";
import { plainTextWithFindings } from "../../app/editor/plain-text";
import { collab as labels } from "../../app/i18n/collab";
import type { DB } from "../../db/client";
import { findDocumentVersion, insertDocumentVersion } from "../../db/queries/document-versions";
import { editorSchema, stateSnapshot, stateToJSON } from "./derive";
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

/** Who applies a restore: the restoring user for the content, nobody for the tags it brings back. */
export interface RestoreOrigins {
  content: unknown;
  /** No author: a finding brought back keeps the author its entry names (docs/decisions/0006). */
  findings: unknown;
}

/**
 * Saves the current state as « Avant restauration de … », then replaces the live content with the
 * version's: collaborators receive one update, persisted like any other. A finding deleted since
 * the version comes back with its passages: its entry is copied from the version when the live
 * document no longer has one (the tags of findings still there are left as they are now).
 * Returns false when the version does not belong to the document.
 */
export async function restoreSnapshot(
  db: DB,
  documentId: string,
  live: Y.Doc,
  versionId: string,
  userId: string,
  origins: RestoreOrigins,
): Promise<boolean> {
  const version = await findDocumentVersion(db, documentId, versionId);
  if (!version) return false;
  // Converted through the schema from a throwaway doc: the restored content is what the editor
  // can show, and the live document is only ever written, never converted.
  const { json, findings } = stateSnapshot(version.snapshot);
  const content = Node.fromJSON(editorSchema(), json);
  await saveSnapshot(db, documentId, live, { label: labels.beforeRestore(version.label), userId, automatic: false });
  const entries = findingsMap(live);
  // The passages as derive finds them: a finding brought back is one the findings list will show.
  const marked = plainTextWithFindings(json).passages.keys();
  const deleted = [...marked].filter((id) => id in findings && !entries.has(id));
  // Two transactions in one event-loop turn: the hub stores and relays them as one update.
  live.transact(() => {
    const fragment = live.getXmlFragment(CONTENT_FIELD);
    fragment.delete(0, fragment.length);
    prosemirrorToYXmlFragment(content, fragment);
  }, origins.content);
  if (deleted.length > 0) {
    live.transact(() => {
      for (const id of deleted) entries.set(id, findings[id] as FindingTags);
    }, origins.findings);
  }
  return true;
}
