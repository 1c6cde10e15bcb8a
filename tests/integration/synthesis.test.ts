import type { JSONContent } from "@tiptap/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { plainText } from "../../app/editor/plain-text";
import { factorTallies } from "../../db/queries/synthesis-panel";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../db/seed/demo-accounts";
import { appendParagraph, collabClientsForFile, sessionCookieHeader, textOf, waitForSync } from "../helpers/collab";
import { createFinding, createUser, TEST_PASSWORD } from "../helpers/factories";
import { createOtherStudy, type OtherStudy } from "../helpers/findings-fixture";
import { loginClient, pageText, TestClient } from "../helpers/http";
import { findDemoReport } from "../helpers/report-page";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let studyId: string;
let other: OtherStudy;
const [pilote, membre, lecteur] = DEMO_ACCOUNTS;
const as: Record<"pilote" | "membre" | "lecteur", TestClient> = {} as never;

const open = collabClientsForFile();

const db = () => server.database.db;

function synthesisRows(study: string) {
  return db().selectFrom("documents").selectAll().where("study_id", "=", study).where("kind", "=", "synthesis").execute();
}

async function userId(email: string) {
  return (await db().selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}

async function factorId(study: string, key: string) {
  return (await db().selectFrom("factors").select("id").where("study_id", "=", study).where("key", "=", key).executeTakeFirstOrThrow()).id;
}

function demoFinding(quoteStart: string) {
  return db()
    .selectFrom("findings")
    .selectAll()
    .where("study_id", "=", studyId)
    .where("quote", "like", `${quoteStart}%`)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  server = await startTestServer({ demo: true, env: { TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "20" } });
  ({ studyId } = await findDemoReport(db()));
  other = await createOtherStudy(db());
  for (const [role, account] of [
    ["pilote", pilote],
    ["membre", membre],
    ["lecteur", lecteur],
  ] as const) {
    as[role] = await loginClient(server.url, account.email, DEMO_PASSWORD);
  }
});

afterAll(() => server?.close());

