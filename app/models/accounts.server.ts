import { data } from "@remix-run/node";
import type { DB } from "../../db/client";
import { findInvitationByTokenHash, markInvitationAccepted } from "../../db/queries/invitations";
import { insertMembershipIfAbsent } from "../../db/queries/memberships";
import { findPasswordResetByTokenHash, markPasswordResetUsed } from "../../db/queries/password-resets";
import { deleteUserSessions } from "../../db/queries/sessions";
import { findUserByEmail, findUserById, insertUser, updateUser } from "../../db/queries/users";
import type { Invitation } from "../../db/schema";
import { hashPassword, verifyPassword } from "./password.server";
import { hashToken } from "./tokens.server";

export const DEFAULT_USER_COLOR = "#2563eb";

/** Why a link no longer opens anything; the pages show the matching French sentence. */
export type UnusableReason = "unknown" | "expired" | "revoked" | "used";

/** Unknown links answer 404 and used-up ones 410; the page gives the French explanation. */
export const unusableLink = <R extends UnusableReason>(reason: R) => data({ unusable: reason }, { status: reason === "unknown" ? 404 : 410 });

export type InvitationLookup =
  | {
      ok: true;
      invitation: Invitation & { study_title: string };
      /** The account already holding the invited address, when it has a password. */
      account: { id: string; name: string } | null;
      /** The name an administrator gave a not-yet-activated account, to prefill the form. */
      suggestedName: string;
    }
  | { ok: false; reason: UnusableReason };

export async function readInvitation(db: DB, token: string): Promise<InvitationLookup> {
  const invitation = await findInvitationByTokenHash(db, hashToken(token));
  if (!invitation) return { ok: false, reason: "unknown" };
  if (invitation.accepted_at) return { ok: false, reason: "used" };
  if (invitation.revoked_at) return { ok: false, reason: "revoked" };
  if (invitation.expires_at <= new Date().toISOString()) return { ok: false, reason: "expired" };
  const user = await findUserByEmail(db, invitation.email);
  const activated = user && user.password_hash !== null;
  return {
    ok: true,
    invitation,
    account: activated ? { id: user.id, name: user.name } : null,
    suggestedName: user && !activated ? user.name : "",
  };
}

/**
 * Creates (or activates) the invited person's account, adds the membership and uses up the
 * invitation, all or nothing. Returns the new user's id, or why the invitation no longer works.
 */
export async function acceptInvitationWithNewAccount(
  db: DB,
  invitation: Invitation,
  input: { name: string; password: string },
): Promise<{ ok: true; userId: string } | { ok: false; reason: UnusableReason }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    if (!(await markInvitationAccepted(trx, invitation.id))) return { ok: false, reason: "used" } as const;
    const existing = await findUserByEmail(trx, invitation.email);
    if (existing?.password_hash) return { ok: false, reason: "used" } as const;
    let userId: string;
    if (existing) {
      await updateUser(trx, existing.id, { name: input.name, password_hash: passwordHash });
      userId = existing.id;
    } else {
      userId = (await insertUser(trx, { email: invitation.email, name: input.name, color: DEFAULT_USER_COLOR, password_hash: passwordHash }))
        .id;
    }
    await insertMembershipIfAbsent(trx, invitation.study_id, userId, invitation.role);
    return { ok: true, userId } as const;
  });
}

/** Adds an existing account to the study; an existing membership keeps its role. */
export async function acceptInvitationAsUser(db: DB, invitation: Invitation, userId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await markInvitationAccepted(trx, invitation.id))) return false;
    await insertMembershipIfAbsent(trx, invitation.study_id, userId, invitation.role);
    return true;
  });
}

export type ResetLookup =
  | { ok: true; reset: { id: string; userId: string; userName: string } }
  | { ok: false; reason: Exclude<UnusableReason, "revoked"> };

export async function readPasswordReset(db: DB, token: string): Promise<ResetLookup> {
  const reset = await findPasswordResetByTokenHash(db, hashToken(token));
  if (!reset) return { ok: false, reason: "unknown" };
  if (reset.used_at) return { ok: false, reason: "used" };
  if (reset.expires_at <= new Date().toISOString()) return { ok: false, reason: "expired" };
  return { ok: true, reset: { id: reset.id, userId: reset.user_id, userName: reset.user_name } };
}

/** Stores the new password, uses up the link and ends every session of the account (a thief's too). */
export async function resetPassword(db: DB, reset: { id: string; userId: string }, password: string): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (!(await markPasswordResetUsed(trx, reset.id))) return false;
    await updateUser(trx, reset.userId, { password_hash: passwordHash });
    await deleteUserSessions(trx, reset.userId);
    return true;
  });
}

export async function updateProfile(db: DB, userId: string, values: { name: string; color: string }) {
  await updateUser(db, userId, { name: values.name, color: values.color.toLowerCase() });
}

/** Checks the current password, stores the new one and logs out every other session. */
export async function changePassword(
  db: DB,
  user: { id: string; session_id: string },
  current: string,
  next: string,
): Promise<boolean> {
  const row = await findUserById(db, user.id);
  if (!row || !(await verifyPassword(row.password_hash, current))) return false;
  const passwordHash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { password_hash: passwordHash });
    await deleteUserSessions(trx, user.id, user.session_id);
  });
  return true;
}
