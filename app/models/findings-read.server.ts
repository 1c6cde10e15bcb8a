import type { AppLoadContext } from "@remix-run/node";
import {
  countFindings,
  type FindingFilters,
  type FindingRow,
  listDynamicsWithTypes,
  listFindingAuthors,
  listFindingMeetings,
  listFindings,
  listGridFactors,
} from "../../db/queries/findings-browser";
import { listAudiences, listFindingKinds } from "../../db/queries/grid";
import { findings as t } from "../i18n/findings";
import { isUuid } from "./access.server";
import { FILTER_PARAMS } from "./findings-options";

/** The browser's page size (also the first page the benchmark measures). */
export const PAGE_SIZE = 50;

export type FilterValues = Record<keyof typeof FILTER_PARAMS, string>;

const uuidOrNull = (value: string | null) => (isUuid(value) ? value : null);
const keyOrNull = (value: string | null) => (value && /^[a-z0-9_-]{1,64}$/i.test(value) ? value : null);

/**
 * Filters from the URL. Malformed values are ignored (never an error); well-formed ids of another
 * study simply match nothing, since every query is scoped to the study.
 */
export function parseFindingFilters(search: URLSearchParams): { filters: FindingFilters; values: FilterValues } {
  const factorIds = search.getAll(FILTER_PARAMS.factor).filter(isUuid).slice(0, 5);
  const orphanedParam = search.get(FILTER_PARAMS.orphaned);
  const filters: FindingFilters = {
    factorIds,
    familyId: uuidOrNull(search.get(FILTER_PARAMS.family)),
    kind: keyOrNull(search.get(FILTER_PARAMS.kind)),
    audience: keyOrNull(search.get(FILTER_PARAMS.audience)),
    dynamicId: uuidOrNull(search.get(FILTER_PARAMS.dynamic)),
    dynamicTypeId: uuidOrNull(search.get(FILTER_PARAMS.dynamicType)),
    meetingId: uuidOrNull(search.get(FILTER_PARAMS.visit)),
    authorId: uuidOrNull(search.get(FILTER_PARAMS.author)),
    orphaned: orphanedParam === "oui" ? true : orphanedParam === "non" ? false : null,
  };
  const values: FilterValues = {
    factor: factorIds[0] ?? "",
    family: filters.familyId ?? "",
    kind: filters.kind ?? "",
    audience: filters.audience ?? "",
    dynamic: filters.dynamicId ?? "",
    dynamicType: filters.dynamicTypeId ?? "",
    visit: filters.meetingId ?? "",
    author: filters.authorId ?? "",
    orphaned: filters.orphaned === null ? "" : orphanedParam!,
  };
  return { filters, values };
}

export const hasFilters = (filters: FindingFilters) =>
  Object.values(filters).some((v) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined));

/** The study's vocabulary: what filters offer and what tags are called, with factor colors resolved. */
export async function loadVocabulary(context: AppLoadContext, studyId: string) {
  const [factors, kinds, audiences, dynamics, meetings, authors] = await Promise.all([
    listGridFactors(context.db, studyId),
    listFindingKinds(context.db, studyId),
    listAudiences(context.db, studyId),
    listDynamicsWithTypes(context.db, studyId),
    listFindingMeetings(context.db, studyId),
    listFindingAuthors(context.db, studyId),
  ]);
  const families = new Map<string, { id: string; label: string; color: string }>();
  for (const f of factors) families.set(f.familyId, { id: f.familyId, label: f.familyLabel, color: f.familyColor });
  const types = new Map<string, { id: string; label: string }>();
  for (const d of dynamics) types.set(d.typeId, { id: d.typeId, label: d.typeLabel });
  return {
    factors: factors.map((f) => ({ id: f.id, label: f.label, color: f.color ?? f.familyColor, familyId: f.familyId, archived: f.archivedAt !== null })),
    families: [...families.values()],
    kinds: kinds.map((k) => ({ key: k.key, label: k.label })),
    audiences: audiences.map((a) => ({ key: a.key, label: a.label })),
    dynamics: dynamics.map((d) => ({ id: d.id, name: d.name, typeId: d.typeId, archived: d.archivedAt !== null })),
    types: [...types.values()],
    meetings: meetings.map((m) => ({ id: m.id, title: m.title, startsOn: m.starts_on })),
    authors,
  };
}

export type Vocabulary = Awaited<ReturnType<typeof loadVocabulary>>;

export const passageUrl = (studyId: string, meetingId: string, findingId: string) =>
  `/etudes/${studyId}/visites/${meetingId}/compte-rendu#enseignement-${findingId}`;

