import type { IncomingMessage } from "node:http";
import { isUuid } from "../../app/models/access.server";
import { sessionCookie } from "../../app/models/session.server";
import type { DB } from "../../db/client";
import { findDocument } from "../../db/queries/documents";
import { findMembership } from "../../db/queries/memberships";
import { findSessionUser } from "../../db/queries/sessions";
import type { Role } from "../../db/schema";
import { EDITOR_SCHEMA_VERSION } from "../../app/editor/extensions";
import { CLOSE, type CloseCode } from "./close-codes";
import type { PresenceUser } from "./presence";

export interface SessionConfig {
  sessionSecret: string;
  production: boolean;
}

export interface CollabTarget {
  documentId: string;
  /** The tab's editor schema version; null when the client sent none (treated as current). */
  schema: number | null;
}

/** `/collab/<uuid>?schema=N` → the target, or null for any other path (answered with a 404). */
export function parseCollabTarget(url: string | undefined): CollabTarget | "malformed" | null {
  if (!url) return null;
  const parsed = new URL(url, "http://terrain.invalid");
  const match = /^\/collab\/([^/]+)$/.exec(parsed.pathname);
  if (!match || !isUuid(match[1])) return null;
  const raw = parsed.searchParams.get("schema");
  if (raw === null) return { documentId: match[1].toLowerCase(), schema: null };
  const schema = Number(raw);
  return Number.isInteger(schema) && schema >= 0 ? { documentId: match[1].toLowerCase(), schema } : "malformed";
}

export interface CollabIdentity {
  userId: string;
  /** As the others see this connection present, whatever its client announces. */
  presence: PresenceUser;
  studyId: string;
  role: Role;
  readOnly: boolean;
}

/**
 * Session cookie → user; document → study → membership. An unknown document and a document of
 * a study the user does not belong to get the same answer, so ids cannot be probed.
 */
export async function authorizeUpgrade(
  db: DB,
  session: SessionConfig,
  request: IncomingMessage,
  target: CollabTarget,
): Promise<CollabIdentity | { refused: CloseCode }> {
  const sessionId: unknown = await sessionCookie(session).parse(request.headers.cookie ?? null);
  if (typeof sessionId !== "string" || sessionId === "") return { refused: CLOSE.unauthenticated };
  const user = await findSessionUser(db, sessionId);
  if (!user) return { refused: CLOSE.unauthenticated };
  const document = await findDocument(db, target.documentId);
  const membership = document ? await findMembership(db, document.study_id, user.id) : undefined;
  if (!document || !membership) return { refused: CLOSE.notFound };
  if (target.schema !== null && target.schema < EDITOR_SCHEMA_VERSION) return { refused: CLOSE.oldSchema };
  return {
    userId: user.id,
    presence: { id: user.id, name: user.name, color: user.color },
    studyId: document.study_id,
    role: membership.role,
    readOnly: membership.role === "lecteur",
  };
}
