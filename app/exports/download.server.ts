import { setImmediate as nextTurn } from "node:timers/promises";
import { slugify } from "../models/findings-read.server";

/** Bytes handed to the client per chunk when the body is already in memory. */
const CHUNK_SIZE = 64 * 1024;

/** A body in memory, or produced piece by piece as the client reads it (a big export). */
export type DownloadBody = string | Uint8Array | AsyncIterable<string | Uint8Array>;

export interface DownloadOptions {
  fileName: string;
  contentType: string;
}

const encoder = new TextEncoder();
const bytesOf = (piece: string | Uint8Array) => (typeof piece === "string" ? encoder.encode(piece) : piece);

function toStream(body: DownloadBody): ReadableStream<Uint8Array> {
  if (typeof body === "string" || body instanceof Uint8Array) return inChunks(bytesOf(body));
  const pieces = body[Symbol.asyncIterator]();
  // One piece per read, each in its own turn of the event loop. SQLite answers synchronously and
  // Remix writes the stream without waiting for the socket, so without this turn a whole export
  // would run as one chain of promises: no keystroke of the collaboration, served by this same
  // loop, would be relayed until the last page is written.
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await nextTurn();
      const next = await pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(bytesOf(next.value));
    },
    async cancel() {
      await pieces.return?.();
    },
  });
}

function inChunks(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + CHUNK_SIZE));
      offset += CHUNK_SIZE;
    },
  });
}

/**
 * RFC 6266: `filename` for old clients (ASCII, quotes and backslashes would end the quoted
 * string), `filename*` with the exact UTF-8 name for everyone else.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The one response of every export: streamed, saved under a clear name, never cached (the
 * content is private to the study's members and changes with every edit).
 */
export function downloadResponse(body: DownloadBody, { fileName, contentType }: DownloadOptions): Response {
  return new Response(toStream(body), {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": contentDisposition(fileName),
      "Cache-Control": "private, no-store",
    },
  });
}

/** `synthese-<study-slug>-<YYYY-MM-DD>.docx`: prefix from `exportsText.fileNames`, day in UTC. */
export function exportFileName(prefix: string, title: string, date: Date | string, extension: string): string {
  const day = typeof date === "string" ? date.slice(0, 10) : date.toISOString().slice(0, 10);
  return `${prefix}-${slugify(title)}-${day}.${extension}`;
}

export const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  markdown: "text/markdown; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  zip: "application/zip",
  xml: "application/xml; charset=utf-8",
} as const;
