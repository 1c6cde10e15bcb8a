import type { JSONContent } from "@tiptap/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type CitationAttrs, citationsOf } from "../../app/editor/citation";
import type { DB } from "../../db/client";
import { findStudySynthesis, insertDocument, updateDocumentDerived } from "../../db/queries/documents";
import { insertFactor, insertGrid } from "../../db/queries/grid";
import { updateMeeting } from "../../db/queries/meetings";
import { CONTENT_FIELD } from "../../server/collab/persistence";
import { collabClientsForFile, sessionCookieHeader, waitForSync } from "../helpers/collab";
import { createFinding, createMeeting, createStudyWithTeam, TEST_PASSWORD } from "../helpers/factories";
import { type FindingsFixture, type OtherStudy, startFindingsServer } from "../helpers/findings-fixture";
import { clientPerUser, TestClient, visibleText } from "../helpers/http";
import type { TestServer } from "../helpers/server";

let server: TestServer;
let db: DB;
let fx: FindingsFixture;
let other: OtherStudy;
/** Findings added to the hand-counted fixture for the plan's rules (see the table below). */
let extra: Record<"f9" | "f10" | "f11" | "f12" | "f13", { id: string; quote: string }>;
const open = collabClientsForFile();

const LONG_QUOTE = `Un très long passage sur le foncier. ${"La commune rachète des terres pour les installer. ".repeat(14)}`.trim();

/**
 * On top of tests/helpers/findings-fixture.ts (f1…f8):
 * - Coopération gets a definition; Gouvernance gets a live factor without findings (Transmission)
 *   and Ressources an ARCHIVED factor (Ancien foncier) that must not show;
 *   finding  kind          factors                  dynamics  notes
 *   f9       facteur-cle   Ancien foncier, Foncier  D1
 *   f10      facteur-cle   Foncier                  D2        quote over 600 characters
 *   f11      facteur-cle   Foncier                  D2        longer than f8, under 600
 *   f12      proposition   (none)                   D3        audience pouvoirs-publics, longer than f4
 *   f13      proposition   (none)                   D3        audience citoyens, ORPHANED
 */
beforeAll(async () => {
  // The provenance reads the derived copy of the synthesis: derive soon after an edit.
  ({ server, db, fx, other } = await startFindingsServer({ env: { TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "20" } }));
  const { studyId } = fx;
  const { F1, F4 } = fx.factors;
  await db.updateTable("factors").set({ definition: "La capacité à agir ensemble." }).where("id", "=", F1).execute();
  await insertFactor(db, { study_id: studyId, family_id: fx.families.gouvernance, key: "transmission", label: "Transmission", definition: "", color: null, position: 5 });
  const archived = await insertFactor(db, { study_id: studyId, family_id: fx.families.ressources, key: "ancien", label: "Ancien foncier", definition: "", color: null, position: 6 });
  await db.updateTable("factors").set({ archived_at: new Date().toISOString() }).where("id", "=", archived.id).execute();
  const { D1, D2, D3 } = fx.dynamics;
  const { R1, R2 } = fx.reports;
  const base = { studyId, createdBy: fx.team.membre.id };
  extra = {
    f9: await createFinding(db, { ...base, documentId: R1, kind: "facteur-cle", factorIds: [archived.id, F4], dynamicIds: [D1], quote: "Le foncier partagé entre générations" }),
    f10: await createFinding(db, { ...base, documentId: R1, kind: "facteur-cle", factorIds: [F4], dynamicIds: [D2], quote: LONG_QUOTE }),
    f11: await createFinding(db, { ...base, documentId: R1, kind: "facteur-cle", factorIds: [F4], dynamicIds: [D2], quote: "Accès au foncier agricole grâce à la commune" }),
    f12: await createFinding(db, { ...base, documentId: R2, kind: "proposition", audience: "pouvoirs-publics", factorIds: [], dynamicIds: [D3], quote: "Proposer un fonds foncier intercommunal pour les installations" }),
    f13: await createFinding(db, { ...base, documentId: R2, kind: "proposition", audience: "citoyens", factorIds: [], dynamicIds: [D3], quote: "Une proposition orpheline", orphaned: true }),
  };
});
afterAll(() => server?.close());

const as = clientPerUser(() => server.url, TEST_PASSWORD);

/** The plan as blocks reduced to what a reader sees: headings and paragraphs as text, citations by finding. */
function outline(content: JSONContent[]) {
  return content.map((block) => {
    if (block.type === "citation") return `citation:${(block.attrs as CitationAttrs).findingId}`;
    const text = (block.content ?? []).map((c) => c.text).join("");
    return block.type === "heading" ? `h${block.attrs?.level}:${text}` : `p:${text}`;
  });
}

