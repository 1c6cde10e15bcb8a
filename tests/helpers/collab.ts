import { randomBytes } from "node:crypto";
import { afterEach } from "vitest";
import { WebSocket, type ClientOptions } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { plainText } from "../../app/editor/plain-text";
import { sessionCookie } from "../../app/models/session.server";
import type { DB } from "../../db/client";
import { insertSession } from "../../db/queries/sessions";
import { docToJSON } from "../../server/collab/derive";
import { CONTENT_FIELD } from "../../server/collab/persistence";
import { TEST_SESSION_SECRET } from "./server";

/** A `Cookie` header value for a fresh session of the user (expired when asked). */
export async function sessionCookieHeader(
  db: DB,
  userId: string,
  options: { expired?: boolean; sessionSecret?: string } = {},
): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + (options.expired ? -60_000 : 3_600_000));
  await insertSession(db, { id, userId, expiresAt });
  const setCookie = await sessionCookie({ sessionSecret: options.sessionSecret ?? TEST_SESSION_SECRET, production: false }).serialize(id);
  return setCookie.split(";")[0]!;
}

/** The `ws` client with a Cookie header, as a browser would send it on the upgrade. */
export function webSocketWithCookie(
  cookie: string | null,
): new (address: string | URL, protocols?: string | string[], options?: ClientOptions) => WebSocket {
  return class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[], options?: ClientOptions) {
      super(address, protocols, { ...options, headers: { ...options?.headers, ...(cookie ? { Cookie: cookie } : {}) } });
    }
  };
}

export const collabUrl = (baseUrl: string) => `${baseUrl.replace(/^http/, "ws")}/collab`;

export interface CollabClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close codes the server sent, in order. */
  closeCodes: number[];
  /** Every update this client received from the server. */
  received: Uint8Array[];
  destroy(): void;
}

/**
 * The OFFICIAL y-websocket client from Node. `disableBc` matters: Node has a global
 * BroadcastChannel, and two providers in one process would otherwise sync without the server.
 */
export function connectCollab(
  baseUrl: string,
  documentId: string,
  cookie: string | null,
  options: { params?: Record<string, string>; name?: string } = {},
): CollabClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(collabUrl(baseUrl), documentId, doc, {
    WebSocketPolyfill: webSocketWithCookie(cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: options.params ?? {},
    maxBackoffTime: 200,
  });
  if (options.name) provider.awareness.setLocalStateField("user", { name: options.name });
  const client: CollabClient = {
    doc,
    provider,
    closeCodes: [],
    received: [],
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  provider.on("connection-close", (event) => {
    if (event) client.closeCodes.push(event.code);
  });
  doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin === provider) client.received.push(update);
  });
  return client;
}

/**
 * Collaboration clients for the calling test file (or describe block): each one opened through the
 * returned function is destroyed after its test, before the afterAll that closes its server.
 */
export function collabClientsForFile(): typeof connectCollab {
  let clients: CollabClient[] = [];
  afterEach(() => {
    clients.forEach((c) => c.destroy());
    clients = [];
  });
  return (...args) => {
    const client = connectCollab(...args);
    clients.push(client);
    return client;
  };
}

/** Resolves once synced; rejects on a final close (4400–4499) instead of waiting forever. */
export async function waitForSync(client: CollabClient): Promise<void> {
  if (client.provider.synced) return;
  await new Promise<void>((done, fail) => {
    const onSync = (synced: boolean) => {
      if (!synced) return;
      client.provider.off("sync", onSync);
      done();
    };
    client.provider.on("sync", onSync);
    client.provider.on("closed", (event) => fail(new Error(`connexion refusée : ${event.code}`)));
  });
}

/** Appends one paragraph in one Y transaction, the way the editor would. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(text)]);
    doc.getXmlFragment(CONTENT_FIELD).push([paragraph]);
  });
}

/** The document's text as the server derives it. */
export const textOf = (doc: Y.Doc): string => plainText(docToJSON(doc));

/** A Y.Doc rebuilt from stored rows (the update log or a version). */
export function docFromUpdates(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => updates.forEach((u) => Y.applyUpdate(doc, u)));
  return doc;
}

/** True when every struct of `update` is already in `doc` (nothing the update brings is missing). */
export function contains(doc: Y.Doc, update: Uint8Array): boolean {
  return Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc))).structs.length === 0;
}

/** A bare websocket on the collaboration endpoint, for what the official client never sends. */
export interface RawCollabSocket {
  ws: WebSocket;
  messages: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<number>;
}

export function openRawSocket(
  baseUrl: string,
  documentId: string,
  cookie: string | null,
  options?: ClientOptions,
): RawCollabSocket {
  const ws = new (webSocketWithCookie(cookie))(`${collabUrl(baseUrl)}/${documentId}`, undefined, options);
  const messages: Uint8Array[] = [];
  ws.on("message", (data: Buffer) => messages.push(new Uint8Array(data)));
  const opened = new Promise<void>((done, fail) => {
    ws.once("open", () => done());
    ws.once("error", fail);
  });
  const closed = new Promise<number>((done) => ws.once("close", (code) => done(code)));
  return { ws, messages, opened, closed };
}
