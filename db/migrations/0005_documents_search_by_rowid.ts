import type { Kysely } from "kysely";
import { sql } from "kysely";

// Frozen in time: never import application code here, never edit once landed.
//
// 0002's documents_fts was keyed by its unindexed `document_id` column, so every re-index
// (each derive that changes a document's text) deleted the old row by scanning the whole index.
// The index's rowid now comes from `document_search_ids`, an integer per document that VACUUM
// cannot renumber (unlike documents' implicit rowid), and the triggers delete by rowid.

// Same folding as 0002 (migrations do not share code): the tokenizer folds accents, not œ/æ.
const foldLigatures = (column: string) =>
  sql.raw(`replace(replace(replace(replace(${column}, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')`);

const searchId = (documentId: string) => sql.raw(`(select id from document_search_ids where document_id = ${documentId})`);

export async function up(db: Kysely<any>): Promise<void> {
  for (const trigger of ["documents_fts_delete", "documents_fts_update", "documents_fts_insert"]) {
    await sql`drop trigger ${sql.raw(trigger)}`.execute(db);
  }
  await sql`drop table documents_fts`.execute(db);

  await db.schema
    .createTable("document_search_ids")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("document_id", "text", (c) => c.notNull().unique().references("documents.id").onDelete("cascade"))
    .execute();
  await sql`insert into document_search_ids(document_id) select id from documents`.execute(db);

  await sql`create virtual table documents_fts using fts5(document_id unindexed, study_id unindexed, text, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  await sql`insert into documents_fts(rowid, document_id, study_id, text)
    select s.id, d.id, d.study_id, ${foldLigatures("d.plain_text")} from documents d join document_search_ids s on s.document_id = d.id`.execute(db);
  await sql`create trigger documents_fts_insert after insert on documents begin
    insert into document_search_ids(document_id) values (new.id);
    insert into documents_fts(rowid, document_id, study_id, text) values (${searchId("new.id")}, new.id, new.study_id, ${foldLigatures("new.plain_text")});
  end`.execute(db);
  await sql`create trigger documents_fts_update after update of plain_text on documents begin
    delete from documents_fts where rowid = ${searchId("old.id")};
    insert into documents_fts(rowid, document_id, study_id, text) values (${searchId("new.id")}, new.id, new.study_id, ${foldLigatures("new.plain_text")});
  end`.execute(db);
  // Before the delete: the foreign key's cascade removes the document's search id with it.
  await sql`create trigger documents_fts_delete before delete on documents begin
    delete from documents_fts where rowid = ${searchId("old.id")};
  end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ["documents_fts_delete", "documents_fts_update", "documents_fts_insert"]) {
    await sql`drop trigger ${sql.raw(trigger)}`.execute(db);
  }
  await sql`drop table documents_fts`.execute(db);
  await db.schema.dropTable("document_search_ids").execute();
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
