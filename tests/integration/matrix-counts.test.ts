import type { AppLoadContext } from "@remix-run/node";
import { type RawBuilder, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeFactor, setFactorArchived } from "../../app/models/grid.server";
import { type DatabaseHandle, openDatabase } from "../../db/client";
import { nowIso } from "../../db/queries/executor";
import { deleteDocumentFindings, insertFinding, updateFinding } from "../../db/queries/findings";
import { cooccurrenceCounts, matrixCounts } from "../../db/queries/matrix";
import { createFindingsFixture, createOtherStudy, type FindingsFixture, type OtherStudy } from "../helpers/findings-fixture";
import { copyTemplate } from "../helpers/server";

// The counts kept by migration 0007's triggers, checked after every kind of write against the same
// counts recomputed here from the source of truth (findings and their link tables), and the matrix
// read from them against figures worked out by hand on the fixture (tests/helpers/findings-fixture.ts).
let handle: DatabaseHandle;
let fx: FindingsFixture;
let other: OtherStudy;

beforeAll(async () => {
  handle = openDatabase(copyTemplate());
  fx = await createFindingsFixture(handle.db);
  other = await createOtherStudy(handle.db);
});
afterAll(() => handle?.close());

const db = () => handle.db;
const context = () => ({ db: handle.db }) as unknown as AppLoadContext;
const editor = () => ({ studyId: fx.studyId, userId: fx.team.pilote.id });

type Counts = { byFactor: Record<string, number>; byDynamics: Record<string, number>; byFactors: Record<string, number> };

/** Per factor and dynamic set, per dynamic set (findings with a factor), per factor set: non-orphaned findings. */
async function recomputed(studyId: string): Promise<Counts> {
  const findings = await db().selectFrom("findings").select("id").where("study_id", "=", studyId).where("orphaned_at", "is", null).execute();
  const factorLinks = await db().selectFrom("finding_factors").select(["finding_id as finding", "factor_id as id"]).execute();
  const dynamicLinks = await db().selectFrom("finding_dynamics").select(["finding_id as finding", "dynamic_id as id"]).execute();
  const setOf = (links: { finding: string; id: string }[], finding: string) =>
    links
      .filter((l) => l.finding === finding)
      .map((l) => l.id)
      .sort();
  const counts: Counts = { byFactor: {}, byDynamics: {}, byFactors: {} };
  const add = (record: Record<string, number>, key: string) => (record[key] = (record[key] ?? 0) + 1);
  for (const { id } of findings) {
    const factors = setOf(factorLinks, id);
    const dynamics = setOf(dynamicLinks, id).join(",");
    for (const f of factors) add(counts.byFactor, `${f}|${dynamics}`);
    if (factors.length > 0) add(counts.byDynamics, dynamics);
    add(counts.byFactors, factors.join(","));
  }
  return counts;
}

/** What the triggers keep, in the same shape (zero counts left out). */
async function maintained(studyId: string): Promise<Counts> {
  const read = async (query: RawBuilder<{ key: string; n: number }>) =>
    Object.fromEntries((await query.execute(db())).rows.map((r) => [r.key, Number(r.n)]));
  return {
    byFactor: await read(sql`select c.factor_id || '|' || l.ids as key, c.findings as n from matrix_factor_counts c
      join matrix_tag_lists l on l.id = c.dynamic_list where c.study_id = ${studyId} and c.findings > 0`),
    byDynamics: await read(sql`select l.ids as key, c.findings as n from matrix_dynamic_counts c
      join matrix_tag_lists l on l.id = c.dynamic_list where c.study_id = ${studyId} and c.findings > 0`),
    byFactors: await read(sql`select l.ids as key, c.findings as n from matrix_factor_list_counts c
      join matrix_tag_lists l on l.id = c.factor_list where c.study_id = ${studyId} and c.findings > 0`),
  };
}

