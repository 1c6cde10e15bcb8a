import type { Kysely } from "kysely";
import { sql } from "kysely";

// Frozen in time: never import application code here, never edit once landed.
//
// Findings (enseignements) are the validated, queryable copy of what the Yjs documents hold
// (a `finding` mark per passage, tags in the document's `findings` map). `seq` is an integer key
// used only as the full-text index's rowid; `id` is the public UUID (URLs, Yjs, exports' GUID).

// SQLite's unicode61 tokenizer folds accents (remove_diacritics 2) but not the ligatures œ and
// æ: they are spelled out before indexing, and queries are folded the same way (db/queries/search.ts).
const foldLigatures = (column: string) =>
  sql.raw(`replace(replace(replace(replace(${column}, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')`);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("findings")
    .addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("audience", "text")
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("quote", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("orphaned_at", "text")
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("findings_study_kind_idx").on("findings").columns(["study_id", "kind"]).execute();
  await db.schema.createIndex("findings_document_idx").on("findings").column("document_id").execute();

  await db.schema
    .createTable("finding_factors")
    .addColumn("finding_id", "text", (c) => c.notNull().references("findings.id").onDelete("cascade"))
    .addColumn("factor_id", "text", (c) => c.notNull().references("factors.id"))
    .addPrimaryKeyConstraint("finding_factors_pk", ["finding_id", "factor_id"])
    .execute();
  await db.schema.createIndex("finding_factors_factor_idx").on("finding_factors").columns(["factor_id", "finding_id"]).execute();

  await db.schema
    .createTable("finding_dynamics")
    .addColumn("finding_id", "text", (c) => c.notNull().references("findings.id").onDelete("cascade"))
    .addColumn("dynamic_id", "text", (c) => c.notNull().references("dynamics.id"))
    .addPrimaryKeyConstraint("finding_dynamics_pk", ["finding_id", "dynamic_id"])
    .execute();
  await db.schema.createIndex("finding_dynamics_dynamic_idx").on("finding_dynamics").columns(["dynamic_id", "finding_id"]).execute();

  // Who changed the analysis grid, when, and what (JSON details: before/after).
  await db.schema
    .createTable("grid_changes")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("study_id", "text", (c) => c.notNull().references("studies.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("changed_at", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject_id", "text")
    .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
  await db.schema.createIndex("grid_changes_study_idx").on("grid_changes").columns(["study_id", "changed_at"]).execute();

  // Full-text search (SQLite FTS5: the one SQLite-specific part of the schema; a PostgreSQL port
  // replaces these tables and triggers with tsvector columns). Kept in step by triggers so that
  // every writer, present or future, keeps the index right.
  await sql`create virtual table findings_fts using fts5(quote, comment, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  await sql`create trigger findings_fts_insert after insert on findings begin
    insert into findings_fts(rowid, quote, comment) values (new.seq, ${foldLigatures("new.quote")}, ${foldLigatures("new.comment")});
  end`.execute(db);
  await sql`create trigger findings_fts_update after update of quote, comment on findings begin
    delete from findings_fts where rowid = old.seq;
    insert into findings_fts(rowid, quote, comment) values (new.seq, ${foldLigatures("new.quote")}, ${foldLigatures("new.comment")});
  end`.execute(db);
  await sql`create trigger findings_fts_delete after delete on findings begin
    delete from findings_fts where rowid = old.seq;
  end`.execute(db);

  await sql`create virtual table documents_fts using fts5(document_id unindexed, study_id unindexed, text, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  await sql`insert into documents_fts(document_id, study_id, text) select id, study_id, ${foldLigatures("plain_text")} from documents`.execute(db);
  await sql`create trigger documents_fts_insert after insert on documents begin
    insert into documents_fts(document_id, study_id, text) values (new.id, new.study_id, ${foldLigatures("new.plain_text")});
  end`.execute(db);
  await sql`create trigger documents_fts_update after update of plain_text on documents begin
    delete from documents_fts where document_id = old.id;
    insert into documents_fts(document_id, study_id, text) values (new.id, new.study_id, ${foldLigatures("new.plain_text")});
  end`.execute(db);
  await sql`create trigger documents_fts_delete after delete on documents begin
    delete from documents_fts where document_id = old.id;
  end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of [
    "documents_fts_delete",
    "documents_fts_update",
    "documents_fts_insert",
    "findings_fts_delete",
    "findings_fts_update",
    "findings_fts_insert",
  ]) {
    await sql`drop trigger ${sql.raw(trigger)}`.execute(db);
  }
  await sql`drop table documents_fts`.execute(db);
  await sql`drop table findings_fts`.execute(db);
  for (const table of ["grid_changes", "finding_dynamics", "finding_factors", "findings"]) {
    await db.schema.dropTable(table).execute();
  }
}
