import type { Kysely } from "kysely";
import { sql } from "kysely";

// Frozen in time: never import application code here, never edit once landed.
//
// The matrix and co-occurrence counts depend only on each finding's SET of factors and dynamics.
// Joining the link tables per finding through the UUID `id` cost hundreds of milliseconds on
// 50,000 findings. Each finding now carries its sorted, comma-joined factor and dynamic ids,
// kept in step by triggers on the link tables (whoever the writer is), under an index of the
// non-orphaned findings: counting the study's findings per distinct tag combination walks that
// index in order (no sort, no join), and the few thousand combinations are tallied in memory.
// Also: an index for the findings browser's « auteur » choices (one probe per user).

const LINKS = [
  ["finding_factors", "factor_id", "factor_ids"],
  ["finding_dynamics", "dynamic_id", "dynamic_ids"],
] as const;

const refresh = (table: string, id: string, list: string, finding: string) =>
  sql.raw(`update findings set ${list} =
    (select group_concat(${id}, ',' order by ${id}) from ${table} where finding_id = ${finding})
    where id = ${finding};`);

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, id, list] of LINKS) {
    await sql`alter table findings add column ${sql.raw(list)} text`.execute(db);
    await sql`${refresh(table, id, list, "findings.id")}`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_list_insert`)} after insert on ${sql.raw(table)} begin
      ${refresh(table, id, list, "new.finding_id")}
    end`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_list_delete`)} after delete on ${sql.raw(table)} begin
      ${refresh(table, id, list, "old.finding_id")}
    end`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_list_update`)} after update on ${sql.raw(table)} begin
      ${refresh(table, id, list, "old.finding_id")}
      ${refresh(table, id, list, "new.finding_id")}
    end`.execute(db);
  }
  await sql`create index findings_tags_idx on findings(study_id, factor_ids, dynamic_ids) where orphaned_at is null`.execute(db);
  await db.schema.createIndex("findings_author_idx").on("findings").columns(["created_by", "study_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("findings_author_idx").execute();
  await db.schema.dropIndex("findings_tags_idx").execute();
  for (const [table, , list] of LINKS) {
    for (const trigger of ["list_update", "list_delete", "list_insert"]) {
      await sql`drop trigger ${sql.raw(`${table}_${trigger}`)}`.execute(db);
    }
    await sql`alter table findings drop column ${sql.raw(list)}`.execute(db);
  }
}
