import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { CollabControl } from "../../app/load-context";
import { collab as labels } from "../../app/i18n/collab";
import { findingsMap } from "../../app/editor/findings";
import { reportTemplate } from "../../app/editor/templates";
import type { DB } from "../../db/client";
import { latestAutomaticVersionAt } from "../../db/queries/document-versions";
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
import { docSnapshot, jsonToUpdate, writeDerived, type Edits } from "./derive";
import type { FindingWriters } from "./findings";
import { DEFAULT_LIMITS, type CollabLimits } from "./limits";
import { appendBatch, compactDocument, CONTENT_FIELD, loadYDoc } from "./persistence";
import {
  decodeClientMessage,
  encodeAck,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  MalformedMessage,
  type ClientMessage,
} from "./protocol";
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
  /** Awareness client ids this socket announced: removed for everyone when it goes away. */
  awarenessIds: Set<number>;
  alive: boolean;
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
  deriveTimer: NodeJS.Timeout | null;
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
}

const connectionOf = (origin: unknown): Connection | null =>
  origin && typeof origin === "object" && "ws" in origin ? (origin as Connection) : null;

const authorOf = (origin: unknown): string | null =>
  connectionOf(origin)?.userId ?? (origin instanceof ServerOrigin ? origin.userId : null);

const send = (conn: Connection, data: Uint8Array) => {
  if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(data);
};

