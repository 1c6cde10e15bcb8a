import { derivedContent } from "../editor/derived-content";
import type { AppLoadContext } from "@remix-run/node";
import type { JSONContent } from "@tiptap/core";
import { listMeetingDynamics } from "../../db/queries/meetings";
import type { Document, Meeting, Study } from "../../db/schema";
import { citationsOf } from "../editor/citation";
import { exportsText as t } from "../i18n/exports";
import { formatDay, formatDayRange } from "../i18n/format";
import { loadCitedFindings } from "../models/citations.server";

/** A citation block as the exports print it: the quote as accepted in the block, and its note. */
export interface ExportCitation {
  quote: string;
  /** « Dynamique · Visite · date »: live when the finding still exists, else as the block last read. */
  source: string;
  /** Absolute link to the passage in its report; null when the finding is gone. */
  url: string | null;
}

/** Everything a DOCX or Markdown export needs, read from the server's derived copy only. */
export interface ExportDocument {
  studyTitle: string;
  title: string;
  /** Lines under the title on the title page (visit date and dynamics of a report). */
  details: string[];
  exportedOn: string;
  content: JSONContent;
  /** The content's citation blocks, in document order: the n-th block is note n. */
  citations: ExportCitation[];
}

async function exportCitations(context: AppLoadContext, studyId: string, content: JSONContent, origin: string) {
  const blocks = citationsOf(content);
  const ids = blocks.flatMap((b) => (b.findingId ? [b.findingId] : []));
  const live = await loadCitedFindings(context, studyId, ids);
  return blocks.map((block): ExportCitation => {
    const finding = block.findingId ? live.get(block.findingId) : undefined;
    return {
      quote: block.quote,
      source: finding?.source || block.source,
      url: finding?.url ? `${origin}${finding.url}` : null,
    };
  });
}

interface ExportTarget {
  study: Pick<Study, "id" | "title">;
  document: Pick<Document, "json">;
  origin: string;
}

export async function loadSynthesisExport(context: AppLoadContext, { study, document, origin }: ExportTarget): Promise<ExportDocument> {
  const content = derivedContent(document.json);
  return {
    studyTitle: study.title,
    title: t.document.synthesisTitle,
    details: [],
    exportedOn: formatDay(new Date().toISOString().slice(0, 10)),
    content,
    citations: await exportCitations(context, study.id, content, origin),
  };
}

export async function loadReportExport(
  context: AppLoadContext,
  { study, document, origin, meeting }: ExportTarget & { meeting: Pick<Meeting, "id" | "title" | "starts_on" | "ends_on"> },
): Promise<ExportDocument> {
  const content = derivedContent(document.json);
  const [dynamics, citations] = await Promise.all([
    listMeetingDynamics(context.db, meeting.id),
    exportCitations(context, study.id, content, origin),
  ]);
  return {
    studyTitle: study.title,
    title: t.document.reportTitle(meeting.title),
    details: [t.document.visitDate(formatDayRange(meeting.starts_on, meeting.ends_on)), dynamics.map((d) => d.name).join(", ")].filter(
      (line) => line !== "",
    ),
    exportedOn: formatDay(new Date().toISOString().slice(0, 10)),
    content,
    citations,
  };
}
