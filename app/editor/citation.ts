import { type JSONContent, Node, mergeAttributes } from "@tiptap/core";

/** The node's name in the schema and in the Y.Doc. */
export const CITATION_NODE = "citation";

/** What a citation block holds: which finding, and the quote and source as last accepted. */
export interface CitationAttrs {
  findingId: string | null;
  /** The finding's quote when the block was inserted or last updated: compared with the live quote. */
  quote: string;
  /** « Dynamique · Visite · date » as it read then; kept so the block still says where it came from if the finding goes. */
  source: string;
}

const textAttr = (name: string, selector?: string) => ({
  default: "",
  parseHTML: (element: HTMLElement) => (selector ? element.querySelector(selector)?.textContent : element.getAttribute(name)) ?? "",
  renderHTML: () => ({}),
});

/**
 * A citation of a finding in the synthesis: an atom block, so its quote cannot be edited in
 * place (the report passage is the source of truth; the block is updated from it in one click),
 * while people write freely around it. Its attributes are plain strings so that the server,
 * the exports and a browser without the node view all read the same thing.
 */
export const CitationNode = Node.create({
  name: CITATION_NODE,
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes() {
    return {
      findingId: {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute("data-finding-id"),
        renderHTML: (attributes: Partial<CitationAttrs>) => (attributes.findingId ? { "data-finding-id": attributes.findingId } : {}),
      },
      quote: textAttr("quote", "blockquote"),
      source: textAttr("source", "figcaption"),
    };
  },

  parseHTML() {
    return [{ tag: "figure[data-citation]" }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const attrs = node.attrs as CitationAttrs;
    return [
      "figure",
      mergeAttributes({ "data-citation": "", class: "citation" }, HTMLAttributes),
      ["blockquote", {}, attrs.quote],
      ["figcaption", {}, attrs.source],
    ];
  },
});

/** The citation blocks of a document's Tiptap JSON, in document order. */
export function citationsOf(doc: JSONContent): CitationAttrs[] {
  const found: CitationAttrs[] = [];
  const walk = (node: JSONContent): void => {
    if (node.type === CITATION_NODE) {
      const attrs = (node.attrs ?? {}) as Partial<CitationAttrs>;
      found.push({ findingId: attrs.findingId ?? null, quote: attrs.quote ?? "", source: attrs.source ?? "" });
      return;
    }
    node.content?.forEach(walk);
  };
  walk(doc);
  return found;
}

/** A citation block's content, as the editor inserts it and the generated plan writes it. */
export const citationContent = (attrs: CitationAttrs): JSONContent => ({ type: CITATION_NODE, attrs });

/** Where a citation stands against its finding: "stale" is « source modifiée ». */
export type CitationStatus = "current" | "stale" | "orphaned" | "deleted";

/**
 * The one reading of a citation against the live finding (null: the finding no longer exists),
 * shared by the block in the editor and the provenance view. A renamed visit or dynamic, or a
 * visit moved to another date, makes the block's source as stale as an edited passage does.
 */
export function citationStatus(
  attrs: CitationAttrs,
  live: { quote: string; source: string; orphaned: boolean } | null,
): CitationStatus {
  if (!attrs.findingId || !live) return "deleted";
  if (live.orphaned) return "orphaned";
  return live.quote === attrs.quote && live.source === attrs.source ? "current" : "stale";
}