/** A finding with its tags named, ready to show or export. */
export function describeFinding(studyId: string, row: FindingRow, vocabulary: Vocabulary) {
  const factors = new Map(vocabulary.factors.map((f) => [f.id, f]));
  const families = new Map(vocabulary.families.map((f) => [f.id, f]));
  const dynamics = new Map(vocabulary.dynamics.map((d) => [d.id, d]));
  const types = new Map(vocabulary.types.map((ty) => [ty.id, ty]));
  const tagFactors = row.factorIds.flatMap((id) => factors.get(id) ?? []);
  const tagDynamics = row.dynamicIds.flatMap((id) => dynamics.get(id) ?? []);
  return {
    id: row.id,
    quote: row.quote,
    comment: row.comment,
    kind: row.kind,
    kindLabel: vocabulary.kinds.find((k) => k.key === row.kind)?.label ?? row.kind,
    audienceLabel: row.audience ? (vocabulary.audiences.find((a) => a.key === row.audience)?.label ?? row.audience) : null,
    factors: tagFactors.map((f) => ({ id: f.id, label: f.label, color: f.color })),
    familyLabels: [...new Set(tagFactors.flatMap((f) => families.get(f.familyId)?.label ?? []))],
    dynamics: tagDynamics.map((d) => ({ id: d.id, name: d.name })),
    typeLabels: [...new Set(tagDynamics.flatMap((d) => types.get(d.typeId)?.label ?? []))],
    meeting: row.meetingId ? { id: row.meetingId, title: row.meetingTitle ?? "", startsOn: row.meetingStartsOn } : null,
    author: row.authorName,
    createdAt: row.createdAt,
    orphaned: row.orphanedAt !== null,
    url: row.meetingId ? passageUrl(studyId, row.meetingId, row.id) : null,
  };
}

export type DescribedFinding = ReturnType<typeof describeFinding>;

export async function loadFindingsPage(
  context: AppLoadContext,
  studyId: string,
  filters: FindingFilters,
  vocabulary: Vocabulary,
  page: number,
) {
  const [total, studyTotal] = await Promise.all([
    countFindings(context.db, studyId, filters),
    hasFilters(filters) ? countFindings(context.db, studyId) : null,
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await listFindings(context.db, studyId, filters, { limit: PAGE_SIZE, offset: (current - 1) * PAGE_SIZE });
  return {
    findings: rows.map((r) => describeFinding(studyId, r, vocabulary)),
    total,
    studyTotal: studyTotal ?? total,
    page: current,
    pages,
  };
}

/** A page number from the URL: a positive integer, 1 otherwise. */
export function parsePage(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1;
}

// ---- CSV and XLSX exports ----

/**
 * `;` separated: French spreadsheet programs (Excel and LibreOffice in a French locale) use the
 * comma as decimal separator and `;` as list separator, so a `;` file opens in columns directly.
 * UTF-8 with a BOM so that Excel reads accents right; CRLF line ends (RFC 4180).
 */
const SEPARATOR = ";";

function csvCell(value: string): string {
  // A cell starting like a formula would run in a spreadsheet (CSV injection): make it text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Findings read, described and written per step of a CSV or XLSX export (each step in its own
 * turn of the event loop, which also serves the collaboration). On 50,000 findings the longest
 * step took 40 ms (CSV) and 77 ms (XLSX), against 1.5 and 2.3 s for the whole table at once;
 * pages of 250 halve that but cost a third more time in all (docs/benchmarks.md, exports run 3).
 */
const EXPORT_PAGE_SIZE = 1_000;

/**
 * The findings export as a table of plain text, the same for CSV and XLSX: the header, then the
 * findings matching the filters (all pages) in the browser's order, a page of rows at a time.
 */
export function findingsTable(context: AppLoadContext, studyId: string, filters: FindingFilters, origin: string) {
  return { header: t.csv.header, pages: findingsTablePages(context, studyId, filters, origin) };
}

async function* findingsTablePages(context: AppLoadContext, studyId: string, filters: FindingFilters, origin: string) {
  const vocabulary = await loadVocabulary(context, studyId);
  // Pages follow `seq` rather than an offset: a finding added or removed while the file is being
  // read neither repeats nor skips another.
  let beforeSeq: number | undefined;
  for (;;) {
    const rows = await listFindings(context.db, studyId, filters, { limit: EXPORT_PAGE_SIZE, beforeSeq });
    if (rows.length > 0) yield rows.map((row) => tableRow(studyId, row, vocabulary, origin));
    if (rows.length < EXPORT_PAGE_SIZE) return;
    beforeSeq = rows[rows.length - 1]!.seq;
  }
}

function tableRow(studyId: string, row: FindingRow, vocabulary: Vocabulary, origin: string): string[] {
  const f = describeFinding(studyId, row, vocabulary);
  return [
    f.id,
    f.quote,
    f.kindLabel,
    f.audienceLabel ?? "",
    f.factors.map((x) => x.label).join(", "),
    f.familyLabels.join(", "),
    f.dynamics.map((x) => x.name).join(", "),
    f.typeLabels.join(", "),
    f.meeting?.title ?? "",
    f.meeting?.startsOn ?? "",
    f.author ?? "",
    f.createdAt.slice(0, 10),
    f.orphaned ? t.csv.yes : t.csv.no,
    f.comment,
    f.url ? `${origin}${f.url}` : "",
  ];
}

const csvLine = (cells: readonly string[]) => `${cells.map(csvCell).join(SEPARATOR)}\r\n`;

/** The findings export as CSV text, produced a page of rows at a time. */
export async function* findingsCsv(context: AppLoadContext, studyId: string, filters: FindingFilters, origin: string) {
  const { header, pages } = findingsTable(context, studyId, filters, origin);
  yield `\uFEFF${csvLine(header)}`;
  for await (const rows of pages) yield rows.map(csvLine).join("");
}

/** « Dynamiques collectives de transitions » → « dynamiques-collectives-de-transitions ». */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/œ/gi, "oe")
    .replace(/æ/gi, "ae")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return slug || "etude";
}