/** The authenticated, durable y-websocket endpoint: `/collab/<documentId>`. */
export function createCollabHub(db: DB, options: CollabHubOptions): CollabHub {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const live = new Map<string, Promise<LiveDocument>>();
  const connections = new Set<Connection>();
  const perUser = new Map<string, number>();
  let turn: Map<LiveDocument, TurnEntry> | null = null;
  // Commits run one after the other, so a turn's replies never overtake an earlier turn's commit.
  let commits: Promise<void> = Promise.resolve();
  let closing = false;
  const debug = process.env.TERRAIN_COLLAB_DEBUG === "1";

  // ---- event-loop turns: persist, then broadcast --------------------------------------------

  function turnEntry(doc: LiveDocument): TurnEntry {
    if (!turn) {
      turn = new Map();
      setImmediate(endTurn);
    }
    let entry = turn.get(doc);
    if (!entry) {
      entry = { updates: [], afterCommit: [] };
      turn.set(doc, entry);
    }
    return entry;
  }

  function endTurn(): Promise<void> {
    const batch = turn;
    turn = null;
    // The chain must never stay rejected: every later turn would silently skip its commit.
    if (batch) {
      commits = commits
        .then(() => commitTurn(batch))
        .catch((error) => console.error("Collaboration : la fin de tour a échoué", error));
    }
    return commits;
  }

  async function commitTurn(batch: Map<LiveDocument, TurnEntry>): Promise<void> {
    const rows = [...batch].flatMap(([doc, entry]) => entry.updates.map((u) => ({ documentId: doc.id, data: u.data })));
    try {
      await appendBatch(db, rows);
    } catch (error) {
      console.error("Collaboration : l'enregistrement des modifications a échoué", error);
      for (const doc of batch.keys()) evict(doc);
      return;
    }
    const at = nowIso();
    for (const [doc, entry] of batch) {
      if (doc.evicted) continue;
      broadcast(doc, entry.updates);
      for (const reply of entry.afterCommit) reply();
      doc.rowsInLog += entry.updates.length;
      for (const u of entry.updates) if (u.userId) doc.edits.set(u.userId, at);
      if (entry.updates.length > 0) {
        doc.dirty = true;
        scheduleDerive(doc);
      }
    }
    for (const doc of batch.keys()) {
      if (!doc.evicted && doc.rowsInLog >= limits.compactionThreshold) await compact(doc);
    }
  }

  /** One merged message per receiver, without the receiver's own updates. */
  function broadcast(doc: LiveDocument, updates: TurnEntry["updates"]) {
    if (updates.length === 0) return;
    const authors = new Set(updates.map((u) => u.from));
    const merge = (list: TurnEntry["updates"]) =>
      list.length === 1 ? list[0]!.data : Y.mergeUpdates(list.map((u) => u.data));
    let toOthers: Uint8Array | undefined;
    for (const conn of doc.connections) {
      if (!authors.has(conn)) {
        send(conn, (toOthers ??= encodeSyncUpdate(merge(updates))));
        continue;
      }
      const others = updates.filter((u) => u.from !== conn);
      if (others.length > 0) send(conn, encodeSyncUpdate(merge(others)));
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
      deriveTimer: null,
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
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        if (origin && typeof origin === "object" && "awarenessIds" in origin) {
          const conn = origin as Connection;
          for (const id of added) conn.awarenessIds.add(id);
          for (const id of removed) conn.awarenessIds.delete(id);
        }
        const message = encodeAwareness(awareness, [...added, ...updated, ...removed]);
        for (const conn of state.connections) send(conn, message);
      },
    );
    return state;
  }

  function compact(doc: LiveDocument): Promise<void> {
    // Runs in the commit chain: no append is in flight, every stored row is applied to doc.doc.
    const run = async () => {
      if (doc.evicted || doc.rowsInLog <= 1) return;
      await compactDocument(db, doc.id, doc.doc);
      doc.rowsInLog = 1;
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
    await derive(doc);
    commits = commits.then(() => compact(doc));
    await commits;
  }

  function destroy(doc: LiveDocument) {
    doc.evicted = true;
    cancelUnload(doc);
    if (doc.deriveTimer) clearTimeout(doc.deriveTimer);
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

  function scheduleDerive(doc: LiveDocument) {
    // A throttle rather than a debounce: continuous typing still refreshes the derived text.
    doc.deriveTimer ??= setTimeout(() => void derive(doc), limits.deriveDebounceMs);
  }

  async function derive(doc: LiveDocument): Promise<void> {
    if (doc.deriveTimer) clearTimeout(doc.deriveTimer);
    doc.deriveTimer = null;
    if (!doc.dirty || doc.evicted) return;
    const { edits, findingWriters } = doc;
    doc.dirty = false;
    doc.edits = new Map();
    doc.findingWriters = new Map();
    try {
      doc.findingsFingerprint = await writeDerived(db, doc.id, docSnapshot(doc.doc), edits, {
        writers: findingWriters,
        previous: doc.findingsFingerprint,
      });
      if (edits.size === 0) return;
      const now = Date.now();
      doc.lastAutoVersionAt ??= now;
      if (now - doc.lastAutoVersionAt >= limits.autoVersionIntervalMs) {
        doc.lastAutoVersionAt = now;
        await saveSnapshot(db, doc.id, doc.doc, { label: labels.automaticVersion, userId: null, automatic: true });
      }
    } catch (error) {
      console.error("Collaboration : le calcul du texte dérivé a échoué", error);
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
    const conn: Connection = { ...identity, ws, doc, awarenessIds: new Set(), alive: true };
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
        Y.applyUpdate(doc.doc, message.update, conn);
        return;
      case "awareness":
        awarenessProtocol.applyAwarenessUpdate(doc.awareness, message.update, conn);
        return;
      case "query-awareness":
        send(conn, encodeAwareness(doc.awareness, [...doc.awareness.getStates().keys()]));
        return;
      case "ack-request": {
        const { n } = message;
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

    initializeDocument(documentId, template) {
      return withDocument(documentId, async (doc) => {
        // Only an empty document gets the template, written by the server, never by a browser.
        if (doc.rowsInLog > 0 || doc.doc.getXmlFragment(CONTENT_FIELD).length > 0) return;
        const templates = { report: reportTemplate };
        Y.applyUpdate(doc.doc, jsonToUpdate(templates[template]()), new ServerOrigin(null));
        await endTurn();
        await derive(doc);
      });
    },

    saveVersion(documentId, label, userId) {
      return withDocument(documentId, async (doc) => {
        await saveSnapshot(db, documentId, doc.doc, { label, userId, automatic: false });
      });
    },

    restoreVersion(documentId, versionId, userId) {
      return withDocument(documentId, async (doc) => {
        const restored = await restoreSnapshot(db, documentId, doc.doc, versionId, userId, new ServerOrigin(userId));
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

    async close() {
      closing = true;
      if (idleCheck) clearInterval(idleCheck);
      const closed = [...connections].map(
        (conn) =>
          new Promise<void>((done) => {
            if (conn.ws.readyState === WebSocket.CLOSED) return done();
            conn.ws.once("close", () => done());
            conn.ws.close(CLOSE.restarting, "server restarting");
            // A peer that never answers the closing handshake must not hold the shutdown.
            setTimeout(() => conn.ws.terminate(), 2_000).unref();
          }),
      );
      for (const loading of [...live.values()]) {
        const doc = await loading.catch(() => null);
        if (doc && !doc.evicted) await settle(doc);
      }
      await Promise.all(closed);
      // Messages that arrived while the sockets were closing are stored too.
      await endTurn();
      for (const loading of [...live.values()]) {
        const doc = await loading.catch(() => null);
        if (doc) destroy(doc);
      }
      live.clear();
      wss.close();
    },
  };
}
