import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../../db/client";
import { cooccurrenceCounts, matrixCounts } from "../../db/queries/matrix";
import type { User } from "../../db/schema";
import { createFinding, TEST_PASSWORD } from "../helpers/factories";
import { startFindingsServer, type FindingsFixture, type OtherStudy } from "../helpers/findings-fixture";
import { loginClient, type TestClient, visibleText } from "../helpers/http";
import type { TestServer } from "../helpers/server";

// Expected numbers are worked out by hand from the fixture's table (tests/helpers/findings-fixture.ts):
// orphaned f5 is not counted; f7 has no factor; totals count findings once.
let server: TestServer;
let db: DB;
let fx: FindingsFixture;
let other: OtherStudy;
let lecteur: TestClient;

const login = (user: User) => loginClient(server.url, user.email, TEST_PASSWORD);

beforeAll(async () => {
  ({ server, db, fx, other } = await startFindingsServer());
  lecteur = await login(fx.team.lecteur);
});
afterAll(() => server?.close());

async function page(query = "") {
  const response = await lecteur.get(`/etudes/${fx.studyId}/matrice${query}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  return { html, text: visibleText(html) };
}

/** The accessible label of every count cell, the way a screen reader user reads the table. */
const labels = (html: string) => [...html.matchAll(/aria-label="([^"]+ : \d+ enseignements?)"/g)].map((m) => m[1]!.replace(/&#x27;/g, "'"));
const n = (count: number) => `${count} ${count > 1 ? "enseignements" : "enseignement"}`;

const BY_DYNAMIC: [string, string, number][] = [
  ["Coopération", "Figeacteurs", 3],
  ["Coopération", "La Fabrique", 1],
  ["Coopération", "Ferme du Causse", 2],
  ["Leadership", "Figeacteurs", 2],
  ["Leadership", "La Fabrique", 0],
  ["Leadership", "Ferme du Causse", 1],
  ["Financement", "Figeacteurs", 1],
  ["Financement", "La Fabrique", 1],
  ["Financement", "Ferme du Causse", 2],
  ["Foncier", "Figeacteurs", 0],
  ["Foncier", "La Fabrique", 1],
  ["Foncier", "Ferme du Causse", 0],
];

describe("factor × dynamic matrix", () => {
  it("counts findings per cell, row, column and in total", async () => {
    const { html, text } = await page();
    const all = labels(html);
    for (const [factor, dynamic, count] of BY_DYNAMIC) expect(all).toContain(`${factor} × ${dynamic} : ${n(count)}`);
    for (const [factor, total] of [["Coopération", 4], ["Leadership", 2], ["Financement", 3], ["Foncier", 1]] as const) {
      expect(all).toContain(`Total ${factor} : ${n(total)}`);
    }
    for (const [dynamic, total] of [["Figeacteurs", 3], ["La Fabrique", 3], ["Ferme du Causse", 2]] as const) {
      expect(all).toContain(`Total ${dynamic} : ${n(total)}`);
    }
    expect(all).toContain(`Total général : ${n(6)}`);
    // rows grouped by family, columns under their type
    expect(text).toMatch(/Gouvernance .*Coopération.*Leadership.*Ressources .*Financement.*Foncier/);
    expect(text).toMatch(/Tiers-lieux Fermes Facteur Figeacteurs La Fabrique Ferme du Causse Total/);
    // shading follows the count, and the number is always written
    expect(html).toMatch(/<td class="heat-5"><a [^>]*aria-label="Coopération × Figeacteurs : 3 enseignements"[^>]*>3<\/a><\/td>/);
    expect(html).toMatch(/<td class="zero"><span aria-label="Leadership × La Fabrique : 0 enseignement">0<\/span><\/td>/);
    expect(text).not.toContain("secret");
  });

  it("flags a factor observed in few dynamics (one, with three dynamics in the study)", async () => {
    const { html, text } = await page();
    expect(text).toContain("Les facteurs observés dans une seule dynamique sont signalés.");
    expect(html).toMatch(/<tr class="is-rare"><th scope="row">.*?Foncier<\/span><span class="badge rare">observé dans 1 dynamique<\/span>/);
    expect(html.match(/<tr class="is-rare">/g)).toHaveLength(1);
  });

  it("groups the columns by type of dynamic", async () => {
    const all = labels((await page("?colonnes=types")).html);
    const expected: [string, string, number][] = [
      ["Coopération", "Tiers-lieux", 3],
      ["Coopération", "Fermes", 2],
      ["Leadership", "Tiers-lieux", 2],
      ["Leadership", "Fermes", 1],
      ["Financement", "Tiers-lieux", 2],
      ["Financement", "Fermes", 2],
      ["Foncier", "Tiers-lieux", 1],
      ["Foncier", "Fermes", 0],
    ];
    for (const [factor, type, count] of expected) expect(all).toContain(`${factor} × ${type} : ${n(count)}`);
    expect(all).toContain(`Total Tiers-lieux : ${n(5)}`);
    expect(all).toContain(`Total Fermes : ${n(2)}`);
    expect(all).toContain(`Total général : ${n(6)}`);
  });

  it("lists a cell's quotes, each linking to its passage", async () => {
    const { F1 } = fx.factors;
    const { html, text } = await page(`?colonnes=dynamiques&facteur=${F1}&colonne=${fx.dynamics.D1}`);
    expect(text).toContain("Coopération × Figeacteurs 3 enseignements");
    for (const quote of ["La coopération entre les élus et les habitants", "Un cœur de bourg revitalisé", "Œuvre commune et confiance"]) {
      expect(text).toContain(quote);
    }
    expect(text).not.toContain("Proposer une cooperation fonciere");
    for (const [finding, meeting] of [[fx.findings.f1, fx.meetings.M1], [fx.findings.f2, fx.meetings.M1], [fx.findings.f6, fx.meetings.M2]] as const) {
      expect(html).toContain(`href="/etudes/${fx.studyId}/visites/${meeting}/compte-rendu#enseignement-${finding.id}"`);
    }
    // grouped by type: the same finding linked to two dynamics of one type is listed once
    const byType = await page(`?colonnes=types&facteur=${F1}&colonne=${fx.types.T1}`);
    expect(byType.text).toContain("Coopération × Tiers-lieux 3 enseignements");
    expect(byType.text.match(/Un cœur de bourg revitalisé/g)).toHaveLength(1);
    // the orphaned finding is not behind its cell
    const leadership = await page(`?facteur=${fx.factors.F2}&colonne=${fx.dynamics.D3}`);
    expect(leadership.text).toContain("Leadership × Ferme du Causse 1 enseignement");
    expect(leadership.text).not.toContain("Un leadership partagé");
    // a cell naming another study's factor is ignored
    expect((await page(`?facteur=${other.factorId}&colonne=${fx.dynamics.D1}`)).text).not.toContain("Citation secrète");
  });

  it("is 404 for a non-member", async () => {
    expect((await (await login(fx.team.outsider)).get(`/etudes/${fx.studyId}/matrice`)).status).toBe(404);
    expect((await (await login(fx.team.outsider)).get(`/etudes/${fx.studyId}/matrice?vue=cooccurrences`)).status).toBe(404);
  });
});

describe("co-occurrences", () => {
  it("counts findings tagged with both factors, the diagonal with one", async () => {
    const all = labels((await page("?vue=cooccurrences")).html);
    const expected: [string, string, number][] = [
      ["Coopération", "Coopération", 4],
      ["Leadership", "Leadership", 2],
      ["Financement", "Financement", 3],
      ["Foncier", "Foncier", 1],
      ["Coopération", "Leadership", 2],
      ["Leadership", "Coopération", 2],
      ["Coopération", "Financement", 2],
      ["Leadership", "Financement", 1],
      ["Coopération", "Foncier", 0],
      ["Financement", "Foncier", 0],
    ];
    for (const [a, b, count] of expected) expect(all).toContain(`${a} × ${b} : ${n(count)}`);
  });

  it("lists the quotes of a pair", async () => {
    const { text } = await page(`?vue=cooccurrences&facteur=${fx.factors.F1}&facteur=${fx.factors.F3}`);
    expect(text).toContain("Coopération × Financement 2 enseignements");
    expect(text).toContain("Proposer une cooperation fonciere");
    expect(text).toContain("Œuvre commune et confiance");
    expect(text).not.toContain("Un cœur de bourg revitalisé");
  });
});

describe("matrix queries", () => {
  it("return the hand-computed counts and follow every write (cache keyed by the study's findings version)", async () => {
    const before = await matrixCounts(db, fx.studyId, "dynamic");
    const cell = (m: typeof before, f: string, d: string) => m.cells.find((c) => c.factorId === f && c.columnId === d)?.count ?? 0;
    expect(cell(before, fx.factors.F1, fx.dynamics.D1)).toBe(3);
    expect(before.total).toBe(6);
    expect(before.dynamicsObserved.find((r) => r.factorId === fx.factors.F4)?.count).toBe(1);

    const added = await createFinding(db, {
      studyId: fx.studyId,
      documentId: fx.reports.R1,
      kind: "levier",
      factorIds: [fx.factors.F4],
      dynamicIds: [fx.dynamics.D1],
      quote: "Un nouveau passage",
    });
    const after = await matrixCounts(db, fx.studyId, "dynamic");
    expect(cell(after, fx.factors.F4, fx.dynamics.D1)).toBe(1);
    expect(after.total).toBe(7);
    expect(after.dynamicsObserved.find((r) => r.factorId === fx.factors.F4)?.count).toBe(2);

    // un-orphaning f5 and removing the added finding are seen too
    await db.updateTable("findings").set({ orphaned_at: null }).where("id", "=", fx.findings.f5.id).execute();
    await db.deleteFrom("findings").where("id", "=", added.id).execute();
    const restored = await matrixCounts(db, fx.studyId, "dynamic");
    expect(cell(restored, fx.factors.F2, fx.dynamics.D3)).toBe(2);
    expect(restored.total).toBe(7);
    const co = await cooccurrenceCounts(db, fx.studyId);
    expect(co.tagged.find((r) => r.factorId === fx.factors.F2)?.count).toBe(3);
    await db.updateTable("findings").set({ orphaned_at: new Date().toISOString() }).where("id", "=", fx.findings.f5.id).execute();
    expect((await matrixCounts(db, fx.studyId, "dynamic")).total).toBe(6);

    // links moved or removed directly (as a grid merge does) are seen too
    const f2 = fx.findings.f2.id;
    await db.updateTable("finding_factors").set({ factor_id: fx.factors.F4 }).where("finding_id", "=", f2).where("factor_id", "=", fx.factors.F1).execute();
    const moved = await matrixCounts(db, fx.studyId, "dynamic");
    expect(cell(moved, fx.factors.F1, fx.dynamics.D1)).toBe(cell(before, fx.factors.F1, fx.dynamics.D1) - 1);
    expect(cell(moved, fx.factors.F4, fx.dynamics.D1)).toBe(1);
    await db.deleteFrom("finding_factors").where("finding_id", "=", f2).where("factor_id", "=", fx.factors.F4).execute();
    await db.insertInto("finding_factors").values({ finding_id: f2, factor_id: fx.factors.F1 }).execute();
    expect(await matrixCounts(db, fx.studyId, "dynamic")).toEqual(before);
  });
});
