import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { CollabControl } from "../../app/load-context";
import { collab as labels } from "../../app/i18n/collab";
import { findingsMap } from "../../app/editor/findings";
import type { DatabaseHandle } from "../../db/client";
import { appendDocumentUpdates, prepareUpdateAppender } from "../../db/queries/document-updates";
import { insertDocumentVersion, latestAutomaticVersionAt, recentVersionSnapshots } from "../../db/queries/document-versions";
import { findDocument } from "../../db/queries/documents";
import { nowIso } from "../../db/queries/executor";
import {
  authorizeUpgrade,
  parseCollabTarget,
  type CollabIdentity,
  type CollabTarget,
  type SessionConfig,
} from "./auth";
import { CLOSE } from "./close-codes";
import { docSnapshot, jsonToUpdate, warmUpDerive, writeDerived, writeDerivedIn, type Edits } from "./derive";
import type { FindingWriters } from "./findings";
import { DEFAULT_LIMITS, type CollabLimits } from "./limits";
import { compactDocuments, CONTENT_FIELD, loadYDoc } from "./persistence";
import {
  decodeClientMessage,
  encodeAck,
  encodeAwareness,
  encodeRecovered,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  MalformedMessage,
  type ClientMessage,
} from "./protocol";
import { ownAwarenessUpdate } from "./presence";
import { applyNoticingStranded, recoveredState, strandedNotice, type StrandedText } from "./stranded";
import { restoreSnapshot, saveSnapshot, versionJSON } from "./versions";

export interface CollabHub extends CollabControl {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
  /** What is in memory: for tests, health checks and benchmarks. */
  inspect(): { documents: string[]; connections: number };
}

export interface CollabHubOptions {
  session: SessionConfig;
  limits?: CollabLimits;
}

interface Connection extends CollabIdentity {
  ws: WebSocket;
  doc: LiveDocument;
  /** Awareness client ids this socket speaks for: removed for everyone when it goes away. */
  awarenessIds: Set<number>;
  alive: boolean;
  /** Sent a Terrain message (type 100): a Terrain tab, which understands the server's. */
  speaksTerrain: boolean;
  /** Terrain messages for this socket held until it shows it speaks Terrain (its first ack request). */
  heldNotices: Uint8Array[];
}

/** Who made a change the server applies itself (template, restore). */
class ServerOrigin {
  constructor(readonly userId: string | null) {}
}

interface LiveDocument {
  id: string;
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  connections: Set<Connection>;
  /** Server operations in progress (version, restore, initialize) keep the document loaded. */
  holds: number;
  rowsInLog: number;
  unloadTimer: NodeJS.Timeout | null;
  unloading: Promise<void> | null;
  /** Changed since the derived columns were last written. */
  dirty: boolean;
  edits: Edits;
  /** Who wrote each finding's tags since the last derive. */
  findingWriters: FindingWriters;
  /** The findings' fingerprint at the last derive (null: not derived since loading). */
  findingsFingerprint: string | null;
  lastAutoVersionAt: number | null;
  evicted: boolean;
}

interface TurnEntry {
  updates: { data: Uint8Array; from: Connection | null; userId: string | null }[];
  /** Replies that may carry document state (sync step 2, acks): sent once the turn is committed. */
  afterCommit: (() => void)[];
  /** Awareness clients changed during the turn: relayed as one message when the turn ends. */
  awareness: Set<number>;
  /** Text that landed in deleted content: kept in a version once the turn is committed. */
  stranded: { from: Connection; text: StrandedText }[];
}

/**
 * Documents derived per SQLite transaction: one commit for many documents, but a bounded stretch
 * of conversions (each a ProseMirror conversion of a copy) before the sockets get the loop back.
 */
const DERIVE_BATCH_DOCUMENTS = 5;
/**
 * Versions tried, newest first, for one where stranded text shows in its paragraph: the version a
 * restore saves comes first; older ones cover a paragraph deleted since an automatic version.
 */
const RECOVERY_VERSIONS_SEARCHED = 10;
/** After close(), how long a peer may take to answer the closing handshake before it is cut. */
const CLOSE_GRACE_MS = 1_000;

const connectionOf = (origin: unknown): Connection | null =>
  origin && typeof origin === "object" && "ws" in origin ? (origin as Connection) : null;

