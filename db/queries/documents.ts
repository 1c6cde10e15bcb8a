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
  return db.selectFrom("documents").selectAll().where("meeting_id", "=", meetingId).where("kind", "=", "report").executeTakeFirst();
}

/** The collaboration server's derived copy of a document: text, JSON, word count, last edit. */
export async function updateDocumentDerived(
  db: Executor,
  documentId: string,
  values: { plainText: string; json: string; wordCount: number; updatedAt?: string; updatedBy?: string | null },
) {
  await db
    .updateTable("documents")
    .set({
      plain_text: values.plainText,
      json: values.json,
      word_count: values.wordCount,
      ...(values.updatedAt ? { updated_at: values.updatedAt, updated_by: values.updatedBy ?? null } : {}),
    })
    .where("id", "=", documentId)
    .execute();
}

export function listStudyDocumentIds(db: Executor, studyId: string, kind: DocumentKind) {
  return db.selectFrom("documents").select("id").where("study_id", "=", studyId).where("kind", "=", kind).execute();
}
