import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../../db/client";
import type { Role } from "../../db/schema";
import { createDynamic, createMeeting, createUser, TEST_PASSWORD } from "../helpers/factories";
import { clientPerUser, pageText, TestClient } from "../helpers/http";
import { testServerForFile } from "../helpers/server";
import { twoStudiesWithTeams, type StudyWithTeam } from "../helpers/two-studies";

/**
 * The sweep behind docs/authorization.md: every study page and every write intent, asked by
 * someone who may not. Ids in the forms are real rows of the study, so a refusal cannot come
 * from validation; the study's rows are compared before and after to prove nothing changed.
 */
const server = testServerForFile();
const as = clientPerUser(() => server().url, TEST_PASSWORD);
let db: DB, team: StudyWithTeam, other: StudyWithTeam;
let dynamicId: string, meetingId: string;

beforeAll(async () => {
  ({ db, team, other } = await twoStudiesWithTeams(server()));
  dynamicId = (await createDynamic(db, team.study.id)).id;
  meetingId = (await createMeeting(db, team.study.id, { dynamicIds: [dynamicId] })).meeting.id;
});

const study = () => `/etudes/${team.study.id}`;
const pages = () => [
  study(),
  `${study()}/dynamiques`,
  `${study()}/dynamiques/${dynamicId}`,
  `${study()}/visites`,
  `${study()}/visites/${meetingId}`,
  `${study()}/visites/${meetingId}/compte-rendu`,
  `${study()}/visites/${meetingId}/compte-rendu/versions`,
  `${study()}/enseignements`,
  `${study()}/matrice`,
  `${study()}/recherche`,
  `${study()}/grille`,
  `${study()}/typologie`,
  `${study()}/equipe`,
  `${study()}/synthese`,
  `${study()}/synthese/provenance`,
  `${study()}/synthese/versions`,
  ...downloads(),
];

/** Resource routes: files and data for the pages, authorized like them. */
const downloads = () => [
  `${study()}/enseignements/csv`,
  `${study()}/enseignements/xlsx`,
  `${study()}/visites/${meetingId}/compte-rendu/docx`,
  `${study()}/visites/${meetingId}/compte-rendu/markdown`,
  `${study()}/synthese/docx`,
  `${study()}/synthese/markdown`,
  `${study()}/synthese/sources`,
  `${study()}/synthese/enseignements`,
  `${study()}/export/qdpx`,
  `${study()}/grille/qdc`,
];

/** Read by GET, yet a draft to write into the synthesis: membre and above. */
const writerOnly = () => [`${study()}/synthese/plan`];

interface Write {
  path: () => string;
  intents: string[];
  minimum: Role;
  /** What the page says to a form with an unknown intent (single-form routes check their fields first). */
  unknownIntent: string;
}

const writes: Write[] = [
  { path: () => `${study()}/dynamiques`, intents: ["create"], minimum: "membre", unknownIntent: "Ce champ est obligatoire." },
  {
    path: () => `${study()}/dynamiques/${dynamicId}`,
    intents: ["update", "archive", "unarchive", "delete"],
    minimum: "membre",
    unknownIntent: "Choix invalide.",
  },
  { path: () => `${study()}/visites`, intents: ["create"], minimum: "membre", unknownIntent: "Choix invalide." },
  { path: () => `${study()}/visites/${meetingId}`, intents: ["update", "status"], minimum: "membre", unknownIntent: "Choix invalide." },
  {
    path: () => `${study()}/visites/${meetingId}/compte-rendu/versions`,
    intents: ["save", "restore"],
    minimum: "membre",
    unknownIntent: "Choix invalide.",
  },
  {
    path: () => `${study()}/synthese/versions`,
    intents: ["save", "restore"],
    minimum: "membre",
    unknownIntent: "Choix invalide.",
  },
  { path: () => `${study()}/equipe`, intents: ["role", "remove", "reset", "invite", "revoke"], minimum: "pilote", unknownIntent: "Action inconnue." },
  {
    path: () => `${study()}/grille`,
    intents: [
      "family.create", "family.update", "family.up", "family.down", "family.delete",
      "factor.create", "factor.update", "factor.up", "factor.down", "factor.archive", "factor.unarchive", "factor.delete", "factor.merge",
      "kind.update", "audience.update",
    ],
    minimum: "pilote",
    unknownIntent: "Choix invalide.",
  },
  {
    path: () => `${study()}/typologie`,
    intents: ["create", "update", "up", "down", "archive", "unarchive", "delete"],
    minimum: "pilote",
    unknownIntent: "Élément inconnu dans cette étude.",
  },
];

