import { escapeAttribute, withoutNonXml } from "./xml.server";
import { ZipWriter } from "./zip.server";

/**
 * A one-sheet XLSX workbook of text, written by hand: the few SpreadsheetML parts Excel,
 * LibreOffice and Numbers need, zipped with fflate. Every cell is an inline string
 * (`t="inlineStr"`), never a formula or a number to interpret, so a value such as « =1+1 »
 * stays text by construction (no CSV-style escaping needed).
 */
export interface XlsxSheet {
  /** The sheet's tab name (cut to Excel's 31 characters, without the characters it forbids). */
  name: string;
  header: readonly string[];
  /** The rows, a page at a time: the workbook is written as they come. */
  pages: AsyncIterable<readonly (readonly string[])[]>;
}

/** Excel's limit per cell; a longer value would make it refuse the whole file. */
const MAX_CELL_LENGTH = 32_767;
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOCUMENT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";


/** 0 → A, 25 → Z, 26 → AA. */
function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function sheetName(name: string): string {
  const clean = withoutNonXml(name).replace(/[[\]:*?/\\]/g, " ").replace(/^'+|'+$/g, "").trim().slice(0, 31);
  return clean || "Feuille1";
}

function cell(ref: string, value: string, style: number): string {
  const text = withoutNonXml(value).slice(0, MAX_CELL_LENGTH);
  if (text === "") return "";
  return `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ""}><is><t xml:space="preserve">${escapeAttribute(text)}</t></is></c>`;
}

/**
 * Widths in characters from the longest line of each column, within bounds. The `<cols>` come
 * before the rows, so they are measured on the first page: a later longer value wraps no worse
 * than under Excel's default width.
 */
function columnWidths(header: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return header.map((title, c) => {
    let longest = title.length + 2;
    for (const row of rows) {
      for (const line of (row[c] ?? "").split("\n")) longest = Math.max(longest, line.length);
    }
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 1));
  });
}

/** Rows numbered from `first` (1 is the header, in bold: style 1). */
function rowsXml(rows: readonly (readonly string[])[], first: number): string {
  return rows
    .map((values, i) => {
      const r = first + i;
      return `<row r="${r}">${values.map((value, c) => cell(`${columnName(c)}${r}`, value, r === 1 ? 1 : 0)).join("")}</row>`;
    })
    .join("");
}

function worksheetStart(widths: readonly number[]): string {
  return (
    XML_DECLARATION +
    `<worksheet xmlns="${MAIN}">` +
    // No <dimension>: it is optional, and the row count is known only once the last page is written.
    // The header row stays visible while scrolling.
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    `<cols>${widths.map((w, c) => `<col min="${c + 1}" max="${c + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>` +
    "<sheetData>"
  );
}

const worksheetEnd = (range: string) => `</sheetData><autoFilter ref="${range}"/></worksheet>`;

const STYLES =
  XML_DECLARATION +
  `<styleSheet xmlns="${MAIN}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  "</styleSheet>";

const CONTENT_TYPES =
  XML_DECLARATION +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
  "</Types>";

const PACKAGE_RELS =
  XML_DECLARATION +
  `<Relationships xmlns="${RELATIONSHIPS}">` +
  `<Relationship Id="rId1" Type="${DOCUMENT_RELATIONSHIP}/officeDocument" Target="xl/workbook.xml"/>` +
  "</Relationships>";

const WORKBOOK_RELS =
  XML_DECLARATION +
  `<Relationships xmlns="${RELATIONSHIPS}">` +
  `<Relationship Id="rId1" Type="${DOCUMENT_RELATIONSHIP}/worksheet" Target="worksheets/sheet1.xml"/>` +
  `<Relationship Id="rId2" Type="${DOCUMENT_RELATIONSHIP}/styles" Target="styles.xml"/>` +
  "</Relationships>";

function workbook(name: string, range: string): string {
  const absolute = range.replace(/([A-Z]+)(\d+)/g, "$$$1$$$2");
  return (
    XML_DECLARATION +
    `<workbook xmlns="${MAIN}" xmlns:r="${DOCUMENT_RELATIONSHIP}">` +
    `<sheets><sheet name="${escapeAttribute(name)}" sheetId="1" r:id="rId1"/></sheets>` +
    // Excel keeps an autofilter's range under this hidden name; without it some versions drop the filter.
    `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${escapeAttribute(`'${name.replace(/'/g, "''")}'!${absolute}`)}</definedName></definedNames>` +
    "</workbook>"
  );
}

/** The workbook's bytes, produced as its rows come: a page of rows is deflated, then handed on. */
export async function* xlsxChunks(sheet: XlsxSheet): AsyncGenerator<Uint8Array> {
  const name = sheetName(sheet.name);
  const zip = new ZipWriter();
  zip.add("[Content_Types].xml", CONTENT_TYPES);
  zip.add("_rels/.rels", PACKAGE_RELS);
  zip.add("xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
  zip.add("xl/styles.xml", STYLES);
  const pages = sheet.pages[Symbol.asyncIterator]();
  const first = await pages.next();
  const firstRows = first.done ? [] : first.value;
  const part = zip.open("xl/worksheets/sheet1.xml");
  part.push(worksheetStart(columnWidths(sheet.header, firstRows)) + rowsXml([sheet.header, ...firstRows], 1));
  let written = 1 + firstRows.length;
  yield* zip.take();
  if (!first.done) {
    for (let page = await pages.next(); !page.done; page = await pages.next()) {
      part.push(rowsXml(page.value, written + 1));
      written += page.value.length;
      yield* zip.take();
    }
  }
  const range = `A1:${columnName(Math.max(0, sheet.header.length - 1))}${written}`;
  part.push(worksheetEnd(range), true);
  // The workbook names the filter's range, known now that every row is written.
  zip.add("xl/workbook.xml", workbook(name, range));
  yield* await zip.end();
}
