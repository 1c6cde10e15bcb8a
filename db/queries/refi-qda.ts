import type { Executor } from "./executor";

/** Reads of the REFI-QDA project export (app/exports/qdpx.server.ts), all scoped to one study. */

/**
 * Everyone the export names: the study's members, plus the authors of its findings and the last
 * editors of its reports who have left it since (their selections still name them).
 */
export function listExportUsers(db: Executor, studyId: string) {
  return db
    .selectFrom("users")
    .select(["id", "name"])
    .where((eb) =>
      eb.or([
        eb("id", "in", eb.selectFrom("memberships").select("user_id").where("study_id", "=", studyId)),
        eb("id", "in", eb.selectFrom("findings").select("created_by").where("study_id", "=", studyId).where("created_by", "is not", null)),
        eb("id", "in", eb.selectFrom("documents").select("updated_by").where("study_id", "=", studyId).where("updated_by", "is not", null)),
      ]),
    )
    .orderBy("name")
    .orderBy("id")
    .execute();
}

/** The study's visit reports (without their content), in timeline order. */
export function listExportReports(db: Executor, studyId: string) {
  return db
    .selectFrom("documents as d")
    .innerJoin("meetings as m", "m.id", "d.meeting_id")
    .select([
      "d.id",
      "d.created_at as createdAt",
      "d.updated_at as updatedAt",
      "d.updated_by as updatedBy",
      "m.id as meetingId",
      "m.title",
      "m.starts_on as startsOn",
      "m.place",
    ])
    .where("d.study_id", "=", studyId)
    .where("d.kind", "=", "report")
    .where("m.study_id", "=", studyId)
    .orderBy("m.starts_on")
    .orderBy("m.created_at")
    .orderBy("d.id")
    .execute();
}

/** A document's derived Tiptap JSON (written by the collaboration server), read one at a time. */
export async function findDocumentJson(db: Executor, studyId: string, documentId: string): Promise<string | null> {
  const row = await db.selectFrom("documents").select("json").where("study_id", "=", studyId).where("id", "=", documentId).executeTakeFirst();
  return row?.json ?? null;
}

/** The study's dynamics, archived ones included (findings may name them), with their type. */
export function listExportDynamics(db: Executor, studyId: string) {
  return db
    .selectFrom("dynamics as d")
    .innerJoin("dynamic_types as t", "t.id", "d.type_id")
    .select(["d.id", "d.name", "d.territory", "d.description", "t.label as typeLabel"])
    .where("d.study_id", "=", studyId)
    .orderBy("d.name")
    .orderBy("d.id")
    .execute();
}
