import { createHash } from "node:crypto";

/**
 * The XML writer of the exports (REFI-QDA project.qde and .qdc, the XLSX sheet): elements are built as strings,
 * every attribute value and text escaped here and nowhere else.
 */

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/U+FFFF): dropped. */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const withoutNonXml = (value: string): string => value.replace(NOT_XML, "");

/** Printable ASCII with nothing to escape: ids, dates, numbers — most attribute values. */
const PLAIN = /^[\x20\x21\x23-\x25\x27-\x3B\x3D\x3F-\x7E]*$/;

/** Text content. A CR is written as a reference: a parser would otherwise turn CRLF into LF. */
export const escapeText = (value: string): string =>
  PLAIN.test(value)
    ? value
    : value
        .replace(NOT_XML, "")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\r/g, "&#13;");

/** Attribute values: quotes escaped, and tabs and line ends as references (parsers fold them into spaces). */
export const escapeAttribute = (value: string): string =>
  PLAIN.test(value)
    ? value
    : escapeText(value)
        .replace(/"/g, "&quot;")
        .replace(/\t/g, "&#9;")
        .replace(/\n/g, "&#10;");

export type XmlAttributes = Record<
  string,
  string | number | boolean | null | undefined
>;
/** Serialized children; null, undefined and false are left out (optional elements). */
export type XmlChild = string | null | undefined | false;

function openTag(name: string, attributes: XmlAttributes): string {
  let tag = `<${name}`;
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    tag += ` ${key}="${escapeAttribute(String(value))}"`;
  }
  return tag;
}

/** An element with element children (already serialized); empty, it closes itself. */
export function element(
  name: string,
  attributes: XmlAttributes = {},
  children: readonly XmlChild[] = []
): string {
  const inner = children
    .filter((c): c is string => typeof c === "string" && c !== "")
    .join("");
  return inner === ""
    ? `${openTag(name, attributes)}/>`
    : `${openTag(name, attributes)}>${inner}</${name}>`;
}

/** An element holding text; left out (null) when the text is empty, as optional elements are. */
export function textElement(
  name: string,
  text: string | null | undefined
): string | null {
  return text ? `<${name}>${escapeText(text)}</${name}>` : null;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** xsd:dateTime of a stored timestamp, or null when it is not a date. */
export function xsdDateTime(value: string | null | undefined): string | null {
  if (!value) return null;
  // Stored timestamps are already in this form (db/queries/executor.ts nowIso).
  if (ISO_UTC.test(value)) return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** A color the schema's RGBType accepts (#RRGGBB or #RGB), or null. */
export const rgb = (value: string | null | undefined): string | null =>
  value && /^#([0-9a-f]{6}|[0-9a-f]{3})$/i.test(value) ? value : null;

/** The namespace of Terrain's derived GUIDs (a fixed random UUID, never to change). */
const GUID_NAMESPACE = Buffer.from(
  "3f9c1d52-6b0e-4a57-9c1e-8d2f4b7a6e10".replace(/-/g, ""),
  "hex"
);

/**
 * A name-based GUID (UUID version 5, RFC 4122: SHA-1 of a namespace and a name) for exported
 * elements that have no row of their own (a coding, a finding's second passage): the same row and
 * role give the same GUID at every export, so a QDA program re-importing the project matches them.
 */
export function derivedGuid(rowId: string, role: string): string {
  const hash = createHash("sha1")
    .update(GUID_NAMESPACE)
    .update(`${rowId}/${role}`, "utf8")
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(
    12,
    16
  )}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
