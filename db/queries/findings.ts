import type { Executor } from "./executor";

/**
 * The write side of findings: the collaboration server's copy of the findings of one document
 * (server/collab/findings.ts), plus the one read the extraction and its tests need.
 */

/** The study of a document (without reading its large derived columns). */
export async function findDocumentStudyId(db: Executor, documentId: string): Promise<string | null> {
  const row = await db.selectFrom("documents").select("study_id").where("id", "=", documentId).executeTakeFirst();
  return row?.study_id ?? null;
}

/** What a finding's tags may refer to, within one study. */
export async function loadFindingGrid(db: Executor, studyId: string) {
  const [kinds, audiences, factors, dynamics, members] = await Promise.all([
    db.selectFrom("finding_kinds").select(["key", "has_audience"]).where("study_id", "=", studyId).execute(),
    db.selectFrom("audiences").select("key").where("study_id", "=", studyId).execute(),
    db.selectFrom("factors").select(["id", "merged_into"]).where("study_id", "=", studyId).execute(),
    db.selectFrom("dynamics").select("id").where("study_id", "=", studyId).execute(),
    db.selectFrom("memberships").select("user_id").where("study_id", "=", studyId).execute(),
  ]);
  return {
    kinds: new Map(kinds.map((k) => [k.key, k.has_audience === 1])),
    audiences: new Set(audiences.map((a) => a.key)),
    factors: new Map(factors.map((f) => [f.id, f.merged_into])),
    dynamics: new Set(dynamics.map((d) => d.id)),
    members: new Set(members.map((m) => m.user_id)),
  };
}

export type FindingGrid = Awaited<ReturnType<typeof loadFindingGrid>>;

export interface DocumentFinding {
  id: string;
  kind: string;
  audience: string | null;
  comment: string;
  quote: string;
  orphaned_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
  /** Factor and dynamic ids, sorted. */
  factors: string[];
  dynamics: string[];
}

/** A list column of migration 0004 (sorted, comma-joined UUIDs) as ids. */
const idList = (value: string | null): string[] => (value ? value.split(",") : []);

/**
 * The document's findings as SQLite holds them, with their factor and dynamic ids: read from the
 * sorted lists migration 0004's triggers keep on each finding, so one indexed query, no joins.
 */
export async function listDocumentFindings(db: Executor, documentId: string): Promise<DocumentFinding[]> {
  const rows = await db
    .selectFrom("findings")
    .select(["id", "kind", "audience", "comment", "quote", "orphaned_at", "created_by", "created_at", "updated_at", "updated_by", "factor_ids", "dynamic_ids"])
    .where("document_id", "=", documentId)
    .orderBy("seq")
    .execute();
  return rows.map(({ factor_ids, dynamic_ids, ...row }) => ({ ...row, factors: idList(factor_ids), dynamics: idList(dynamic_ids) }));
}

/** Ids among `ids` that are findings of ANOTHER document (a forged or cross-pasted id). */
export async function findFindingsElsewhere(db: Executor, documentId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("findings")
    .select("id")
    .where("id", "in", ids)
    .where("document_id", "!=", documentId)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export interface FindingWrite {
  id: string;
  kind: string;
  audience: string | null;
  comment: string;
  quote: string;
  orphanedAt: string | null;
  factors: string[];
  dynamics: string[];
  updatedAt: string;
  updatedBy: string | null;
}

export async function insertFinding(
  db: Executor,
  values: FindingWrite & { studyId: string; documentId: string; createdBy: string | null; createdAt: string },
) {
  await db
    .insertInto("findings")
    .values({
      id: values.id,
      study_id: values.studyId,
      document_id: values.documentId,
      kind: values.kind,
      audience: values.audience,
      comment: values.comment,
      quote: values.quote,
      orphaned_at: values.orphanedAt,
      created_by: values.createdBy,
      created_at: values.createdAt,
      updated_at: values.updatedAt,
      updated_by: values.updatedBy,
    })
    .execute();
  await replaceFindingLinks(db, values.id, values);
}

/** Rewrites a finding of the document (never one of another document). */
export async function updateFinding(db: Executor, documentId: string, values: FindingWrite, links: boolean) {
  await db
    .updateTable("findings")
    .set({
      kind: values.kind,
      audience: values.audience,
      comment: values.comment,
      quote: values.quote,
      orphaned_at: values.orphanedAt,
      updated_at: values.updatedAt,
      updated_by: values.updatedBy,
    })
    .where("id", "=", values.id)
    .where("document_id", "=", documentId)
    .execute();
  if (links) await replaceFindingLinks(db, values.id, values);
}

/**
 * Sets the finding's factors and dynamics, touching only the links that change: every link row
 * written or deleted rewrites the finding's id lists (0004) and moves the matrix counts (0007), so a
 * tag added to five keeps the five as they are.
 */
async function replaceFindingLinks(db: Executor, findingId: string, values: { factors: string[]; dynamics: string[] }) {
  let staleFactors = db.deleteFrom("finding_factors").where("finding_id", "=", findingId);
  if (values.factors.length > 0) staleFactors = staleFactors.where("factor_id", "not in", values.factors);
  await staleFactors.execute();
  let staleDynamics = db.deleteFrom("finding_dynamics").where("finding_id", "=", findingId);
  if (values.dynamics.length > 0) staleDynamics = staleDynamics.where("dynamic_id", "not in", values.dynamics);
  await staleDynamics.execute();
  if (values.factors.length > 0) {
    await db
      .insertInto("finding_factors")
      .values(values.factors.map((factor_id) => ({ finding_id: findingId, factor_id })))
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
  if (values.dynamics.length > 0) {
    await db
      .insertInto("finding_dynamics")
      .values(values.dynamics.map((dynamic_id) => ({ finding_id: findingId, dynamic_id })))
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
}

/** Deletes findings of the document (their links go with them: ON DELETE CASCADE). */
export async function deleteDocumentFindings(db: Executor, documentId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  await db.deleteFrom("findings").where("document_id", "=", documentId).where("id", "in", ids).execute();
}
