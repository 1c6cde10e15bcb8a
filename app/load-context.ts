import type { JSONContent } from "@tiptap/core";
import type { DB } from "../db/client";

/** What the server hands every loader and action: the one database handle and the live hub. */
export interface TerrainContext {
  db: DB;
  config: {
    sessionSecret: string;
    production: boolean;
  };
  collab: CollabControl;
}

/** The collaboration hub as the pages see it: an action can reach the live documents. */
export interface CollabControl {
  /**
   * After a member is removed or changes role: closes their open connections to the study's
   * documents with 4000, so the client reconnects under the new role (or is refused).
   */
  membershipChanged(studyId: string, userId: string): void;
  /**
   * Writes a new document's first state (its template, as Tiptap JSON) as the server, never a
   * browser; a document that already has content is left as it is.
   */
  initializeDocument(documentId: string, content: JSONContent): Promise<void>;
  /** Stores the document's current state as a labelled version. */
  saveVersion(documentId: string, label: string, userId: string): Promise<void>;
  /**
   * Saves the current state as a version, then replaces the content with the version's in one
   * change that every collaborator receives.
   */
  restoreVersion(documentId: string, versionId: string, userId: string): Promise<void>;
  /** A stored version's content as Tiptap JSON, for a read-only view. */
  versionContent(documentId: string, versionId: string): Promise<JSONContent | null>;
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends TerrainContext {}
}
