import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MESSAGE_AWARENESS } from "../../app/editor/collab-protocol";
import { deleteMembership, upsertMembership } from "../../db/queries/memberships";
import { CLOSE } from "../../server/collab/close-codes";
import {
  appendParagraph,
  collabClientsForFile,
  openRawSocket,
  sessionCookieHeader,
  textOf,
  waitForSync,
  type CollabClient,
} from "../helpers/collab";
import { createMeeting, createStudyWithTeam } from "../helpers/factories";
import { startTestServer, type TestServer } from "../helpers/server";

const MAX_MESSAGE_BYTES = 64 * 1024;
let server: TestServer;
let team: Awaited<ReturnType<typeof createStudyWithTeam>>;
const open = collabClientsForFile();
const cookieOf = (userId: string, options?: { expired?: boolean }) =>
  sessionCookieHeader(server.database.db, userId, options);
const firstClose = async (client: CollabClient) => {
  await expect.poll(() => client.closeCodes.length).toBeGreaterThan(0);
  return client.closeCodes[0];
};
const newReport = async () => (await createMeeting(server.database.db, team.study.id)).report;

beforeAll(async () => {
  server = await startTestServer({ env: { TERRAIN_COLLAB_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) } });
  team = await createStudyWithTeam(server.database.db);
});

afterAll(() => server?.close());

/** Proves the server has processed everything `writer` sent: its later awareness reached `observer`. */
async function serverHasProcessed(writer: CollabClient, observer: CollabClient, marker: string) {
  writer.provider.awareness.setLocalStateField("marker", marker);
  await expect
    .poll(() => observer.provider.awareness.getStates().get(writer.doc.clientID)?.marker)
    .toBe(marker);
}

describe("who may connect", () => {
  test("4401 without a session cookie and with an expired session", async () => {
    const report = await newReport();
    expect(await firstClose(open(server.url, report.id, null))).toBe(CLOSE.unauthenticated);
    const expired = await cookieOf(team.pilote.id, { expired: true });
    expect(await firstClose(open(server.url, report.id, expired))).toBe(CLOSE.unauthenticated);
  });

  test("4404 for an unknown document and for a non-member alike", async () => {
    const report = await newReport();
    expect(await firstClose(open(server.url, crypto.randomUUID(), await cookieOf(team.pilote.id)))).toBe(CLOSE.notFound);
    expect(await firstClose(open(server.url, report.id, await cookieOf(team.outsider.id)))).toBe(CLOSE.notFound);
  });

  test("a path that is not /collab/<uuid> is answered 404 at the HTTP level", async () => {
    const raw = openRawSocket(server.url, "pas-un-uuid", await cookieOf(team.pilote.id));
    await expect(raw.opened).rejects.toThrow(/404/);
  });

  test("4426 for a tab whose editor schema is older than the server's", async () => {
    const report = await newReport();
    const client = open(server.url, report.id, await cookieOf(team.pilote.id), { params: { schema: "0" } });
    expect(await firstClose(client)).toBe(CLOSE.oldSchema);
  });
});

