import type { JSONContent } from "@tiptap/core";
import { CITATION_NODE, type CitationAttrs } from "./citation";
import { FINDING_MARK } from "./finding-mark";

/** Between two blocks of the plain text. */
const BLOCK_SEPARATOR = "\n\n";

/** A range of the plain text, in JS string units: `text.slice(start, end)`. */
export interface Passage {
  start: number;
  end: number;
}

export interface PlainTextWithFindings {
  text: string;
  /** Each finding id's passages over `text`, in document order, contiguous pieces merged. */
  passages: Map<string, Passage[]>;
}

interface Block {
  text: string;
  /** Finding marks over this block's text: [id, start, end]. */
  marks: [string, number, number][];
}

/** A citation block as text: its quote in French quotation marks, then its source. */
export function citationText(attrs: Partial<CitationAttrs> | undefined): string {
  const quote = attrs?.quote?.trim() ?? "";
  const source = attrs?.source?.trim() ?? "";
  if (quote === "") return source;
  return source === "" ? `« ${quote} »` : `« ${quote} »\n— ${source}`;
}

function blocksOf(doc: JSONContent): Block[] {
  const blocks: Block[] = [];
  const walk = (node: JSONContent): void => {
    if (node.type === CITATION_NODE) {
      blocks.push({ text: citationText(node.attrs as Partial<CitationAttrs> | undefined), marks: [] });
      return;
    }
    if (!node.content?.length) {
      if (node.type === "paragraph" || node.type === "heading") blocks.push({ text: "", marks: [] });
      return;
    }
    if (node.content.every((child) => child.type === "text" || child.type === "hardBreak")) {
      let text = "";
      const marks: Block["marks"] = [];
      for (const child of node.content) {
        const piece = child.type === "text" ? (child.text ?? "") : "\n";
        for (const mark of child.marks ?? []) {
          const id: unknown = mark.attrs?.id;
          if (mark.type === FINDING_MARK && typeof id === "string") marks.push([id, text.length, text.length + piece.length]);
        }
        text += piece;
      }
      blocks.push({ text, marks });
      return;
    }
    node.content.forEach(walk);
  };
  walk(doc);
  return blocks;
}

/**
 * The one plain-text rendering of a Tiptap document, used for derived text, word counts, quotes,
 * search and exports. Blocks (paragraphs, headings, list items, table cells, …) are separated by
 * one blank line ("\n\n") so paragraphs stay distinguishable in exports; a hard break is "\n";
 * inline text is concatenated as is. Blank blocks are left out.
 *
 * The same walk returns where each finding's marks fall in that exact text, so quotes and
 * offsets never disagree with the derived text. A passage running on into the next block stays
 * one passage (its text then holds the block separator).
 */
export function plainTextWithFindings(doc: JSONContent): PlainTextWithFindings {
  const parts: string[] = [];
  const passages = new Map<string, Passage[]>();
  let offset = 0;
  for (const block of blocksOf(doc)) {
    if (block.text.trim() === "") continue;
    if (parts.length > 0) offset += BLOCK_SEPARATOR.length;
    for (const [id, start, end] of block.marks) {
      let list = passages.get(id);
      if (!list) passages.set(id, (list = []));
      const last = list.at(-1);
      const continues =
        last !== undefined && (last.end === offset + start || (start === 0 && last.end === offset - BLOCK_SEPARATOR.length));
      if (continues) last.end = offset + end;
      else list.push({ start: offset + start, end: offset + end });
    }
    parts.push(block.text);
    offset += block.text.length;
  }
  return { text: parts.join(BLOCK_SEPARATOR), passages };
}

export const plainText = (doc: JSONContent): string => plainTextWithFindings(doc).text;

/** Words as a French reader counts them: "l'équipe" is two, "Saint-Jean" is one. */
export function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu)?.length ?? 0;
}
