import type { JSONContent } from "@tiptap/core";
import { CITATION_NODE, type CitationAttrs } from "../editor/citation";
import { isAllowedLink } from "../editor/extensions";
import { exportsText as t } from "../i18n/exports";
import type { ExportDocument } from "./document-content.server";

/**
 * GitHub Flavored Markdown of an exported document: text is escaped so that what people wrote
 * reads as written (a « # » or a « * » in a sentence stays a character), citation blocks become
 * quotes with a footnote naming their source and linking to the passage.
 */
export function renderMarkdown(doc: ExportDocument): string {
  const notes: string[] = [];
  const nextNote = () => {
    const citation = doc.citations[notes.length];
    const n = notes.length + 1;
    const source = escapeText(citation?.source ?? "");
    notes.push(`[^${n}]: ${[source, citation?.url ? `<${citation.url}>` : ""].filter(Boolean).join(" — ")}`);
    return n;
  };
  const header = [
    `**${escapeText(doc.studyTitle)}** · ${escapeText(doc.title)}`,
    ...doc.details.map(escapeText),
    `${escapeText(t.document.generatedOn(doc.exportedOn))} · ${escapeText(t.document.generatedBy)}`,
  ].join("  \n");
  const body = blocks(doc.content.content ?? [], nextNote);
  return `${[header, "---", body, notes.join("\n")].filter((part) => part !== "").join("\n\n")}\n`;
}

type NextNote = () => number;

