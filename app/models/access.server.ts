import type { AppLoadContext } from "@remix-run/node";
import { findMembership } from "../../db/queries/memberships";
import { findStudyById } from "../../db/queries/studies";
import type { Role } from "../../db/schema";
import type { CurrentUser } from "./session.server";

const RANK: Record<Role, number> = { lecteur: 0, membre: 1, pilote: 2 };

export const roleAtLeast = (role: Role, minimum: Role) => RANK[role] >= RANK[minimum];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

export function notFound(): never {
  throw new Response("Introuvable", { status: 404 });
}

export function forbidden(): never {
  throw new Response("Accès refusé", { status: 403 });
}

/**
 * The study and the user's role in it. A non-member gets 404, exactly like an unknown study,
 * so that study ids reveal nothing; a member below `minimum` gets 403. Being an instance
 * administrator grants nothing here.
 */
export async function requireStudyRole(
  context: AppLoadContext,
  user: CurrentUser,
  studyId: string | undefined,
  minimum: Role = "lecteur",
) {
  if (!isUuid(studyId)) notFound();
  const membership = await findMembership(context.db, studyId, user.id);
  if (!membership) notFound();
  const study = await findStudyById(context.db, studyId);
  if (!study) notFound();
  if (!roleAtLeast(membership.role, minimum)) forbidden();
  return { study, role: membership.role };
}
