import { hashPassword } from "../../app/models/password.server";
import { newToken } from "../../app/models/tokens.server";
import type { DB } from "../../db/client";
import { insertDocument } from "../../db/queries/documents";
import { insertDynamic, insertDynamicType } from "../../db/queries/dynamics";
import { replaceInvitation } from "../../db/queries/invitations";
import { insertMeeting, setMeetingDynamics } from "../../db/queries/meetings";
import { upsertMembership } from "../../db/queries/memberships";
import { insertStudy } from "../../db/queries/studies";
import { insertUser } from "../../db/queries/users";
import type { NewDynamic, NewMeeting, NewStudy, NewUser, Role } from "../../db/schema";

export const TEST_PASSWORD = "mot-de-passe-de-test";
let passwordHash: Promise<string> | undefined;
let counter = 0;
const unique = () => `${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

export async function createUser(db: DB, overrides: Partial<NewUser> = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const n = unique();
  return insertUser(db, {
    email: `personne-${n}@example.org`,
    name: `Personne ${n}`,
    color: "#2563eb",
    password_hash: await passwordHash,
    ...overrides,
  });
}

export async function createStudy(db: DB, overrides: Partial<NewStudy> = {}) {
  return insertStudy(db, { title: `Étude ${unique()}`, summary: "", starts_on: null, ends_on: null, ...overrides });
}

/** A study with one member per role, each able to log in with TEST_PASSWORD. */
export async function createStudyWithTeam(db: DB) {
  const study = await createStudy(db);
  const pilote = await createUser(db, { name: "Paule Pilote" });
  const membre = await createUser(db, { name: "Marc Membre" });
  const lecteur = await createUser(db, { name: "Lou Lecteur" });
  const outsider = await createUser(db, { name: "Omar Extérieur" });
  for (const [user, role] of [
    [pilote, "pilote"],
    [membre, "membre"],
    [lecteur, "lecteur"],
  ] as const) {
    await addMember(db, study.id, user.id, role);
  }
  return { study, pilote, membre, lecteur, outsider };
}

export function addMember(db: DB, studyId: string, userId: string, role: Role) {
  return upsertMembership(db, studyId, userId, role);
}

export async function createDynamicType(db: DB, studyId: string, overrides: { key?: string; label?: string } = {}) {
  const n = unique();
  return insertDynamicType(db, { study_id: studyId, key: `type-${n}`, label: `Type ${n}`, position: counter, ...overrides });
}

export async function createDynamic(db: DB, studyId: string, overrides: Partial<NewDynamic> = {}) {
  const typeId = overrides.type_id ?? (await createDynamicType(db, studyId)).id;
  return insertDynamic(db, { study_id: studyId, type_id: typeId, name: `Dynamique ${unique()}`, territory: "Figeac", ...overrides });
}

/** A visit with its report document record, linked to the given dynamics. */
export async function createMeeting(
  db: DB,
  studyId: string,
  overrides: Partial<NewMeeting> & { dynamicIds?: string[] } = {},
) {
  const { dynamicIds = [], ...values } = overrides;
  const meeting = await insertMeeting(db, {
    study_id: studyId,
    kind: "visite",
    title: `Visite ${unique()}`,
    starts_on: "2026-03-02",
    ends_on: null,
    status: "prevue",
    created_by: null,
    ...values,
  });
  await setMeetingDynamics(db, meeting.id, dynamicIds);
  const report = await insertDocument(db, { studyId, kind: "report", meetingId: meeting.id });
  return { meeting, report };
}

/** A pending invitation and the raw token of its link (only the hash is stored). */
export async function createInvitation(
  db: DB,
  values: { studyId: string; email: string; role: Role; createdBy?: string | null; expiresAt?: Date },
) {
  const { token, hash } = newToken();
  const invitation = await replaceInvitation(db, {
    studyId: values.studyId,
    email: values.email,
    role: values.role,
    tokenHash: hash,
    createdBy: values.createdBy ?? null,
    expiresAt: values.expiresAt ?? new Date(Date.now() + 7 * 24 * 3600 * 1000),
  });
  return { invitation, token };
}

/**
 * A finding row with its factor and dynamic links, written straight to SQLite (what the
 * collaboration server's extraction would store), for read-side tests.
 */
export async function createFinding(
  db: DB,
  values: {
    studyId: string;
    documentId: string;
    kind: string;
    factorIds: readonly string[];
    dynamicIds: readonly string[];
    quote: string;
    audience?: string | null;
    comment?: string;
    createdBy?: string | null;
    orphaned?: boolean;
  },
) {
  const now = new Date().toISOString();
  const finding = await db
    .insertInto("findings")
    .values({
      id: crypto.randomUUID(),
      study_id: values.studyId,
      document_id: values.documentId,
      kind: values.kind,
      audience: values.audience ?? null,
      comment: values.comment ?? "",
      quote: values.quote,
      orphaned_at: values.orphaned ? now : null,
      created_by: values.createdBy ?? null,
      created_at: now,
      updated_at: now,
      updated_by: values.createdBy ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (values.factorIds.length > 0) {
    await db.insertInto("finding_factors").values(values.factorIds.map((factor_id) => ({ finding_id: finding.id, factor_id }))).execute();
  }
  if (values.dynamicIds.length > 0) {
    await db.insertInto("finding_dynamics").values(values.dynamicIds.map((dynamic_id) => ({ finding_id: finding.id, dynamic_id }))).execute();
  }
  return finding;
}
