import { beforeAll, describe, expect, it } from "vitest";
import { addFinding, findingsMap, findTextRange } from "../../app/editor/findings";
import { formatDateTime } from "../../app/i18n/format";
import type { DB } from "../../db/client";
import { nowIso } from "../../db/queries/executor";
import { insertGrid } from "../../db/queries/grid";
import { createFinding, createMeeting, createStudyWithTeam, TEST_PASSWORD } from "../helpers/factories";
import { appendParagraph, connectCollab, sessionCookieHeader, waitForSync } from "../helpers/collab";
import { clientPerUser, pageText, TestClient, visibleText } from "../helpers/http";
import { testServerForFile } from "../helpers/server";

// Re-extraction of the live reports is debounced; a short delay keeps the merge test quick.
const server = testServerForFile({ env: { TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "20" } });
const as = clientPerUser(() => server().url, TEST_PASSWORD);
let db: DB;
beforeAll(() => {
  db = server().database.db;
});

const UNKNOWN = "Élément inconnu dans cette étude.";

/** A study with a team and a small grid: two families, four factors, the four kinds, two audiences. */
async function studyWithGrid() {
  const team = await createStudyWithTeam(db);
  await insertGrid(db, team.study.id, {
    kinds: [
      { key: "facteur", label: "Facteur clé de succès" },
      { key: "levier", label: "Levier" },
      { key: "frein", label: "Frein" },
      { key: "proposition", label: "Proposition", hasAudience: true },
    ],
    audiences: [
      { key: "citoyens", label: "Citoyens" },
      { key: "financeurs", label: "Partenaires financeurs" },
    ],
    families: [
      {
        key: "engager",
        label: "Engager",
        color: "#d97706",
        factors: [
          { key: "vision", label: "Vision partagée", definition: "Un récit commun au territoire." },
          { key: "facilitateur", label: "Facilitateur", definition: "Une personne tierce qui anime." },
          { key: "victoires", label: "Victoires rapides", definition: "Des premiers résultats visibles." },
        ],
      },
      { key: "relier", label: "Relier", color: "#2563eb", factors: [{ key: "reseaux", label: "Réseaux", definition: "" }] },
    ],
  });
  const factors = await db.selectFrom("factors").selectAll().where("study_id", "=", team.study.id).execute();
  const families = await db.selectFrom("factor_families").selectAll().where("study_id", "=", team.study.id).execute();
  const factor = (label: string) => factors.find((f) => f.label === label)!.id;
  const family = (label: string) => families.find((f) => f.label === label)!.id;
  const path = `/etudes/${team.study.id}/grille`;
  return { ...team, factor, family, path };
}