/** A form that would pass validation if the role allowed it. */
const formFor = (intent: string) => ({
  intent,
  name: "Nom forgé",
  label: "Libellé forgé",
  title: "Titre forgé",
  email: "forge@example.org",
  role: "pilote",
  userId: team.membre.id,
  typeId: dynamicId,
  status: "realisee",
  key: "constat",
});

const STUDY_TABLES = ["dynamics", "dynamic_types", "meetings", "memberships", "invitations", "factor_families", "factors", "audiences", "finding_kinds"] as const;

/** Every row of the study under test, as a comparable snapshot. */
async function snapshot() {
  const rows: Record<string, unknown[]> = {};
  for (const table of STUDY_TABLES) {
    rows[table] = await db.selectFrom(table).selectAll().where("study_id", "=", team.study.id).execute();
  }
  rows.document_versions = await db
    .selectFrom("document_versions")
    .innerJoin("documents", "documents.id", "document_versions.document_id")
    .selectAll("document_versions")
    .where("documents.study_id", "=", team.study.id)
    .execute();
  return rows;
}

describe("study pages", () => {
  it("send an anonymous visitor to /connexion, coming back afterwards", async () => {
    const anonymous = new TestClient(server().url);
    for (const path of [...pages(), ...writerOnly()]) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toBe(`/connexion?redirectTo=${encodeURIComponent(path)}`);
    }
  });

  it("answer a non-member with the French 404 page, exactly like an unknown study", async () => {
    const outsider = await as(team.outsider);
    const all = [...pages(), ...writerOnly()];
    const unknown = all.map((path) => path.replace(team.study.id, crypto.randomUUID()));
    // Resource routes answer a bare 404, not the page.
    const fileTails = [...downloads(), ...writerOnly()].map((path) => path.slice(study().length));
    for (const path of [...all, ...unknown, "/etudes/pas-un-identifiant"]) {
      const response = await outsider.get(path);
      expect(response.status, path).toBe(404);
      if (!fileTails.some((tail) => path.endsWith(tail))) expect(await pageText(response), path).toContain("Page introuvable");
    }
  });

  it("answer 404 for a dynamic or a visit of another study named under this one", async () => {
    const pilote = await as(team.pilote);
    const foreignDynamic = await createDynamic(db, other.study.id);
    const { meeting: foreignMeeting } = await createMeeting(db, other.study.id);
    for (const path of [
      `${study()}/dynamiques/${foreignDynamic.id}`,
      `${study()}/visites/${foreignMeeting.id}`,
      `${study()}/visites/${foreignMeeting.id}/compte-rendu`,
      `${study()}/visites/${foreignMeeting.id}/compte-rendu/versions`,
    ]) {
      expect((await pilote.get(path)).status, path).toBe(404);
    }
  });

  it("are all readable by a lecteur", async () => {
    const lecteur = await as(team.lecteur);
    for (const path of pages()) expect((await lecteur.get(path)).status, path).toBe(200);
  });

  it("keep what only a writer uses from a lecteur (403) and give it to a membre", async () => {
    const [lecteur, membre] = [await as(team.lecteur), await as(team.membre)];
    for (const path of writerOnly()) {
      expect((await lecteur.get(path)).status, path).toBe(403);
      expect((await membre.get(path)).status, path).toBe(200);
    }
  });
});

