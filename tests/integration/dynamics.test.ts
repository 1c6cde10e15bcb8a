import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../../db/client";
import { findDynamic, findDynamicType, listDynamicTypes } from "../../db/queries/dynamics";
import { addMember, createDynamic, createDynamicType, createMeeting, createStudyWithTeam, TEST_PASSWORD } from "../helpers/factories";
import { clientPerUser, pageText, TestClient } from "../helpers/http";
import { testServerForFile } from "../helpers/server";
import { twoStudiesWithTeams, type StudyWithTeam } from "../helpers/two-studies";

const server = testServerForFile();
/** One logged-in client per user, reused across tests. */
const as = clientPerUser(() => server().url, TEST_PASSWORD);
let db: DB, team: StudyWithTeam, other: StudyWithTeam;
beforeAll(async () => {
  ({ db, team, other } = await twoStudiesWithTeams(server()));
});

const base = () => `/etudes/${team.study.id}`;

function dynamicForm(typeId: string, overrides: Record<string, string> = {}) {
  return { intent: "create", name: "Tiers-lieu du Causse", typeId, territory: "Figeac", department: "46", description: "", website: "", ...overrides };
}

async function countDynamics(studyId: string) {
  const row = await db.selectFrom("dynamics").select((eb) => eb.fn.countAll<number>().as("n")).where("study_id", "=", studyId).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("the dynamics list", () => {
  it("filters by type, département and territory, and hides archived dynamics unless asked", async () => {
    const { study } = await createStudyWithTeam(db);
    await addMember(db, study.id, team.lecteur.id, "lecteur");
    const tiersLieu = await createDynamicType(db, study.id, { label: "Tiers-lieu" });
    const ptce = await createDynamicType(db, study.id, { label: "PTCE" });
    await createDynamic(db, study.id, { name: "Bliiida", type_id: tiersLieu.id, territory: "Metz", department: "57" });
    await createDynamic(db, study.id, { name: "Figeacteurs", type_id: ptce.id, territory: "Figeac", department: "46" });
    await createDynamic(db, study.id, { name: "Ancienne dynamique", type_id: ptce.id, territory: "Figeac", department: "46", archived_at: "2026-01-01T00:00:00.000Z" });
    const client = await as(team.lecteur);
    const list = (query = "") => client.get(`/etudes/${study.id}/dynamiques${query}`).then(pageText);

    const all = await list();
    expect(all).toContain("Bliiida");
    expect(all).toContain("Figeacteurs");
    expect(all).not.toContain("Ancienne dynamique");

    const byType = await list(`?type=${ptce.id}`);
    expect(byType).toContain("Figeacteurs");
    expect(byType).not.toContain("Bliiida");

    const byDepartment = await list("?departement=57");
    expect(byDepartment).toContain("Bliiida");
    expect(byDepartment).not.toContain("Figeacteurs");

    const byTerritory = await list("?territoire=figeac");
    expect(byTerritory).toContain("Figeacteurs");
    expect(byTerritory).not.toContain("Bliiida");

    const withArchived = await list("?archivees=1");
    expect(withArchived).toContain("Ancienne dynamique");
    expect(withArchived).toContain("Archivée");

    expect(await list("?type=00000000-0000-4000-8000-000000000000&departement=2A")).toContain("Aucune dynamique ne correspond.");
  });

  it("shows the create form to a membre but not to a lecteur", async () => {
    expect(await (await as(team.membre)).get(`${base()}/dynamiques`).then(pageText)).toContain("Nouvelle dynamique");
    expect(await (await as(team.lecteur)).get(`${base()}/dynamiques`).then(pageText)).not.toContain("Nouvelle dynamique");
  });

  it("is hidden from non-members (404) and from anonymous visitors (login)", async () => {
    expect((await (await as(team.outsider)).get(`${base()}/dynamiques`)).status).toBe(404);
    expect((await new TestClient(server().url).get(`${base()}/dynamiques`)).status).toBe(302);
  });
});

describe("creating a dynamic", () => {
  it("lets a membre and a pilote create one, which the list then shows", async () => {
    const type = await createDynamicType(db, team.study.id, { label: "Pôle territorial" });
    for (const [user, name] of [
      [team.membre, "Les Fermes de Figeac"],
      [team.pilote, "La Coursive Boutaric"],
    ] as const) {
      const response = await (await as(user)).post(`${base()}/dynamiques`, dynamicForm(type.id, { name, department: "2a", website: "https://exemple.fr" }));
      expect(response.status).toBe(302);
      expect(await (await as(team.lecteur)).get(`${base()}/dynamiques`).then(pageText)).toContain(name);
    }
    const row = await db.selectFrom("dynamics").selectAll().where("name", "=", "Les Fermes de Figeac").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ study_id: team.study.id, type_id: type.id, department: "2A", website: "https://exemple.fr", territory: "Figeac" });
  });

  it("refuses a lecteur (403) and a non-member (404), changing nothing", async () => {
    const type = await createDynamicType(db, team.study.id);
    const before = await countDynamics(team.study.id);
    expect((await (await as(team.lecteur)).post(`${base()}/dynamiques`, dynamicForm(type.id))).status).toBe(403);
    expect((await (await as(team.outsider)).post(`${base()}/dynamiques`, dynamicForm(type.id))).status).toBe(404);
    expect(await countDynamics(team.study.id)).toBe(before);
  });

  it("answers bad input with a French message and stores nothing", async () => {
    const type = await createDynamicType(db, team.study.id);
    const client = await as(team.membre);
    const before = await countDynamics(team.study.id);
    const cases: [Record<string, string>, string][] = [
      [{ name: "" }, "Ce champ est obligatoire."],
      [{ name: "   " }, "Ce champ est obligatoire."],
      [{ name: "x".repeat(10_000) }, "200 caractères au maximum."],
      [{ territory: "y".repeat(10_000) }, "200 caractères au maximum."],
      [{ website: "javascript:alert(1)" }, "Adresse web invalide"],
      [{ website: "ftp://exemple.fr" }, "Adresse web invalide"],
      [{ department: "999" }, "Département invalide"],
      [{ typeId: other.study.id }, "Élément inconnu dans cette étude."],
      [{ typeId: "pas-un-id" }, "Élément inconnu dans cette étude."],
    ];
    for (const [overrides, message] of cases) {
      const response = await client.post(`${base()}/dynamiques`, dynamicForm(type.id, overrides));
      expect(response.status, JSON.stringify(overrides).slice(0, 80)).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    const foreignType = await createDynamicType(db, other.study.id);
    const forged = await client.post(`${base()}/dynamiques`, dynamicForm(foreignType.id));
    expect(forged.status).toBe(400);
    expect(await pageText(forged)).toContain("Élément inconnu dans cette étude.");
    expect(await countDynamics(team.study.id)).toBe(before);
  });

  it("does not offer an archived type for new dynamics, and refuses it", async () => {
    const archived = await createDynamicType(db, team.study.id, { label: "Type retiré" });
    await db.updateTable("dynamic_types").set({ archived_at: "2026-01-01T00:00:00.000Z" }).where("id", "=", archived.id).execute();
    const client = await as(team.membre);
    const listPage = await client.get(`${base()}/dynamiques`).then(pageText);
    expect(listPage.slice(listPage.lastIndexOf("Nouvelle dynamique"))).not.toContain("Type retiré");
    const response = await client.post(`${base()}/dynamiques`, dynamicForm(archived.id));
    expect(response.status).toBe(400);
    expect(await pageText(response)).toContain("Élément inconnu dans cette étude.");
  });
});

