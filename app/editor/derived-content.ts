import type { JSONContent } from "@tiptap/core";

/**
 * A document's Tiptap JSON as the collaboration server derives it (`documents.json`), read by the
 * provenance view and the exports. Never written yet, or unreadable: an empty document.
 */
export function derivedContent(json: string | null): JSONContent {
  if (!json) return { type: "doc", content: [] };
  try {
    const parsed = JSON.parse(json) as JSONContent | null;
    return parsed?.type === "doc" ? parsed : { type: "doc", content: [] };
  } catch {
    return { type: "doc", content: [] };
  }
}
