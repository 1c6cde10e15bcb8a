import type { JSONContent } from "@tiptap/core";
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  LevelFormat,
  type ILevelsOptions,
  type NumberingDefinition,
  Packer,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { CITATION_NODE, type CitationAttrs } from "../editor/citation";
import { isAllowedLink } from "../editor/extensions";
import { exportsText as t } from "../i18n/exports";
import type { ExportDocument } from "./document-content.server";

const LANGUAGE = "fr-FR";
const FONT = "Calibri";
const MONOSPACE = "Consolas";
/** Twentieths of a point: one indentation step of lists, quotes and citations. */
const INDENT = 720;

const STYLE = { quote: "Quote", citation: "Citation", meta: "TitlePageDetail" } as const;

/** Characters XML 1.0 cannot hold (pasted control characters): a part holding one would not open. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const clean = (text: string) => text.replace(NOT_XML, "");

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

const levels = (format: ILevelsOptions["format"], text: (level: number) => string, start = 1): ILevelsOptions[] =>
  Array.from({ length: 9 }, (_, level) => ({
    level,
    format,
    text: text(level),
    start,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: INDENT * (level + 1), hanging: 360 } } },
  }));

const BULLETS: NumberingDefinition = {
  reference: "puces",
  levels: levels(LevelFormat.BULLET, (level) => ["•", "◦", "▪"][level % 3]!),
};

/** An ordered list starting at `start`: its own definition, since a level's start is part of it. */
const numbered = (start: number): NumberingDefinition => ({
  reference: `numeros-${start}`,
  levels: levels(LevelFormat.DECIMAL, (level) => `%${level + 1}.`, start),
});

/** Where a block sits: in how many lists, in a quote, in a table's header row. */
interface Place {
  listLevel: number;
  inQuote: boolean;
  inHeader?: boolean;
}

interface Marks {
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
  underline?: Record<string, never>;
  font?: string;
}

/**
 * The Word document: a title page, then the content as the editor shows it, citation blocks as
 * indented quotes each with a numbered footnote naming its source (dynamic, visit, date) and
 * linking to the passage. Built by `docx`'s Packer, so the OOXML is the library's, valid for
 * Word and LibreOffice.
 */
