import type { AppLoadContext } from "@remix-run/node";
import type { DB } from "../../db/client";
import { replaceInvitation, revokeInvitation } from "../../db/queries/invitations";
import { countPilots, deleteMembership, findMembership, updateMembershipRole } from "../../db/queries/memberships";
import { replacePasswordReset } from "../../db/queries/password-resets";
import { findUserByEmail, findUserById } from "../../db/queries/users";
import type { Role } from "../../db/schema";
import { INVITATION_TTL_MS, newToken, PASSWORD_RESET_TTL_MS } from "./tokens.server";

export type TeamError = "unknownMember" | "lastPilot" | "alreadyMember" | "unknownInvitation";
export type TeamResult<T = object> = ({ ok: true } & T) | { ok: false; error: TeamError };

/**
 * Changes a member's role within this study. Checked and written in one transaction so two
 * pilots demoting each other at the same moment cannot leave the study without a pilot.
 */
export async function changeMemberRole(
  context: AppLoadContext,
  studyId: string,
  userId: string,
  role: Role,
): Promise<TeamResult<{ name: string }>> {
  const result = await context.db.transaction().execute(async (trx): Promise<TeamResult> => {
    const membership = await findMembership(trx, studyId, userId);
    if (!membership) return { ok: false, error: "unknownMember" };
    if (membership.role === "pilote" && role !== "pilote" && (await countPilots(trx, studyId)) <= 1) {
      return { ok: false, error: "lastPilot" };
    }
    await updateMembershipRole(trx, studyId, userId, role);
    return { ok: true };
  });
  if (!result.ok) return result;
  context.collab.membershipChanged(studyId, userId);
  return { ok: true, name: await userName(context.db, userId) };
}

export async function removeMember(context: AppLoadContext, studyId: string, userId: string): Promise<TeamResult<{ name: string }>> {
  const name = await userName(context.db, userId);
  const result = await context.db.transaction().execute(async (trx): Promise<TeamResult> => {
    const membership = await findMembership(trx, studyId, userId);
    if (!membership) return { ok: false, error: "unknownMember" };
    if (membership.role === "pilote" && (await countPilots(trx, studyId)) <= 1) return { ok: false, error: "lastPilot" };
    await deleteMembership(trx, studyId, userId);
    return { ok: true };
  });
  if (!result.ok) return result;
  context.collab.membershipChanged(studyId, userId);
  return { ok: true, name };
}

/** For the confirmation message; callers have already checked the membership. */
async function userName(db: DB, userId: string): Promise<string> {
  return (await findUserById(db, userId))?.name ?? "";
}

/** A new invitation (replacing a pending one for the same address); its token goes in the link only. */
export async function inviteToStudy(
  db: DB,
  input: { studyId: string; email: string; role: Role; invitedBy: string | null },
): Promise<TeamResult<{ token: string; email: string }>> {
  const existing = await findUserByEmail(db, input.email);
  if (existing && (await findMembership(db, input.studyId, existing.id))) return { ok: false, error: "alreadyMember" };
  const { token, hash } = newToken();
  const invitation = await replaceInvitation(db, {
    studyId: input.studyId,
    email: input.email,
    role: input.role,
    tokenHash: hash,
    createdBy: input.invitedBy,
    expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
  });
  return { ok: true, token, email: invitation.email };
}

export async function revokeStudyInvitation(db: DB, studyId: string, invitationId: string): Promise<TeamResult> {
  return (await revokeInvitation(db, studyId, invitationId)) ? { ok: true } : { ok: false, error: "unknownInvitation" };
}

/** A reset link for a member of THIS study only: a pilot cannot reach other studies' users. */
export async function createPasswordResetLink(
  db: DB,
  studyId: string,
  userId: string,
  createdBy: string,
): Promise<TeamResult<{ token: string; name: string }>> {
  if (!(await findMembership(db, studyId, userId))) return { ok: false, error: "unknownMember" };
  const name = await userName(db, userId);
  const { token, hash } = newToken();
  await replacePasswordReset(db, { userId, tokenHash: hash, createdBy, expiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MS) });
  return { ok: true, token, name };
}
