import type { Role } from "../schema";
import { type Executor, nowIso } from "./executor";
import { linkTokenColumns, type LinkTokenValues } from "./link-tokens";
import { normalizeEmail } from "./users";

/**
 * Stores a new invitation and revokes any pending one for the same address in the study, so the
 * newest link is the only one that works.
 */
export async function replaceInvitation(
  db: Executor,
  values: { studyId: string; email: string; role: Role } & LinkTokenValues,
) {
  const now = nowIso();
  const email = normalizeEmail(values.email);
  await db
    .updateTable("invitations")
    .set({ revoked_at: now })
    .where("study_id", "=", values.studyId)
    .where("email", "=", email)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .execute();
  return db
    .insertInto("invitations")
    .values({ ...linkTokenColumns(values, now), study_id: values.studyId, email, role: values.role })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The invitation with its study's title, whatever its state (the caller tells expired from used). */
export function findInvitationByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom("invitations")
    .innerJoin("studies", "studies.id", "invitations.study_id")
    .selectAll("invitations")
    .select("studies.title as study_title")
    .where("invitations.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** Invitations neither accepted, revoked nor expired, with the name of who sent them. */
export function listPendingInvitations(db: Executor, studyId: string) {
  return db
    .selectFrom("invitations")
    .leftJoin("users", "users.id", "invitations.created_by")
    .select([
      "invitations.id",
      "invitations.email",
      "invitations.role",
      "invitations.expires_at",
      "invitations.created_at",
      "users.name as invited_by",
    ])
    .where("invitations.study_id", "=", studyId)
    .where("invitations.accepted_at", "is", null)
    .where("invitations.revoked_at", "is", null)
    .where("invitations.expires_at", ">", nowIso())
    .orderBy("invitations.created_at", "desc")
    .execute();
}

/** Revokes a pending invitation of this study; false when there is none with that id here. */
export async function revokeInvitation(db: Executor, studyId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable("invitations")
    .set({ revoked_at: nowIso() })
    .where("study_id", "=", studyId)
    .where("id", "=", id)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks the invitation used; false when it was used or revoked meanwhile (a double submit). */
export async function markInvitationAccepted(db: Executor, id: string): Promise<boolean> {
  const result = await db
    .updateTable("invitations")
    .set({ accepted_at: nowIso() })
    .where("id", "=", id)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
