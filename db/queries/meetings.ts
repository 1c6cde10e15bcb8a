import type { MeetingKind, MeetingStatus, MeetingUpdate, NewMeeting, NewMeetingPerson } from "../schema";
import { type Executor, newId, nowIso } from "./executor";

export async function insertMeeting(
  db: Executor,
  values: Omit<NewMeeting, "id" | "created_at" | "updated_at"> & { id?: string },
) {
  const now = nowIso();
  return db
    .insertInto("meetings")
    .values({ id: newId(), created_at: now, updated_at: now, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setMeetingDynamics(db: Executor, meetingId: string, dynamicIds: readonly string[]) {
  await db.deleteFrom("meeting_dynamics").where("meeting_id", "=", meetingId).execute();
  if (dynamicIds.length === 0) return;
  await db
    .insertInto("meeting_dynamics")
    .values(dynamicIds.map((dynamic_id) => ({ meeting_id: meetingId, dynamic_id })))
    .execute();
}

export async function setMeetingMembers(db: Executor, meetingId: string, userIds: readonly string[]) {
  await db.deleteFrom("meeting_members").where("meeting_id", "=", meetingId).execute();
  if (userIds.length === 0) return;
  await db
    .insertInto("meeting_members")
    .values(userIds.map((user_id) => ({ meeting_id: meetingId, user_id })))
    .execute();
}

export async function setMeetingPeople(
  db: Executor,
  meetingId: string,
  people: readonly Omit<NewMeetingPerson, "id" | "meeting_id" | "position">[],
) {
  await db.deleteFrom("meeting_people").where("meeting_id", "=", meetingId).execute();
  if (people.length === 0) return;
  await db
    .insertInto("meeting_people")
    .values(people.map((p, position) => ({ ...p, id: newId(), meeting_id: meetingId, position })))
    .execute();
}

export function findMeeting(db: Executor, studyId: string, id: string) {
  return db.selectFrom("meetings").selectAll().where("study_id", "=", studyId).where("id", "=", id).executeTakeFirst();
}

export async function updateMeeting(db: Executor, studyId: string, id: string, values: Omit<MeetingUpdate, "id" | "study_id">) {
  await db
    .updateTable("meetings")
    .set({ ...values, updated_at: nowIso() })
    .where("study_id", "=", studyId)
    .where("id", "=", id)
    .execute();
}

/** The study's meetings in date order (the timeline), optionally of one kind and status. */
export function listMeetings(db: Executor, studyId: string, filters: { kind?: MeetingKind | null; status?: MeetingStatus | null } = {}) {
  let query = db.selectFrom("meetings").selectAll().where("study_id", "=", studyId);
  if (filters.kind) query = query.where("kind", "=", filters.kind);
  if (filters.status) query = query.where("status", "=", filters.status);
  return query.orderBy("starts_on").orderBy("created_at").execute();
}

/** Every meeting–dynamic link of the study, with the dynamic's name, for lists and the dashboard. */
export function listStudyMeetingDynamics(db: Executor, studyId: string) {
  return db
    .selectFrom("meeting_dynamics")
    .innerJoin("dynamics", "dynamics.id", "meeting_dynamics.dynamic_id")
    .select(["meeting_dynamics.meeting_id", "dynamics.id", "dynamics.name", "dynamics.archived_at"])
    .where("dynamics.study_id", "=", studyId)
    .orderBy("dynamics.name")
    .execute();
}

export function listMeetingDynamics(db: Executor, meetingId: string) {
  return db
    .selectFrom("meeting_dynamics")
    .innerJoin("dynamics", "dynamics.id", "meeting_dynamics.dynamic_id")
    .select(["dynamics.id", "dynamics.name", "dynamics.archived_at"])
    .where("meeting_dynamics.meeting_id", "=", meetingId)
    .orderBy("dynamics.name")
    .execute();
}

export function listMeetingMembers(db: Executor, meetingId: string) {
  return db
    .selectFrom("meeting_members")
    .innerJoin("users", "users.id", "meeting_members.user_id")
    .select(["users.id", "users.name", "users.color"])
    .where("meeting_members.meeting_id", "=", meetingId)
    .orderBy("users.name")
    .execute();
}

export function listMeetingPeople(db: Executor, meetingId: string) {
  return db.selectFrom("meeting_people").selectAll().where("meeting_id", "=", meetingId).orderBy("position").execute();
}

/** The meetings that concern a dynamic, in date order. */
export function listMeetingsOfDynamic(db: Executor, studyId: string, dynamicId: string) {
  return db
    .selectFrom("meetings")
    .innerJoin("meeting_dynamics", "meeting_dynamics.meeting_id", "meetings.id")
    .selectAll("meetings")
    .where("meetings.study_id", "=", studyId)
    .where("meeting_dynamics.dynamic_id", "=", dynamicId)
    .orderBy("meetings.starts_on")
    .execute();
}