describe("what a connection may do", () => {
  test("presence shows who the connection is: a member can neither take another's name nor remove another's caret", async () => {
    const report = await newReport();
    const pilote = open(server.url, report.id, await cookieOf(team.pilote.id), { name: "Paule Pilote" });
    const impostor = open(server.url, report.id, await cookieOf(team.membre.id));
    const observer = open(server.url, report.id, await cookieOf(team.lecteur.id));
    await Promise.all([waitForSync(pilote), waitForSync(impostor), waitForSync(observer)]);
    const seen = (client: CollabClient) => observer.provider.awareness.getStates().get(client.doc.clientID)?.user;

    impostor.provider.awareness.setLocalStateField("user", { id: team.pilote.id, name: "Paule Pilote", color: "#000000" });
    await expect.poll(() => seen(impostor)).toEqual({ id: team.membre.id, name: "Marc Membre", color: team.membre.color });
    await expect.poll(() => seen(pilote)).toEqual({ id: team.pilote.id, name: "Paule Pilote", color: team.pilote.color });

    // The pilote's client id, announced gone by someone else's socket.
    const forged = encoding.createEncoder();
    encoding.writeVarUint(forged, MESSAGE_AWARENESS);
    const entry = encoding.createEncoder();
    encoding.writeVarUint(entry, 1);
    encoding.writeVarUint(entry, pilote.doc.clientID);
    encoding.writeVarUint(entry, 1_000_000);
    encoding.writeVarString(entry, "null");
    encoding.writeVarUint8Array(forged, encoding.toUint8Array(entry));
    impostor.provider.ws!.send(encoding.toUint8Array(forged));
    await serverHasProcessed(impostor, observer, "après la fausse absence");
    expect(seen(pilote)?.name).toBe("Paule Pilote");
    expect(impostor.closeCodes).toEqual([]);
  });

  test("a lecteur sees others' edits and is seen present, but its updates are dropped", async () => {
    const report = await newReport();
    const membre = open(server.url, report.id, await cookieOf(team.membre.id), { name: "Marc Membre" });
    const lecteur = open(server.url, report.id, await cookieOf(team.lecteur.id), { name: "Lou Lecteur" });
    await Promise.all([waitForSync(membre), waitForSync(lecteur)]);

    await expect
      .poll(() => membre.provider.awareness.getStates().get(lecteur.doc.clientID)?.user?.name)
      .toBe("Lou Lecteur");

    appendParagraph(lecteur.doc, "Le lecteur tente d'écrire.");
    appendParagraph(membre.doc, "Le membre écrit.");
    await expect.poll(() => textOf(lecteur.doc)).toContain("Le membre écrit.");
    await serverHasProcessed(lecteur, membre, "après l'écriture du lecteur");

    const fresh = open(server.url, report.id, await cookieOf(team.pilote.id));
    await waitForSync(fresh);
    expect(textOf(fresh.doc)).toBe("Le membre écrit.");
    expect(textOf(membre.doc)).toBe("Le membre écrit.");
  });

  test("a demoted member is disconnected with 4000 and reconnects read-only", async () => {
    const db = server.database.db;
    const report = await newReport();
    const membre = open(server.url, report.id, await cookieOf(team.membre.id));
    const pilote = open(server.url, report.id, await cookieOf(team.pilote.id));
    await Promise.all([waitForSync(membre), waitForSync(pilote)]);
    appendParagraph(membre.doc, "Écrit quand j'étais membre.");
    await expect.poll(() => textOf(pilote.doc)).toContain("Écrit quand j'étais membre.");

    const demoted = team.membre;
    await upsertMembership(db, team.study.id, demoted.id, "lecteur");
    server.collab.membershipChanged(team.study.id, demoted.id);
    expect(await firstClose(membre)).toBe(CLOSE.roleChanged);
    await waitForSync(membre);

    appendParagraph(membre.doc, "Écrit après la rétrogradation.");
    await serverHasProcessed(membre, pilote, "rétrogradé");
    const fresh = open(server.url, report.id, await cookieOf(team.pilote.id));
    await waitForSync(fresh);
    expect(textOf(fresh.doc)).toBe("Écrit quand j'étais membre.");
    await upsertMembership(db, team.study.id, demoted.id, "membre");
  });

  test("a removed member is disconnected with 4000, then refused with 4404", async () => {
    const db = server.database.db;
    const { study, membre } = await createStudyWithTeam(db);
    const { report } = await createMeeting(db, study.id);
    const client = open(server.url, report.id, await cookieOf(membre.id));
    await waitForSync(client);
    await deleteMembership(db, study.id, membre.id);
    server.collab.membershipChanged(study.id, membre.id);
    await expect.poll(() => client.closeCodes).toEqual([CLOSE.roleChanged, CLOSE.notFound]);
  });

  test("an oversized message (1009) and a malformed one (4400) close only that connection", async () => {
    const report = await newReport();
    const a = open(server.url, report.id, await cookieOf(team.pilote.id));
    const b = open(server.url, report.id, await cookieOf(team.membre.id));
    await Promise.all([waitForSync(a), waitForSync(b)]);

    const huge = openRawSocket(server.url, report.id, await cookieOf(team.membre.id));
    await huge.opened;
    huge.ws.send(new Uint8Array(MAX_MESSAGE_BYTES + 1));
    expect(await huge.closed).toBe(CLOSE.messageTooBig);

    const garbage = openRawSocket(server.url, report.id, await cookieOf(team.membre.id));
    await garbage.opened;
    garbage.ws.send(new Uint8Array([99, 1, 2, 3]));
    expect(await garbage.closed).toBe(CLOSE.malformed);

    const badUpdate = openRawSocket(server.url, report.id, await cookieOf(team.membre.id));
    await badUpdate.opened;
    badUpdate.ws.send(new Uint8Array([0, 2, 5, 200, 200, 200, 200, 200]));
    expect(await badUpdate.closed).toBe(CLOSE.malformed);

    appendParagraph(a.doc, "Toujours synchronisé.");
    await expect.poll(() => textOf(b.doc)).toBe("Toujours synchronisé.");
    expect(a.closeCodes).toEqual([]);
    expect(b.closeCodes).toEqual([]);
  });
});

describe("limits (a server with tight limits)", () => {
  let tight: TestServer;
  beforeAll(async () => {
    tight = await startTestServer({
      env: { TERRAIN_COLLAB_MAX_CONNECTIONS_PER_DOCUMENT: "2", TERRAIN_COLLAB_IDLE_TIMEOUT_MS: "100" },
    });
  });
  afterAll(() => tight?.close());

  test("4429 beyond the connections allowed per document", async () => {
    const db = tight.database.db;
    const { study, pilote, membre } = await createStudyWithTeam(db);
    const { report } = await createMeeting(db, study.id);
    const a = open(tight.url, report.id, await sessionCookieHeader(db, pilote.id));
    const b = open(tight.url, report.id, await sessionCookieHeader(db, membre.id));
    await Promise.all([waitForSync(a), waitForSync(b)]);
    const third = open(tight.url, report.id, await sessionCookieHeader(db, membre.id));
    expect(await firstClose(third)).toBe(CLOSE.tooManyConnections);
  });

  test("1001 for a socket that stops answering pings; a live client stays", async () => {
    const db = tight.database.db;
    const { study, pilote, membre } = await createStudyWithTeam(db);
    const { report } = await createMeeting(db, study.id);
    const live = open(tight.url, report.id, await sessionCookieHeader(db, pilote.id));
    await waitForSync(live);
    const silent = openRawSocket(tight.url, report.id, await sessionCookieHeader(db, membre.id), { autoPong: false });
    expect(await silent.closed).toBe(CLOSE.idle);
    expect(live.closeCodes).toEqual([]);
  });

  test("1012 when the server shuts down", async () => {
    const db = tight.database.db;
    const { study, pilote } = await createStudyWithTeam(db);
    const { report } = await createMeeting(db, study.id);
    const client = open(tight.url, report.id, await sessionCookieHeader(db, pilote.id));
    await waitForSync(client);
    await tight.close();
    expect(await firstClose(client)).toBe(CLOSE.restarting);
    tight = undefined as unknown as TestServer;
  });
});
