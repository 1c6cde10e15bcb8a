import type { AnyExtension } from "@tiptap/core";
import { TableKit } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";
import { CitationNode } from "./citation";
import { FindingMark } from "./finding-mark";

/**
 * The one list of content extensions, imported by the browser editor and by the server (schema
 * for derived JSON/text, templates, versions). React-free and DOM-free on purpose.
 *
 * Bump EDITOR_SCHEMA_VERSION whenever a node or mark is added, removed or changes attributes:
 * the server refuses editing from a tab whose schema is older, because converting a Y.Doc with
 * a schema that lacks one of its nodes deletes that node for everyone.
 */
export const EDITOR_SCHEMA_VERSION = 3;

const ALLOWED_LINK = /^(https?:\/\/|mailto:)/i;

export const isAllowedLink = (href: string): boolean => ALLOWED_LINK.test(href.trim());

export function contentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Collaboration brings its own history (Yjs undo manager).
      undoRedo: false,
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: "https",
        protocols: ["http", "https", "mailto"],
        isAllowedUri: (url) => isAllowedLink(url),
      },
    }),
    TableKit.configure({ table: { resizable: false } }),
    FindingMark,
    CitationNode,
  ];
}
