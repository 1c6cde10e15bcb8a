import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** Who a connection is, as its presence must show it (the editor reads `user` for carets and avatars). */
export interface PresenceUser {
  id: string;
  name: string;
  color: string;
}

/**
 * A connection's awareness update as the server applies and relays it: only the entries of client
 * ids this connection may speak for, and in each state `user` set to who the connection is. So a
 * member cannot appear under another's name, nor remove or move another's caret. Throws on input
 * that is not an awareness update (the caller closes the connection as malformed).
 */
export function ownAwarenessUpdate(
  update: Uint8Array,
  user: PresenceUser,
  maySpeakFor: (clientId: number) => boolean,
): { update: Uint8Array; clientIds: number[] } | null {
  const decoder = decoding.createDecoder(update);
  const encoder = encoding.createEncoder();
  const entries: { clientId: number; clock: number; state: string }[] = [];
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    if (!maySpeakFor(clientId)) continue;
    if (state === null) entries.push({ clientId, clock, state: "null" });
    else if (typeof state === "object" && !Array.isArray(state)) {
      entries.push({ clientId, clock, state: JSON.stringify({ ...state, user: { id: user.id, name: user.name, color: user.color } }) });
    }
  }
  if (entries.length === 0) return null;
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, state);
  }
  return { update: encoding.toUint8Array(encoder), clientIds: entries.map((e) => e.clientId) };
}