async function fetchPlan(user: { id: string; email: string }) {
  const response = await (await as(user)).get(`/etudes/${fx.studyId}/synthese/plan`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return ((await response.json()) as { content: JSONContent[] }).content;
}

describe("« Générer un plan »", () => {
  it("drafts families → factors with definitions, spread and one strong quote per dynamic, then propositions by audience", async () => {
    const content = await fetchPlan(fx.team.membre);
    const f = { ...fx.findings, ...extra };
    const c = (key: keyof typeof f) => `citation:${f[key].id}`;
    expect(outline(content.slice(1))).toEqual([
      "h2:Gouvernance",
      "h3:Coopération",
      "p:La capacité à agir ensemble.",
      "p:Observé dans 3 dynamiques (types : Tiers-lieux, Fermes).",
      // D1: f1 (facteur clé) beats the leviers f2 and f6; D2: f2 alone; D3: the levier f6 beats the proposition f4.
      c("f1"),
      c("f2"),
      c("f6"),
      "h3:Leadership",
      // f5 is orphaned: not evidence.
      "p:Observé dans 2 dynamiques (types : Tiers-lieux, Fermes).",
      c("f1"),
      c("f6"),
      "p:Facteurs sans enseignement : Transmission.",
      "h2:Ressources",
      "h3:Financement",
      "p:Observé dans 3 dynamiques (types : Tiers-lieux, Fermes).",
      // D1: f6; D2: f3; D3: f6 again (levier over the proposition f4), quoted once.
      c("f6"),
      c("f3"),
      "h3:Foncier",
      "p:Observé dans 2 dynamiques (type : Tiers-lieux).",
      // D1: f9 (its archived factor is left out, the finding still counts for Foncier);
      // D2: f11, the longest facteur clé under 600 characters (f10 is longer, f8 shorter).
      c("f9"),
      c("f11"),
      "h2:Propositions",
      "h3:Citoyens",
      // f13 is orphaned.
      "p:Aucune proposition pour ce public pour l'instant.",
      "h3:Pouvoirs publics",
      c("f12"),
      c("f4"),
    ]);
    expect(content[0]).toMatchObject({ type: "heading", attrs: { level: 1 } });
    expect(outline(content.slice(0, 1))[0]).toMatch(/^h1:Plan généré le \d{1,2} [a-zéû]+ \d{4} à \d{2}:\d{2}$/);
    expect(JSON.stringify(content)).not.toContain("Ancien foncier");

    // Each citation carries the finding's live quote and its one source wording.
    const citations = citationsOf({ type: "doc", content });
    const quotes = new Map(Object.values(f).map((x) => [x.id, x.quote]));
    for (const citation of citations) expect(citation.quote).toBe(quotes.get(citation.findingId!));
    expect(citations.find((x) => x.findingId === f.f1.id)!.source).toBe("Figeacteurs · Visite à Figeac · 8 novembre 2018");
    expect(citations.find((x) => x.findingId === f.f12.id)!.source).toBe("Ferme du Causse · Visite du Causse · 12 février 2019");

    // Deterministic: the same study gives the same draft.
    expect((await fetchPlan(fx.team.pilote)).slice(1)).toEqual(content.slice(1));
  });

  it("is for writers: a lecteur gets 403, a non-member 404 like an unknown study, an anonymous visitor the login", async () => {
    expect((await (await as(fx.team.lecteur)).get(`/etudes/${fx.studyId}/synthese/plan`)).status).toBe(403);
    expect((await (await as(fx.team.outsider)).get(`/etudes/${fx.studyId}/synthese/plan`)).status).toBe(404);
    expect((await (await as(fx.team.membre)).get(`/etudes/${other.team.study.id}/synthese/plan`)).status).toBe(404);
    const anonymous = await new TestClient(server.url).get(`/etudes/${fx.studyId}/synthese/plan`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/connexion/);
  });

  it("keeps the 30 strongest propositions of an audience and says how many more there are", async () => {
    const team = await createStudyWithTeam(db);
    await insertGrid(db, team.study.id, {
      kinds: [{ key: "proposition", label: "Proposition", hasAudience: true }],
      audiences: [{ key: "elus", label: "Élus" }],
      families: [],
    });
    const { report } = await createMeeting(db, team.study.id);
    const ids: string[] = [];
    for (let n = 1; n <= 32; n++) {
      // Quote length grows with n: the strongest are the last ones.
      const quote = `Proposition ${"x".repeat(n)}`;
      ids.push((await createFinding(db, { studyId: team.study.id, documentId: report.id, kind: "proposition", audience: "elus", factorIds: [], dynamicIds: [], quote })).id);
    }
    const response = await (await as(team.membre)).get(`/etudes/${team.study.id}/synthese/plan`);
    expect(outline(((await response.json()) as { content: JSONContent[] }).content).slice(1)).toEqual([
      "h2:Propositions",
      "h3:Élus",
      ...ids.slice(2).reverse().map((id) => `citation:${id}`),
      "p:Et 2 autres propositions pour ce public : voir les enseignements filtrés par public.",
    ]);
  });

  it("drafts an empty grid's study without failing", async () => {
    const empty = await createStudyWithTeam(db);
    const response = await (await as(empty.membre)).get(`/etudes/${empty.study.id}/synthese/plan`);
    expect(response.status).toBe(200);
    expect(outline(((await response.json()) as { content: JSONContent[] }).content).slice(1)).toEqual([]);
  });
});

/** A citation block as the editor stores it in the Y.Doc. */
function citationElement(attrs: CitationAttrs): Y.XmlElement {
  const element = new Y.XmlElement("citation");
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value as string);
  return element;
}