describe("a dynamic's page", () => {
  it("shows the dynamic; edit controls only for membre and pilote", async () => {
    const dynamic = await createDynamic(db, team.study.id, { name: "Biovallée", description: "Territoire pionnier de la transition." });
    const path = `${base()}/dynamiques/${dynamic.id}`;
    const lecteurView = await (await as(team.lecteur)).get(path).then(pageText);
    expect(lecteurView).toContain("Biovallée");
    expect(lecteurView).toContain("Territoire pionnier de la transition.");
    expect(lecteurView).not.toContain("Modifier la dynamique");
    expect(lecteurView).not.toContain("Archiver");
    const membreView = await (await as(team.membre)).get(path).then(pageText);
    expect(membreView).toContain("Modifier la dynamique");
    expect(membreView).toContain("Archiver");
    expect(membreView).toContain("Supprimer définitivement");
  });

  it("answers 404 for an unknown id, another study's dynamic, or a non-member", async () => {
    const foreign = await createDynamic(db, other.study.id);
    const mine = await createDynamic(db, team.study.id);
    const client = await as(team.pilote);
    expect((await client.get(`${base()}/dynamiques/${foreign.id}`)).status).toBe(404);
    expect((await client.get(`${base()}/dynamiques/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await client.get(`${base()}/dynamiques/pas-un-id`)).status).toBe(404);
    expect((await client.post(`${base()}/dynamiques/${foreign.id}`, { intent: "archive" })).status).toBe(404);
    expect((await (await as(team.outsider)).get(`${base()}/dynamiques/${mine.id}`)).status).toBe(404);
    expect((await findDynamic(db, other.study.id, foreign.id))?.archived_at).toBeNull();
  });

  it("lets a membre edit it, and refuses bad or forged input", async () => {
    const dynamic = await createDynamic(db, team.study.id, { name: "Nom initial" });
    const newType = await createDynamicType(db, team.study.id);
    const path = `${base()}/dynamiques/${dynamic.id}`;
    const client = await as(team.membre);
    const edit = (overrides: Record<string, string>) =>
      client.post(path, { ...dynamicForm(newType.id), intent: "update", name: "Nom modifié", territory: "Cahors", ...overrides });

    for (const [overrides, message] of [
      [{ name: "" }, "Ce champ est obligatoire."],
      [{ name: "n".repeat(10_000) }, "200 caractères au maximum."],
      [{ website: "www.exemple.fr" }, "Adresse web invalide"],
      [{ typeId: (await createDynamicType(db, other.study.id)).id }, "Élément inconnu dans cette étude."],
    ] as const) {
      const response = await edit(overrides);
      expect(response.status).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    expect(await findDynamic(db, team.study.id, dynamic.id)).toMatchObject({ name: "Nom initial", type_id: dynamic.type_id });

    expect((await edit({ department: "974", website: "http://exemple.re" })).status).toBe(302);
    expect(await findDynamic(db, team.study.id, dynamic.id)).toMatchObject({
      name: "Nom modifié",
      territory: "Cahors",
      department: "974",
      website: "http://exemple.re",
      type_id: newType.id,
    });
    expect(await client.get(path).then(pageText)).toContain("Nom modifié");
  });

  it("refuses every write to a lecteur (403) and a non-member (404)", async () => {
    const dynamic = await createDynamic(db, team.study.id, { name: "Intouchable" });
    const path = `${base()}/dynamiques/${dynamic.id}`;
    for (const intent of ["update", "archive", "unarchive", "delete"]) {
      const form = { ...dynamicForm(dynamic.type_id), intent, name: "Changé" };
      expect((await (await as(team.lecteur)).post(path, form)).status).toBe(403);
      expect((await (await as(team.outsider)).post(path, form)).status).toBe(404);
    }
    expect(await findDynamic(db, team.study.id, dynamic.id)).toMatchObject({ name: "Intouchable", archived_at: null });
  });

  it("archives and unarchives", async () => {
    const dynamic = await createDynamic(db, team.study.id, { name: "Dynamique à archiver" });
    const path = `${base()}/dynamiques/${dynamic.id}`;
    const client = await as(team.pilote);
    expect((await client.post(path, { intent: "archive" })).status).toBe(302);
    expect((await findDynamic(db, team.study.id, dynamic.id))?.archived_at).not.toBeNull();
    expect(await client.get(`${base()}/dynamiques`).then(pageText)).not.toContain("Dynamique à archiver");
    expect(await client.get(path).then(pageText)).toContain("Désarchiver");
    expect((await client.post(path, { intent: "unarchive" })).status).toBe(302);
    expect((await findDynamic(db, team.study.id, dynamic.id))?.archived_at).toBeNull();
    expect(await client.get(`${base()}/dynamiques`).then(pageText)).toContain("Dynamique à archiver");
  });

  it("deletes an unlinked dynamic, but only archives one a meeting refers to", async () => {
    const free = await createDynamic(db, team.study.id);
    const linked = await createDynamic(db, team.study.id, { name: "Dynamique visitée" });
    await createMeeting(db, team.study.id, { dynamicIds: [linked.id] });
    const client = await as(team.membre);

    expect((await client.post(`${base()}/dynamiques/${free.id}`, { intent: "delete" })).status).toBe(302);
    expect(await findDynamic(db, team.study.id, free.id)).toBeUndefined();
    expect((await client.get(`${base()}/dynamiques/${free.id}`)).status).toBe(404);

    const linkedPage = await client.get(`${base()}/dynamiques/${linked.id}`).then(pageText);
    expect(linkedPage).not.toContain("Supprimer définitivement");
    const refused = await client.post(`${base()}/dynamiques/${linked.id}`, { intent: "delete" });
    expect(refused.status).toBe(400);
    expect(await pageText(refused)).toContain("elle ne peut pas être supprimée, seulement archivée");
    expect(await findDynamic(db, team.study.id, linked.id)).toBeDefined();
  });
});

describe("the typology", () => {
  const typology = () => `${base()}/typologie`;

  it("is readable by every member, editable only by the pilote", async () => {
    const type = await createDynamicType(db, team.study.id, { label: "Type lisible" });
    const lecteurView = await (await as(team.lecteur)).get(typology()).then(pageText);
    expect(lecteurView).toContain("Type lisible");
    expect(lecteurView).not.toContain("Ajouter un type");
    expect(await (await as(team.pilote)).get(typology()).then(pageText)).toContain("Ajouter un type");
    expect((await (await as(team.outsider)).get(typology())).status).toBe(404);

    const writes: Record<string, string>[] = [
      { intent: "create", label: "Nouveau", definition: "" },
      { intent: "update", typeId: type.id, label: "Renommé", definition: "" },
      { intent: "archive", typeId: type.id },
      { intent: "delete", typeId: type.id },
      { intent: "up", typeId: type.id },
    ];
    for (const form of writes) {
      expect((await (await as(team.membre)).post(typology(), form)).status).toBe(403);
      expect((await (await as(team.lecteur)).post(typology(), form)).status).toBe(403);
      expect((await (await as(team.outsider)).post(typology(), form)).status).toBe(404);
    }
    expect(await findDynamicType(db, team.study.id, type.id)).toMatchObject({ label: "Type lisible", archived_at: null });
  });

  it("lets the pilote add, rename, redefine, reorder and archive types", async () => {
    const { study, pilote } = await createStudyWithTeam(db);
    const client = new TestClient(server().url);
    await client.login(pilote.email, TEST_PASSWORD);
    const path = `/etudes/${study.id}/typologie`;

    for (const label of ["Tiers-lieu", "Pôle de coopération", "Monnaie locale"]) {
      expect((await client.post(path, { intent: "create", label, definition: `Définition de ${label}` })).status).toBe(302);
    }
    let types = await listDynamicTypes(db, study.id);
    expect(types.map((t) => t.label)).toEqual(["Tiers-lieu", "Pôle de coopération", "Monnaie locale"]);
    expect(types.map((t) => t.key)).toEqual(["tiers-lieu", "pole-de-cooperation", "monnaie-locale"]);

    const duplicate = await client.post(path, { intent: "create", label: "tiers-lieu", definition: "" });
    expect(duplicate.status).toBe(400);
    expect(await pageText(duplicate)).toContain("Un type porte déjà cet intitulé.");

    const [first, second, third] = types as [(typeof types)[0], (typeof types)[0], (typeof types)[0]];
    expect((await client.post(path, { intent: "update", typeId: second.id, label: "PTCE", definition: "Pôle territorial" })).status).toBe(302);
    expect((await client.post(path, { intent: "up", typeId: third.id })).status).toBe(302);
    expect((await client.post(path, { intent: "up", typeId: first.id })).status).toBe(302);
    types = await listDynamicTypes(db, study.id);
    expect(types.map((t) => t.label)).toEqual(["Tiers-lieu", "Monnaie locale", "PTCE"]);
    expect(types[2]!.definition).toBe("Pôle territorial");

    const listed = await client.get(path).then(pageText);
    expect(listed.indexOf("Monnaie locale")).toBeLessThan(listed.indexOf("PTCE"));

    expect((await client.post(path, { intent: "archive", typeId: first.id })).status).toBe(302);
    expect((await findDynamicType(db, study.id, first.id))?.archived_at).not.toBeNull();
    expect((await client.post(path, { intent: "unarchive", typeId: first.id })).status).toBe(302);
    expect((await findDynamicType(db, study.id, first.id))?.archived_at).toBeNull();
  });

  it("deletes an unused type but never one dynamics use", async () => {
    const unused = await createDynamicType(db, team.study.id, { label: "Type inutilisé" });
    const used = await createDynamicType(db, team.study.id, { label: "Type utilisé" });
    await createDynamic(db, team.study.id, { type_id: used.id, archived_at: "2026-01-01T00:00:00.000Z" });
    const client = await as(team.pilote);
    expect((await client.post(typology(), { intent: "delete", typeId: unused.id })).status).toBe(302);
    expect(await findDynamicType(db, team.study.id, unused.id)).toBeUndefined();
    const refused = await client.post(typology(), { intent: "delete", typeId: used.id });
    expect(refused.status).toBe(400);
    expect(await pageText(refused)).toContain("Ce type est utilisé par des dynamiques");
    expect(await findDynamicType(db, team.study.id, used.id)).toBeDefined();
  });

  it("refuses bad labels and another study's type, changing nothing", async () => {
    const type = await createDynamicType(db, team.study.id, { label: "Type stable" });
    const foreign = await createDynamicType(db, other.study.id, { label: "Type d'ailleurs" });
    const client = await as(team.pilote);
    for (const [form, message] of [
      [{ intent: "create", label: "", definition: "" }, "Ce champ est obligatoire."],
      [{ intent: "create", label: "l".repeat(10_000), definition: "" }, "200 caractères au maximum."],
      [{ intent: "update", typeId: type.id, label: "", definition: "" }, "Ce champ est obligatoire."],
      [{ intent: "update", typeId: foreign.id, label: "Volé", definition: "" }, "Élément inconnu dans cette étude."],
      [{ intent: "archive", typeId: foreign.id }, "Élément inconnu dans cette étude."],
      [{ intent: "delete", typeId: foreign.id }, "Élément inconnu dans cette étude."],
      [{ intent: "up", typeId: foreign.id }, "Élément inconnu dans cette étude."],
    ] as const) {
      const response = await client.post(typology(), form);
      expect(response.status).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    expect(await findDynamicType(db, team.study.id, type.id)).toMatchObject({ label: "Type stable", archived_at: null });
    expect(await findDynamicType(db, other.study.id, foreign.id)).toMatchObject({ label: "Type d'ailleurs", archived_at: null });
  });
});
