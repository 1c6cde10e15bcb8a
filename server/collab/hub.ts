import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { CollabControl } from "../../app/load-context";
import type { DB } from "../../db/client";

export interface CollabHub extends CollabControl {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** Placeholder until the collaboration endpoint lands: refuses every upgrade. */
export function createCollabHub(_db: DB): CollabHub {
  return {
    membershipChanged() {},
    async initializeDocument() {},
    async saveVersion() {},
    async restoreVersion() {},
    async versionContent() {
      return null;
    },
    handleUpgrade(_request, socket) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
    },
    async close() {},
  };
}
