import { type RawBuilder, sql } from "kysely";
import type { Executor } from "./executor";

/**
 * Read side of the synthesis's generated plan and provenance view. Like the matrix, only findings
 * whose passage is still in a report count: an orphaned one waits for review, it is no evidence.
 */

/** The grid's live factors (neither archived nor merged) with their definition, in grid order. */
export function listPlanFactors(db: Executor, studyId: string) {
  return db
    .selectFrom("factors as fa")
    .innerJoin("factor_families as fm", "fm.id", "fa.family_id")
    .select(["fa.id", "fa.label", "fa.definition", "fm.id as familyId", "fm.label as familyLabel"])
    .where("fa.study_id", "=", studyId)
    .where("fa.merged_into", "is", null)
    .where("fa.archived_at", "is", null)
    .orderBy("fm.position")
    .orderBy("fa.position")
    .orderBy("fa.label")
    .execute();
}

const splitIds = (value: string | null): string[] => (value ? value.split(",") : []);

/**
 * How strong a finding is as a quote, as an ordered tuple (smaller is stronger): its kind's place
 * in the grid, then its quote's length rank (the longest up to `maxLength` first, then longer ones
 * shortest first), then its age. The plan's ranking lives here only; callers compare the tuples.
 */
export type Strength = [kindRank: number, lengthRank: number, seq: number];

export interface Ranking {
  /** The grid's kind keys in order, strongest first. */
  kinds: readonly string[];
  maxLength: number;
}

/** The findings with their strength columns; `where` narrows them (the study is always applied). */
function ranked(studyId: string, { kinds, maxLength }: Ranking, where: RawBuilder<unknown>) {
  const kindRank =
    kinds.length === 0 ? sql`0` : sql`case kind ${sql.join(kinds.map((k, i) => sql`when ${k} then ${i}`), sql` `)} else ${kinds.length} end`;
  const lengthRank = sql`case when length(quote) <= ${maxLength} then ${maxLength} - length(quote) else ${maxLength + 1} + length(quote) end`;
  return sql`select id, seq, audience, factor_ids, dynamic_ids, ${kindRank} as kind_rank, ${lengthRank} as length_rank
    from findings where study_id = ${studyId} and orphaned_at is null and ${where}`;
}

const strengthOf = (row: { kind_rank: number; length_rank: number; seq: number }): Strength => [
  Number(row.kind_rank),
  Number(row.length_rank),
  Number(row.seq),
];

/**
 * Per tag combination (the factor and dynamic lists kept on each finding by migration 0004), its
 * strongest finding: one pass over the study's tagged findings, without a join, answering a few
 * thousand rows however many findings. A factor's strongest finding in a dynamic is then the
 * strongest of the combinations holding both.
 */
export async function listStrongestPerTags(db: Executor, studyId: string, ranking: Ranking) {
  const { rows } = await sql<{ id: string; factors: string; dynamics: string | null; kind_rank: number; length_rank: number; seq: number }>`
    select id, factor_ids as factors, dynamic_ids as dynamics, kind_rank, length_rank, seq from (
      select r.*, row_number() over (partition by factor_ids, dynamic_ids order by kind_rank, length_rank, seq) as place
      from (${ranked(studyId, ranking, sql`factor_ids is not null`)}) r
    ) strongest
    where place = 1
  `.execute(db);
  return rows.map((row) => ({ id: row.id, factorIds: splitIds(row.factors), dynamicIds: splitIds(row.dynamics), strength: strengthOf(row) }));
}

/**
 * Per audience, its `limit` strongest propositions (strongest first) and how many it has: only
 * the kinds that carry an audience are read, along the (study, kind) index.
 */
export async function listStrongestPropositions(db: Executor, studyId: string, ranking: Ranking, limit: number) {
  const propositionKinds = sql`kind in (select key from finding_kinds where study_id = ${studyId} and has_audience = 1) and audience is not null`;
  const { rows } = await sql<{ id: string; audience: string; total: number }>`
    select id, audience, total from (
      select r.id, r.audience, r.kind_rank, r.length_rank, r.seq,
        row_number() over (partition by audience order by kind_rank, length_rank, seq) as place,
        count(*) over (partition by audience) as total
      from (${ranked(studyId, ranking, propositionKinds)}) r
    ) strongest
    where place <= ${limit}
    order by audience, place
  `.execute(db);
  const byAudience = new Map<string, { ids: string[]; total: number }>();
  for (const row of rows) {
    const entry = byAudience.get(row.audience) ?? { ids: [], total: Number(row.total) };
    entry.ids.push(row.id);
    byAudience.set(row.audience, entry);
  }
  return byAudience;
}

/** How many counted findings of the study are not among `citedIds`, and the most recent `limit` of them. */
export async function listUncitedFindings(db: Executor, studyId: string, citedIds: readonly string[], limit: number) {
  const base = db
    .selectFrom("findings")
    .where("study_id", "=", studyId)
    .where("orphaned_at", "is", null)
    .$if(citedIds.length > 0, (q) => q.where("id", "not in", [...citedIds]));
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    base.select("id").orderBy("seq", "desc").limit(limit).execute(),
  ]);
  return { total: Number(count.n), ids: rows.map((r) => r.id) };
}

/**
 * Per factor, how many counted findings carry it: grouped by the kept tag list (a few thousand
 * combinations read along the tags index, whatever the number of findings), split in memory.
 */
export async function countFindingsPerFactor(db: Executor, studyId: string): Promise<Map<string, number>> {
  const { rows } = await sql<{ factors: string | null; n: number }>`
    select factor_ids as factors, count(*) as n
    from findings
    where study_id = ${studyId} and orphaned_at is null
    group by factor_ids
  `.execute(db);
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const id of splitIds(row.factors)) counts.set(id, (counts.get(id) ?? 0) + Number(row.n));
  }
  return counts;
}
