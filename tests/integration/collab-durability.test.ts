import SQLite from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import * as Y from "yjs";
import { encodeAckRequest, decodeTerrainMessage } from "../../app/editor/collab-protocol";
import { openDatabase } from "../../db/client";
import { countDocumentUpdates, listDocumentUpdates } from "../../db/queries/document-updates";
import { CLOSE } from "../../server/collab/close-codes";
import { encodeSyncUpdate } from "../../server/collab/protocol";
import {
  appendParagraph,
  collabClientsForFile,
  contains,
  docFromUpdates,
  openRawSocket,
  sessionCookieHeader,
  textOf,
  waitForSync,
} from "../helpers/collab";
import { takeExpectedErrors } from "../helpers/console-errors";
import { createMeeting, createStudyWithTeam } from "../helpers/factories";
import { copyTemplate, startTestServer, TEST_SESSION_SECRET, type TestServer } from "../helpers/server";

const open = collabClientsForFile();

/** The real server as its own process (`node --import tsx server/index.ts`), so it can be SIGKILLed. */
async function spawnServer(databasePath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      PORT: "0",
      DATABASE_PATH: databasePath,
      SESSION_SECRET: TEST_SESSION_SECRET,
      TERRAIN_DEMO: "0",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await vi.waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`le serveur s'est arrêté : ${output}`);
      const match = /écoute sur (http:\/\/\S+)/.exec(output);
      if (!match) throw new Error("pas encore démarré");
      return match[1]!;
    },
    // Generous: under a loaded machine, tsx compiling the server takes tens of seconds.
    { timeout: 90_000, interval: 50 },
  );
  return { child, url };
}

/** Whether `doc` holds every edit `author` made. */
const hasEditsOf = (doc: Y.Doc, author: Y.Doc) =>
  Y.getState(doc.store, author.clientID) === Y.getState(author.store, author.clientID);

const killed = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
  });

describe("durability", () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill("SIGKILL")));

  test("after kill -9, the restarted server holds every update any client had received", async () => {
    const databasePath = copyTemplate();
    const setup = openDatabase(databasePath);
    const team = await createStudyWithTeam(setup.db);
    const { report } = await createMeeting(setup.db, team.study.id);
    const cookies = {
      pilote: await sessionCookieHeader(setup.db, team.pilote.id),
      membre: await sessionCookieHeader(setup.db, team.membre.id),
    };
    await setup.close();

    const first = await spawnServer(databasePath);
    children.push(first.child);
    const a = open(first.url, report.id, cookies.pilote);
    const b = open(first.url, report.id, cookies.membre);
    await Promise.all([waitForSync(a), waitForSync(b)]);

    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        appendParagraph(a.doc, `A ${i}`);
        appendParagraph(b.doc, `B ${i}`);
        // Let the sockets breathe: one round of I/O between edits, as a typist would.
        await new Promise((next) => setImmediate(next));
        // Stay in step with the server (a busy machine must not queue thousands of edits): wait
        // until A has B's edits. Not « until A receives something »: when A is already in step,
        // nothing more comes while both writers wait here.
        if (i % 50 === 49) {
          await vi.waitFor(() => expect(!writing || hasEditsOf(a.doc, b.doc)).toBe(true), { timeout: 30_000 });
        }
      }
    })();
    await vi.waitFor(
      () => {
        expect(a.received.length).toBeGreaterThan(100);
        expect(b.received.length).toBeGreaterThan(100);
      },
      { timeout: 60_000 },
    );
    first.child.kill("SIGKILL");
    await killed(first.child);
    writing = false;
    await writer;
    // Freeze what each client got from the server before it died; they must not resend on reconnect.
    const received = [...a.received, ...b.received];
    a.provider.disconnect();
    b.provider.disconnect();

    const second = await spawnServer(databasePath);
    children.push(second.child);
    const reader = open(second.url, report.id, cookies.pilote);
    await waitForSync(reader);
    const missing = received.filter((update) => !contains(reader.doc, update));
    expect(missing).toEqual([]);
    expect(textOf(reader.doc)).toMatch(/A \d+/);
    second.child.kill("SIGKILL");
    await killed(second.child);
  }, 240_000);
});

