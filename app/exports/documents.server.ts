import type { AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import type { Document, Meeting, Study } from "../../db/schema";
import { exportsText as t } from "../i18n/exports";
import { requireMeetingReport } from "../models/reports.server";
import { requireSynthesis } from "../models/synthesis.server";
import { loadReportExport, loadSynthesisExport, type ExportDocument } from "./document-content.server";
import { renderDocx } from "./docx.server";
import { CONTENT_TYPES, downloadResponse, exportFileName } from "./download.server";
import { renderMarkdown } from "./markdown.server";

/** One loader, two renderers: the same content goes to Word or to Markdown. */
export const DOCUMENT_FORMATS = {
  docx: { extension: "docx", contentType: CONTENT_TYPES.docx, render: renderDocx },
  markdown: { extension: "md", contentType: CONTENT_TYPES.markdown, render: renderMarkdown },
} satisfies Record<string, { extension: string; contentType: string; render: (doc: ExportDocument) => unknown }>;

export type DocumentFormat = keyof typeof DOCUMENT_FORMATS;

async function download(doc: ExportDocument, format: DocumentFormat, prefix: string, name: string) {
  const { extension, contentType, render } = DOCUMENT_FORMATS[format];
  return downloadResponse(await render(doc), { fileName: exportFileName(prefix, name, new Date(), extension), contentType });
}

/** The download of a synthesis already authorized (also what the exports benchmark times). */
export async function synthesisDownload(
  context: AppLoadContext,
  target: { study: Study; synthesis: Document; origin: string },
  format: DocumentFormat,
) {
  const doc = await loadSynthesisExport(context, { study: target.study, document: target.synthesis, origin: target.origin });
  return download(doc, format, t.fileNames.synthesis, target.study.title);
}

/** The download of a visit report already authorized (also what the exports benchmark times). */
export async function reportDownload(
  context: AppLoadContext,
  target: { study: Study; meeting: Meeting; report: Document; origin: string },
  format: DocumentFormat,
) {
  const { study, meeting, report, origin } = target;
  const doc = await loadReportExport(context, { study, meeting, document: report, origin });
  return download(doc, format, t.fileNames.report, meeting.title);
}

/**
 * The study's synthesis, for every member (lecteur included). As on its page, a study whose
 * synthesis nobody opened yet gets it created from the template, so the export is that template.
 */
export async function exportSynthesis({ request, context, params }: LoaderFunctionArgs, format: DocumentFormat) {
  const { study, synthesis } = await requireSynthesis(request, context, params);
  return synthesisDownload(context, { study, synthesis, origin: new URL(request.url).origin }, format);
}

/** One visit report, authorized and looked up like its page. */
export async function exportReport({ request, context, params }: LoaderFunctionArgs, format: DocumentFormat) {
  const { study, meeting, report } = await requireMeetingReport(request, context, params);
  return reportDownload(context, { study, meeting, report, origin: new URL(request.url).origin }, format);
}