describe("query strings", () => {
  it("ignore malformed filters instead of failing", async () => {
    const lecteur = await as(team.lecteur);
    const garbage = encodeURIComponent(`"*( NEAR) OR ' ; -- ${"x".repeat(500)}`);
    for (const path of [
      `${study()}/dynamiques?type=${garbage}&departement=${garbage}&territoire=${garbage}&archivees=${garbage}`,
      `${study()}/enseignements?facteur=${garbage}&famille=${garbage}&nature=${garbage}&visite=${other.study.id}&orpheline=${garbage}&page=${garbage}`,
      `${study()}/enseignements?page=-3`,
      `${study()}/enseignements?page=99999999999999999999`,
      `${study()}/enseignements/csv?facteur=${garbage}&nature=${garbage}`,
      `${study()}/matrice?vue=cooccurrences&ligne=${garbage}&colonne=${garbage}`,
      `${study()}/matrice?vue=${garbage}&facteur=${garbage}&colonne=${garbage}&colonnes=${garbage}`,
      `${study()}/matrice?facteur=${other.study.id}&colonne=${other.study.id}`,
      `${study()}/visites?type=${garbage}&statut=${garbage}`,
      `${study()}/recherche?q=${garbage}`,
      `${study()}/recherche?q=${encodeURIComponent('"')}`,
      `${study()}/grille?fusion=${garbage}&dans=${garbage}`,
      `${study()}/visites/${meetingId}/compte-rendu/versions?voir=${garbage}`,
    ]) {
      const response = await lecteur.get(path);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).not.toContain("Une erreur est survenue");
    }
  });
});

describe("every write intent", () => {
  it("redirects an anonymous visitor to /connexion and changes nothing", async () => {
    const before = await snapshot();
    const anonymous = new TestClient(server().url);
    for (const write of writes) {
      for (const intent of write.intents) {
        const response = await anonymous.post(write.path(), formFor(intent));
        expect(response.status, `${write.path()} ${intent}`).toBe(302);
        expect(response.headers.get("location"), `${write.path()} ${intent}`).toMatch(/^\/connexion\?redirectTo=/);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers a non-member 404 and changes nothing", async () => {
    const before = await snapshot();
    const outsider = await as(team.outsider);
    for (const write of writes) {
      for (const intent of write.intents) {
        const response = await outsider.post(write.path(), formFor(intent));
        expect(response.status, `${write.path()} ${intent}`).toBe(404);
        expect(await pageText(response)).toContain("Page introuvable");
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers a lecteur, and a membre where pilote is required, 403 with the French page, changing nothing", async () => {
    const before = await snapshot();
    const denied = [
      { user: team.lecteur, writes },
      { user: team.membre, writes: writes.filter((w) => w.minimum === "pilote") },
    ];
    for (const { user, writes: refused } of denied) {
      const client = await as(user);
      for (const write of refused) {
        for (const intent of write.intents) {
          const response = await client.post(write.path(), formFor(intent));
          expect(response.status, `${user.email} ${write.path()} ${intent}`).toBe(403);
          expect(await pageText(response)).toContain("Votre rôle dans cette étude ne permet pas cette action.");
        }
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers an unknown intent with a French 400 and changes nothing", async () => {
    const before = await snapshot();
    const pilote = await as(team.pilote);
    for (const write of writes) {
      const response = await pilote.post(write.path(), { intent: "inconnu" });
      expect(response.status, write.path()).toBe(400);
      expect(await pageText(response), write.path()).toContain(write.unknownIntent);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("pages outside a study", () => {
  it("send an anonymous visitor to /connexion from personal pages", async () => {
    const anonymous = new TestClient(server().url);
    for (const path of ["/etudes", "/profil", "/admin"]) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toMatch(/^\/connexion\?redirectTo=/);
    }
    expect((await anonymous.post("/profil", { intent: "profile", name: "Forgé" })).status).toBe(302);
  });

  it("hide the administration from a non-admin behind the French 404 page", async () => {
    const pilote = await as(team.pilote);
    const response = await pilote.get("/admin");
    expect(response.status).toBe(404);
    expect(await pageText(response)).toContain("Page introuvable");
    const forged = await pilote.post("/admin", { title: "Étude forgée", pilotEmail: "forge@example.org", pilotName: "Forgé" });
    expect(forged.status).toBe(404);
    expect(await db.selectFrom("studies").select("id").where("title", "=", "Étude forgée").executeTakeFirst()).toBeUndefined();
  });

  it("answer an unknown URL with the French 404 page", async () => {
    const user = await createUser(db);
    const client = await as(user);
    const anonymous = new TestClient(server().url);
    for (const [who, path] of [[client, "/nulle-part"], [anonymous, "/nulle-part/encore"], [client, `${study()}/inexistant`]] as const) {
      const response = await who.get(path);
      expect(response.status, path).toBe(404);
      const text = await pageText(response);
      expect(text, path).toContain("Page introuvable");
      expect(text, path).toContain("Cette page n'existe pas, ou vous n'y avez pas accès.");
    }
  });
});
