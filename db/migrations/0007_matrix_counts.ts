import type { Kysely } from "kysely";
import { sql } from "kysely";

// Frozen in time: never import application code here, never edit once landed.
//
// The matrix and co-occurrence views grouped the study's counted (non-orphaned) findings by their
// factor and dynamic lists (migration 0004) after every tagging: 50,000 index entries, 30-40 ms.
// Their counts are now kept by triggers on `findings`, whoever the writer is: a finding tagged,
// retagged (its links change and 0004 rewrites its lists), orphaned, restored, moved by a factor
// merge or deleted takes one unit off the counts of its old lists and adds one to its new ones.
//
// - `matrix_tag_lists` numbers each distinct list (sorted, comma-joined ids; '' when empty) once
//   per study: a few hundred per study, never pruned.
// - `matrix_factor_counts`: per factor and dynamic list, the counted findings tagged with that
//   factor and linked to exactly those dynamics (the cells and row totals of both groupings:
//   about 1,000 rows for 14 factors, whatever the number of findings).
// - `matrix_dynamic_counts`: per dynamic list, the counted findings with at least one factor (the
//   column and grand totals, which count findings, not cells).
// - `matrix_factor_list_counts`: per factor list, the counted findings (co-occurrences).
// Counts that fall to zero stay as zero rows: bounded by the lists seen, and no delete per change.

const LIST = (row: "old" | "new", column: "factor_ids" | "dynamic_ids") =>
  `(select id from matrix_tag_lists where study_id = ${row}.study_id and ids = coalesce(${row}.${column}, ''))`;

/** The ids of a list as rows of `value` (ids are UUIDs: no comma or quote to escape). */
const EACH = (row: "old" | "new") => `json_each('["' || replace(coalesce(${row}.factor_ids, ''), ',', '","') || '"]')`;

const HAS_FACTORS = (row: "old" | "new") => `coalesce(${row}.factor_ids, '') <> ''`;

const leave = (guard: string) => `
  update matrix_factor_counts set findings = findings - 1
    where ${guard} study_id = old.study_id and dynamic_list = ${LIST("old", "dynamic_ids")}
    and factor_id in (select value from ${EACH("old")});
  update matrix_dynamic_counts set findings = findings - 1
    where ${guard} ${HAS_FACTORS("old")} and study_id = old.study_id and dynamic_list = ${LIST("old", "dynamic_ids")};
  update matrix_factor_list_counts set findings = findings - 1
    where ${guard} study_id = old.study_id and factor_list = ${LIST("old", "factor_ids")};`;

const enter = (guard: string) => `
  insert into matrix_tag_lists (study_id, ids) select new.study_id, coalesce(new.factor_ids, '') where ${guard} true
    union select new.study_id, coalesce(new.dynamic_ids, '') where ${guard} true
    on conflict (study_id, ids) do nothing;
  insert into matrix_factor_counts (study_id, factor_id, dynamic_list, findings)
    select new.study_id, value, ${LIST("new", "dynamic_ids")}, 1 from ${EACH("new")} where ${guard} value <> ''
    on conflict (study_id, factor_id, dynamic_list) do update set findings = findings + 1;
  insert into matrix_dynamic_counts (study_id, dynamic_list, findings)
    select new.study_id, ${LIST("new", "dynamic_ids")}, 1 where ${guard} ${HAS_FACTORS("new")}
    on conflict (study_id, dynamic_list) do update set findings = findings + 1;
  insert into matrix_factor_list_counts (study_id, factor_list, findings)
    select new.study_id, ${LIST("new", "factor_ids")}, 1 where ${guard} true
    on conflict (study_id, factor_list) do update set findings = findings + 1;`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table matrix_tag_lists (
    id integer primary key,
    study_id text not null references studies(id) on delete cascade,
    ids text not null,
    unique (study_id, ids)
  )`.execute(db);
  await sql`create table matrix_factor_counts (
    study_id text not null references studies(id) on delete cascade,
    factor_id text not null,
    dynamic_list integer not null,
    findings integer not null,
    primary key (study_id, factor_id, dynamic_list)
  ) without rowid`.execute(db);
  await sql`create table matrix_dynamic_counts (
    study_id text not null references studies(id) on delete cascade,
    dynamic_list integer not null,
    findings integer not null,
    primary key (study_id, dynamic_list)
  ) without rowid`.execute(db);
  await sql`create table matrix_factor_list_counts (
    study_id text not null references studies(id) on delete cascade,
    factor_list integer not null,
    findings integer not null,
    primary key (study_id, factor_list)
  ) without rowid`.execute(db);

  // The findings already there enter one by one, through the same statements as the triggers.
  await sql`create temporary trigger matrix_counts_backfill after update of orphaned_at on findings
    when new.orphaned_at is null begin ${sql.raw(enter(""))} end`.execute(db);
  await sql`update findings set orphaned_at = null where orphaned_at is null`.execute(db);
  await sql`drop trigger matrix_counts_backfill`.execute(db);

  await sql`create trigger matrix_counts_insert after insert on findings when new.orphaned_at is null begin
    ${sql.raw(enter(""))}
  end`.execute(db);
  await sql`create trigger matrix_counts_delete after delete on findings when old.orphaned_at is null begin
    ${sql.raw(leave(""))}
  end`.execute(db);
  // Only when the finding enters, leaves or changes lists: an edited comment or quote, or links
  // rewritten to the same set, change nothing here.
  await sql`create trigger matrix_counts_update after update of study_id, orphaned_at, factor_ids, dynamic_ids on findings
    when (old.orphaned_at is null) <> (new.orphaned_at is null)
      or (new.orphaned_at is null and (old.study_id <> new.study_id or old.factor_ids is not new.factor_ids or old.dynamic_ids is not new.dynamic_ids))
    begin
      ${sql.raw(leave("old.orphaned_at is null and"))}
      ${sql.raw(enter("new.orphaned_at is null and"))}
    end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ["matrix_counts_update", "matrix_counts_delete", "matrix_counts_insert"]) {
    await sql`drop trigger ${sql.raw(trigger)}`.execute(db);
  }
  for (const table of ["matrix_factor_list_counts", "matrix_dynamic_counts", "matrix_factor_counts", "matrix_tag_lists"]) {
    await sql`drop table ${sql.raw(table)}`.execute(db);
  }
}