const factorRow = (id: string) => db.selectFrom("factors").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const familyRow = (id: string) => db.selectFrom("factor_families").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function changes(studyId: string) {
  const rows = await db.selectFrom("grid_changes").selectAll().where("study_id", "=", studyId).orderBy("id").execute();
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** Everything a grid edit may touch, to prove that a refused one touched nothing. */
async function snapshot(studyId: string) {
  const [families, factors, kinds, audiences, links, journal] = await Promise.all([
    db.selectFrom("factor_families").selectAll().where("study_id", "=", studyId).orderBy("id").execute(),
    db.selectFrom("factors").selectAll().where("study_id", "=", studyId).orderBy("id").execute(),
    db.selectFrom("finding_kinds").selectAll().where("study_id", "=", studyId).orderBy("key").execute(),
    db.selectFrom("audiences").selectAll().where("study_id", "=", studyId).orderBy("key").execute(),
    db
      .selectFrom("finding_factors")
      .innerJoin("findings", "findings.id", "finding_factors.finding_id")
      .select(["finding_factors.finding_id", "finding_factors.factor_id"])
      .where("findings.study_id", "=", studyId)
      .orderBy("finding_factors.finding_id")
      .orderBy("finding_factors.factor_id")
      .execute(),
    db.selectFrom("grid_changes").selectAll().where("study_id", "=", studyId).execute(),
  ]);
  return { families, factors, kinds, audiences, links, journal };
}

/** Findings inserted directly (the extraction server is not under test here), with their factors. */
async function insertFindings(studyId: string, tagged: readonly (readonly string[])[]) {
  const { report } = await createMeeting(db, studyId);
  const ids: string[] = [];
  for (const [n, factorIds] of tagged.entries()) {
    const finding = await createFinding(db, { studyId, documentId: report.id, kind: "facteur", factorIds, dynamicIds: [], quote: `Passage ${n + 1}` });
    ids.push(finding.id);
  }
  return ids;
}

async function factorsOf(findingId: string) {
  const rows = await db.selectFrom("finding_factors").select("factor_id").where("finding_id", "=", findingId).execute();
  return rows.map((r) => r.factor_id).sort();
}

/** The text of one factor's entry on the page (its list item), as the user reads it. */
function factorText(html: string, factorId: string) {
  const start = html.indexOf(`data-factor-id="${factorId}"`);
  expect(start).toBeGreaterThan(0);
  return visibleText(html.slice(start, html.indexOf("</li>", start)).replace(/^[^>]*>/, ""));
}

const factorForm = (familyId: string, overrides: Record<string, string> = {}) => ({
  label: "Gouvernance ouverte",
  definition: "Des instances où chacun a sa place.",
  color: "",
  familyId,
  ...overrides,
});

describe("reading the grid", () => {
  it("shows every member the families, factors, definitions, counts, kinds and audiences; edit controls only to the pilot", async () => {
    const s = await studyWithGrid();
    await insertFindings(s.study.id, [[s.factor("Vision partagée")], [s.factor("Vision partagée"), s.factor("Réseaux")]]);
    for (const user of [s.lecteur, s.membre, s.pilote]) {
      const html = await (await as(user)).get(s.path).then((r) => r.text());
      const text = visibleText(html);
      expect(text).toContain("Grille d'analyse");
      for (const label of ["Engager", "Relier", "Vision partagée", "Facilitateur", "Réseaux", "Levier", "Proposition", "Partenaires financeurs"]) {
        expect(text).toContain(label);
      }
      expect(factorText(html, s.factor("Vision partagée"))).toContain("2 enseignements");
      expect(factorText(html, s.factor("Réseaux"))).toContain("1 enseignement");
      expect(factorText(html, s.factor("Facilitateur"))).toContain("Aucun enseignement");
      expect(text).toContain("Aucune modification de la grille pour l'instant.");
      const controls = ["Enregistrer", "Fusionner…", "Archiver", "Monter", "Ajouter un facteur", "Ajouter une famille"];
      for (const control of controls) {
        if (user === s.pilote) expect(text).toContain(control);
        else expect(text, control).not.toContain(control);
      }
      expect(text).toContain("Un récit commun au territoire.");
    }
  });

  it("is a tab of the study, and is hidden from non-members (404)", async () => {
    const s = await studyWithGrid();
    const dashboard = await (await as(s.lecteur)).get(`/etudes/${s.study.id}`);
    expect(await dashboard.text()).toContain(`href="${s.path}"`);
    expect((await (await as(s.outsider)).get(s.path)).status).toBe(404);
    expect((await new TestClient(server().url).get(s.path)).status).toBe(302);
  });
});

describe("editing the grid", () => {
  it("refuses a membre and a lecteur (403) and a non-member (404), changing nothing", async () => {
    const s = await studyWithGrid();
    const before = await snapshot(s.study.id);
    const forms: Record<string, string>[] = [
      { intent: "factor.update", factorId: s.factor("Facilitateur"), ...factorForm(s.family("Engager"), { label: "Piraté" }) },
      { intent: "factor.create", ...factorForm(s.family("Engager")) },
      { intent: "factor.merge", factorId: s.factor("Facilitateur"), targetId: s.factor("Vision partagée") },
      { intent: "factor.delete", factorId: s.factor("Réseaux") },
      { intent: "family.create", label: "Nouvelle", color: "#000000" },
      { intent: "kind.update", key: "levier", label: "Piraté" },
    ];
    for (const form of forms) {
      expect((await (await as(s.membre)).post(s.path, form)).status).toBe(403);
      expect((await (await as(s.lecteur)).post(s.path, form)).status).toBe(403);
      expect((await (await as(s.outsider)).post(s.path, form)).status).toBe(404);
    }
    expect(await snapshot(s.study.id)).toEqual(before);
  });

  it("adds a family and a factor, with ASCII keys, and journals both", async () => {
    const s = await studyWithGrid();
    const client = await as(s.pilote);
    expect((await client.post(s.path, { intent: "family.create", label: "Coopérer à l'échelle", color: "#16A34A" })).status).toBe(302);
    const family = await db.selectFrom("factor_families").selectAll().where("study_id", "=", s.study.id).where("label", "=", "Coopérer à l'échelle").executeTakeFirstOrThrow();
    expect(family).toMatchObject({ key: "cooperer-a-l-echelle", color: "#16a34a", position: 2 });

    expect((await client.post(s.path, { intent: "factor.create", ...factorForm(family.id, { color: "#AbCdEf" }) })).status).toBe(302);
    expect((await client.post(s.path, { intent: "factor.create", ...factorForm(s.family("Engager"), { label: "Élus moteurs", definition: "" }) })).status).toBe(302);
    const created = await db.selectFrom("factors").selectAll().where("study_id", "=", s.study.id).where("label", "in", ["Gouvernance ouverte", "Élus moteurs"]).orderBy("label").execute();
    expect(created).toMatchObject([
      { label: "Gouvernance ouverte", key: "gouvernance-ouverte", family_id: family.id, color: "#abcdef", position: 0, definition: "Des instances où chacun a sa place." },
      { label: "Élus moteurs", key: "elus-moteurs", family_id: s.family("Engager"), color: null, position: 3, definition: "" },
    ]);

    expect((await changes(s.study.id)).map((c) => [c.action, c.details.label])).toEqual([
      ["family.create", "Coopérer à l'échelle"],
      ["factor.create", "Gouvernance ouverte"],
      ["factor.create", "Élus moteurs"],
    ]);
    const text = await (await as(s.lecteur)).get(s.path).then(pageText);
    expect(text).toContain("Famille « Coopérer à l'échelle » ajoutée (couleur #16a34a)");
    expect(text).toContain("Facteur « Gouvernance ouverte » ajouté dans la famille « Coopérer à l'échelle »");
    expect(text).toContain("Élus moteurs");
  });

  it("renames, redefines, recolors and moves a factor to another family, journaling before and after", async () => {
    const s = await studyWithGrid();
    const id = s.factor("Facilitateur");
    const response = await (await as(s.pilote)).post(s.path, {
      intent: "factor.update",
      factorId: id,
      ...factorForm(s.family("Relier"), { label: "Tiers facilitateur", definition: "Une structure tierce reconnue.", color: "#123456" }),
    });
    expect(response.status).toBe(302);
    expect(await factorRow(id)).toMatchObject({
      label: "Tiers facilitateur",
      definition: "Une structure tierce reconnue.",
      color: "#123456",
      family_id: s.family("Relier"),
      position: 1,
      key: "facilitateur",
    });
    const [change] = await changes(s.study.id);
    expect(change).toMatchObject({ action: "factor.update", subject_id: id, user_id: s.pilote.id });
    expect(change!.details).toEqual({
      label: "Tiers facilitateur",
      before: { label: "Facilitateur", definition: "Une personne tierce qui anime.", color: null, family: "Engager" },
      after: { label: "Tiers facilitateur", definition: "Une structure tierce reconnue.", color: "#123456", family: "Relier" },
      familyIds: { before: s.family("Engager"), after: s.family("Relier") },
    });
    const text = await (await as(s.membre)).get(s.path).then(pageText);
    expect(text).toContain(
      "Facteur « Tiers facilitateur » modifié : intitulé « Facilitateur » → « Tiers facilitateur » ; définition modifiée ; couleur aucune → #123456 ; famille « Engager » → « Relier »",
    );
    // Saving the same values again changes nothing and journals nothing.
    await (await as(s.pilote)).post(s.path, { intent: "factor.update", factorId: id, ...factorForm(s.family("Relier"), { label: "Tiers facilitateur", definition: "Une structure tierce reconnue.", color: "#123456" }) });
    expect(await changes(s.study.id)).toHaveLength(1);
  });

  it("reorders factors within their family and families within the grid", async () => {
    const s = await studyWithGrid();
    const client = await as(s.pilote);
    const order = async () =>
      (await db.selectFrom("factors").select("label").where("family_id", "=", s.family("Engager")).orderBy("position").execute()).map((f) => f.label);
    expect((await client.post(s.path, { intent: "factor.down", factorId: s.factor("Vision partagée") })).status).toBe(302);
    expect(await order()).toEqual(["Facilitateur", "Vision partagée", "Victoires rapides"]);
    expect((await client.post(s.path, { intent: "factor.up", factorId: s.factor("Victoires rapides") })).status).toBe(302);
    expect(await order()).toEqual(["Facilitateur", "Victoires rapides", "Vision partagée"]);
    // Already first: nothing to do, nothing journaled.
    expect((await client.post(s.path, { intent: "factor.up", factorId: s.factor("Facilitateur") })).status).toBe(302);
    expect(await order()).toEqual(["Facilitateur", "Victoires rapides", "Vision partagée"]);

    expect((await client.post(s.path, { intent: "family.up", familyId: s.family("Relier") })).status).toBe(302);
    expect((await familyRow(s.family("Relier"))).position).toBe(0);
    expect((await familyRow(s.family("Engager"))).position).toBe(1);
    const text = await client.get(s.path).then(pageText);
    expect(text.indexOf("Relier")).toBeLessThan(text.indexOf("Engager"));
    expect(text).toContain("Facteur « Vision partagée » descendu");
    expect(text).toContain("Facteur « Victoires rapides » monté");
    expect(text).toContain("Famille « Relier » montée");
    expect((await changes(s.study.id)).map((c) => c.action)).toEqual(["factor.move", "factor.move", "family.move"]);
  });

  it("renames and recolors a family, and renames kinds and audiences keeping their keys", async () => {
    const s = await studyWithGrid();
    const client = await as(s.pilote);
    expect((await client.post(s.path, { intent: "family.update", familyId: s.family("Relier"), label: "Relier les acteurs", color: "#0891B2" })).status).toBe(302);
    expect(await familyRow(s.family("Relier"))).toMatchObject({ label: "Relier les acteurs", color: "#0891b2", key: "relier" });
    expect((await client.post(s.path, { intent: "kind.update", key: "levier", label: "Levier d'action" })).status).toBe(302);
    expect((await client.post(s.path, { intent: "audience.update", key: "citoyens", label: "Habitants" })).status).toBe(302);
    const kinds = await db.selectFrom("finding_kinds").select(["key", "label"]).where("study_id", "=", s.study.id).orderBy("position").execute();
    expect(kinds.map((k) => k.key)).toEqual(["facteur", "levier", "frein", "proposition"]);
    expect(kinds[1]!.label).toBe("Levier d'action");
    const audiences = await db.selectFrom("audiences").select(["key", "label"]).where("study_id", "=", s.study.id).orderBy("position").execute();
    expect(audiences).toEqual([{ key: "citoyens", label: "Habitants" }, { key: "financeurs", label: "Partenaires financeurs" }]);

    expect((await changes(s.study.id)).map((c) => [c.action, c.subject_id, c.details.before, c.details.after])).toEqual([
      ["family.update", s.family("Relier"), { label: "Relier", color: "#2563eb" }, { label: "Relier les acteurs", color: "#0891b2" }],
      ["kind.update", "levier", { label: "Levier" }, { label: "Levier d'action" }],
      ["audience.update", "citoyens", { label: "Citoyens" }, { label: "Habitants" }],
    ]);
    const text = await (await as(s.lecteur)).get(s.path).then(pageText);
    expect(text).toContain("Famille « Relier les acteurs » modifiée : intitulé « Relier » → « Relier les acteurs » ; couleur #2563eb → #0891b2");
    expect(text).toContain("Type d'enseignement renommé : « Levier » → « Levier d'action »");
    expect(text).toContain("Public renommé : « Citoyens » → « Habitants »");
  });
});

describe("merging factors", () => {
  it("moves every finding to the target once, archives the merged factor, and journals it", async () => {
    const s = await studyWithGrid();
    const [vision, facilitateur, victoires] = [s.factor("Vision partagée"), s.factor("Facilitateur"), s.factor("Victoires rapides")];
    // f1: Vision; f2: Vision + Facilitateur; f3: Facilitateur; f4: Victoires; f5: Réseaux.
    const [f1, f2, f3, f4, f5] = await insertFindings(s.study.id, [[vision], [vision, facilitateur], [facilitateur], [victoires], [s.factor("Réseaux")]]);
    const client = await as(s.pilote);

    // First Victoires into Vision: Vision then tags f1, f2, f4 (3).
    let text = await client.get(`${s.path}?fusion=${victoires}&dans=${vision}`).then(pageText);
    expect(text).toContain("Confirmer la fusion");
    expect(text).toContain("L'enseignement marqué « Victoires rapides » sera marqué « Vision partagée ».");
    expect((await client.post(s.path, { intent: "factor.merge", factorId: victoires, targetId: vision })).status).toBe(302);
    expect(await factorsOf(f4!)).toEqual([vision]);

    // Then Vision (f1, f2, f4) into Facilitateur (f2, f3): f2 already has it, so 3 move, 1 of them already tagged.
    text = await client.get(`${s.path}?fusion=${vision}&dans=${facilitateur}`).then(pageText);
    expect(text).toContain(
      "Les 3 enseignements marqués « Vision partagée » seront marqués « Facilitateur » (1 l'est déjà et ne sera compté qu'une fois). « Vision partagée » sera archivé et renverra désormais vers « Facilitateur » : aucun enseignement n'est perdu",
    );
    expect(await factorsOf(f1!)).toEqual([vision]);
    const findingsBefore = await db.selectFrom("findings").select("id").where("study_id", "=", s.study.id).execute();
    expect((await client.post(s.path, { intent: "factor.merge", factorId: vision, targetId: facilitateur })).status).toBe(302);

    for (const finding of [f1, f2, f3, f4]) expect(await factorsOf(finding!)).toEqual([facilitateur]);
    expect(await factorsOf(f5!)).toEqual([s.factor("Réseaux")]);
    expect(await db.selectFrom("findings").select("id").where("study_id", "=", s.study.id).execute()).toEqual(findingsBefore);
    expect(await factorRow(vision)).toMatchObject({ merged_into: facilitateur, archived_at: expect.any(String) });
    // The factor merged earlier now points straight at the final target.
    expect((await factorRow(victoires)).merged_into).toBe(facilitateur);

    const merges = (await changes(s.study.id)).filter((c) => c.action === "factor.merge");
    expect(merges.map((c) => [c.subject_id, c.details])).toEqual([
      [victoires, { label: "Victoires rapides", into: { id: vision, label: "Vision partagée" }, moved: 1, already: 0 }],
      [vision, { label: "Vision partagée", into: { id: facilitateur, label: "Facilitateur" }, moved: 3, already: 1 }],
    ]);

    const html = await (await as(s.lecteur)).get(s.path).then((r) => r.text());
    text = visibleText(html);
    expect(factorText(html, facilitateur)).toContain("4 enseignements");
    expect(factorText(html, vision)).toContain("Fusionné dans « Facilitateur »");
    expect(factorText(html, vision)).toContain("Aucun enseignement");
    expect(text).toContain("Facteur « Vision partagée » fusionné dans « Facilitateur » : 3 enseignements reclassés (dont 1 déjà marqué « Facilitateur »)");
    expect(text).toContain("Facteur « Victoires rapides » fusionné dans « Vision partagée » : 1 enseignement reclassé");
  });

  it("refuses merging into itself, into an inactive factor, a merged factor again, or another study's factor", async () => {
    const s = await studyWithGrid();
    const other = await studyWithGrid();
    const [vision, facilitateur, reseaux] = [s.factor("Vision partagée"), s.factor("Facilitateur"), s.factor("Réseaux")];
    await insertFindings(s.study.id, [[vision], [facilitateur]]);
    const client = await as(s.pilote);
    expect((await client.post(s.path, { intent: "factor.archive", factorId: reseaux })).status).toBe(302);
    expect((await client.post(s.path, { intent: "factor.merge", factorId: s.factor("Victoires rapides"), targetId: facilitateur })).status).toBe(302);
    const before = await snapshot(s.study.id);
    const cases: [Record<string, string>, string][] = [
      [{ factorId: vision, targetId: vision }, "Un facteur ne peut pas être fusionné dans lui-même."],
      [{ factorId: vision, targetId: reseaux }, "Choisissez comme cible un facteur actif (ni archivé ni fusionné)."],
      [{ factorId: vision, targetId: s.factor("Victoires rapides") }, "Choisissez comme cible un facteur actif (ni archivé ni fusionné)."],
      [{ factorId: s.factor("Victoires rapides"), targetId: vision }, "Ce facteur a déjà été fusionné."],
      [{ factorId: vision, targetId: other.factor("Facilitateur") }, UNKNOWN],
      [{ factorId: other.factor("Vision partagée"), targetId: facilitateur }, UNKNOWN],
      [{ factorId: vision, targetId: "pas-un-id" }, UNKNOWN],
    ];
    for (const [form, message] of cases) {
      const response = await client.post(s.path, { intent: "factor.merge", ...form });
      expect(response.status, message).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    // The confirmation page explains the refusal instead of offering to confirm.
    const text = await client.get(`${s.path}?fusion=${vision}&dans=${vision}`).then(pageText);
    expect(text).toContain("Un facteur ne peut pas être fusionné dans lui-même.");
    expect(text).not.toContain("Confirmer la fusion");
    expect(await snapshot(s.study.id)).toEqual(before);
  });
});

describe("merging factors under a live report", () => {
  it("keeps a finding tagged in the Yjs document on the target when the server re-extracts it", async () => {
    const s = await studyWithGrid();
    const [vision, facilitateur] = [s.factor("Vision partagée"), s.factor("Facilitateur")];
    const { report } = await createMeeting(db, s.study.id);
    const client = connectCollab(server().url, report.id, await sessionCookieHeader(db, s.membre.id));
    try {
      await waitForSync(client);
      appendParagraph(client.doc, "Une animatrice reconnue de tous porte le projet.");
      const id = crypto.randomUUID();
      const range = findTextRange(client.doc, "animatrice reconnue");
      if (!range) throw new Error("passage introuvable");
      addFinding(client.doc, range, id, {
        kind: "facteur",
        factors: [vision],
        dynamics: [],
        audience: null,
        comment: "",
        createdBy: s.membre.id,
        createdAt: nowIso(),
      });
      await expect.poll(() => factorsOf(id)).toEqual([vision]);

      expect((await (await as(s.pilote)).post(s.path, { intent: "factor.merge", factorId: vision, targetId: facilitateur })).status).toBe(302);
      expect(await factorsOf(id)).toEqual([facilitateur]);

      // The document still names the merged factor; a later edit re-extracts it onto the target.
      appendParagraph(client.doc, "Une modification après la fusion.");
      await expect.poll(async () => (await db.selectFrom("documents").select("plain_text").where("id", "=", report.id).executeTakeFirstOrThrow()).plain_text).toContain(
        "Une modification après la fusion.",
      );
      expect(findingsMap(client.doc).get(id)?.factors).toEqual([vision]);
      expect(await factorsOf(id)).toEqual([facilitateur]);
    } finally {
      client.destroy();
    }
  });
});

describe("archiving and deleting factors", () => {
  it("archives and reactivates a factor; deletes one only when nothing refers to it", async () => {
    const s = await studyWithGrid();
    const [vision, facilitateur, victoires, reseaux] = ["Vision partagée", "Facilitateur", "Victoires rapides", "Réseaux"].map(s.factor);
    await insertFindings(s.study.id, [[vision!], [facilitateur!]]);
    const client = await as(s.pilote);

    expect((await client.post(s.path, { intent: "factor.archive", factorId: vision! })).status).toBe(302);
    expect((await factorRow(vision!)).archived_at).not.toBeNull();
    const refused = await client.post(s.path, { intent: "factor.delete", factorId: vision! });
    expect(refused.status).toBe(400);
    expect(await pageText(refused)).toContain("Ce facteur marque des enseignements : il ne peut pas être supprimé, seulement archivé ou fusionné.");
    expect((await client.post(s.path, { intent: "factor.unarchive", factorId: vision! })).status).toBe(302);
    expect((await factorRow(vision!)).archived_at).toBeNull();

    // Merged: it no longer tags anything, yet it stays (old tags in the reports resolve through it).
    await client.post(s.path, { intent: "factor.merge", factorId: victoires!, targetId: facilitateur! });
    for (const [intent, message] of [
      ["factor.delete", "Ce facteur a été fusionné : il est conservé pour que ses anciens marquages retrouvent leur facteur."],
      ["factor.unarchive", "Ce facteur a été fusionné dans un autre : il ne peut pas être réactivé."],
    ] as const) {
      const response = await client.post(s.path, { intent, factorId: victoires! });
      expect(response.status).toBe(400);
      expect(await pageText(response)).toContain(message);
    }

    expect((await client.post(s.path, { intent: "factor.delete", factorId: reseaux! })).status).toBe(302);
    expect(await db.selectFrom("factors").select("id").where("id", "=", reseaux!).executeTakeFirst()).toBeUndefined();
    // Its family is now empty, so it may go too; a family with factors may not.
    const notEmpty = await client.post(s.path, { intent: "family.delete", familyId: s.family("Engager") });
    expect(notEmpty.status).toBe(400);
    expect(await pageText(notEmpty)).toContain("Cette famille contient des facteurs");
    expect((await client.post(s.path, { intent: "family.delete", familyId: s.family("Relier") })).status).toBe(302);

    expect((await changes(s.study.id)).map((c) => [c.action, c.details.label])).toEqual([
      ["factor.archive", "Vision partagée"],
      ["factor.unarchive", "Vision partagée"],
      ["factor.merge", "Victoires rapides"],
      ["factor.delete", "Réseaux"],
      ["family.delete", "Relier"],
    ]);
    const text = await (await as(s.lecteur)).get(s.path).then(pageText);
    expect(text).toContain("Facteur « Vision partagée » archivé");
    expect(text).toContain("Facteur « Vision partagée » réactivé");
    expect(text).toContain("Facteur « Réseaux » supprimé");
    expect(text).toContain("Famille « Relier » supprimée");
  });

  it("offers delete only for a factor without findings", async () => {
    const s = await studyWithGrid();
    await insertFindings(s.study.id, [[s.factor("Vision partagée")]]);
    const html = await (await as(s.pilote)).get(s.path).then((r) => r.text());
    expect(factorText(html, s.factor("Vision partagée"))).not.toContain("Supprimer");
    expect(factorText(html, s.factor("Facilitateur"))).toContain("Supprimer");
  });
});

describe("refused edits", () => {
  it("answers another study's ids with a French error and changes nothing in either study", async () => {
    const s = await studyWithGrid();
    const other = await studyWithGrid();
    const foreignFactor = other.factor("Facilitateur");
    const foreignFamily = other.family("Relier");
    const mine = await snapshot(s.study.id);
    const theirs = await snapshot(other.study.id);
    const client = await as(s.pilote);
    const forms: Record<string, string>[] = [
      { intent: "factor.update", factorId: foreignFactor, ...factorForm(s.family("Engager"), { label: "Piraté" }) },
      { intent: "factor.update", factorId: s.factor("Facilitateur"), ...factorForm(foreignFamily, { label: "Piraté" }) },
      { intent: "factor.create", ...factorForm(foreignFamily) },
      { intent: "factor.up", factorId: foreignFactor },
      { intent: "factor.archive", factorId: foreignFactor },
      { intent: "factor.delete", factorId: foreignFactor },
      { intent: "family.update", familyId: foreignFamily, label: "Piraté", color: "#000000" },
      { intent: "family.down", familyId: foreignFamily },
      { intent: "family.delete", familyId: foreignFamily },
      { intent: "kind.update", key: "inconnu", label: "Piraté" },
      { intent: "audience.update", key: "inconnu", label: "Piraté" },
      { intent: "factor.archive", factorId: "pas-un-id" },
      { intent: "family.update", familyId: "pas-un-id", label: "Piraté", color: "#000000" },
    ];
    for (const form of forms) {
      const response = await client.post(s.path, form);
      expect(response.status, JSON.stringify(form)).toBe(400);
      expect(await pageText(response)).toContain(UNKNOWN);
    }
    expect(await snapshot(s.study.id)).toEqual(mine);
    expect(await snapshot(other.study.id)).toEqual(theirs);
  });

  it("answers bad input with a French message, status 400, and changes nothing", async () => {
    const s = await studyWithGrid();
    const client = await as(s.pilote);
    const before = await snapshot(s.study.id);
    const long = "x".repeat(10_000);
    const factorId = s.factor("Facilitateur");
    const engager = s.family("Engager");
    const cases: [Record<string, string>, string][] = [
      [{ intent: "family.create", label: "", color: "#000000" }, "Ce champ est obligatoire."],
      [{ intent: "family.create", label: long, color: "#000000" }, "200 caractères au maximum."],
      [{ intent: "family.create", label: "Nouvelle", color: "rouge" }, "Couleur invalide (format attendu : #rrggbb)."],
      [{ intent: "family.create", label: "Nouvelle", color: "" }, "Couleur invalide"],
      [{ intent: "family.create", label: "engager", color: "#000000" }, "Une famille porte déjà cet intitulé."],
      [{ intent: "family.update", familyId: engager, label: "   ", color: "#000000" }, "Ce champ est obligatoire."],
      [{ intent: "family.update", familyId: engager, label: "Engager", color: "#12345" }, "Couleur invalide"],
      [{ intent: "factor.create", ...factorForm(engager, { label: "" }) }, "Ce champ est obligatoire."],
      [{ intent: "factor.create", ...factorForm(engager, { label: long }) }, "200 caractères au maximum."],
      [{ intent: "factor.create", ...factorForm(engager, { definition: long }) }, "2000 caractères au maximum."],
      [{ intent: "factor.create", ...factorForm(engager, { color: "#gggggg" }) }, "Couleur invalide"],
      [{ intent: "factor.create", ...factorForm(engager, { label: "VISION PARTAGEE" }) }, "Un facteur porte déjà cet intitulé."],
      [{ intent: "factor.update", factorId, ...factorForm(engager, { label: long }) }, "200 caractères au maximum."],
      [{ intent: "factor.update", factorId, ...factorForm(engager, { color: "blue" }) }, "Couleur invalide"],
      [{ intent: "factor.update", factorId, ...factorForm(engager, { label: "Réseaux" }) }, "Un facteur porte déjà cet intitulé."],
      [{ intent: "kind.update", key: "levier", label: "" }, "Ce champ est obligatoire."],
      [{ intent: "audience.update", key: "citoyens", label: long }, "200 caractères au maximum."],
    ];
    for (const [form, message] of cases) {
      const response = await client.post(s.path, form);
      expect(response.status, `${JSON.stringify(form).slice(0, 100)}`).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    expect((await client.post(s.path, { intent: "tout-casser" })).status).toBe(400);
    expect(await snapshot(s.study.id)).toEqual(before);
  });
});

describe("the journal", () => {
  it("lists who changed what and when, newest first, in French", async () => {
    const s = await studyWithGrid();
    const client = await as(s.pilote);
    await client.post(s.path, { intent: "factor.archive", factorId: s.factor("Réseaux") });
    await client.post(s.path, { intent: "kind.update", key: "frein", label: "Obstacle" });
    const rows = await changes(s.study.id);
    expect(rows.map((r) => [r.action, r.user_id])).toEqual([
      ["factor.archive", s.pilote.id],
      ["kind.update", s.pilote.id],
    ]);
    const text = await (await as(s.lecteur)).get(s.path).then(pageText);
    const journal = text.slice(text.indexOf("Journal des modifications"));
    const when = (iso: string) => formatDateTime(iso).replace(/\s+/g, " ");
    expect(journal).toContain(`${when(rows[1]!.changed_at)} ${s.pilote.name} Type d'enseignement renommé : « Frein » → « Obstacle »`);
    expect(journal).toContain(`${when(rows[0]!.changed_at)} ${s.pilote.name} Facteur « Réseaux » archivé`);
    expect(journal.indexOf("Obstacle")).toBeLessThan(journal.indexOf("Facteur « Réseaux » archivé"));
  });
});
