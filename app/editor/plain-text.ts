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

/** A range of an exported text in Unicode code points from 0, end exclusive (REFI-QDA positions). */
export interface CodePointRange {
  start: number;
  end: number;
}

export interface ExportedPlainText {
  /** The text exactly as an export file holds it: NFC, CRLF line ends. */
  text: string;
  /** Each finding's passages over `text` in code points, in document order, trimmed like its quote. */
  passages: Map<string, CodePointRange[]>;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
/** True when `index` falls between the two halves of one character. */
const splitsPair = (text: string, index: number) =>
  index > 0 && index < text.length && isHighSurrogate(text.charCodeAt(index - 1)) && isLowSurrogate(text.charCodeAt(index));

/**
 * The plain text for export files (REFI-QDA sources): `plainTextWithFindings`'s text in NFC with
 * CRLF line ends, and each finding's passages counted in code points over exactly that text.
 *
 * A passage is trimmed of surrounding white space, as the stored quote is (`findingQuote`), so a
 * single-passage finding's selection reads exactly its quote. The text is normalized piece by
 * piece between passage ends, so NFC changing a piece's length (a decomposed accent) or CRLF
 * adding one unit per line end moves every later offset by exactly what was written; an end that
 * falls inside a surrogate pair (an emoji) is widened to the whole character.
 */
export function exportPlainText(doc: JSONContent): ExportedPlainText {
  const source = plainTextWithFindings(doc);
  const raw = source.text;
  const trimmed = new Map<string, Passage[]>();
  for (const [id, list] of source.passages) {
    const kept: Passage[] = [];
    for (let { start, end } of list) {
      while (start < end && /\s/.test(raw[start]!)) start++;
      while (end > start && /\s/.test(raw[end - 1]!)) end--;
      if (start === end) continue;
      if (splitsPair(raw, start)) start--;
      if (splitsPair(raw, end)) end++;
      kept.push({ start, end });
    }
    if (kept.length > 0) trimmed.set(id, kept);
  }

  const cuts = [...new Set([0, raw.length, ...[...trimmed.values()].flat().flatMap((p) => [p.start, p.end])])].sort((a, b) => a - b);
  const at = new Map<number, number>([[0, 0]]);
  const pieces: string[] = [];
  let codePoints = 0;
  for (let i = 1; i < cuts.length; i++) {
    const piece = raw.slice(cuts[i - 1], cuts[i]).normalize("NFC").replace(/\n/g, "\r\n");
    pieces.push(piece);
    codePoints += Array.from(piece).length;
    at.set(cuts[i]!, codePoints);
  }

  const passages = new Map<string, CodePointRange[]>();
  for (const [id, list] of trimmed) passages.set(id, list.map((p) => ({ start: at.get(p.start)!, end: at.get(p.end)! })));
  return { text: pieces.join(""), passages };
}
