import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../../db/client";
import type { User } from "../../db/schema";
import { createFinding, createMeeting, createStudyWithTeam, TEST_PASSWORD } from "../helpers/factories";
import { startFindingsServer, type FindingsFixture, type OtherStudy } from "../helpers/findings-fixture";
import { clientPerUser, visibleText } from "../helpers/http";
import type { TestServer } from "../helpers/server";

let server: TestServer;
let db: DB;
let fx: FindingsFixture;
let other: OtherStudy;

beforeAll(async () => {
  ({ server, db, fx, other } = await startFindingsServer());
});
afterAll(() => server?.close());

const as = clientPerUser(() => server.url, TEST_PASSWORD);

const QUOTES = {
  f1: "La coopération entre les élus et les habitants",
  f2: "Un cœur de bourg revitalisé",
  f3: "Le financement manque à Saint-Jean ; les élus hésitent",
  f4: "Proposer une cooperation fonciere",
  f5: "Un leadership partagé",
  f6: "Œuvre commune et confiance",
  f7: "=1+1 sans facteur",
  f8: "Accès au foncier agricole",
} as const;
type Key = keyof typeof QUOTES;

/** The quotes a lecteur sees on the browser page for these GET parameters. */
async function shown(params: [string, string][] = []) {
  const response = await (await as(fx.team.lecteur)).get(`/etudes/${fx.studyId}/enseignements?${new URLSearchParams(params)}`);
  expect(response.status).toBe(200);
  const html = await response.text();
  const text = visibleText(html);
  const keys = (Object.keys(QUOTES) as Key[]).filter((k) => text.includes(QUOTES[k]));
  return { html, text, keys };
}

