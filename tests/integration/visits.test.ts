import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../../db/client";
import { findMeetingReport } from "../../db/queries/documents";
import { findMeeting, listMeetingDynamics, listMeetingMembers, listMeetingPeople } from "../../db/queries/meetings";
import { addMember, createDynamic, createDynamicType, createMeeting, createStudyWithTeam, createUser, TEST_PASSWORD } from "../helpers/factories";
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

function meetingForm(overrides: Record<string, string | readonly string[]> = {}): Record<string, string | readonly string[]> {
  return {
    intent: "create",
    kind: "visite",
    title: "Visite du PTCE Figeacteurs",
    startsOn: "2018-11-08",
    endsOn: "2018-11-09",
    place: "Figeac (Lot)",
    status: "prevue",
    dynamicIds: [],
    memberIds: [],
    personOrganisation: ["", "", ""],
    personRole: ["", "", ""],
    personName: ["", "", ""],
    ...overrides,
  };
}

async function count(table: "meetings" | "documents", studyId: string) {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("study_id", "=", studyId).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("creating a meeting", () => {
  it("stores the meeting with its dynamics, members, people met and its report document", async () => {
    const d1 = await createDynamic(db, team.study.id, { name: "Figeacteurs" });
    const d2 = await createDynamic(db, team.study.id, { name: "Fermes de Figeac" });
    const response = await (await as(team.membre)).post(
      `${base()}/visites`,
      meetingForm({
        title: "Rencontre territoriale à Figeac",
        dynamicIds: [d1.id, d2.id],
        memberIds: [team.pilote.id, team.membre.id],
        personOrganisation: ["Préfecture du Lot", "Ville de Figeac", "", ""],
        personRole: ["Préfet", "Maire", "", ""],
        personName: ["", "Mme Exemple", "", ""],
      }),
    );
    expect(response.status).toBe(302);
    const meeting = await db.selectFrom("meetings").selectAll().where("title", "=", "Rencontre territoriale à Figeac").executeTakeFirstOrThrow();
    expect(meeting).toMatchObject({ study_id: team.study.id, kind: "visite", starts_on: "2018-11-08", ends_on: "2018-11-09", status: "prevue", created_by: team.membre.id });
    expect((await listMeetingDynamics(db, meeting.id)).map((d) => d.name).sort()).toEqual(["Fermes de Figeac", "Figeacteurs"]);
    expect((await listMeetingMembers(db, meeting.id)).map((m) => m.id).sort()).toEqual([team.pilote.id, team.membre.id].sort());
    expect((await listMeetingPeople(db, meeting.id)).map((p) => [p.organisation, p.role, p.name])).toEqual([
      ["Préfecture du Lot", "Préfet", null],
      ["Ville de Figeac", "Maire", "Mme Exemple"],
    ]);
    const report = await findMeetingReport(db, meeting.id);
    expect(report).toMatchObject({ kind: "report", study_id: team.study.id });

    const timeline = await (await as(team.lecteur)).get(`${base()}/visites`).then(pageText);
    expect(timeline).toContain("Rencontre territoriale à Figeac");
    expect(timeline).toContain("du 8 novembre 2018 au 9 novembre 2018");

    const detail = await (await as(team.lecteur)).get(`${base()}/visites/${meeting.id}`).then(pageText);
    for (const text of ["Préfecture du Lot — Préfet", "Mme Exemple", "Figeacteurs", "Paule Pilote", "Ouvrir le compte rendu"]) {
      expect(detail).toContain(text);
    }
    // The word count is the template's, written by the collaboration hub when the meeting is created.
    expect(detail).toMatch(/Compte rendu \d+ mots Dernière mise à jour : \d+ \p{L}+ 20\d\d/u);
  });

  it("lets a pilote create too; refuses a lecteur (403) and a non-member (404)", async () => {
    const before = [await count("meetings", team.study.id), await count("documents", team.study.id)];
    expect((await (await as(team.lecteur)).post(`${base()}/visites`, meetingForm())).status).toBe(403);
    expect((await (await as(team.outsider)).post(`${base()}/visites`, meetingForm())).status).toBe(404);
    expect([await count("meetings", team.study.id), await count("documents", team.study.id)]).toEqual(before);
    expect((await (await as(team.pilote)).post(`${base()}/visites`, meetingForm({ title: "Séminaire du pilote", kind: "seminaire" }))).status).toBe(302);
    expect(await count("meetings", team.study.id)).toBe(before[0]! + 1);
    expect(await count("documents", team.study.id)).toBe(before[1]! + 1);
  });

  it("answers bad or forged input with a French message and stores nothing", async () => {
    const archived = await createDynamic(db, team.study.id, { archived_at: "2026-01-01T00:00:00.000Z" });
    const foreignDynamic = await createDynamic(db, other.study.id);
    const stranger = await createUser(db);
    const cases: [Record<string, string | readonly string[]>, string][] = [
      [{ title: "" }, "Ce champ est obligatoire."],
      [{ title: "t".repeat(10_000) }, "200 caractères au maximum."],
      [{ place: "p".repeat(10_000) }, "200 caractères au maximum."],
      [{ startsOn: "" }, "Date invalide"],
      [{ startsOn: "2018-02-30" }, "Date invalide"],
      [{ startsOn: "2018-11-09", endsOn: "2018-11-08" }, "La date de fin doit suivre la date de début."],
      [{ kind: "fete" }, "Choix invalide."],
      [{ status: "annulee" }, "Choix invalide."],
      [{ dynamicIds: [foreignDynamic.id] }, "Élément inconnu dans cette étude."],
      [{ dynamicIds: [archived.id] }, "Élément inconnu dans cette étude."],
      [{ dynamicIds: ["pas-un-id"] }, "Élément inconnu dans cette étude."],
      [{ memberIds: [stranger.id] }, "Élément inconnu dans cette étude."],
      [{ memberIds: [other.pilote.id] }, "Élément inconnu dans cette étude."],
      [{ personOrganisation: ["", ""], personRole: ["Maire", ""], personName: ["", ""] }, "Chaque personne rencontrée doit avoir une organisation."],
      [{ personOrganisation: ["o".repeat(10_000)], personRole: [""], personName: [""] }, "200 caractères au maximum."],
    ];
    const before = [await count("meetings", team.study.id), await count("documents", team.study.id)];
    const client = await as(team.membre);
    for (const [overrides, message] of cases) {
      const response = await client.post(`${base()}/visites`, meetingForm(overrides));
      expect(response.status, JSON.stringify(overrides).slice(0, 80)).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    expect([await count("meetings", team.study.id), await count("documents", team.study.id)]).toEqual(before);
  });
});

describe("the timeline", () => {
  it("lists meetings in date order, grouped by month, and filters by kind and status", async () => {
    const { study, lecteur } = await createStudyWithTeam(db);
    const dynamic = await createDynamic(db, study.id, { name: "Start-Up de Territoire" });
    await createMeeting(db, study.id, { title: "Visite de novembre", starts_on: "2018-11-08", status: "validee", dynamicIds: [dynamic.id] });
    await createMeeting(db, study.id, { title: "Webinaire de mars", kind: "webinaire", starts_on: "2019-03-14", status: "prevue" });
    await createMeeting(db, study.id, { title: "Visite d'octobre", starts_on: "2018-10-11", status: "realisee" });
    await createMeeting(db, study.id, { title: "Séminaire de novembre", kind: "seminaire", starts_on: "2018-11-20", status: "realisee" });
    const client = new TestClient(server().url);
    await client.login(lecteur.email, TEST_PASSWORD);
    const timeline = (query = "") => client.get(`/etudes/${study.id}/visites${query}`).then(pageText);

    const all = await timeline();
    const order = ["octobre 2018", "Visite d'octobre", "novembre 2018", "Visite de novembre", "Séminaire de novembre", "mars 2019", "Webinaire de mars"].map((s) =>
      all.indexOf(s),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(all.match(/novembre 2018/g)?.length).toBeGreaterThanOrEqual(1);
    expect(all).toContain("Start-Up de Territoire");
    expect(all).toContain("Compte rendu validé");
    expect(all).toContain("Webinaire");
    expect(all).not.toContain("Nouvelle rencontre");

    const seminars = await timeline("?type=seminaire");
    expect(seminars).toContain("Séminaire de novembre");
    expect(seminars).not.toContain("Visite d'octobre");

    const done = await timeline("?statut=realisee");
    expect(done).toContain("Visite d'octobre");
    expect(done).toContain("Séminaire de novembre");
    expect(done).not.toContain("Webinaire de mars");
    expect(done).not.toContain("Visite de novembre");

    expect(await timeline("?type=voyage")).toContain("Aucune rencontre ne correspond.");
  });
});

describe("a meeting's page", () => {
  it("answers 404 for an unknown id, another study's meeting, or a non-member", async () => {
    const { meeting: foreign } = await createMeeting(db, other.study.id);
    const { meeting: mine } = await createMeeting(db, team.study.id);
    const client = await as(team.pilote);
    expect((await client.get(`${base()}/visites/${foreign.id}`)).status).toBe(404);
    expect((await client.get(`${base()}/visites/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await client.get(`${base()}/visites/pas-un-id`)).status).toBe(404);
    expect((await client.post(`${base()}/visites/${foreign.id}`, { intent: "status", status: "validee" })).status).toBe(404);
    expect((await findMeeting(db, other.study.id, foreign.id))?.status).toBe("prevue");
    expect((await (await as(team.outsider)).get(`${base()}/visites/${mine.id}`)).status).toBe(404);
  });

  it("shows edit controls to writers only, and lets a membre or the pilote change the status", async () => {
    const { meeting } = await createMeeting(db, team.study.id, { title: "Visite à valider" });
    const path = `${base()}/visites/${meeting.id}`;
    const lecteurView = await (await as(team.lecteur)).get(path).then(pageText);
    expect(lecteurView).toContain("Visite à valider");
    expect(lecteurView).not.toContain("Modifier la rencontre");
    expect(lecteurView).not.toContain("Changer le statut");

    const client = await as(team.membre);
    expect(await client.get(path).then(pageText)).toContain("Modifier la rencontre");
    expect((await client.post(path, { intent: "status", status: "validee" })).status).toBe(302);
    expect((await findMeeting(db, team.study.id, meeting.id))?.status).toBe("validee");
    expect((await (await as(team.pilote)).post(path, { intent: "status", status: "realisee" })).status).toBe(302);
    expect((await findMeeting(db, team.study.id, meeting.id))?.status).toBe("realisee");
    const bad = await client.post(path, { intent: "status", status: "terminee" });
    expect(bad.status).toBe(400);
    expect(await pageText(bad)).toContain("Choix invalide.");
  });

  it("lets a membre edit the meeting, keeping an archived dynamic it already names", async () => {
    const kept = await createDynamic(db, team.study.id, { name: "Dynamique ensuite archivée" });
    const added = await createDynamic(db, team.study.id, { name: "Dynamique ajoutée" });
    const { meeting } = await createMeeting(db, team.study.id, { title: "Avant", dynamicIds: [kept.id] });
    await db.updateTable("dynamics").set({ archived_at: "2026-01-01T00:00:00.000Z" }).where("id", "=", kept.id).execute();
    const path = `${base()}/visites/${meeting.id}`;
    const response = await (await as(team.membre)).post(
      path,
      meetingForm({
        intent: "update",
        title: "Après",
        kind: "voyage",
        startsOn: "2019-05-02",
        endsOn: "",
        status: "realisee",
        dynamicIds: [kept.id, added.id],
        memberIds: [team.lecteur.id],
        personOrganisation: ["Réseau des tiers-lieux"],
        personRole: ["Coordinatrice"],
        personName: [""],
      }),
    );
    expect(response.status).toBe(302);
    expect(await findMeeting(db, team.study.id, meeting.id)).toMatchObject({ title: "Après", kind: "voyage", starts_on: "2019-05-02", ends_on: null, status: "realisee" });
    expect((await listMeetingDynamics(db, meeting.id)).map((d) => d.id).sort()).toEqual([kept.id, added.id].sort());
    const view = await (await as(team.lecteur)).get(path).then(pageText);
    expect(view).toContain("Voyage apprenant");
    expect(view).toContain("Réseau des tiers-lieux — Coordinatrice");
  });

  it("refuses bad or forged edits and every write by a lecteur or non-member, changing nothing", async () => {
    const { meeting } = await createMeeting(db, team.study.id, { title: "Inchangée", starts_on: "2019-01-10" });
    const path = `${base()}/visites/${meeting.id}`;
    const foreignDynamic = await createDynamic(db, other.study.id);
    const client = await as(team.membre);
    for (const [overrides, message] of [
      [{ title: "" }, "Ce champ est obligatoire."],
      [{ title: "t".repeat(10_000) }, "200 caractères au maximum."],
      [{ startsOn: "2019-01-10", endsOn: "2019-01-09" }, "La date de fin doit suivre la date de début."],
      [{ dynamicIds: [foreignDynamic.id] }, "Élément inconnu dans cette étude."],
      [{ memberIds: [team.outsider.id] }, "Élément inconnu dans cette étude."],
    ] as const) {
      const response = await client.post(path, meetingForm({ intent: "update", ...overrides }));
      expect(response.status).toBe(400);
      expect(await pageText(response)).toContain(message);
    }
    for (const form of [meetingForm({ intent: "update", title: "Piratée" }), { intent: "status", status: "validee" }]) {
      expect((await (await as(team.lecteur)).post(path, form)).status).toBe(403);
      expect((await (await as(team.outsider)).post(path, form)).status).toBe(404);
    }
    expect(await findMeeting(db, team.study.id, meeting.id)).toMatchObject({ title: "Inchangée", status: "prevue", starts_on: "2019-01-10" });
    expect(await listMeetingDynamics(db, meeting.id)).toEqual([]);
  });
});

describe("the dashboard", () => {
  it("shows figures, dynamics by type, meetings and the task force computed from the study", async () => {
    const { study, pilote, membre, lecteur } = await createStudyWithTeam(db);
    const second = await createUser(db, { name: "Mina Seconde" });
    await addMember(db, study.id, second.id, "membre");
    const ptce = await createDynamicType(db, study.id, { label: "PTCE" });
    const tiersLieu = await createDynamicType(db, study.id, { label: "Tiers-lieu" });
    const a = await createDynamic(db, study.id, { name: "Figeacteurs", type_id: ptce.id });
    const b = await createDynamic(db, study.id, { name: "Bliiida", type_id: tiersLieu.id });
    await createDynamic(db, study.id, { name: "La Coursive", type_id: tiersLieu.id });
    await createDynamic(db, study.id, { name: "Archivée invisible", type_id: ptce.id, archived_at: "2026-01-01T00:00:00.000Z" });
    await createMeeting(db, study.id, { title: "Visite prévue de Bliiida", starts_on: "2027-02-01", status: "prevue", dynamicIds: [b.id] });
    await createMeeting(db, study.id, { title: "Visite faite de Figeac", starts_on: "2018-11-08", status: "realisee", dynamicIds: [a.id] });
    await createMeeting(db, study.id, { title: "Visite validée de Figeac", starts_on: "2019-01-08", status: "validee", dynamicIds: [a.id] });
    await createMeeting(db, study.id, { title: "Séminaire à venir", kind: "seminaire", starts_on: "2027-03-01", status: "prevue" });

    const client = new TestClient(server().url);
    await client.login(lecteur.email, TEST_PASSWORD);
    const dashboard = await client.get(`/etudes/${study.id}`).then(pageText);
    expect(dashboard).toContain("Dynamiques suivies 3");
    expect(dashboard).toContain("Rencontres prévues 2");
    expect(dashboard).toContain("Rencontres réalisées 1");
    expect(dashboard).toContain("Comptes rendus validés 1");
    expect(dashboard).toContain("Dynamiques visitées 33 % 1 sur 3");
    expect(dashboard).toContain("Task-force 4 1 pilote · 2 membres · 1 lecteur");
    expect(dashboard).not.toContain("Archivée invisible");
    expect(dashboard).toContain("PTCE 1 Figeacteurs Figeac Compte rendu validé");
    expect(dashboard).toContain("Tiers-lieu 2 Bliiida Figeac Visite prévue La Coursive Figeac Pas encore visitée");
    const next = dashboard.slice(dashboard.indexOf("Prochaines rencontres"), dashboard.indexOf("Dernières rencontres réalisées"));
    expect(next.indexOf("Visite prévue de Bliiida")).toBeLessThan(next.indexOf("Séminaire à venir"));
    const latest = dashboard.slice(dashboard.indexOf("Dernières rencontres réalisées"), dashboard.indexOf("La task-force"));
    expect(latest.indexOf("Visite validée de Figeac")).toBeLessThan(latest.indexOf("Visite faite de Figeac"));
    for (const name of [pilote.name, membre.name, lecteur.name, "Mina Seconde"]) expect(dashboard).toContain(name);
  });

  it("shows French empty states for a new study", async () => {
    const { study, pilote } = await createStudyWithTeam(db);
    const client = new TestClient(server().url);
    await client.login(pilote.email, TEST_PASSWORD);
    const dashboard = await client.get(`/etudes/${study.id}`).then(pageText);
    expect(dashboard).toContain("Aucune dynamique pour l'instant.");
    expect(dashboard).toContain("Aucune rencontre prévue.");
    expect(dashboard).toContain("Aucune rencontre réalisée pour l'instant.");
    expect(dashboard).toContain("Dynamiques visitées 0 %");
  });
});
