import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toMatchExpression } from "../../db/queries/search";
import type { User } from "../../db/schema";
import { TEST_PASSWORD } from "../helpers/factories";
import { startFindingsServer, type FindingsFixture, type OtherStudy } from "../helpers/findings-fixture";
import { loginClient, type TestClient, visibleText } from "../helpers/http";
import type { TestServer } from "../helpers/server";

let server: TestServer;
let fx: FindingsFixture;
let other: OtherStudy;
let lecteur: TestClient;

const login = (user: User) => loginClient(server.url, user.email, TEST_PASSWORD);

beforeAll(async () => {
  ({ server, fx, other } = await startFindingsServer());
  lecteur = await login(fx.team.lecteur);
});
afterAll(() => server?.close());

/** What the search page shows for a query: which reports and findings, and the raw HTML. */
async function search(q: string) {
  const response = await lecteur.get(`/etudes/${fx.studyId}/recherche?${new URLSearchParams({ q })}`);
  expect(response.status, q).toBe(200);
  const html = await response.text();
  const reportLinks = [...html.matchAll(/href="\/etudes\/[^/]+\/visites\/([^/]+)\/compte-rendu">Ouvrir le compte rendu/g)].map((m) => m[1]);
  const findingLinks = [...html.matchAll(/compte-rendu#enseignement-([0-9a-f-]+)">Voir le passage/g)].map((m) => m[1]);
  return { html, text: visibleText(html), reports: reportLinks.sort(), findings: findingLinks.sort() };
}

const ids = (...findings: { id: string }[]) => findings.map((f) => f.id).sort();

describe("full-text search", () => {
  it("folds accents and case, both ways", async () => {
    const { M1, M2 } = fx.meetings;
    const { f1, f4 } = fx.findings;
    for (const q of ["cooperation", "coopération", "COOPÉRATION", "Coopèration"]) {
      const r = await search(q);
      expect(r.reports, q).toEqual([M1, M2].sort());
      expect(r.findings, q).toEqual(ids(f1, f4));
    }
  });

  it("folds œ and æ on both sides: « coeur » finds « cœur » and « Cœur », « cœur » finds « Coeur »", async () => {
    const { M1, M2 } = fx.meetings;
    for (const q of ["coeur", "cœur", "CŒUR", "Coeur"]) {
      const r = await search(q);
      expect(r.reports, q).toEqual([M1, M2].sort()); // R1 has « cœur », R2 « Coeur »
      expect(r.findings, q).toEqual(ids(fx.findings.f2));
    }
    for (const q of ["oeuvre", "œuvre", "ŒUVRE"]) {
      const r = await search(q);
      expect(r.reports, q).toEqual([fx.meetings.M2]);
      expect(r.findings, q).toEqual(ids(fx.findings.f6));
    }
  });

  it("shows the snippets as written: « cœur » stays « cœur », « Œuvre » stays « Œuvre »", async () => {
    for (const q of ["coeur", "cœur"]) {
      const { html } = await search(q);
      expect(html, q).toContain("<mark>cœur</mark> de bourg de Saint-Jean revit");
      expect(html, q).toContain("Un <mark>cœur</mark> de bourg revitalisé");
      expect(html, q).toContain("parlent de <mark>Coeur</mark> de ferme");
      expect(html, q).not.toMatch(/<mark>coeur<\/mark>/);
    }
    const { html } = await search("oeuvre");
    expect(html).toContain("<mark>Œuvre</mark> commune");
    expect(html).not.toContain("OEuvre");
  });

  it("matches the last word as a prefix while typing, whole words once a space follows", async () => {
    expect((await search("coop")).findings).toEqual(ids(fx.findings.f1, fx.findings.f4));
    expect((await search("élus habit")).findings).toEqual(ids(fx.findings.f1));
    expect((await search("coop ")).findings).toEqual([]);
    expect(toMatchExpression("coop")).toBe('"coop"*');
    expect(toMatchExpression("coop ")).toBe('"coop"');
    expect(toMatchExpression('Saint-Jean "x" NEAR( * ) AND cœur')).toBe('"Saint" "Jean" "x" "NEAR" "AND" "coeur"*');
  });

  it("highlights the matching words and links to the report and to the finding's passage", async () => {
    const { html } = await search("cooperation");
    expect(html).toMatch(/<mark>coopération<\/mark>/);
    expect(html).toMatch(/<mark>cooperation<\/mark>/);
    expect(html).toContain(`href="/etudes/${fx.studyId}/visites/${fx.meetings.M1}/compte-rendu"`);
    expect(html).toContain(`href="/etudes/${fx.studyId}/visites/${fx.meetings.M1}/compte-rendu#enseignement-${fx.findings.f1.id}"`);
  });

  it("renders report text as text, never as HTML", async () => {
    const { html, text } = await search("alert");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;");
    expect(text).toContain("<script> alert (1)</script>"); // the word is highlighted: tags became spaces
  });

  it("treats hostile input as plain words: results or none, never an error", async () => {
    const saintJean = await search("Saint-Jean");
    expect(saintJean.reports).toEqual([fx.meetings.M1]);
    expect(saintJean.findings).toEqual(ids(fx.findings.f3));
    for (const q of ['"', "*", "NEAR", ")", "(", "AND", "OR", "NOT", "coopération NEAR habitants", '"coop', "coop*", "^élus", "élus:", "col:x", "-", "{a b}", "a'b", "'", "\\", "%", "\u0002", "🙂", " ", "x".repeat(500)]) {
      await search(q); // status 200 asserted inside
    }
    expect((await search("coop*")).findings).toEqual(ids(fx.findings.f1, fx.findings.f4));
    expect((await search('"cœur')).findings).toEqual(ids(fx.findings.f2));
    expect((await search("(élus)")).findings).toEqual(ids(fx.findings.f1, fx.findings.f3));
    expect((await search("NEAR")).text).toContain("Aucun enseignement ne contient ces mots.");
    expect((await search('"')).text).toContain("Saisissez un ou plusieurs mots");
  });

  it("searches this study only", async () => {
    const r = await search("secret");
    expect(r.reports).toEqual([]);
    expect(r.findings).toEqual([]);
    const c = await search("confidentielle");
    expect(c.reports).toEqual([]);
    for (const q of ["coopération", "cœur", "Saint-Jean"]) {
      const { text, html } = await search(q);
      expect(text).not.toContain("secret");
      expect(html).not.toContain(other.meetingId);
      expect(html).not.toContain(other.finding.id);
    }
    const outsider = await login(fx.team.outsider);
    expect((await outsider.get(`/etudes/${fx.studyId}/recherche?q=cooperation`)).status).toBe(404);
    expect((await lecteur.get(`/etudes/${other.team.study.id}/recherche?q=cooperation`)).status).toBe(404);
  });
});