describe("provenance of the synthesis", () => {
  const provenanceText = async (user: { id: string; email: string }, studyId = fx.studyId) => {
    const response = await (await as(user)).get(`/etudes/${studyId}/synthese/provenance`);
    expect(response.status).toBe(200);
    const html = await response.text();
    return { html, text: visibleText(html) };
  };

  it("shows an empty state with a link to the synthesis while the study has none", async () => {
    const { html, text } = await provenanceText(fx.team.lecteur);
    expect(text).toContain("Provenance de la synthèse");
    expect(text).toContain("La synthèse de cette étude n'a pas encore été ouverte.");
    expect(html).toContain(`href="/etudes/${fx.studyId}/synthese"`);
  });

  it("lists each citation in order with its source, passage link and status, the findings not cited and the factors without citation", async () => {
    const { f1, f3, f5 } = fx.findings;
    const synthesis = await insertDocument(db, { studyId: fx.studyId, kind: "synthesis" });
    const writer = open(server.url, synthesis.id, await sessionCookieHeader(db, fx.team.membre.id));
    await waitForSync(writer);
    const gone = crypto.randomUUID();
    writer.doc.transact(() => {
      const intro = new Y.XmlElement("paragraph");
      intro.insert(0, [new Y.XmlText("Ce que nous retenons.")]);
      writer.doc.getXmlFragment(CONTENT_FIELD).push([
        intro,
        citationElement({ findingId: f1.id, quote: f1.quote, source: "Figeacteurs · Visite à Figeac · 8 novembre 2018" }),
        citationElement({ findingId: f3.id, quote: "Le financement manque", source: "La Fabrique · Visite à Figeac · 8 novembre 2018" }),
        citationElement({ findingId: f5.id, quote: f5.quote, source: "Ferme du Causse · Visite du Causse · 12 février 2019" }),
        citationElement({ findingId: gone, quote: "Une citation dont l'enseignement a disparu", source: "Dynamique disparue · Visite effacée · 1 mars 2019" }),
      ]);
    });
    // The page reads the server's derived copy, written a moment after the edit.
    await expect
      .poll(async () => citationsOf(JSON.parse((await findStudySynthesis(db, fx.studyId))?.json ?? "{}")).map((c) => c.findingId), { timeout: 15_000 })
      .toEqual([f1.id, f3.id, f5.id, gone]);

    const { html, text } = await provenanceText(fx.team.lecteur);
    const citations = text.slice(text.indexOf("Citations"), text.indexOf("Enseignements non encore cités"));
    expect(citations).toContain("4 citations");
    const expectedInOrder = [
      "À jour Figeacteurs · Visite à Figeac · 8 novembre 2018 La coopération entre les élus et les habitants Voir le passage dans le compte rendu",
      "Source modifiée La Fabrique · Visite à Figeac · 8 novembre 2018 Le financement manque Texte actuel du passage : Le financement manque à Saint-Jean ; les élus hésitent",
      "Passage supprimé Ferme du Causse · Visite du Causse · 12 février 2019 Un leadership partagé Le passage source a été supprimé du compte rendu.",
      "Enseignement supprimé Dynamique disparue · Visite effacée · 1 mars 2019 Une citation dont l'enseignement a disparu",
    ];
    let from = 0;
    for (const expected of expectedInOrder) {
      const at = citations.indexOf(expected, from);
      expect(at, expected).toBeGreaterThanOrEqual(from);
      from = at + expected.length;
    }
    expect(html).toContain(`href="/etudes/${fx.studyId}/visites/${fx.meetings.M1}/compte-rendu#enseignement-${f1.id}"`);
    expect(html).toContain(`href="/etudes/${fx.studyId}/visites/${fx.meetings.M1}/compte-rendu#enseignement-${f3.id}"`);

    // Counted findings (not orphaned) other than f1 and f3: f2 f4 f6 f7 f8 and f9…f12.
    const uncited = text.slice(text.indexOf("Enseignements non encore cités"), text.indexOf("Facteurs sans citation"));
    expect(uncited).toContain("9 enseignements non cités");
    const f = { ...fx.findings, ...extra };
    for (const key of ["f2", "f4", "f6", "f7", "f8", "f9", "f10", "f11", "f12"] as const) expect(uncited, key).toContain(f[key].quote);
    for (const key of ["f1", "f3", "f5", "f13"] as const) expect(uncited, key).not.toContain(f[key].quote);
    expect(html).toContain(`href="/etudes/${fx.studyId}/visites/${fx.meetings.M2}/compte-rendu#enseignement-${f.f12.id}"`);
    expect(text).not.toContain("Citation secrète");

    // Cited: f1 (Coopération, Leadership), f3 (Financement), f5 (Leadership). Archived factors are out of the grid.
    const factors = text.slice(text.indexOf("Facteurs sans citation"));
    expect(factors).toContain("Facteurs sans citation Gouvernance Transmission (aucun enseignement) Ressources Foncier (4 enseignements disponibles)");
    expect(factors).not.toMatch(/Coopération|Leadership|Financement|Ancien foncier/);
  });

  it("counts every finding not cited yet but lists only the 100 most recent", async () => {
    const team = await createStudyWithTeam(db);
    const { report } = await createMeeting(db, team.study.id, { title: "Visite nombreuse" });
    const synthesis = await insertDocument(db, { studyId: team.study.id, kind: "synthesis" });
    await updateDocumentDerived(db, synthesis.id, { plainText: "", json: JSON.stringify({ type: "doc", content: [] }), wordCount: 0 });
    for (let n = 1; n <= 105; n++) {
      const quote = `Enseignement ${String(n).padStart(3, "0")}`;
      await createFinding(db, { studyId: team.study.id, documentId: report.id, kind: "levier", factorIds: [], dynamicIds: [], quote });
    }
    const { html, text } = await provenanceText(team.lecteur, team.study.id);
    expect(text).toContain("La synthèse ne contient encore aucune citation.");
    expect(text).toContain("La grille d'analyse de l'étude ne compte encore aucun facteur.");
    expect(text).toContain("105 enseignements non cités");
    expect(text).toContain("Les 100 plus récents :");
    expect(html.match(/Voir le passage dans le compte rendu/g)).toHaveLength(100);
    expect(text).toContain("Enseignement 105");
    expect(text).toContain("Enseignement 006");
    expect(text).not.toContain("Enseignement 005");
  });

  it("flags a citation whose visit was renamed since, with the source it cites and the current one", async () => {
    const team = await createStudyWithTeam(db);
    const { meeting, report } = await createMeeting(db, team.study.id, { title: "Visite de Millau", starts_on: "2026-03-02" });
    const quote = "Les élus de Millau financent le local";
    const finding = await createFinding(db, { studyId: team.study.id, documentId: report.id, kind: "levier", factorIds: [], dynamicIds: [], quote });
    const synthesis = await insertDocument(db, { studyId: team.study.id, kind: "synthesis" });
    const citation = { type: "citation", attrs: { findingId: finding.id, quote, source: "Visite de Millau · 2 mars 2026" } };
    await updateDocumentDerived(db, synthesis.id, { plainText: quote, json: JSON.stringify({ type: "doc", content: [citation] }), wordCount: 7 });
    expect((await provenanceText(team.lecteur, team.study.id)).text).toContain(`À jour Visite de Millau · 2 mars 2026 ${quote}`);

    await updateMeeting(db, team.study.id, meeting.id, { title: "Rencontre territoriale de Millau" });
    const { text } = await provenanceText(team.lecteur, team.study.id);
    expect(text).toContain(
      `Source modifiée Rencontre territoriale de Millau · 2 mars 2026 ${quote} Source dans la synthèse : Visite de Millau · 2 mars 2026`,
    );
    expect(text).not.toContain("Texte actuel du passage");
  });

  it("is for every member: a non-member gets 404", async () => {
    expect((await (await as(fx.team.outsider)).get(`/etudes/${fx.studyId}/synthese/provenance`)).status).toBe(404);
    expect((await (await as(fx.team.lecteur)).get(`/etudes/${other.team.study.id}/synthese/provenance`)).status).toBe(404);
  });
});
