import type { AppLoadContext } from "@remix-run/node";
import type { DB } from "../../db/client";
import { replaceInvitation } from "../../db/queries/invitations";
import { listMembershipSummaries, upsertMembership } from "../../db/queries/memberships";
import { insertStudy, listAllStudies } from "../../db/queries/studies";
import { findUserByEmail, insertUser } from "../../db/queries/users";
import { insertStartingPoint } from "../../db/seed/starting-point";
import { notFound } from "./access.server";
import { DEFAULT_USER_COLOR } from "./accounts.server";
import { requireUser } from "./session.server";
import { INVITATION_TTL_MS, newToken } from "./tokens.server";

/** The administration exists only for administrators: anyone else sees the same 404 as a bad URL. */
export async function requireAdmin(request: Request, context: AppLoadContext) {
  const user = await requireUser(request, context);
  if (user.is_admin !== 1) notFound();
  return user;
}

/** Every study with its pilots' names and member count, and nothing of its content. */
export async function listStudiesForAdmin(db: DB) {
  const [studies, memberships] = await Promise.all([listAllStudies(db), listMembershipSummaries(db)]);
  return studies.map((s) => {
    const members = memberships.filter((m) => m.study_id === s.id);
    return {
      id: s.id,
      title: s.title,
      startsOn: s.starts_on,
      endsOn: s.ends_on,
      pilots: members.filter((m) => m.role === "pilote").map((m) => m.name),
      memberCount: members.length,
    };
  });
}

export interface NewStudyInput {
  title: string;
  summary: string;
  startsOn: string | null;
  endsOn: string | null;
  pilotEmail: string;
  pilotName: string;
}

export type CreatedStudy =
  | { studyId: string; pilot: { kind: "member"; name: string } }
  | { studyId: string; pilot: { kind: "invited"; email: string; token: string } };

/**
 * Creates the study with the demo's typology and grid as a starting point and names its first
 * pilot: an existing account becomes pilot at once; otherwise a not-yet-activated account keeps
 * the given name and an invitation lets the person set a password. The administrator is not
 * made a member.
 */
export async function createStudyWithPilot(db: DB, adminId: string, input: NewStudyInput): Promise<CreatedStudy> {
  return db.transaction().execute(async (trx): Promise<CreatedStudy> => {
    const study = await insertStudy(trx, {
      title: input.title,
      summary: input.summary,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      created_by: adminId,
    });
    await insertStartingPoint(trx, study.id);
    const existing = await findUserByEmail(trx, input.pilotEmail);
    if (existing?.password_hash) {
      await upsertMembership(trx, study.id, existing.id, "pilote");
      return { studyId: study.id, pilot: { kind: "member", name: existing.name } };
    }
    if (!existing) {
      await insertUser(trx, { email: input.pilotEmail, name: input.pilotName, color: DEFAULT_USER_COLOR, password_hash: null });
    }
    const { token, hash } = newToken();
    const invitation = await replaceInvitation(trx, {
      studyId: study.id,
      email: input.pilotEmail,
      role: "pilote",
      tokenHash: hash,
      createdBy: adminId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    });
    return { studyId: study.id, pilot: { kind: "invited", email: invitation.email, token } };
  });
}
