import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/**
 * Terrain's extension of the y-websocket protocol, shared by the server and the browser (lib0
 * only, no Node imports). The server only ever sends type 100 to a connection that sent one
 * first, so the official client, which would choke on an unknown type, never sees it.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;
export const MESSAGE_TERRAIN = 100;

/** Client → server: "tell me when everything I sent before this is durably stored". */
export const TERRAIN_ACK_REQUEST = 0;
/** Server → client: everything received before request n is committed to SQLite. */
export const TERRAIN_ACK = 1;
/**
 * Server → client: text this client sent landed in content deleted meanwhile (a restore, a
 * collaborator's deletion). The server kept it in a version; the message carries it so that its
 * author can read it back at once (then n = 0; the text may be cut, the version holds it whole).
 */
export const TERRAIN_RECOVERED = 2;

export type TerrainMessage =
  | { kind: "ack-request"; n: number }
  | { kind: "ack"; n: number }
  | { kind: "recovered"; text: string };

function encodeTerrain(subtype: number, n: number, text?: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TERRAIN);
  encoding.writeVarUint(encoder, subtype);
  encoding.writeVarUint(encoder, n);
  if (text !== undefined) encoding.writeVarString(encoder, text);
  return encoding.toUint8Array(encoder);
}

export const encodeAckRequest = (n: number): Uint8Array => encodeTerrain(TERRAIN_ACK_REQUEST, n);
export const encodeAck = (n: number): Uint8Array => encodeTerrain(TERRAIN_ACK, n);
export const encodeRecovered = (text: string): Uint8Array => encodeTerrain(TERRAIN_RECOVERED, 0, text);

/**
 * Reads the body of a type-100 message (the decoder is positioned after the type). Throws on an
 * unknown subtype or truncated input: the caller treats that as a malformed message.
 */
export function readTerrainMessage(decoder: decoding.Decoder): TerrainMessage {
  const subtype = decoding.readVarUint(decoder);
  const n = decoding.readVarUint(decoder);
  if (subtype === TERRAIN_ACK_REQUEST) return { kind: "ack-request", n };
  if (subtype === TERRAIN_ACK) return { kind: "ack", n };
  if (subtype === TERRAIN_RECOVERED) return { kind: "recovered", text: decoding.readVarString(decoder) };
  throw new Error(`sous-type Terrain inconnu : ${subtype}`);
}

/** Decodes a whole message if it is a Terrain one, else null (for a client's onmessage hook). */
export function decodeTerrainMessage(message: Uint8Array): TerrainMessage | null {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== MESSAGE_TERRAIN) return null;
  return readTerrainMessage(decoder);
}
