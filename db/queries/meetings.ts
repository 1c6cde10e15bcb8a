import type { NewMeeting, NewMeetingPerson } from "../schema";
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
