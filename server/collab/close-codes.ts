/**
 * Why the server closed a collaboration socket. The official client stops reconnecting after a
 * code in 4400–4499 (final: the page shows a French message); it reconnects after the others.
 *
 * | code | meaning                                                                  | client |
 * |------|--------------------------------------------------------------------------|--------|
 * | 4401 | no session cookie, or the session expired                                | final  |
 * | 4404 | unknown document, or not a member of its study (never says which)       | final  |
 * | 4400 | malformed message                                                        | final  |
 * | 4426 | the tab's editor schema is older than the server's: reload the page      | final  |
 * | 4429 | too many connections (per document or per user)                          | final  |
 * | 1009 | message over the size limit (sent by `ws` itself via maxPayload)         | retry  |
 * | 1001 | idle: no pong/message within the idle timeout                           | retry  |
 * | 4000 | role changed (demoted or removed): reconnect to learn the new role      | retry  |
 * | 1011 | the server could not store an update: reconnect and resend               | retry  |
 * | 1012 | server restarting                                                        | retry  |
 */
export const CLOSE = {
  unauthenticated: 4401,
  notFound: 4404,
  malformed: 4400,
  oldSchema: 4426,
  tooManyConnections: 4429,
  messageTooBig: 1009,
  idle: 1001,
  roleChanged: 4000,
  storageFailed: 1011,
  restarting: 1012,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
