import { afterAll, beforeAll, expect, onTestFinished, test } from "vitest";
import { plainText } from "../../app/editor/plain-text";
import { reportTemplate } from "../../app/editor/templates";
import { listDocumentVersions } from "../../db/queries/document-versions";
import { appendParagraph, collabClientsForFile, sessionCookieHeader, textOf, waitForSync } from "../helpers/collab";
import { createMeeting, createStudyWithTeam } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
const open = collabClientsForFile();

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

test("save, list, read and restore a version; the restore reaches collaborators as one update", async () => {
  const db = server.database.db;
  const { study, pilote, membre } = await createStudyWithTeam(db);
  const { report } = await createMeeting(db, study.id);
  const writer = open(server.url, report.id, await sessionCookieHeader(db, pilote.id));
  const watcher = open(server.url, report.id, await sessionCookieHeader(db, membre.id));
  await Promise.all([waitForSync(writer), waitForSync(watcher)]);

  appendParagraph(writer.doc, "Premier jet.");
  await expect.poll(() => textOf(watcher.doc)).toBe("Premier jet.");
  await server.collab.saveVersion(report.id, "Avant relecture", pilote.id);

  appendParagraph(writer.doc, "Deuxième jet.");
  await expect.poll(() => textOf(watcher.doc)).toBe("Premier jet.\n\nDeuxième jet.");

  const [saved] = await listDocumentVersions(db, report.id);
  expect(saved).toMatchObject({ label: "Avant relecture", automatic: 0, created_by_name: "Paule Pilote" });
  const content = await server.collab.versionContent(report.id, saved!.id);
  expect(plainText(content!)).toBe("Premier jet.");
  expect(await server.collab.versionContent(report.id, crypto.randomUUID())).toBeNull();

  const receivedBefore = watcher.received.length;
  await server.collab.restoreVersion(report.id, saved!.id, pilote.id);
  await expect.poll(() => textOf(watcher.doc)).toBe("Premier jet.");
  expect(textOf(writer.doc)).toBe("Premier jet.");
  expect(watcher.received.length - receivedBefore).toBe(1);

  const versions = await listDocumentVersions(db, report.id);
  expect(versions.map((v) => v.label).sort()).toEqual(["Avant relecture", "Avant restauration de « Avant relecture »"]);
  const before = versions.find((v) => v.label.startsWith("Avant restauration"))!;
  expect(plainText((await server.collab.versionContent(report.id, before.id))!)).toBe("Premier jet.\n\nDeuxième jet.");
});

test("a version of another document cannot be restored or read through this one", async () => {
  const db = server.database.db;
  const { study, pilote } = await createStudyWithTeam(db);
  const first = (await createMeeting(db, study.id)).report;
  const second = (await createMeeting(db, study.id)).report;
  await server.collab.initializeDocument(first.id, reportTemplate());
  await server.collab.saveVersion(first.id, "Version A", pilote.id);
  const [version] = await listDocumentVersions(db, first.id);
  expect(await server.collab.versionContent(second.id, version!.id)).toBeNull();
  await expect(server.collab.restoreVersion(second.id, version!.id, pilote.id)).rejects.toThrow();
  expect(await listDocumentVersions(db, second.id)).toEqual([]);
});

test("activity produces an automatic version once the interval has passed", async () => {
  const eager = await startTestServer({
    env: { TERRAIN_COLLAB_AUTO_VERSION_INTERVAL_MS: "0", TERRAIN_COLLAB_DERIVE_DEBOUNCE_MS: "10" },
  });
  // Runs after the afterEach hooks: the client is destroyed before its server closes.
  onTestFinished(() => eager.close());
  const db = eager.database.db;
  const { study, membre } = await createStudyWithTeam(db);
  const { report } = await createMeeting(db, study.id);
  const client = open(eager.url, report.id, await sessionCookieHeader(db, membre.id));
  await waitForSync(client);
  appendParagraph(client.doc, "Une heure de travail.");
  await expect
    .poll(async () => (await listDocumentVersions(db, report.id)).map((v) => [v.label, v.automatic]))
    .toContainEqual(["Version automatique", 1]);
});