async function expectCountsRight() {
  for (const studyId of [fx.studyId, other.team.study.id]) expect(await maintained(studyId)).toEqual(await recomputed(studyId));
  for (const table of ["matrix_factor_counts", "matrix_dynamic_counts", "matrix_factor_list_counts"]) {
    const negative = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where findings < 0`.execute(db());
    expect(Number(negative.rows[0]!.n)).toBe(0);
  }
}

async function matrix() {
  const m = await matrixCounts(db(), fx.studyId, "dynamic");
  const cell = (f: string, d: string) => m.cells.find((c) => c.factorId === f && c.columnId === d)?.count ?? 0;
  const row = (f: string) => m.rows.find((r) => r.factorId === f)?.count ?? 0;
  const column = (d: string) => m.columns.find((c) => c.columnId === d)?.count ?? 0;
  return { cell, row, column, total: m.total };
}

const write = (id: string, documentId: string, values: { kind: string; factors: string[]; dynamics: string[]; orphanedAt?: string | null; quote?: string }) => ({
  id,
  kind: values.kind,
  audience: null,
  comment: "",
  quote: values.quote ?? "Passage",
  orphanedAt: values.orphanedAt ?? null,
  factors: values.factors,
  dynamics: values.dynamics,
  updatedAt: nowIso(),
  updatedBy: null,
});

describe("matrix counts kept by triggers (migration 0007)", () => {
  it("start right on the fixture", async () => {
    await expectCountsRight();
    const { F1, F2, F3, F4 } = fx.factors;
    const { D1, D2, D3 } = fx.dynamics;
    const m = await matrix();
    expect([m.cell(F1, D1), m.cell(F1, D2), m.cell(F1, D3), m.cell(F2, D1), m.cell(F2, D3), m.cell(F3, D3), m.cell(F4, D2)]).toEqual([3, 1, 2, 2, 1, 2, 1]);
    expect([m.row(F1), m.row(F2), m.row(F3), m.row(F4)]).toEqual([4, 2, 3, 1]);
    expect([m.column(D1), m.column(D2), m.column(D3), m.total]).toEqual([3, 3, 2, 6]);
  });

  it("follow a finding tagged, retagged, orphaned, restored and removed through the server's write functions", async () => {
    const { F1, F3, F4 } = fx.factors;
    const { D1, D2, D3 } = fx.dynamics;
    const id = crypto.randomUUID();
    const R1 = fx.reports.R1;
    await insertFinding(db(), {
      ...write(id, R1, { kind: "levier", factors: [F4, F1], dynamics: [D1] }),
      studyId: fx.studyId,
      documentId: R1,
      createdBy: fx.team.membre.id,
      createdAt: nowIso(),
    });
    await expectCountsRight();
    expect((await matrix()).cell(F4, D1)).toBe(1);

    await updateFinding(db(), R1, write(id, R1, { kind: "levier", factors: [F3], dynamics: [D2, D3] }), true);
    await expectCountsRight();
    let m = await matrix();
    expect([m.cell(F4, D1), m.cell(F3, D2), m.cell(F3, D3), m.total]).toEqual([0, 2, 3, 7]);

    // A factor added and a dynamic removed, the other tags kept; then back.
    await updateFinding(db(), R1, write(id, R1, { kind: "levier", factors: [F3, F4], dynamics: [D2] }), true);
    await expectCountsRight();
    expect(await db().selectFrom("findings").select(["factor_ids", "dynamic_ids"]).where("id", "=", id).executeTakeFirst()).toEqual({
      factor_ids: [F3, F4].sort().join(","),
      dynamic_ids: D2,
    });
    expect((await matrix()).cell(F3, D3)).toBe(2);
    await updateFinding(db(), R1, write(id, R1, { kind: "levier", factors: [F3], dynamics: [D2, D3] }), true);
    await expectCountsRight();

    // A quote edit alone leaves the counts as they are.
    await updateFinding(db(), R1, write(id, R1, { kind: "levier", factors: [F3], dynamics: [D2, D3], quote: "Passage relu" }), false);
    await expectCountsRight();

    await updateFinding(db(), R1, write(id, R1, { kind: "levier", factors: [F3], dynamics: [D2, D3], orphanedAt: nowIso() }), false);
    await expectCountsRight();
    m = await matrix();
    expect([m.cell(F3, D2), m.total]).toEqual([1, 6]);

    await updateFinding(db(), R1, write(id, R1, { kind: "levier", factors: [F3], dynamics: [D2, D3] }), false);
    await expectCountsRight();
    expect((await matrix()).cell(F3, D2)).toBe(2);

    // Without factors: in no cell, but its dynamics' totals do not count it either.
    await updateFinding(db(), R1, write(id, R1, { kind: "levier", factors: [], dynamics: [D2] }), true);
    await expectCountsRight();
    m = await matrix();
    expect([m.column(D2), m.total]).toEqual([3, 6]);

    await deleteDocumentFindings(db(), R1, [id]);
    await expectCountsRight();
  });

  it("follow a merge of factors and an archive made in the grid", async () => {
    const { F1, F2, F3 } = fx.factors;
    const { D1, D2, D3 } = fx.dynamics;
    const co = await cooccurrenceCounts(db(), fx.studyId);
    expect(co.tagged.find((t) => t.factorId === F2)?.count).toBe(2);

    expect(await setFactorArchived(context(), editor(), F3, true)).toMatchObject({ ok: true });
    await expectCountsRight();
    expect((await matrix()).row(F3)).toBe(3);

    // Leadership into Coopération: f1 and f6 already carry both, f5 is orphaned (not counted).
    expect(await mergeFactor(context(), editor(), F2, F1)).toMatchObject({ ok: true });
    await expectCountsRight();
    const m = await matrix();
    expect([m.cell(F1, D1), m.cell(F1, D2), m.cell(F1, D3), m.row(F1), m.row(F2), m.total]).toEqual([3, 1, 2, 4, 0, 6]);
    expect([m.column(D1), m.column(D2), m.column(D3)]).toEqual([3, 3, 2]);
    const after = await cooccurrenceCounts(db(), fx.studyId);
    expect(after.tagged.find((t) => t.factorId === F2)).toBeUndefined();
    expect(after.tagged.find((t) => t.factorId === F1)?.count).toBe(4);
  });

  it("follow findings deleted with their report, and leave the other study alone", async () => {
    const otherBefore = await maintained(other.team.study.id);
    await db().deleteFrom("findings").where("document_id", "=", fx.reports.R2).execute();
    await expectCountsRight();
    const m = await matrix();
    const { F1, F3, F4 } = fx.factors;
    // Left: f1 (F1, D1), f2 (F1, D1 D2), f3 (F3, D2), f8 (F4, D2).
    expect([m.row(F1), m.row(F3), m.row(F4), m.column(fx.dynamics.D3), m.total]).toEqual([2, 1, 1, 0, 4]);
    expect(await maintained(other.team.study.id)).toEqual(otherBefore);
  });
});
