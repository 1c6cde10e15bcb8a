import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "../../db/client";
import { findDocument, updateDocumentDerived } from "../../db/queries/documents";
import { wordCount } from "../../app/editor/plain-text";
import { TEST_PASSWORD } from "../helpers/factories";
import { createFindingsFixture } from "../helpers/findings-fixture";
import { TestClient } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
let db: DB;
let fx: Awaited<ReturnType<typeof createFindingsFixture>>;
let lecteur: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  db = server.database.db;
  fx = await createFindingsFixture(db);
  lecteur = new TestClient(server.url);
  await lecteur.login(fx.team.lecteur.email, TEST_PASSWORD);
});
afterAll(() => server?.close());

/** The visits whose report the search page lists for a query. */
async function reportsFound(q: string) {
  const html = await (await lecteur.get(`/etudes/${fx.studyId}/recherche?${new URLSearchParams({ q })}`)).text();
  return [...html.matchAll(/href="\/etudes\/[^/]+\/visites\/([^/]+)\/compte-rendu">Ouvrir le compte rendu/g)].map((m) => m[1]);
}

describe("a report's derived copy (text, JSON, word count, search index)", () => {
  it("follows a changed text, and keeps it when the same text is written again", async () => {
    const { R1 } = fx.reports;
    const text = "Les maraîchers de Figeac parlent de zymologie et de cœur de réseau.";
    await updateDocumentDerived(db, R1, { plainText: text, json: '{"v":1}', wordCount, updatedAt: "2030-01-01T00:00:00.000Z" });
    expect(await reportsFound("zymologie")).toEqual([fx.meetings.M1]);
    expect(await findDocument(db, R1)).toMatchObject({ plain_text: text, json: '{"v":1}', word_count: 12 });

    await updateDocumentDerived(db, R1, { plainText: text, json: '{"v":2}', wordCount, updatedAt: "2030-01-02T00:00:00.000Z" });
    expect(await reportsFound("zymologie")).toEqual([fx.meetings.M1]);
    expect(await findDocument(db, R1)).toMatchObject({ plain_text: text, json: '{"v":2}', word_count: 12, updated_at: "2030-01-02T00:00:00.000Z" });

    await updateDocumentDerived(db, R1, { plainText: "Tout autre chose : œnologie.", json: '{"v":3}', wordCount });
    expect(await reportsFound("zymologie")).toEqual([]);
    expect(await reportsFound("oenologie")).toEqual([fx.meetings.M1]);
    expect(await findDocument(db, R1)).toMatchObject({ word_count: 4, updated_at: "2030-01-02T00:00:00.000Z" });
  });
});
