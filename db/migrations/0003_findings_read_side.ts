import type { Kysely } from "kysely";
import { sql } from "kysely";

// Frozen in time: never import application code here, never edit once landed.
//
// Read side of the findings (browser, matrix, co-occurrence):
// - the browser lists a study's findings newest first: (study_id, seq) lets SQLite walk the
//   index and stop after one page instead of sorting every finding of the study;
// - the matrix and co-occurrence counts join every finding with its factors and dynamics, which
//   costs hundreds of milliseconds on tens of thousands of findings. They are cached in memory per
//   study (db/queries/findings-cache.ts, also used for the browser's counts) and recomputed only
//   when this per-study version changes. Triggers bump it on every write that can change a
//   count, whoever the writer is (collaboration server, grid merges, CLIs).

const bumpFor = (studyExpression: string) =>
  // The finding may already be gone (links deleted by cascade): then there is nothing to bump.
  sql.raw(`insert or ignore into findings_versions(study_id, version) select ${studyExpression}, 0 where ${studyExpression} is not null;
    update findings_versions set version = version + 1 where study_id = ${studyExpression};`);

const studyOfFinding = (findingId: string) => `(select study_id from findings where id = ${findingId})`;

const TRIGGERS: [name: string, event: string, studyExpression: string][] = [
  ["findings_versions_finding_insert", "after insert on findings", "new.study_id"],
  ["findings_versions_finding_update", "after update on findings", "new.study_id"],
  ["findings_versions_finding_delete", "after delete on findings", "old.study_id"],
  ["findings_versions_factor_insert", "after insert on finding_factors", studyOfFinding("new.finding_id")],
  ["findings_versions_factor_delete", "after delete on finding_factors", studyOfFinding("old.finding_id")],
  ["findings_versions_factor_update", "after update on finding_factors", studyOfFinding("new.finding_id")],
  ["findings_versions_dynamic_insert", "after insert on finding_dynamics", studyOfFinding("new.finding_id")],
  ["findings_versions_dynamic_delete", "after delete on finding_dynamics", studyOfFinding("old.finding_id")],
  ["findings_versions_dynamic_update", "after update on finding_dynamics", studyOfFinding("new.finding_id")],
  // Grouping by type of dynamic, filtering by family.
  ["findings_versions_dynamic_type", "after update of type_id on dynamics", "new.study_id"],
  ["findings_versions_factor_family", "after update of family_id on factors", "new.study_id"],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("findings_study_seq_idx").on("findings").columns(["study_id", "seq"]).execute();
  await db.schema
    .createTable("findings_versions")
    .addColumn("study_id", "text", (c) => c.primaryKey().notNull().references("studies.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  for (const [name, event, study] of TRIGGERS) {
    await sql`create trigger ${sql.raw(name)} ${sql.raw(event)} begin ${bumpFor(study)} end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of TRIGGERS) await sql`drop trigger ${sql.raw(name)}`.execute(db);
  await db.schema.dropTable("findings_versions").execute();
  await db.schema.dropIndex("findings_study_seq_idx").execute();
}
