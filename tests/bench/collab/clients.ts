import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import {
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  MESSAGE_TERRAIN,
  decodeTerrainMessage,
  encodeAckRequest,
} from "../../../app/editor/collab-protocol";
import { nowUs } from "./stats";

/**
 * Every typed chunk carries its sender, sequence number and send time (µs on the machine's
 * monotonic clock), so a receiver in any process can compute the latency from the text alone.
 */
const MARKER = /\[(\d+)\.(\d+)\.(\d+)\]/g;

/** Appends one marked chunk to `text`; returns the send time it carries. */
export function typeMarked(text: Y.XmlText, sender: number, seq: number): number {
  const sentUs = nowUs();
  text.insert(text.length, `[${sender}.${seq}.${sentUs}] `);
  return sentUs;
}

export interface Receipt {
  sender: number;
  seq: number;
  sentUs: number;
  receivedUs: number;
}

/** Calls `onReceipt` for every marker that reaches `doc` from elsewhere. */
export function watchMarkers(doc: Y.Doc, onReceipt: (receipt: Receipt) => void) {
  const scan = (text: string) => {
    const receivedUs = nowUs();
    for (const m of text.matchAll(MARKER)) {
      onReceipt({ sender: Number(m[1]), seq: Number(m[2]), sentUs: Number(m[3]), receivedUs });
    }
  };
  doc.getXmlFragment("default").observeDeep((events, transaction) => {
    if (transaction.local) return;
    for (const event of events) {
      if (event.target instanceof Y.XmlText) {
        for (const op of event.delta) if (typeof op.insert === "string") scan(op.insert);
      } else {
        // A paragraph that arrives with its text: the text type has no event of its own.
        for (const item of event.changes.added) {
          for (const content of item.content.getContent()) {
            if (content instanceof Y.AbstractType) scan(content.toString());
          }
        }
      }
    }
  });
}

/** The paragraph a client types into, as ProseMirror's Yjs binding would store it. */
export function addParagraph(doc: Y.Doc): Y.XmlText {
  const paragraph = new Y.XmlElement("paragraph");
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  const fragment = doc.getXmlFragment("default");
  fragment.insert(fragment.length, [paragraph]);
  return text;
}

export interface Endpoint {
  /** ws://host:port/collab — the room (document id) is appended. */
  base: string;
  cookie?: string;
}

const REMOTE = Symbol("remote");

/**
 * A client speaking the y-websocket protocol over a raw socket. Unless `measure` is set it
 * never integrates what it receives (a browser would, but that is the client's cost, not the
 * server's): it answers the handshake and counts bytes, so one process can drive hundreds.
 */
export class LightClient {
  readonly doc = new Y.Doc();
  readonly text: Y.XmlText;
  readonly ws: WebSocket;
  readonly synced: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  closeInfo: { code: number; reason: string } | null = null;
  receivedBytes = 0;
  receivedMessages = 0;
  /** Resolves the step-2 wait; the time it arrived is kept for load measurements. */
  syncedAtUs = 0;
  private seq = 0;
  private acks = new Map<number, () => void>();
  private nextAck = 1;
  private step2Waiters: (() => void)[] = [];