describe("compaction, unloading and acks (in-process server)", () => {
  let server: TestServer;
  afterEach(() => server?.close());

  test("the log is compacted after N updates and on unload, content unchanged, memory given back", async () => {
    server = await startTestServer({ env: { TERRAIN_COLLAB_COMPACTION_THRESHOLD: "40", TERRAIN_COLLAB_UNLOAD_DELAY_MS: "20" } });
    const db = server.database.db;
    const team = await createStudyWithTeam(db);
    const { report } = await createMeeting(db, team.study.id);
    const writer = open(server.url, report.id, await sessionCookieHeader(db, team.pilote.id));
    await waitForSync(writer);

    for (let i = 0; i < 100; i++) {
      appendParagraph(writer.doc, `Ligne ${i}`);
      await new Promise((next) => setImmediate(next));
    }
    const expected = textOf(writer.doc);
    await expect.poll(async () => textOf(docFromUpdates(await listDocumentUpdates(db, report.id)))).toBe(expected);
    // 100 updates were stored, but never more than the threshold at once.
    expect(await countDocumentUpdates(db, report.id)).toBeLessThanOrEqual(40);
    expect(server.collab.inspect().documents).toContain(report.id);

    writer.destroy();
    await expect.poll(() => server.collab.inspect().documents).not.toContain(report.id);
    expect(await countDocumentUpdates(db, report.id)).toBe(1);
    expect(textOf(docFromUpdates(await listDocumentUpdates(db, report.id)))).toBe(expected);

    const reader = open(server.url, report.id, await sessionCookieHeader(db, team.membre.id));
    await waitForSync(reader);
    expect(textOf(reader.doc)).toBe(expected);
  });

  test("a turn SQLite refuses reaches nobody; the author's reconnection stores it and relays it", async () => {
    server = await startTestServer();
    const db = server.database.db;
    const team = await createStudyWithTeam(db);
    const { report } = await createMeeting(db, team.study.id);
    const author = open(server.url, report.id, await sessionCookieHeader(db, team.pilote.id));
    const colleague = open(server.url, report.id, await sessionCookieHeader(db, team.membre.id));
    await Promise.all([waitForSync(author), waitForSync(colleague)]);

    // A disk that refuses writes, from SQLite's point of view.
    server.database.sqlite.exec(
      "CREATE TRIGGER refuse_updates BEFORE INSERT ON document_updates BEGIN SELECT RAISE(ABORT, 'disque plein'); END",
    );
    appendParagraph(author.doc, "Écrit pendant la panne.");
    await expect.poll(() => author.closeCodes).toContain(CLOSE.storageFailed);
    await expect.poll(() => colleague.closeCodes).toContain(CLOSE.storageFailed);
    expect(textOf(colleague.doc)).toBe("");
    expect(await countDocumentUpdates(db, report.id)).toBe(0);

    server.database.sqlite.exec("DROP TRIGGER refuse_updates");
    await expect.poll(() => textOf(colleague.doc)).toBe("Écrit pendant la panne.");
    await expect.poll(async () => textOf(docFromUpdates(await listDocumentUpdates(db, report.id)))).toBe("Écrit pendant la panne.");
    expect(takeExpectedErrors(/l'enregistrement des modifications a échoué[\s\S]*disque plein/)).toBeGreaterThan(0);
  });

  test("[100,1,n] answers [100,0,n] only once the update before it is in SQLite", async () => {
    server = await startTestServer();
    const db = server.database.db;
    const team = await createStudyWithTeam(db);
    const { report } = await createMeeting(db, team.study.id);
    // A second, read-only handle on the file: read synchronously the moment the ack arrives.
    const sqlite = new SQLite(server.databasePath, { readonly: true });
    const storedAtAck: Uint8Array[][] = [];
    const raw = openRawSocket(server.url, report.id, await sessionCookieHeader(db, team.pilote.id));
    raw.ws.on("message", (data: Buffer) => {
      if (decodeTerrainMessage(new Uint8Array(data))?.kind !== "ack") return;
      const rows = sqlite
        .prepare("select data from document_updates where document_id = ? order by id")
        .all(report.id) as { data: Buffer }[];
      storedAtAck.push(rows.map((row) => new Uint8Array(row.data)));
    });
    await raw.opened;

    const local = new Y.Doc();
    local.on("update", (update: Uint8Array) => raw.ws.send(encodeSyncUpdate(update)));
    appendParagraph(local, "Accusé de réception demandé.");
    raw.ws.send(encodeAckRequest(7));

    await expect.poll(() => storedAtAck.length).toBe(1);
    expect(raw.messages.map((m) => decodeTerrainMessage(m)).filter(Boolean)).toEqual([{ kind: "ack", n: 7 }]);
    expect(textOf(docFromUpdates(storedAtAck[0]!))).toBe("Accusé de réception demandé.");
    raw.ws.close();
    sqlite.close();
  });
});