describe("the study's synthesis document", () => {
  test("is created once, even when several pages load it at the same moment, from the server's template with the study's audiences", async () => {
    expect(await synthesisRows(studyId)).toEqual([]);
    const responses = await Promise.all(
      [as.pilote, as.membre, as.lecteur, as.pilote].map((client) => client.get(`/etudes/${studyId}/synthese`))
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const text = await pageText(responses[0]!);
    expect(text).toContain("Synthèse de l'étude");
    expect(text).toContain("Provenance");

    const rows = await synthesisRows(studyId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.meeting_id).toBeNull();
    // The database itself refuses a second one (migration 0006), whoever would try.
    await expect(
      db()
        .insertInto("documents")
        .values({ ...rows[0]!, id: crypto.randomUUID() })
        .execute()
    ).rejects.toThrow(/UNIQUE/);

    // What every collaborator receives: the template, written once by the server.
    const client = open(server.url, rows[0]!.id, await sessionCookieHeader(db(), await userId(membre.email)));
    await waitForSync(client);
    const expected = [
      "Synthèse",
      "Introduction",
      "Enseignements par famille de facteurs",
      "Propositions",
      "Citoyens",
      "Acteurs de terrain",
      "Pouvoirs publics",
      "Partenaires financeurs",
      "Conclusion",
    ].join("\n\n");
    await expect.poll(() => textOf(client.doc)).toBe(expected);

    // Loading again neither adds a document nor rewrites the template; the derived copy holds it.
    expect((await as.membre.get(`/etudes/${studyId}/synthese`)).status).toBe(200);
    expect(await synthesisRows(studyId)).toHaveLength(1);
    await expect.poll(async () => (await synthesisRows(studyId))[0]!.json).not.toBeNull();
    const json = JSON.parse((await synthesisRows(studyId))[0]!.json!) as JSONContent;
    expect(plainText(json)).toBe(expected);
    expect(json.content![0]).toMatchObject({ type: "heading", attrs: { level: 1 } });
    expect(json.content!.filter((n) => n.type === "heading" && n.attrs?.level === 3)).toHaveLength(4);
  });

  test("a study without audiences still gets its sections", async () => {
    const client = await loginClient(server.url, other.team.pilote.email, TEST_PASSWORD);
    expect((await client.get(`/etudes/${other.team.study.id}/synthese`)).status).toBe(200);
    const [row] = await synthesisRows(other.team.study.id);
    await expect.poll(async () => (await synthesisRows(other.team.study.id))[0]!.json).not.toBeNull();
    const json = JSON.parse((await synthesisRows(other.team.study.id))[0]!.json!) as JSONContent;
    expect(row).toBeDefined();
    expect(plainText(json)).toBe("Synthèse\n\nIntroduction\n\nEnseignements par famille de facteurs\n\nPropositions\n\nConclusion");
    expect(json.content!.some((n) => n.type === "heading" && n.attrs?.level === 3)).toBe(false);
  });

  test("on the collaboration endpoint a lecteur reads the synthesis but cannot write it; a membre writes", async () => {
    await as.pilote.get(`/etudes/${studyId}/synthese`);
    const [synthesis] = await synthesisRows(studyId);
    const writer = open(server.url, synthesis!.id, await sessionCookieHeader(db(), await userId(membre.email)));
    const reader = open(server.url, synthesis!.id, await sessionCookieHeader(db(), await userId(lecteur.email)));
    await Promise.all([waitForSync(writer), waitForSync(reader)]);

    appendParagraph(reader.doc, "La lectrice tente d'écrire.");
    // The lecteur's awareness goes through the same socket after its update: once the membre sees
    // it, the server has handled (and dropped) the update.
    reader.provider.awareness.setLocalStateField("marker", "après l'écriture");
    await expect.poll(() => writer.provider.awareness.getStates().get(reader.doc.clientID)?.marker).toBe("après l'écriture");
    appendParagraph(writer.doc, "Le membre écrit la synthèse.");
    await expect.poll(() => textOf(reader.doc)).toContain("Le membre écrit la synthèse.");

    const fresh = open(server.url, synthesis!.id, await sessionCookieHeader(db(), await userId(pilote.email)));
    await waitForSync(fresh);
    expect(textOf(fresh.doc)).toContain("Le membre écrit la synthèse.");
    expect(textOf(fresh.doc)).not.toContain("La lectrice tente d'écrire.");
  });
});

describe("who may open the synthesis and its panel's data", () => {
  const paths = (study: string) => [
    `/etudes/${study}/synthese`,
    `/etudes/${study}/synthese/sources?ids=${crypto.randomUUID()}`,
    `/etudes/${study}/synthese/enseignements?ouvrir=${crypto.randomUUID()}`,
  ];

  test("anonymous visitors are sent to the login page, non-members get 404, and neither creates a synthesis", async () => {
    const fresh = other.team.study.id;
    const outsider = await createUser(db());
    const outsiderClient = await loginClient(server.url, outsider.email, TEST_PASSWORD);
    const anonymous = new TestClient(server.url);
    const before = (await synthesisRows(fresh)).length;
    for (const path of paths(fresh)) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location"), path).toMatch(/^\/connexion\?redirectTo=/);
      expect((await outsiderClient.get(path)).status, path).toBe(404);
      // A demo member is not a member of the other study either.
      expect((await as.pilote.get(path)).status, path).toBe(404);
    }
    expect((await as.pilote.get(`/etudes/${crypto.randomUUID()}/synthese`)).status).toBe(404);
    expect((await as.pilote.get(`/etudes/pas-un-uuid/synthese`)).status).toBe(404);
    expect(await synthesisRows(fresh)).toHaveLength(before);
  });

  test("the sources route answers for the study's findings only", async () => {
    const finding = await demoFinding("Les acteurs décrivent une confiance");
    const response = await as.lecteur.get(`/etudes/${studyId}/synthese/sources?ids=${finding.id},${other.finding.id},pas-un-id`);
    expect(response.status).toBe(200);
    const { states } = (await response.json()) as {
      states: Record<string, { quote: string; source: string; orphaned: boolean; url: string }>;
    };
    expect(Object.keys(states)).toEqual([finding.id]);
    expect(states[finding.id]).toMatchObject({
      quote: finding.quote,
      orphaned: false,
      url: expect.stringMatching(new RegExp(`^/etudes/${studyId}/visites/[0-9a-f-]+/compte-rendu#enseignement-${finding.id}$`)),
    });
    expect(states[finding.id]!.source).toContain("Figeacteurs · Rencontre territoriale à Figeac · ");
  });

  test("a factor's findings come from the study of the URL, under the browser's filters, a page at a time", async () => {
    const ingenierie = await factorId(studyId, "ingenierie");
    const list = async (query: string) => {
      const response = await as.lecteur.get(`/etudes/${studyId}/synthese/enseignements?${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as { findings: { id: string; quote: string; source: string; kindLabel: string }[]; more: boolean };
    };
    const all = await list(`ouvrir=${ingenierie}`);
    expect(all.findings).toHaveLength(3);
    expect(all.more).toBe(false);
    expect(all.findings.every((f) => f.source.startsWith("Figeacteurs · Rencontre territoriale à Figeac"))).toBe(true);

    const freins = await list(`ouvrir=${ingenierie}&nature=frein`);
    expect(freins.findings.map((f) => f.quote)).toEqual([
      "Le financement de l'animation reste fragile et dépend d'appels à projets successifs.",
    ]);

    // Another study's factor lists nothing here.
    expect((await list(`ouvrir=${other.factorId}`)).findings).toEqual([]);
  });

  test("a factor with many findings is listed 50 at a time", async () => {
    const { team, factorId: factor, dynamicId } = other;
    const { id: documentId } = await db()
      .selectFrom("documents")
      .select("id")
      .where("study_id", "=", team.study.id)
      .where("kind", "=", "report")
      .executeTakeFirstOrThrow();
    for (let i = 1; i <= 51; i++) {
      await createFinding(db(), {
        studyId: team.study.id,
        documentId,
        kind: "levier",
        factorIds: [factor],
        dynamicIds: [dynamicId],
        quote: `Passage ${i}`,
      });
    }
    const client = await loginClient(server.url, team.lecteur.email, TEST_PASSWORD);
    const page = async (n: number) =>
      (await (await client.get(`/etudes/${team.study.id}/synthese/enseignements?ouvrir=${factor}&page=${n}`)).json()) as {
        findings: { quote: string }[];
        more: boolean;
      };
    const first = await page(1);
    expect(first.findings).toHaveLength(50);
    expect(first.more).toBe(true);
    const second = await page(2);
    // 52 in all: the 51 above and the fixture's own finding, newest first.
    expect(second.findings.map((f) => f.quote)).toEqual(["Passage 1", "Citation secrète sur la coopération"]);
    expect(second.more).toBe(false);
  });

  test("the panel's counts per factor and per dynamic come from SQL under the filters", async () => {
    const figeacteurs = (
      await db()
        .selectFrom("dynamics")
        .select("id")
        .where("study_id", "=", studyId)
        .where("name", "=", "Figeacteurs")
        .executeTakeFirstOrThrow()
    ).id;
    const tallies = await factorTallies(db(), studyId, {});
    const count = (key: string) => factorId(studyId, key).then((id) => tallies.factors.find((f) => f.factorId === id)?.count ?? 0);
    expect(await count("ingenierie")).toBe(3);
    expect(await count("confiance")).toBe(1);
    expect(await count("gouvernance")).toBe(0);
    const ingenierie = await factorId(studyId, "ingenierie");
    expect(tallies.cells).toContainEqual({ factorId: ingenierie, dynamicId: figeacteurs, count: 3 });

    const filtered = await factorTallies(db(), studyId, { kind: "frein" });
    expect(filtered.factors).toEqual([{ factorId: ingenierie, count: 1 }]);
  });
});