  constructor(
    endpoint: Endpoint,
    documentId: string,
    readonly id: number,
    options: { measure?: boolean; onReceipt?: (r: Receipt) => void; paragraph?: boolean; awareness?: boolean } = {},
  ) {
    this.text = options.paragraph === false ? new Y.XmlText() : addParagraph(this.doc);
    if (options.measure && options.onReceipt) watchMarkers(this.doc, options.onReceipt);
    this.ws = new WebSocket(`${endpoint.base}/${documentId}`, {
      headers: endpoint.cookie ? { Cookie: endpoint.cookie } : {},
      perMessageDeflate: false,
    });
    let markSynced: () => void = () => {};
    this.synced = new Promise<void>((done, fail) => {
      markSynced = done;
      this.ws.once("close", (code, reason) => fail(new Error(`fermé avant la synchro : ${code} ${reason.toString()}`)));
      this.ws.once("unexpected-response", (_req, res) => fail(new Error(`mise à niveau refusée : HTTP ${res.statusCode}`)));
      this.ws.once("error", (error) => fail(error));
    });
    this.synced.catch(() => {});
    this.closed = new Promise((done) => {
      this.ws.on("close", (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        done(this.closeInfo);
      });
    });
    this.ws.on("error", () => {});
    this.ws.on("open", () => {
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(step1, this.doc);
      this.ws.send(encoding.toUint8Array(step1));
      if (options.awareness !== false) {
        const awareness = new awarenessProtocol.Awareness(this.doc);
        awareness.setLocalState({ user: { name: `Client ${id}`, color: "#2563eb" } });
        const message = encoding.createEncoder();
        encoding.writeVarUint(message, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(message, awarenessProtocol.encodeAwarenessUpdate(awareness, [this.doc.clientID]));
        this.ws.send(encoding.toUint8Array(message));
        awareness.destroy();
      }
    });
    this.ws.on("message", (data: Buffer) => {
      this.receivedBytes += data.byteLength;
      this.receivedMessages++;
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const decoder = decoding.createDecoder(bytes);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_TERRAIN) {
        const message = decodeTerrainMessage(bytes);
        if (message?.kind === "ack") this.acks.get(message.n)?.();
        return;
      }
      if (type !== MESSAGE_SYNC) return;
      const step = decoding.readVarUint(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) {
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, MESSAGE_SYNC);
        syncProtocol.writeSyncStep2(reply, this.doc, decoding.readVarUint8Array(decoder));
        this.ws.send(encoding.toUint8Array(reply));
      } else if (step === syncProtocol.messageYjsSyncStep2) {
        if (!this.syncedAtUs) this.syncedAtUs = nowUs();
        if (options.measure) Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), REMOTE);
        markSynced();
        this.step2Waiters.shift()?.();
      } else if (step === syncProtocol.messageYjsUpdate && options.measure) {
        Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), REMOTE);
      }
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE || this.ws.readyState !== WebSocket.OPEN) return;
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, MESSAGE_SYNC);
      syncProtocol.writeUpdate(message, update);
      this.ws.send(encoding.toUint8Array(message));
    });
  }

  /** Types one marked chunk at the end of the client's paragraph; returns its send time. */
  type(): number {
    return typeMarked(this.text, this.id, ++this.seq);
  }

  /**
   * Resolves when the server answers a fresh sync step 1: it handles a connection's messages in
   * order, so by then it has applied everything this client sent before.
   */
  roundTrip(): Promise<void> {
    return new Promise((done) => {
      this.step2Waiters.push(done);
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(step1, this.doc);
      this.ws.send(encoding.toUint8Array(step1));
    });
  }

  /** Terrain only: resolves once the server says all this client sent is committed. */
  durable(): Promise<void> {
    const n = this.nextAck++;
    return new Promise((done) => {
      this.acks.set(n, done);
      this.ws.send(encodeAckRequest(n));
    });
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    this.doc.destroy();
  }
}

/** The official browser client, with a Cookie header the browser would have sent. */
export function officialClient(endpoint: Endpoint, documentId: string, doc: Y.Doc) {
  const cookie = endpoint.cookie;
  class CookieSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: cookie ? { Cookie: cookie } : {}, perMessageDeflate: false });
    }
  }
  return new WebsocketProvider(endpoint.base, documentId, doc, {
    WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 1000,
  });
}

/**
 * Calls `tick` `rate` times a second, at a random phase so clients do not type in lockstep,
 * from `startUs` until `endUs` (absolute times, so a slow tick does not shift the next ones).
 * Resolves with how many ticks ran more than one interval late (the generator was overloaded).
 */
export function tickAt(rate: number, startUs: number, endUs: number, tick: () => void): Promise<number> {
  const intervalUs = 1e6 / rate;
  const phase = Math.random() * intervalUs;
  let k = 0;
  let late = 0;
  return new Promise((done) => {
    const schedule = () => {
      const at = startUs + phase + k * intervalUs;
      if (at > endUs) return done(late);
      setTimeout(run, Math.max(0, (at - nowUs()) / 1000));
    };
    const run = () => {
      if (nowUs() - (startUs + phase + k * intervalUs) > intervalUs) late++;
      k++;
      tick();
      schedule();
    };
    schedule();
  });
}