/** Punctuation that Markdown (with GFM tables, strikethrough and autolinks) could read as syntax. */
const SYNTAX = /[\\`*_[\]<>#|~&!]/g;

/** Escapes a text that starts a line: also what only means something there (list markers, setext underlines). */
export function escapeText(text: string): string {
  return escapeLineStart(escapeInline(text));
}

function escapeInline(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(SYNTAX, (c) => `\\${c}`);
}

const escapeLineStart = (escaped: string) => escaped.replace(/^([-+=])/, "\\$1").replace(/^(\d+)([.)])/, "$1\\$2");

function blocks(nodes: JSONContent[], nextNote: NextNote): string {
  return nodes
    .map((node) => block(node, nextNote))
    .filter((text) => text !== "")
    .join("\n\n");
}

const prefixLines = (text: string, first: string, rest: string) =>
  text
    .split("\n")
    .map((line, i) => (line === "" ? line : `${i === 0 ? first : rest}${line}`))
    .join("\n");

function block(node: JSONContent, nextNote: NextNote): string {
  switch (node.type) {
    case "heading": {
      const level = Math.min(Math.max(Number(node.attrs?.level) || 1, 1), 6);
      const text = inline(node.content);
      return text === "" ? "" : `${"#".repeat(level)} ${text}`;
    }
    case "paragraph":
      return inline(node.content);
    case "blockquote":
      return blocks(node.content ?? [], nextNote)
        .split("\n")
        .map((line) => (line === "" ? ">" : `> ${line}`))
        .join("\n");
    case "bulletList":
    case "orderedList":
      return list(node, nextNote);
    case "codeBlock": {
      const code = (node.content ?? []).map((c) => c.text ?? "").join("");
      const fence = "`".repeat(Math.max(3, longestRun(code, "`") + 1));
      return `${fence}${String(node.attrs?.language ?? "").replace(/[^\w+-]/g, "")}\n${code}\n${fence}`;
    }
    case "horizontalRule":
      return "---";
    case "table":
      return table(node, nextNote);
    case CITATION_NODE: {
      const attrs = (node.attrs ?? {}) as Partial<CitationAttrs>;
      const quote = (attrs.quote ?? "")
        .split(/\n+/)
        .map((line) => escapeText(line.trim()))
        .filter(Boolean)
        .join("\n\n");
      return `${quote}[^${nextNote()}]`
        .split("\n")
        .map((line) => (line === "" ? ">" : `> ${line}`))
        .join("\n");
    }
    default:
      return node.content ? blocks(node.content, nextNote) : "";
  }
}

function list(node: JSONContent, nextNote: NextNote): string {
  const ordered = node.type === "orderedList";
  const start = ordered ? Math.max(0, Number(node.attrs?.start ?? 1) || 1) : 0;
  return (node.content ?? [])
    .map((item, i) => {
      const marker = ordered ? `${start + i}. ` : "- ";
      // Tight items: a nested list follows its paragraph directly; further paragraphs are separated.
      const parts = (item.content ?? []).map((child) => ({
        list: child.type === "bulletList" || child.type === "orderedList",
        text: block(child, nextNote),
      }));
      const text = parts.reduce((acc, part, j) => (j === 0 ? part.text : `${acc}${part.list ? "\n" : "\n\n"}${part.text}`), "");
      return prefixLines(text === "" ? "\u00a0" : text, marker, " ".repeat(marker.length));
    })
    .join("\n");
}

function table(node: JSONContent, nextNote: NextNote): string {
  const rows = (node.content ?? []).map((row) =>
    (row.content ?? []).flatMap((cell) => {
      // A GFM cell is one line: its paragraphs (or list items) are joined by line breaks.
      const text = blocks(cell.content ?? [], nextNote).replace(/\\\n|\n+/g, "<br>");
      const span = Math.max(1, Number(cell.attrs?.colspan) || 1);
      return [text, ...Array<string>(span - 1).fill("")];
    }),
  );
  if (rows.length === 0) return "";
  const width = Math.max(...rows.map((r) => r.length));
  const line = (cells: string[]) => `| ${[...cells, ...Array<string>(width - cells.length).fill("")].join(" | ")} |`;
  // GFM tables need a header row: the first row is one in the editor too.
  return [line(rows[0]!), line(Array<string>(width).fill("---")), ...rows.slice(1).map(line)].join("\n");
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

type MarkKey = "link" | "bold" | "italic" | "strike";
/** Outermost first: a link may hold emphasis, not the other way round. */
const MARK_ORDER: MarkKey[] = ["link", "bold", "italic", "strike"];
const DELIMITERS: Record<Exclude<MarkKey, "link">, string> = { bold: "**", italic: "*", strike: "~~" };

interface OpenMark {
  key: MarkKey;
  href?: string;
}

function marksOf(node: JSONContent): OpenMark[] {
  const marks: OpenMark[] = [];
  for (const mark of node.marks ?? []) {
    if (mark.type === "link") {
      const href = String(mark.attrs?.href ?? "");
      if (isAllowedLink(href)) marks.push({ key: "link", href: href.trim() });
    } else if (mark.type === "bold" || mark.type === "italic" || mark.type === "strike") {
      marks.push({ key: mark.type });
    }
  }
  return marks.sort((a, b) => MARK_ORDER.indexOf(a.key) - MARK_ORDER.indexOf(b.key));
}

const sameMark = (a: OpenMark, b: OpenMark) => a.key === b.key && a.href === b.href;
const opener = (mark: OpenMark) => (mark.key === "link" ? "[" : DELIMITERS[mark.key]);
const closer = (mark: OpenMark) =>
  mark.key === "link" ? `](<${mark.href!.replace(/[<>\s]/g, encodeURIComponent)}>)` : DELIMITERS[mark.key];

/**
 * Inline content with its marks. Marks stay open across text nodes that share them (so
 * « **a *b*** » rather than « **a****b** »), and spaces at a mark's edge move outside its
 * delimiters, where Markdown requires them.
 */
function inline(nodes: JSONContent[] | undefined): string {
  let out = "";
  const open: OpenMark[] = [];
  let pendingSpace = "";
  const closeTo = (depth: number) => {
    while (open.length > depth) out += closer(open.pop()!);
  };
  for (const node of nodes ?? []) {
    if (node.type === "hardBreak") {
      closeTo(0);
      out += `${pendingSpace}\\\n`;
      pendingSpace = "";
      continue;
    }
    if (node.type !== "text") continue;
    const raw = (node.text ?? "").replace(/\r?\n/g, " ");
    const isCode = node.marks?.some((m) => m.type === "code") ?? false;
    const marks = marksOf(node);
    let keep = 0;
    while (keep < open.length && keep < marks.length && sameMark(open[keep]!, marks[keep]!)) keep++;
    const [, lead = "", core = "", trail = ""] = /^(\s*)(.*?)(\s*)$/s.exec(raw) ?? [];
    if (core === "") {
      pendingSpace += raw;
      continue;
    }
    closeTo(keep);
    out += pendingSpace + lead;
    const opening = marks.slice(keep);
    // Only text that begins a line (after spaces at most) can read as a list item or an underline.
    const atLineStart = opening.length === 0 && /(^|\n)\s*$/.test(out);
    for (const mark of opening) {
      out += opener(mark);
      open.push(mark);
    }
    if (isCode) {
      const ticks = "`".repeat(longestRun(core, "`") + 1);
      const pad = core.startsWith("`") || core.endsWith("`") ? " " : "";
      out += `${ticks}${pad}${core}${pad}${ticks}`;
    } else {
      out += atLineStart ? escapeText(core) : escapeInline(core);
    }
    pendingSpace = trail;
  }
  closeTo(0);
  // A break ending the block would print its backslash.
  return out.replace(/(\\\n)+\s*$/, "").trim();
}