export async function renderDocx(doc: ExportDocument): Promise<Uint8Array> {
  const footnotes: Record<number, { children: Paragraph[] }> = {};
  let listInstance = 0;

  const footnoteFor = (): number => {
    const n = Object.keys(footnotes).length + 1;
    const citation = doc.citations[n - 1];
    const children: ParagraphChild[] = [new TextRun(clean(citation?.source ?? ""))];
    if (citation?.url) {
      children.push(
        new TextRun(" — "),
        new ExternalHyperlink({ link: citation.url, children: [new TextRun({ text: t.document.sourceLink, style: "Hyperlink" })] }),
      );
    }
    footnotes[n] = { children: [new Paragraph({ children })] };
    return n;
  };

  function runs(nodes: JSONContent[] | undefined, place: Place, base: Marks = {}): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const node of nodes ?? []) {
      if (node.type === "hardBreak") {
        out.push(new TextRun({ break: 1 }));
        continue;
      }
      if (node.type !== "text" || !node.text) continue;
      const marks: Marks = { ...base, ...(place.inHeader ? { bold: true } : {}) };
      let href: string | null = null;
      for (const mark of node.marks ?? []) {
        if (mark.type === "bold") marks.bold = true;
        else if (mark.type === "italic") marks.italics = true;
        else if (mark.type === "strike") marks.strike = true;
        else if (mark.type === "underline") marks.underline = {};
        else if (mark.type === "code") marks.font = MONOSPACE;
        else if (mark.type === "link" && isAllowedLink(String(mark.attrs?.href ?? ""))) href = String(mark.attrs?.href).trim();
        // Finding marks are the report's tagging, not its typography: plain text here.
      }
      const run = new TextRun({ text: clean(node.text), ...marks, ...(href ? { style: "Hyperlink" } : {}) });
      out.push(href ? new ExternalHyperlink({ link: href, children: [run] }) : run);
    }
    return out;
  }

  const indentOf = (place: Place) => {
    const steps = place.listLevel + (place.inQuote ? 1 : 0);
    return steps > 0 ? { left: INDENT * steps } : undefined;
  };

  function blocks(nodes: JSONContent[] | undefined, place: Place): (Paragraph | Table)[] {
    return (nodes ?? []).flatMap((node) => block(node, place));
  }

  function block(node: JSONContent, place: Place): (Paragraph | Table)[] {
    const style = place.inQuote ? STYLE.quote : undefined;
    switch (node.type) {
      case "heading": {
        const level = Math.min(Math.max(Number(node.attrs?.level) || 1, 1), 6);
        return [new Paragraph({ heading: HEADINGS[level - 1], children: runs(node.content, place) })];
      }
      case "paragraph":
        return [new Paragraph({ style, indent: indentOf(place), children: runs(node.content, place) })];
      case "blockquote":
        return blocks(node.content, { ...place, inQuote: true });
      case "bulletList":
      case "orderedList":
        return list(node, place);
      case "codeBlock":
        return [
          new Paragraph({
            indent: indentOf(place),
            children: runs(node.content, place, { font: MONOSPACE }),
          }),
        ];
      case "horizontalRule":
        return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "999999", space: 1 } }, children: [] })];
      case "table":
        return [table(node)];
      case CITATION_NODE:
        return [citation((node.attrs ?? {}) as Partial<CitationAttrs>, place)];
      default:
        return blocks(node.content, place);
    }
  }

  function citation(attrs: Partial<CitationAttrs>, place: Place): Paragraph {
    const lines = (attrs.quote ?? "").split(/\n+/).filter((line) => line.trim() !== "");
    const children: ParagraphChild[] = lines.map((line, i) => {
      const quoted = `${i === 0 ? "« " : ""}${line}${i === lines.length - 1 ? " »" : ""}`;
      return new TextRun({ text: clean(quoted), break: i > 0 ? 1 : undefined });
    });
    children.push(new FootnoteReferenceRun(footnoteFor()));
    return new Paragraph({ style: STYLE.citation, indent: { left: INDENT * (place.listLevel + 1), right: INDENT }, children });
  }

  function list(node: JSONContent, place: Place): (Paragraph | Table)[] {
    const ordered = node.type === "orderedList";
    const reference = ordered ? numbered(Math.max(0, Number(node.attrs?.start ?? 1) || 1)) : BULLETS;
    // Each list numbers from its start, even after another list of the same kind.
    const instance = ++listInstance;
    const level = Math.min(place.listLevel, 8);
    return (node.content ?? []).flatMap((item) =>
      (item.content ?? []).flatMap((child, i) => {
        if (child.type === "bulletList" || child.type === "orderedList") return list(child, { ...place, listLevel: place.listLevel + 1 });
        if (i === 0 && child.type === "paragraph") {
          const numbering = { reference, level, instance };
          return [new Paragraph({ style: place.inQuote ? STYLE.quote : undefined, numbering, children: runs(child.content, place) })];
        }
        return block(child, { ...place, listLevel: place.listLevel + 1 });
      }),
    );
  }

  function table(node: JSONContent): Table {
    const rows = (node.content ?? []).map((row) => {
      const cells = row.content ?? [];
      const header = cells.length > 0 && cells.every((cell) => cell.type === "tableHeader");
      return new TableRow({
        tableHeader: header,
        cantSplit: true,
        children: cells.map((cell) => {
          const children = blocks(cell.content, { listLevel: 0, inQuote: false, inHeader: cell.type === "tableHeader" });
          return new TableCell({
            columnSpan: Math.max(1, Number(cell.attrs?.colspan) || 1),
            rowSpan: Math.max(1, Number(cell.attrs?.rowspan) || 1),
            children: children.length ? children : [new Paragraph({})],
          });
        }),
      });
    });
    return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows });
  }

  const body = blocks(doc.content.content, { listLevel: 0, inQuote: false });
  const titlePage = [
    new Paragraph({ spacing: { before: 2400 }, style: STYLE.meta, children: [new TextRun(clean(doc.studyTitle))] }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(clean(doc.title))] }),
    ...doc.details.map((line) => new Paragraph({ style: STYLE.meta, children: [new TextRun(clean(line))] })),
    new Paragraph({ style: STYLE.meta, spacing: { before: 1200 }, children: [new TextRun(t.document.generatedOn(doc.exportedOn))] }),
    new Paragraph({ style: STYLE.meta, children: [new TextRun(t.document.generatedBy)] }),
  ];

  const document = new Document({
    ...properties(doc),
    styles: {
      default: {
        document: { run: { font: FONT, size: 22, language: { value: LANGUAGE } }, paragraph: { spacing: { after: 120 } } },
        // Headings stay on the page of the paragraph they introduce.
        ...Object.fromEntries(
          HEADINGS.map((_, i) => [`heading${i + 1}`, { paragraph: { keepNext: true, keepLines: true, spacing: { before: 240, after: 120 } } }]),
        ),
      },
      paragraphStyles: [
        {
          id: STYLE.quote,
          name: "Quote",
          basedOn: "Normal",
          run: { italics: true, color: "444444" },
          paragraph: { indent: { left: INDENT }, border: { left: { style: BorderStyle.SINGLE, size: 12, color: "BBBBBB", space: 8 } } },
        },
        {
          id: STYLE.citation,
          name: "Citation",
          basedOn: "Normal",
          run: { italics: true },
          paragraph: {
            keepLines: true,
            spacing: { before: 120, after: 200 },
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: "2563EB", space: 8 } },
          },
        },
        { id: STYLE.meta, name: "Title Page Detail", basedOn: "Normal", run: { size: 26, color: "444444" } },
      ],
    },
    numbering: { config: [BULLETS] },
    footnotes,
    sections: [{ children: titlePage }, { children: body.length ? body : [new Paragraph({})] }],
  });
  const buffer = await Packer.toBuffer(document, false, [corePropertiesWithLanguage(doc)]);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

const properties = (doc: ExportDocument) => ({
  title: `${doc.title} — ${doc.studyTitle}`,
  subject: doc.studyTitle,
  creator: t.document.creator,
  lastModifiedBy: t.document.creator,
  description: t.document.generatedBy,
});

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const xmlText = (text: string) => clean(text).replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!);

/**
 * docProps/core.xml with `dc:language`, which `docx` does not write: the same properties as the
 * library's part, plus the document's language, so that Word and LibreOffice announce French.
 */
function corePropertiesWithLanguage(doc: ExportDocument) {
  const p = properties(doc);
  const now = new Date().toISOString();
  const data =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"' +
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xmlText(p.title)}</dc:title><dc:subject>${xmlText(p.subject)}</dc:subject><dc:creator>${xmlText(p.creator)}</dc:creator>` +
    `<dc:description>${xmlText(p.description)}</dc:description><dc:language>${LANGUAGE}</dc:language>` +
    `<cp:lastModifiedBy>${xmlText(p.lastModifiedBy)}</cp:lastModifiedBy><cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${now}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${now}</dcterms:modified>` +
    "</cp:coreProperties>";
  return { path: "docProps/core.xml", data };
}