const authorOf = (origin: unknown): string | null =>
  connectionOf(origin)?.userId ?? (origin instanceof ServerOrigin ? origin.userId : null);

const send = (conn: Connection, data: Uint8Array) => {
  if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(data);
};

/** The authenticated, durable y-websocket endpoint: `/collab/<documentId>`. */
export function createCollabHub(database: DatabaseHandle, options: CollabHubOptions): CollabHub {
  const { db } = database;
  const appendTurn = prepareUpdateAppender(database);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const live = new Map<string, Promise<LiveDocument>>();
  const connections = new Set<Connection>();
  const perUser = new Map<string, number>();
  let turn: Map<LiveDocument, TurnEntry> | null = null;
  /** Ended turns whose commit is queued behind another and has not started yet. */
  let waiting: Map<LiveDocument, TurnEntry> | null = null;
  // Commits run one after the other, so a turn's replies never overtake an earlier turn's commit.
  let commits: Promise<void> = Promise.resolve();
  let closing = false;
  const debug = process.env.TERRAIN_COLLAB_DEBUG === "1";
  warmUpDerive();

  // ---- event-loop turns: persist, then broadcast --------------------------------------------

  function turnEntry(doc: LiveDocument): TurnEntry {
    if (!turn) {
      turn = new Map();
      setImmediate(endTurn);
    }
    let entry = turn.get(doc);
    if (!entry) {
      entry = { updates: [], afterCommit: [], awareness: new Set(), stranded: [] };
      turn.set(doc, entry);
    }
    return entry;
  }

  function endTurn(): Promise<void> {
    const batch = turn;
    turn = null;
    if (!batch) return commits;
    // Presence carries no document state: it need not wait for the commit.
    for (const [doc, entry] of batch) relayAwareness(doc, entry.awareness);
    if (waiting) {
      // A commit is queued and has not started: this turn joins it (group commit), so turns ending
      // during a slow fsync cost one more transaction in all, not one each.
      for (const [doc, entry] of batch) {
        const joined = waiting.get(doc);
        if (!joined) waiting.set(doc, entry);
        else {
          joined.updates.push(...entry.updates);
          joined.afterCommit.push(...entry.afterCommit);
          joined.stranded.push(...entry.stranded);
        }
      }
      return commits;
    }
    waiting = batch;
    // The chain must never stay rejected: every later turn would silently skip its commit.
    commits = commits
      .then(() => {
        const queued = waiting!;
        waiting = null;
        return commitTurn(queued);
      })
      .catch((error) => console.error("Collaboration : la fin de tour a échoué", error));
    return commits;
  }

  /**
   * Stores each document's updates of the turn as ONE row, their merge, which is also the message
   * every connection receives once the transaction has committed: one merge per document per turn.
   * Text the turn strands is kept in a version committed in the same transaction: nobody receives
   * an update whose stranded words are not stored somewhere they can be read.
   */
  async function commitTurn(batch: Map<LiveDocument, TurnEntry>): Promise<void> {
    const merged = new Map<LiveDocument, Uint8Array>();
    for (const [doc, { updates }] of batch) {
      if (updates.length > 0) merged.set(doc, updates.length === 1 ? updates[0]!.data : Y.mergeUpdates(updates.map((u) => u.data)));
    }
    const rows = [...merged].map(([doc, data]) => ({ documentId: doc.id, data }));
    const stranded = [...batch].filter(([, entry]) => entry.stranded.length > 0);
    // Rare (offline edits meeting a deletion): the usual turn neither reads nor awaits anything more.
    const recoveries = stranded.length === 0 ? [] : (await Promise.all(stranded.map(([doc, entry]) => recover(doc, entry.stranded)))).flat();
    try {
      if (recoveries.length === 0) await appendTurn(rows);
      else {
        await db.transaction().execute(async (trx) => {
          await appendDocumentUpdates(trx, rows);
          for (const { version } of recoveries) await insertDocumentVersion(trx, version);
        });
      }
    } catch (error) {
      console.error("Collaboration : l'enregistrement des modifications a échoué", error);
      for (const doc of batch.keys()) evict(doc);
      return;
    }
    const at = nowIso();
    for (const [doc, entry] of batch) {
      if (doc.evicted) continue;
      const update = merged.get(doc);
      if (update) broadcast(doc, update, entry.updates);
      for (const reply of entry.afterCommit) reply();
      if (!update) continue;
      doc.rowsInLog++;
      for (const u of entry.updates) if (u.userId) doc.edits.set(u.userId, at);
      doc.dirty = true;
      scheduleDerive(doc);
    }
    for (const recovery of recoveries) tellRecovered(recovery);
    await compact([...batch.keys()].filter((doc) => doc.rowsInLog >= limits.compactionThreshold));
  }

  /**
   * One message, encoded once, to every connection: per-receiver merges without the receiver's own
   * updates cost authors × updates per turn and saturated the CPU at 200 clients. An author
   * applying its own update again is a no-op in Yjs; only a turn with a single author (the usual
   * case at low load) spares that author the echo.
   */
  function broadcast(doc: LiveDocument, merged: Uint8Array, updates: TurnEntry["updates"]) {
    const author = updates[0]!.from;
    const soleAuthor = updates.every((u) => u.from === author) ? author : null;
    const message = encodeSyncUpdate(merged);
    for (const conn of doc.connections) if (conn !== soleAuthor) send(conn, message);
  }

  /** One awareness message per document per turn, however many clients moved their caret. */
  function relayAwareness(doc: LiveDocument, clients: Set<number>) {
    if (clients.size === 0 || doc.evicted) return;
    const message = encodeAwareness(doc.awareness, [...clients]);
    for (const conn of doc.connections) send(conn, message);
  }

  // ---- text typed into deleted content -------------------------------------------------------

  interface Recovery {
    version: Parameters<typeof insertDocumentVersion>[1];
    notice: Uint8Array;
    /** The author's connections that sent the stranded text. */
    conns: Set<Connection>;
  }

  /**
   * Each author's stranded text as a version of its own (the document itself is left as its
   * collaborators made it: the deletion stands), with the notice for the author's Terrain tabs.
   * A failure loses the recovery, logged, never the turn: its updates are stored all the same.
   */
  async function recover(doc: LiveDocument, stranded: TurnEntry["stranded"]): Promise<Recovery[]> {
    if (doc.evicted) return [];
    const byAuthor = new Map<string, { conns: Set<Connection>; texts: StrandedText[] }>();
    for (const { from, text } of stranded) {
      const author = byAuthor.get(from.userId) ?? { conns: new Set(), texts: [] };
      author.conns.add(from);
      author.texts.push(text);
      byAuthor.set(from.userId, author);
    }
    try {
      const current = Y.encodeStateAsUpdate(doc.doc);
      const versions = await recentVersionSnapshots(db, doc.id, RECOVERY_VERSIONS_SEARCHED);
      return [...byAuthor].map(([userId, { conns, texts }]) => ({
        version: {
          documentId: doc.id,
          label: labels.recoveredText,
          automatic: false,
          snapshot: recoveredState(current, texts, versions, labels.recoveredHeading),
          createdBy: userId,
        },
        notice: encodeRecovered(strandedNotice(texts)),
        conns,
      }));
    } catch (error) {
      console.error("Collaboration : le texte écrit dans un passage supprimé n'a pas pu être conservé", error);
      return [];
    }
  }

  function tellRecovered({ notice, conns }: Recovery) {
    for (const conn of conns) {
      if (conn.speaksTerrain) send(conn, notice);
      else conn.heldNotices.push(notice);
    }
  }

  // ---- loading, compaction, unloading --------------------------------------------------------

  function acquire(documentId: string): Promise<LiveDocument> {
    let loading = live.get(documentId);
    if (!loading) {
      loading = load(documentId);
      live.set(documentId, loading);
      loading.catch(() => live.delete(documentId));
    }
    return loading.then((doc) => {
      // Unloaded between the lookup and now: load it afresh.
      if (doc.evicted) return acquire(documentId);
      doc.holds++;
      cancelUnload(doc);
      return doc;
    });
  }

  function release(doc: LiveDocument) {
    doc.holds--;
    scheduleUnload(doc);
  }

  async function load(documentId: string): Promise<LiveDocument> {
    const { doc, rows } = await loadYDoc(db, documentId);
    const lastAuto = await latestAutomaticVersionAt(db, documentId);
    const awareness = new awarenessProtocol.Awareness(doc);
    // The server is a relay, not a participant: it announces no presence of its own.
    awareness.setLocalState(null);
    const state: LiveDocument = {
      id: documentId,
      doc,
      awareness,
      connections: new Set(),
      holds: 0,
      rowsInLog: rows,
      unloadTimer: null,
      unloading: null,
      dirty: false,
      edits: new Map(),
      findingWriters: new Map(),
      findingsFingerprint: null,
      lastAutoVersionAt: lastAuto ? Date.parse(lastAuto) : null,
      evicted: false,
    };
    // Attached after the replay: loaded rows are already stored.
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      const from = connectionOf(origin);
      turnEntry(state).updates.push({ data: update, from, userId: authorOf(origin) });
    });
    // The author of a finding's tags is the connection that wrote them, whatever the entry claims.
    findingsMap(doc).observe((event, transaction) => {
      for (const key of event.keysChanged) state.findingWriters.set(key, authorOf(transaction.origin));
    });
    awareness.on(
      "update",
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        const changed = turnEntry(state).awareness;
        for (const id of [...added, ...updated, ...removed]) changed.add(id);
      },
    );
    return state;
  }

  /** Compacts several documents in one transaction. */
  function compact(docs: LiveDocument[]): Promise<void> {
    // Runs in the commit chain: no append is in flight, every stored row is applied to doc.doc.
    const due = docs.filter((doc) => !doc.evicted && doc.rowsInLog > 1);
    const run = async () => {
      await compactDocuments(db, due);
      for (const doc of due) doc.rowsInLog = 1;
    };
    return run().catch((error) => console.error("Collaboration : le compactage a échoué", error));
  }

  function cancelUnload(doc: LiveDocument) {
    if (doc.unloadTimer) clearTimeout(doc.unloadTimer);
    doc.unloadTimer = null;
  }

  function scheduleUnload(doc: LiveDocument) {
    if (closing || doc.evicted || doc.connections.size > 0 || doc.holds > 0 || doc.unloadTimer) return;
    doc.unloadTimer = setTimeout(() => {
      doc.unloadTimer = null;
      void unload(doc);
    }, limits.unloadDelayMs);
  }

  /** Flush, derive, compact, then forget the Y.Doc so its memory comes back. */
  function unload(doc: LiveDocument): Promise<void> {
    doc.unloading ??= (async () => {
      await settle(doc);
      doc.unloading = null;
      if (doc.connections.size > 0 || doc.holds > 0 || doc.evicted) return;
      live.delete(doc.id);
      destroy(doc);
    })();
    return doc.unloading;
  }

  /** Everything applied to the document is committed, derived and compacted. */
  async function settle(doc: LiveDocument) {
    await endTurn();
    await deriveNow([doc]);
    commits = commits.then(() => compact([doc]));
    await commits;
  }

  function destroy(doc: LiveDocument) {
    doc.evicted = true;
    cancelUnload(doc);
    deriveQueue.delete(doc);
    doc.awareness.destroy();
    doc.doc.destroy();
  }

  /** After a failed write: drop the in-memory state; clients reconnect and resend what is missing. */
  function evict(doc: LiveDocument) {
    if (doc.evicted) return;
    live.delete(doc.id);
    for (const conn of doc.connections) conn.ws.close(CLOSE.storageFailed, "storage failed");
    destroy(doc);
  }

  // ---- derived columns and automatic versions ------------------------------------------------

  // Derived data is for listing and search: seconds of delay are fine, a transaction per document
  // and per keystroke is not. Dirty documents wait in one queue; one timer derives them all.
  const deriveQueue = new Set<LiveDocument>();
  let deriveTimer: NodeJS.Timeout | null = null;
  // Derives run one batch after the other: settle() awaits the one that covers its document.
  let derives: Promise<void> = Promise.resolve();

  function scheduleDerive(doc: LiveDocument) {
    deriveQueue.add(doc);
    // close() derives every dirty document itself.
    if (closing) return;
    // A maximum wait rather than a debounce, so continuous typing still refreshes the derived
    // text; a document derived when the timer fires waits a full period before its next derive.
    deriveTimer ??= setTimeout(() => {
      deriveTimer = null;
      void deriveNow([...deriveQueue]);
    }, limits.deriveDebounceMs);
  }

  function deriveNow(docs: LiveDocument[]): Promise<void> {
    for (const doc of docs) deriveQueue.delete(doc);
    derives = derives.then(() => deriveBatches(docs));
    return derives;
  }

  async function deriveBatches(docs: LiveDocument[]): Promise<void> {
    const due = docs.filter((doc) => doc.dirty && !doc.evicted);
    for (let start = 0; start < due.length; start += DERIVE_BATCH_DOCUMENTS) {
      // Let the sockets in between two batches.
      if (start > 0) await new Promise((resume) => setImmediate(resume));
      await deriveBatch(due.slice(start, start + DERIVE_BATCH_DOCUMENTS).filter((doc) => !doc.evicted));
    }
  }

  async function deriveBatch(docs: LiveDocument[]): Promise<void> {
    const work = docs.map((doc) => {
      const { edits, findingWriters } = doc;
      doc.dirty = false;
      doc.edits = new Map();
      doc.findingWriters = new Map();
      const known = { writers: findingWriters, previous: doc.findingsFingerprint };
      return { doc, snapshot: docSnapshot(doc.doc), edits, known, fingerprint: null as string | null };
    });
    try {
      await db.transaction().execute(async (trx) => {
        for (const w of work) w.fingerprint = await writeDerivedIn(trx, w.doc.id, w.snapshot, w.edits, w.known);
      });
    } catch {
      // One document's failure must not cost the others their derive: retry each on its own.
      for (const w of work) {
        w.fingerprint = null;
        try {
          w.fingerprint = await writeDerived(db, w.doc.id, w.snapshot, w.edits, w.known);
        } catch (error) {
          console.error("Collaboration : le calcul du texte dérivé a échoué", error);
        }
      }
    }
    for (const w of work) {
      if (w.fingerprint === null) continue;
      w.doc.findingsFingerprint = w.fingerprint;
      if (w.edits.size > 0) await autoVersion(w.doc);
    }
  }

  async function autoVersion(doc: LiveDocument) {
    const now = Date.now();
    doc.lastAutoVersionAt ??= now;
    if (doc.evicted || now - doc.lastAutoVersionAt < limits.autoVersionIntervalMs) return;
    doc.lastAutoVersionAt = now;
    try {
      await saveSnapshot(db, doc.id, doc.doc, { label: labels.automaticVersion, userId: null, automatic: true });
    } catch (error) {
      console.error("Collaboration : la version automatique a échoué", error);
    }
  }

  // ---- connections ---------------------------------------------------------------------------

  function refuse(request: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string) {
    wss.handleUpgrade(request, socket, head, (ws) => ws.close(code, reason));
  }

  async function accept(request: IncomingMessage, socket: Duplex, head: Buffer, target: CollabTarget | "malformed") {
    if (target === "malformed") return refuse(request, socket, head, CLOSE.malformed, "bad schema parameter");
    const identity = await authorizeUpgrade(db, options.session, request, target);
    if ("refused" in identity) return refuse(request, socket, head, identity.refused, "refused");
    if (closing) return refuse(request, socket, head, CLOSE.restarting, "restarting");
    const doc = await acquire(target.documentId);
    try {
      if (closing) return refuse(request, socket, head, CLOSE.restarting, "restarting");
      if (
        doc.connections.size >= limits.maxConnectionsPerDocument ||
        (perUser.get(identity.userId) ?? 0) >= limits.maxConnectionsPerUser
      ) {
        return refuse(request, socket, head, CLOSE.tooManyConnections, "too many connections");
      }
      // Without compression the handshake completes synchronously: the counts checked above
      // cannot change before attach() counts this connection.
      wss.handleUpgrade(request, socket, head, (ws) => attach(ws, identity, doc));
    } finally {
      release(doc);
    }
  }

  function attach(ws: WebSocket, identity: CollabIdentity, doc: LiveDocument) {
    const conn: Connection = { ...identity, ws, doc, awarenessIds: new Set(), alive: true, speaksTerrain: false, heldNotices: [] };
    connections.add(conn);
    perUser.set(conn.userId, (perUser.get(conn.userId) ?? 0) + 1);
    doc.connections.add(conn);
    cancelUnload(doc);

    ws.on("message", (data: RawData, isBinary: boolean) => {
      conn.alive = true;
      if (!isBinary) return malformed(conn, new MalformedMessage("message texte"));
      let message: ClientMessage;
      try {
        message = decodeClientMessage(toBytes(data));
        handle(conn, message);
      } catch (error) {
        malformed(conn, error);
      }
    });
    ws.on("pong", () => {
      conn.alive = true;
    });
    ws.on("error", (error) => {
      // `ws` closes oversized frames itself (1009); the error is the client's, not the server's.
      console.warn(`Collaboration : connexion ${doc.id} fermée sur erreur : ${error.message}`);
    });
    ws.on("close", () => detach(conn));

    // The server's state vector: the client answers with whatever the server lacks.
    send(conn, encodeSyncStep1(Y.encodeStateVector(doc.doc)));
    const present = [...doc.awareness.getStates().keys()];
    if (present.length > 0) send(conn, encodeAwareness(doc.awareness, present));
  }

  function detach(conn: Connection) {
    if (!connections.delete(conn)) return;
    const doc = conn.doc;
    doc.connections.delete(conn);
    perUser.set(conn.userId, (perUser.get(conn.userId) ?? 1) - 1);
    if (perUser.get(conn.userId) === 0) perUser.delete(conn.userId);
    if (conn.awarenessIds.size > 0 && !doc.evicted) {
      awarenessProtocol.removeAwarenessStates(doc.awareness, [...conn.awarenessIds], null);
    }
    scheduleUnload(doc);
  }

  function malformed(conn: Connection, error: unknown) {
    console.warn(
      `Collaboration : message invalide sur ${conn.doc.id} (utilisateur ${conn.userId}), connexion fermée : ${String(error)}`,
    );
    conn.ws.close(CLOSE.malformed, "malformed message");
  }

  function keepStrandedOf(conn: Connection, text: StrandedText | null) {
    if (text) turnEntry(conn.doc).stranded.push({ from: conn, text });
  }

  /** A client id is the first socket's to announce it, for as long as that socket stays. */
  function speaksFor(conn: Connection, clientId: number): boolean {
    if (conn.awarenessIds.has(clientId)) return true;
    for (const other of conn.doc.connections) if (other !== conn && other.awarenessIds.has(clientId)) return false;
    return true;
  }

  function handle(conn: Connection, message: ClientMessage) {
    const doc = conn.doc;
    if (doc.evicted) return;
    switch (message.type) {
      case "sync-step1": {
        // Computed now, sent after the commit of the state it carries (this turn included).
        const reply = encodeSyncStep2(Y.encodeStateAsUpdate(doc.doc, message.stateVector));
        turnEntry(doc).afterCommit.push(() => send(conn, reply));
        return;
      }
      case "sync-step2":
      case "sync-update":
        if (conn.readOnly) {
          // Every lecteur's client answers the server's step 1 with a (usually empty) step 2: debug only.
          if (debug) console.log(`Collaboration : modification d'un lecteur ignorée sur ${doc.id}`);
          return;
        }
        keepStrandedOf(conn, applyNoticingStranded(doc.doc, message.update, conn));
        return;
      case "awareness": {
        const own = ownAwarenessUpdate(message.update, conn.presence, (id) => speaksFor(conn, id));
        if (!own) return;
        for (const id of own.clientIds) conn.awarenessIds.add(id);
        awarenessProtocol.applyAwarenessUpdate(doc.awareness, own.update, conn);
        return;
      }
      case "query-awareness":
        send(conn, encodeAwareness(doc.awareness, [...doc.awareness.getStates().keys()]));
        return;
      case "ack-request": {
        const { n } = message;
        if (!conn.speaksTerrain) {
          conn.speaksTerrain = true;
          for (const notice of conn.heldNotices.splice(0)) send(conn, notice);
        }
        turnEntry(doc).afterCommit.push(() => send(conn, encodeAck(n)));
        return;
      }
    }
  }

  const toBytes = (data: RawData): Uint8Array =>
    Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : new Uint8Array(data);

  // A silent socket is pinged; one that did not answer since the previous round is idle.
  const idleCheck =
    limits.idleTimeoutMs > 0
      ? setInterval(() => {
          for (const conn of connections) {
            if (!conn.alive) {
              conn.ws.close(CLOSE.idle, "idle");
              continue;
            }
            conn.alive = false;
            if (conn.ws.readyState === WebSocket.OPEN) conn.ws.ping();
          }
        }, Math.max(1, Math.floor(limits.idleTimeoutMs / 2)))
      : null;
  idleCheck?.unref();

  /** Runs a server-side operation on the live document, loaded for the time it takes. */
  async function withDocument<T>(documentId: string, run: (doc: LiveDocument) => Promise<T>): Promise<T> {
    if (!(await findDocument(db, documentId))) throw new Error(`Document inconnu : ${documentId}`);
    const doc = await acquire(documentId);
    try {
      return await run(doc);
    } finally {
      release(doc);
    }
  }

  return {
    handleUpgrade(request, socket, head) {
      const target = parseCollabTarget(request.url);
      if (target === null) {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        socket.destroy();
        return;
      }
      // A client vanishing mid-authentication must not crash the process.
      socket.on("error", () => {});
      void accept(request, socket, head, target).catch((error) => {
        console.error("Collaboration : connexion refusée sur erreur", error);
        socket.destroy();
      });
    },

    membershipChanged(studyId, userId) {
      for (const conn of connections) {
        if (conn.studyId === studyId && conn.userId === userId) conn.ws.close(CLOSE.roleChanged, "role changed");
      }
    },

    initializeDocument(documentId, content) {
      return withDocument(documentId, async (doc) => {
        // Only an empty document gets the template, written by the server, never by a browser.
        if (doc.rowsInLog > 0 || doc.doc.getXmlFragment(CONTENT_FIELD).length > 0) return;
        Y.applyUpdate(doc.doc, jsonToUpdate(content), new ServerOrigin(null));
        await endTurn();
        await deriveNow([doc]);
      });
    },

    saveVersion(documentId, label, userId) {
      return withDocument(documentId, async (doc) => {
        await saveSnapshot(db, documentId, doc.doc, { label, userId, automatic: false });
      });
    },

    restoreVersion(documentId, versionId, userId) {
      return withDocument(documentId, async (doc) => {
        const restored = await restoreSnapshot(db, documentId, doc.doc, versionId, userId, {
          content: new ServerOrigin(userId),
          findings: new ServerOrigin(null),
        });
        if (!restored) throw new Error(`Version inconnue : ${versionId}`);
        await endTurn();
      });
    },

    versionContent(documentId, versionId) {
      return versionJSON(db, documentId, versionId);
    },

    inspect() {
      return { documents: [...live.keys()], connections: connections.size };
    },

    /**
     * Stops within about CLOSE_GRACE_MS whatever the load: every socket gets 1012 at once (its
     * client reconnects and resends whatever this server never acknowledged), what was received
     * is committed, then every document is derived and compacted in batched transactions.
     */
    async close() {
      closing = true;
      if (idleCheck) clearInterval(idleCheck);
      if (deriveTimer) clearTimeout(deriveTimer);
      deriveTimer = null;
      const closed = [...connections].map(
        (conn) =>
          new Promise<void>((done) => {
            if (conn.ws.readyState === WebSocket.CLOSED) return done();
            conn.ws.once("close", () => done());
            conn.ws.close(CLOSE.restarting, "server restarting");
            // A peer that never answers the closing handshake must not hold the shutdown; unread
            // frames die with the socket, unacknowledged, so their authors send them again.
            setTimeout(() => conn.ws.terminate(), CLOSE_GRACE_MS).unref();
          }),
      );
      await Promise.all(closed);
      // Messages that arrived while the sockets were closing are stored too.
      await endTurn();
      const docs = (await Promise.all([...live.values()].map((loading) => loading.catch(() => null)))).filter(
        (doc): doc is LiveDocument => doc !== null && !doc.evicted,
      );
      await deriveNow(docs);
      commits = commits.then(() => compact(docs));
      await commits;
      for (const doc of docs) destroy(doc);
      live.clear();
      wss.close();
    },
  };
}
