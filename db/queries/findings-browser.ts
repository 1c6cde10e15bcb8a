import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { Executor } from "./executor";
import { cachedForStudy } from "./findings-cache";

/**
 * Read side of the findings (enseignements): the filtered list shown by the findings browser,
 * the matrix's quote lists and the CSV export. Every filter value is a bound parameter and
 * every lookup is scoped to the study, so an id from another study simply matches nothing.
 */
export interface FindingFilters {
  /** Only these findings (the synthesis's citations, the exports' footnotes). */
  findingIds?: readonly string[];
  /** All of these factors (a co-occurrence cell asks for two). */
  factorIds?: readonly string[];
  familyId?: string | null;
  kind?: string | null;
  audience?: string | null;
  dynamicId?: string | null;
  dynamicTypeId?: string | null;
  meetingId?: string | null;
  authorId?: string | null;
  /** true: only orphaned findings; false: only findings whose passage is in the report. */
  orphaned?: boolean | null;
}

export interface FindingRow {
  /** The finding's place in the study's order (newest highest): where the next page starts. */
  seq: number;
  id: string;
  kind: string;
  audience: string | null;
  comment: string;
  quote: string;
  orphanedAt: string | null;
  createdAt: string;
  authorId: string | null;
  authorName: string | null;
  meetingId: string | null;
  meetingTitle: string | null;
  meetingStartsOn: string | null;
  factorIds: string[];
  dynamicIds: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * How a tag filter is tested. "set": the matching finding ids are gathered once (fast to count
 * everything). "per-row": each finding is tested as findings are walked newest first — a factor
 * or dynamic against the finding's own id lists, a family or type of dynamic by a probe into its
 * links — (fast to stop after one page, whatever the filter's breadth).
 */
export type Strategy = "set" | "per-row";

/** The study's findings matching the filters (`f`), to select from. */
export function filtered(db: Executor, studyId: string, filters: FindingFilters, strategy: Strategy) {
  const link = (table: "finding_factors" | "finding_dynamics", join: RawBuilder<unknown>, condition: RawBuilder<unknown>) =>
    strategy === "set"
      ? sql<SqlBool>`f.id in (select l.finding_id from ${sql.table(table)} l ${join} where ${condition})`
      : sql<SqlBool>`exists (select 1 from ${sql.table(table)} l ${join} where l.finding_id = f.id and ${condition})`;
  const none = sql``;
  // A visit holds few findings: walk them from the document index (the `+` keeps SQLite off the
  // (study_id, seq) index, which would walk every finding of the study newest first).
  let query = db
    .selectFrom("findings as f")
    .where(filters.meetingId ? sql<SqlBool>`+f.study_id = ${studyId}` : sql<SqlBool>`f.study_id = ${studyId}`);
  // The row's own id lists (migration 0004, kept by triggers) need no probe into the link tables:
  // 4–5 × faster on a sparse factor × dynamic cell. Ids are UUIDs, which hold no LIKE wildcard.
  const tagged = (list: "f.factor_ids" | "f.dynamic_ids", id: string) =>
    strategy === "per-row" && UUID.test(id) ? sql<SqlBool>`${sql.ref(list)} like ${`%${id}%`}` : null;
  for (const factorId of new Set(filters.factorIds ?? [])) {
    query = query.where(tagged("f.factor_ids", factorId) ?? link("finding_factors", none, sql`l.factor_id = ${factorId}`));
  }
  if (filters.familyId) {
    query = query.where(link("finding_factors", sql`join factors fa on fa.id = l.factor_id`, sql`fa.family_id = ${filters.familyId}`));
  }
  if (filters.dynamicId) {
    query = query.where(tagged("f.dynamic_ids", filters.dynamicId) ?? link("finding_dynamics", none, sql`l.dynamic_id = ${filters.dynamicId}`));
  }
  if (filters.dynamicTypeId) {
    query = query.where(link("finding_dynamics", sql`join dynamics dy on dy.id = l.dynamic_id`, sql`dy.type_id = ${filters.dynamicTypeId}`));
  }
  if (filters.findingIds) query = query.where("f.id", "in", filters.findingIds.length > 0 ? [...filters.findingIds] : [""]);
  if (filters.kind) query = query.where("f.kind", "=", filters.kind);
  if (filters.audience) query = query.where("f.audience", "=", filters.audience);
  if (filters.meetingId) {
    const meetingId = filters.meetingId;
    query = query.where("f.document_id", "in", (eb) =>
      eb.selectFrom("documents").select("id").where("meeting_id", "=", meetingId).where("study_id", "=", studyId),
    );
  }
  if (filters.authorId) query = query.where("f.created_by", "=", filters.authorId);
  if (filters.orphaned === true) query = query.where("f.orphaned_at", "is not", null);
  if (filters.orphaned === false) query = query.where("f.orphaned_at", "is", null);
  return query;
}

const splitIds = (value: string | null): string[] => (value ? value.split(",") : []);

/**
 * Findings matching the filters, most recent first, with their factor and dynamic ids.
 * `limit: null` returns them all (a synthesis's citations); the exports walk pages with `beforeSeq`.
 */
export async function listFindings(
  db: Executor,
  studyId: string,
  filters: FindingFilters,
  page: { limit: number | null; offset?: number; /** only findings older than this `seq` (the previous page's last) */ beforeSeq?: number } = {
    limit: 50,
  },
): Promise<FindingRow[]> {
  // The page is chosen first, on the findings alone (newest first along (study_id, seq)), then
  // decorated: joined in one statement, SQLite may start from the small tables and sort them all.
  let pageSeqs = filtered(db, studyId, filters, page.limit === null ? "set" : "per-row").select("f.seq").orderBy("f.seq", "desc");
  if (page.beforeSeq !== undefined) pageSeqs = pageSeqs.where("f.seq", "<", page.beforeSeq);
  if (page.limit !== null) pageSeqs = pageSeqs.limit(page.limit).offset(page.offset ?? 0);
  const query = db
    .selectFrom("findings as f")
    .innerJoin("documents as d", "d.id", "f.document_id")
    .leftJoin("users as u", "u.id", "f.created_by")
    .leftJoin("meetings as m", "m.id", "d.meeting_id")
    .select([
      "f.seq",
      "f.id",
      "f.kind",
      "f.audience",
      "f.comment",
      "f.quote",
      "f.orphaned_at as orphanedAt",
      "f.created_at as createdAt",
      "f.created_by as authorId",
      "u.name as authorName",
      "m.id as meetingId",
      "m.title as meetingTitle",
      "m.starts_on as meetingStartsOn",
      // UUIDs hold no comma, so a comma-joined list splits back exactly.
      // Kept in step with the link tables by migration 0004's triggers.
      sql<string | null>`f.factor_ids`.as("factorList"),
      sql<string | null>`f.dynamic_ids`.as("dynamicList"),
    ])
    .where("f.seq", "in", pageSeqs)
    .orderBy("f.seq", "desc");
  const rows = await query.execute();
  return rows.map(({ factorList, dynamicList, ...row }) => ({
    ...row,
    factorIds: splitIds(factorList),
    dynamicIds: splitIds(dynamicList),
  }));
}

/** Cached per filter combination until the study's findings change (a count walks them all). */
export function countFindings(db: Executor, studyId: string, filters: FindingFilters = {}): Promise<number> {
  return cachedForStudy(db, studyId, `count:${JSON.stringify(filters)}`, async () => {
    const row = await filtered(db, studyId, filters, "set")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
}

/**
 * The authors of a study's findings (the filter's choices): one index probe per user (migration
 * 0004's (created_by, study_id)) rather than a walk of every finding of the study.
 */
export function listFindingAuthors(db: Executor, studyId: string) {
  return db
    .selectFrom("users as u")
    .select(["u.id", "u.name"])
    .where(({ exists, selectFrom }) =>
      exists(selectFrom("findings as f").select(sql.lit(1).as("one")).whereRef("f.created_by", "=", "u.id").where("f.study_id", "=", studyId)),
    )
    .orderBy("u.name")
    .execute();
}

/** The visits whose report holds at least one finding, in chronological order. */
export function listFindingMeetings(db: Executor, studyId: string) {
  return db
    .selectFrom("meetings as m")
    .innerJoin("documents as d", "d.meeting_id", "m.id")
    .select(["m.id", "m.title", "m.starts_on"])
    .where("m.study_id", "=", studyId)
    // One probe per report of the study, rather than a walk of every finding of the study.
    .where(({ exists, selectFrom }) => exists(selectFrom("findings as f").select(sql.lit(1).as("one")).whereRef("f.document_id", "=", "d.id")))
    .groupBy("m.id")
    .orderBy("m.starts_on")
    .orderBy("m.title")
    .execute();
}

/** The grid's factors (merged ones excluded: their findings moved) with their family, in grid order. */
export function listGridFactors(db: Executor, studyId: string) {
  return db
    .selectFrom("factors as fa")
    .innerJoin("factor_families as fm", "fm.id", "fa.family_id")
    .select([
      "fa.id",
      "fa.label",
      "fa.color",
      "fa.archived_at as archivedAt",
      "fm.id as familyId",
      "fm.label as familyLabel",
      "fm.color as familyColor",
    ])
    .where("fa.study_id", "=", studyId)
    .where("fa.merged_into", "is", null)
    .orderBy("fm.position")
    .orderBy("fa.position")
    .orderBy("fa.label")
    .execute();
}

/** The study's dynamics with their type, grouped by type in the typology's order. */
export function listDynamicsWithTypes(db: Executor, studyId: string) {
  return db
    .selectFrom("dynamics as dy")
    .innerJoin("dynamic_types as ty", "ty.id", "dy.type_id")
    .select(["dy.id", "dy.name", "dy.archived_at as archivedAt", "ty.id as typeId", "ty.label as typeLabel"])
    .where("dy.study_id", "=", studyId)
    .orderBy("ty.position")
    .orderBy("ty.label")
    .orderBy("dy.name")
    .execute();
}
