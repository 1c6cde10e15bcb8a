import { type Executor, newId, nowIso } from "./executor";

export async function insertDocumentVersion(
  db: Executor,
  values: { documentId: string; label: string; automatic: boolean; snapshot: Uint8Array; createdBy: string | null },
) {
  return db
    .insertInto("document_versions")
    .values({
      id: newId(),
      document_id: values.documentId,
      label: values.label,
      automatic: values.automatic ? 1 : 0,
      snapshot: values.snapshot,
      created_by: values.createdBy,
      created_at: nowIso(),
    })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
}

/** The document's versions, newest first, without their snapshots. */
export function listDocumentVersions(db: Executor, documentId: string) {
  return db
    .selectFrom("document_versions")
    .leftJoin("users", "users.id", "document_versions.created_by")
    .select([
      "document_versions.id",
      "document_versions.label",
      "document_versions.automatic",
      "document_versions.created_at",
      "document_versions.created_by",
      "users.name as created_by_name",
    ])
    .where("document_versions.document_id", "=", documentId)
    .orderBy("document_versions.created_at", "desc")
    .execute();
}

/** The snapshots of the document's newest versions, newest first. */
export async function recentVersionSnapshots(db: Executor, documentId: string, limit: number): Promise<Uint8Array[]> {
  const rows = await db
    .selectFrom("document_versions")
    .select("snapshot")
    .where("document_id", "=", documentId)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => row.snapshot);
}

/** One version WITHIN its document (a forged id of another document's version finds nothing). */
export function findDocumentVersion(db: Executor, documentId: string, versionId: string) {
  return db
    .selectFrom("document_versions")
    .selectAll()
    .where("document_id", "=", documentId)
    .where("id", "=", versionId)
    .executeTakeFirst();
}

export async function latestAutomaticVersionAt(db: Executor, documentId: string): Promise<string | null> {
  const row = await db
    .selectFrom("document_versions")
    .select("created_at")
    .where("document_id", "=", documentId)
    .where("automatic", "=", 1)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.created_at ?? null;
}
