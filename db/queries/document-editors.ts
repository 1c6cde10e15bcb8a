import type { Executor } from "./executor";

/** Records who edited the document and when (one row per person, the latest edit wins). */
export async function touchDocumentEditors(db: Executor, documentId: string, edits: { userId: string; at: string }[]) {
  if (edits.length === 0) return;
  await db
    .insertInto("document_editors")
    .values(edits.map((e) => ({ document_id: documentId, user_id: e.userId, last_edited_at: e.at })))
    .onConflict((oc) =>
      oc.columns(["document_id", "user_id"]).doUpdateSet((eb) => ({ last_edited_at: eb.ref("excluded.last_edited_at") })),
    )
    .execute();
}

/** The people who edited the document, most recent first. */
export function listDocumentEditors(db: Executor, documentId: string) {
  return db
    .selectFrom("document_editors")
    .innerJoin("users", "users.id", "document_editors.user_id")
    .select(["users.id", "users.name", "users.color", "document_editors.last_edited_at"])
    .where("document_editors.document_id", "=", documentId)
    .orderBy("document_editors.last_edited_at", "desc")
    .execute();
}