describe("findings browser", () => {
  it("lists every finding of the study with its tags, author, visit, orphan flag and passage link, for a lecteur", async () => {
    const { html, text, keys } = await shown();
    expect(keys).toEqual(["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"]);
    expect(text).toContain("Enseignements 8 enseignements");
    expect(text).not.toContain("Citation secrète");
    // tags and context, in French
    expect(text).toContain("Proposition Pouvoirs publics");
    expect(text).toContain("Commentaire : à discuter");
    expect(text).toContain("par Marc Membre");
    expect(text).toContain("Visite du Causse");
    expect(text.match(/\borphelin\b/g)?.length).toBe(1);
    // factor chips: the factor's own color, else its family's
    expect(html).toMatch(/border-color:#dc2626[^>]*><span class="factor-dot"[^>]*><\/span>Coopération/);
    expect(html).toMatch(/border-color:#2563eb[^>]*><span class="factor-dot"[^>]*><\/span>Leadership/);
    expect(html).toMatch(/border-color:#16a34a[^>]*><span class="factor-dot"[^>]*><\/span>Financement/);
    // the passage link
    expect(html).toContain(`href="/etudes/${fx.studyId}/visites/${fx.meetings.M1}/compte-rendu#enseignement-${fx.findings.f1.id}"`);
    expect(html).toContain(`href="/etudes/${fx.studyId}/visites/${fx.meetings.M2}/compte-rendu#enseignement-${fx.findings.f6.id}"`);
    // the new tabs in the study layout
    for (const tab of ["Enseignements", "Matrice", "Recherche"]) expect(text).toContain(tab);
    // the filters: « Tous »/« Toutes » first, factors under their family, dynamics under their type, visits dated
    const select = (name: string) => new RegExp(`<select name="${name}">(.*?)</select>`, "s").exec(html)?.[1] ?? "";
    expect(select("facteur")).toMatch(/^<option value="" selected="">Tous<\/option><optgroup label="Gouvernance">.*>Coopération<\/option>.*>Leadership<\/option><\/optgroup>/);
    expect(select("famille")).toMatch(/^<option value="" selected="">Toutes<\/option>/);
    expect(select("dynamique")).toMatch(/<optgroup label="Tiers-lieux">.*>Figeacteurs<\/option>.*>La Fabrique<\/option><\/optgroup>/);
    expect(select("visite")).toContain(`<option value="${fx.meetings.M1}">8 novembre 2018 · Visite à Figeac</option>`);
    expect(select("orphelins")).toBe('<option value="" selected="">Tous</option><option value="non">Dans le compte rendu</option><option value="oui">Orphelins seulement</option>');
  });

  it("filters by each criterion (counts worked out by hand on the fixture)", async () => {
    const { F1, F2 } = fx.factors;
    const cases: [string, [string, string][], Key[]][] = [
      ["factor F1", [["facteur", F1]], ["f1", "f2", "f4", "f6"]],
      ["factor F2", [["facteur", F2]], ["f1", "f5", "f6"]],
      ["family Gouvernance", [["famille", fx.families.gouvernance]], ["f1", "f2", "f4", "f5", "f6"]],
      ["family Ressources", [["famille", fx.families.ressources]], ["f3", "f4", "f6", "f8"]],
      ["kind levier", [["nature", "levier"]], ["f2", "f6"]],
      ["kind facteur-cle", [["nature", "facteur-cle"]], ["f1", "f5", "f8"]],
      ["audience", [["public", "pouvoirs-publics"]], ["f4"]],
      ["dynamic D1", [["dynamique", fx.dynamics.D1]], ["f1", "f2", "f6"]],
      ["dynamic D3", [["dynamique", fx.dynamics.D3]], ["f4", "f5", "f6", "f7"]],
      ["type Tiers-lieux", [["type", fx.types.T1]], ["f1", "f2", "f3", "f6", "f8"]],
      ["type Fermes", [["type", fx.types.T2]], ["f4", "f5", "f6", "f7"]],
      ["visit M1", [["visite", fx.meetings.M1]], ["f1", "f2", "f3", "f8"]],
      ["visit M2", [["visite", fx.meetings.M2]], ["f4", "f5", "f6", "f7"]],
      ["author pilote", [["auteur", fx.team.pilote.id]], ["f2", "f4", "f7"]],
      ["author membre", [["auteur", fx.team.membre.id]], ["f1", "f3", "f5", "f6", "f8"]],
      ["orphaned only", [["orphelins", "oui"]], ["f5"]],
      ["not orphaned", [["orphelins", "non"]], ["f1", "f2", "f3", "f4", "f6", "f7", "f8"]],
    ];
    for (const [label, params, expected] of cases) {
      const { keys, text } = await shown(params);
      expect(keys, label).toEqual(expected);
      expect(text, label).toContain(`${expected.length} ${expected.length > 1 ? "enseignements" : "enseignement"} sur 8`);
    }
  });

  it("combines filters", async () => {
    const { F1, F2 } = fx.factors;
    const cases: [[string, string][], Key[]][] = [
      [[["facteur", F1], ["visite", fx.meetings.M2]], ["f4", "f6"]],
      [[["famille", fx.families.gouvernance], ["nature", "facteur-cle"]], ["f1", "f5"]],
      [[["famille", fx.families.gouvernance], ["nature", "facteur-cle"], ["orphelins", "non"]], ["f1"]],
      [[["type", fx.types.T2], ["auteur", fx.team.membre.id]], ["f5", "f6"]],
      [[["facteur", F1], ["facteur", F2]], ["f1", "f6"]],
      [[["dynamique", fx.dynamics.D2], ["type", fx.types.T2]], []],
    ];
    for (const [params, expected] of cases) expect((await shown(params)).keys, JSON.stringify(params)).toEqual(expected);
  });

  it("shows a French empty state, and ignores malformed or foreign filter values", async () => {
    const none = await shown([["nature", "proposition"], ["auteur", fx.team.membre.id]]);
    expect(none.keys).toEqual([]);
    expect(none.text).toContain("Aucun enseignement ne correspond à ces filtres.");
    // another study's factor or dynamic matches nothing here
    expect((await shown([["facteur", other.factorId]])).keys).toEqual([]);
    expect((await shown([["dynamique", other.dynamicId]])).keys).toEqual([]);
    // garbage is ignored rather than an error
    expect((await shown([["facteur", "pas-un-uuid"], ["orphelins", "peut-être"], ["page", "-3"]])).keys).toHaveLength(8);

    const empty = await createStudyWithTeam(db);
    const response = await (await as(empty.lecteur)).get(`/etudes/${empty.study.id}/enseignements`);
    expect(response.status).toBe(200);
    expect(visibleText(await response.text())).toContain("Aucun enseignement pour l'instant.");
  });

  it("paginates by 50", async () => {
    const team = await createStudyWithTeam(db);
    const { report } = await createMeeting(db, team.study.id);
    for (let i = 1; i <= 55; i++) {
      await createFinding(db, { studyId: team.study.id, documentId: report.id, kind: "levier", factorIds: [], dynamicIds: [], quote: `Passage numéro ${i} fin` });
    }
    const client = await as(team.lecteur);
    const first = visibleText(await (await client.get(`/etudes/${team.study.id}/enseignements`)).text());
    expect(first).toContain("55 enseignements");
    expect(first).toContain("Page 1 sur 2");
    expect(first.match(/Passage numéro \d+ fin/g)).toHaveLength(50);
    expect(first).toContain("Passage numéro 55 fin"); // newest first
    expect(first).not.toContain("Passage numéro 5 fin");
    const second = visibleText(await (await client.get(`/etudes/${team.study.id}/enseignements?page=2`)).text());
    expect(second).toContain("Page 2 sur 2");
    expect(second.match(/Passage numéro \d+ fin/g)).toEqual(["Passage numéro 5 fin", "Passage numéro 4 fin", "Passage numéro 3 fin", "Passage numéro 2 fin", "Passage numéro 1 fin"]);
  });

  it("is 404 for a non-member and for an unknown study", async () => {
    expect((await (await as(fx.team.outsider)).get(`/etudes/${fx.studyId}/enseignements`)).status).toBe(404);
    expect((await (await as(fx.team.lecteur)).get(`/etudes/${other.team.study.id}/enseignements`)).status).toBe(404);
    expect((await (await as(fx.team.lecteur)).get(`/etudes/${crypto.randomUUID()}/enseignements`)).status).toBe(404);
  });
});

describe("CSV export", () => {
  async function csv(user: User, params: [string, string][] = []) {
    const response = await (await as(user)).get(`/etudes/${fx.studyId}/enseignements/csv?${new URLSearchParams(params)}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { response, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
  }
  const HEADER =
    "Identifiant;Citation;Type;Public;Facteurs;Familles;Dynamiques;Types de dynamique;Visite;Date de la visite;Auteur;Créé le;Orphelin;Commentaire;Lien";

  it("downloads every finding as UTF-8 CSV with a BOM, a French header and a clear file name", async () => {
    const { response, bytes, text } = await csv(fx.team.lecteur);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const day = new Date().toISOString().slice(0, 10);
    const fileName = `enseignements-etude-coeur-de-figeac-${day}.csv`;
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${fileName}"; filename*=UTF-8''${fileName}`);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]).toBe(HEADER);
    expect(lines.at(-1)).toBe("");
    expect(lines).toHaveLength(1 + 8 + 1);
    const f4 = lines.find((l) => l.startsWith(fx.findings.f4.id))!;
    const cells = f4.split(";");
    expect(cells.slice(0, 4)).toEqual([fx.findings.f4.id, "Proposer une cooperation fonciere", "Proposition", "Pouvoirs publics"]);
    expect(cells[4]!.split(", ").sort()).toEqual(["Coopération", "Financement"]);
    expect(cells[5]!.split(", ").sort()).toEqual(["Gouvernance", "Ressources"]);
    expect(cells.slice(6, 14)).toEqual(["Ferme du Causse", "Fermes", "Visite du Causse", "2019-02-12", "Paule Pilote", day, "non", "à discuter"]);
    expect(cells[14]).toBe(`${server.url.replace(/\/$/, "")}/etudes/${fx.studyId}/visites/${fx.meetings.M2}/compte-rendu#enseignement-${fx.findings.f4.id}`);
    // accents intact, separators quoted, formulas neutralised, orphan flagged
    expect(text).toContain("La coopération entre les élus et les habitants");
    expect(text).toContain("Œuvre commune et confiance");
    expect(text).toContain('"Le financement manque à Saint-Jean ; les élus hésitent"');
    expect(text).toContain(";'=1+1 sans facteur;");
    expect(lines.find((l) => l.startsWith(fx.findings.f5.id))).toContain(";oui;");
    expect(text).not.toContain("secrète");
  });

  it("applies the browser's filters", async () => {
    const levier = (await csv(fx.team.lecteur, [["nature", "levier"]])).text.split("\r\n").filter(Boolean);
    expect(levier.slice(1).map((l) => l.split(";")[0]).sort()).toEqual([fx.findings.f2.id, fx.findings.f6.id].sort());
    const combined = (await csv(fx.team.lecteur, [["facteur", fx.factors.F1], ["visite", fx.meetings.M2]])).text.split("\r\n").filter(Boolean);
    expect(combined.slice(1).map((l) => l.split(";")[0]).sort()).toEqual([fx.findings.f4.id, fx.findings.f6.id].sort());
  });

  it("is 404 for a non-member", async () => {
    expect((await csv(fx.team.outsider)).response.status).toBe(404);
  });
});
