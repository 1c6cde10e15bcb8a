import { sql } from "kysely";
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

/**
 * The collaboration server's derived copy of a document: text, JSON, word count, last edit.
 * A column is written only when its value changed: rewriting plain_text, even unchanged, fires
 * the documents_fts_update trigger, which re-indexes the whole text. The word count may be given
 * as a function of the text, then called only when the text changed.
 */
export async function updateDocumentDerived(
  db: Executor,
  documentId: string,
  values: {
    plainText: string;
    json: string;
    wordCount: number | ((text: string) => number);
    updatedAt?: string;
    updatedBy?: string | null;
  },
) {
  const same = await db
    .selectFrom("documents")
    .select([sql<number>`plain_text is ${values.plainText}`.as("text"), sql<number>`json is ${values.json}`.as("json")])
    .where("id", "=", documentId)
    .executeTakeFirst();
  if (!same) return;
  const count = values.wordCount;
  const changes = {
    ...(same.text ? {} : { plain_text: values.plainText, word_count: typeof count === "number" ? count : count(values.plainText) }),
    ...(same.json ? {} : { json: values.json }),
    ...(values.updatedAt ? { updated_at: values.updatedAt, updated_by: values.updatedBy ?? null } : {}),
  };
  if (Object.keys(changes).length === 0) return;
  await db.updateTable("documents").set(changes).where("id", "=", documentId).execute();
}

export function listStudyDocumentIds(db: Executor, studyId: string, kind: DocumentKind) {
  return db.selectFrom("documents").select("id").where("study_id", "=", studyId).where("kind", "=", kind).execute();
}

/** The study's synthesis (one per study: migration 0006's unique index). */
export function findStudySynthesis(db: Executor, studyId: string) {
  return db.selectFrom("documents").selectAll().where("study_id", "=", studyId).where("kind", "=", "synthesis").executeTakeFirst();
}

/**
 * Creates the study's synthesis unless it exists: the row when this call created it, undefined
 * when it was already there (a concurrent call may have won the race).
 */
export async function insertStudySynthesisIfMissing(db: Executor, studyId: string) {
  const now = nowIso();
  return db
    .insertInto("documents")
    .values({ id: newId(), study_id: studyId, meeting_id: null, kind: "synthesis", created_at: now, updated_at: now })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}
