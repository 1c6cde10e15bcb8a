import { type Executor, nowIso } from "./executor";

/** Records one change of a study's analysis grid; call it in the transaction that makes the change. */
export async function insertGridChange(
  db: Executor,
  values: { studyId: string; userId: string; action: string; subjectId: string | null; details: unknown },
) {
  await db
    .insertInto("grid_changes")
    .values({
      study_id: values.studyId,
      user_id: values.userId,
      changed_at: nowIso(),
      action: values.action,
      subject_id: values.subjectId,
      details: JSON.stringify(values.details),
    })
    .execute();
}

/** The study's grid changes, newest first, with the author's name (null once the account is gone). */
export function listGridChanges(db: Executor, studyId: string, limit: number) {
  return db
    .selectFrom("grid_changes")
    .leftJoin("users", "users.id", "grid_changes.user_id")
    .select([
      "grid_changes.id",
      "grid_changes.changed_at",
      "grid_changes.action",
      "grid_changes.subject_id",
      "grid_changes.details",
      "users.name as user_name",
    ])
    .where("grid_changes.study_id", "=", studyId)
    .orderBy("grid_changes.changed_at", "desc")
    .orderBy("grid_changes.id", "desc")
    .limit(limit)
    .execute();
}
