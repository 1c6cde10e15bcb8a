import type { Kysely } from "kysely";
import { sql } from "kysely";

// Frozen in time: never import application code here, never edit once landed.
//
// One synthesis per study: two page loads racing to create it must end with one row. A partial
// unique index (SQLite ≥ 3.8, and portable to PostgreSQL) leaves reports, many per study, free.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unique index documents_one_synthesis_per_study on documents(study_id) where kind = 'synthesis'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index documents_one_synthesis_per_study`.execute(db);
}
