import type { DocumentKind } from "../schema";
import { type Executor, newId, nowIso } from "./executor";

export async function insertDocument(
  db: Executor,
  values: { studyId: string; kind: DocumentKind; meetingId?: string | null; id?: string },
) {
  const now = nowIso();
  return db
    .insertInto("documents")
    .values({
      id: values.id ?? newId(),
      study_id: values.studyId,
      meeting_id: values.meetingId ?? null,
      kind: values.kind,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findDocument(db: Executor, id: string) {
  return db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findMeetingReport(db: Executor, meetingId: string) {
  return db.selectFrom("documents").selectAll().where("meeting_id", "=", meetingId).executeTakeFirst();
}
