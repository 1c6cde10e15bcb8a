import type * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { LOCAL_COPY_PREFIX } from "./local-copies";
import { encodeAckRequest, MESSAGE_SYNC, MESSAGE_TERRAIN, readTerrainMessage } from "./collab-protocol";

export type CollabStatus = "connecting" | "offline" | "syncing" | "synced";

/** Why the server closed the connection for good; each has its French message in i18n/editor. */
export type CollabProblem = "expired" | "notFound" | "outdated" | "malformed" | "tooLarge" | "tooMany" | "closed";

export interface CollabSnapshot {
  status: CollabStatus;
  problem: CollabProblem | null;
  /** Text of ours the server found in content deleted meanwhile, and kept: shown until dismissed. */
  recovered: string[];
}

const FINAL_CLOSE_CODES: Record<number, CollabProblem> = {
  4401: "expired",
  4404: "notFound",
  4426: "outdated",
  4400: "malformed",
  // Reconnecting would resend the same oversized state: stop instead of looping.
  1009: "tooLarge",
  4429: "tooMany",
};
const ROLE_CHANGED = 4000;

/** 4400–4499 mirror HTTP 4xx: the server decided, reconnecting cannot help (y-websocket's rule too). */
function finalProblem(code: number): CollabProblem | undefined {
  return FINAL_CLOSE_CODES[code] ?? (code >= 4400 && code < 4500 ? "closed" : undefined);
}

/** The name of a document's offline copy; deleted at logout with every other `terrain:` database. */
export const localCopyName = (userId: string, documentId: string) => `${LOCAL_COPY_PREFIX}${userId}:${documentId}`;

function collabServerUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/collab`;
}

/**
 * One document's live session: the Y.Doc, its IndexedDB copy and its websocket. Tracks whether
 * everything typed here is durably stored by the server (Terrain's ack, message type 100).
 */
export class CollabSession {
  readonly ydoc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private readonly persistence: IndexeddbPersistence;
  private snapshot: CollabSnapshot = { status: "connecting", problem: null, recovered: [] };
  private readonly listeners = new Set<() => void>();
  private everConnected = false;
  private requested = 0;
  private acked = 0;
  private ackScheduled = false;

  constructor(
    documentId: string,
    userId: string,
    schemaVersion: number,
    private readonly onRoleChanged: () => void,
  ) {
    this.persistence = new IndexeddbPersistence(localCopyName(userId, documentId), this.ydoc);
    this.provider = new WebsocketProvider(collabServerUrl(), documentId, this.ydoc, {
      connect: false,
      disableBc: true,
      params: { schema: String(schemaVersion) },
      shouldReconnect: (event) => finalProblem(event.code) === undefined,
    });
    this.provider.messageHandlers[MESSAGE_TERRAIN] = (_encoder, decoder: decoding.Decoder) => {
      const message = readTerrainMessage(decoder);
      if (message.kind === "ack" && message.n > this.acked) {
        this.acked = message.n;
        this.refresh();
      } else if (message.kind === "recovered") {
        this.snapshot = { ...this.snapshot, recovered: [...this.snapshot.recovered, message.text] };
        this.refresh();
      }
    };
    this.wrapSyncHandler();
    // Registered after the provider's own update handler, so the update is on the wire first.
    this.ydoc.on("update", this.onUpdate);
    this.provider.on("status", this.refresh);
    this.provider.on("sync", this.onSync);
    this.provider.on("connection-close", this.onClose);
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.refresh);
    this.provider.connect();
  }

  /** The server's sync step 1 is answered with our missing updates (offline edits): ask for their ack too. */
  private wrapSyncHandler() {
    const syncHandler = this.provider.messageHandlers[MESSAGE_SYNC]!;
    this.provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, provider, emitSynced, messageType) => {
      syncHandler(encoder, decoder, provider, emitSynced, messageType);
      // The reply is sent right after this handler returns; the request must follow it.
      if (encoding.length(encoder) > 1) this.scheduleAckRequest();
    };
  }

  private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin !== this.provider) this.scheduleAckRequest();
  };

  private readonly onSync = (synced: boolean) => {
    if (synced) this.scheduleAckRequest();
    this.refresh();
  };

  private readonly onClose = (event: CloseEvent | null) => {
    const problem = event ? finalProblem(event.code) : undefined;
    if (problem) {
      this.provider.shouldConnect = false;
      this.snapshot = { ...this.snapshot, problem };
    } else if (event?.code === ROLE_CHANGED) {
      this.onRoleChanged();
    }
    this.refresh();
  };

  /** Back online: retry now rather than at the end of the reconnection back-off. */
  private readonly onOnline = () => {
    const { provider } = this;
    if (provider.shouldConnect && !provider.wsconnected) {
      provider.disconnect();
      provider.connect();
    }
    this.refresh();
  };

  /** One request per burst of keystrokes: it covers every update sent before it. */
  private scheduleAckRequest() {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    queueMicrotask(() => {
      this.ackScheduled = false;
      const ws = this.provider.ws;
      if (!this.provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return;
      this.requested += 1;
      ws.send(encodeAckRequest(this.requested));
      this.refresh();
    });
  }

  private readonly refresh = () => {
    const { provider } = this;
    if (provider.wsconnected) this.everConnected = true;
    let status: CollabStatus;
    if (!navigator.onLine || (this.everConnected && !provider.wsconnected)) status = "offline";
    else if (!provider.wsconnected) status = "connecting";
    else if (provider.synced && this.acked >= this.requested) status = "synced";
    else status = "syncing";
    if (status !== this.snapshot.status) this.snapshot = { ...this.snapshot, status };
    for (const listener of this.listeners) listener();
  };

  dismissRecovered() {
    this.snapshot = { ...this.snapshot, recovered: [] };
    this.refresh();
  }

  /** After 4429: the user may try again later. */
  retry() {
    this.snapshot = { ...this.snapshot, problem: null };
    this.provider.connect();
    this.refresh();
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.snapshot;

  destroy() {
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.refresh);
    this.ydoc.off("update", this.onUpdate);
    this.provider.destroy();
    void this.persistence.destroy();
    this.ydoc.destroy();
    this.listeners.clear();
  }
}

const IDLE: CollabSnapshot = { status: "connecting", problem: null, recovered: [] };
const noSubscription = () => () => {};

/** Opens the session for the lifetime of the component (client only). */
export function useCollabProvider(options: {
  documentId: string;
  userId: string;
  schemaVersion: number;
  onRoleChanged: () => void;
}) {
  const { documentId, userId, schemaVersion, onRoleChanged } = options;
  const [session, setSession] = useState<CollabSession | null>(null);
  const roleChanged = useRef(onRoleChanged);
  useEffect(() => {
    roleChanged.current = onRoleChanged;
  }, [onRoleChanged]);

  useEffect(() => {
    const created = new CollabSession(documentId, userId, schemaVersion, () => roleChanged.current());
    setSession(created);
    return () => {
      created.destroy();
      setSession(null);
    };
  }, [documentId, userId, schemaVersion]);

  const snapshot = useSyncExternalStore(
    session?.subscribe ?? noSubscription,
    session?.getSnapshot ?? (() => IDLE),
    () => IDLE,
  );
  return { session, ...snapshot };
}
