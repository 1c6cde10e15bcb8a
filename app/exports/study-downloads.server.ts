import type { AppLoadContext } from "@remix-run/node";
import type { Study } from "../../db/schema";
import { exportsText as t } from "../i18n/exports";
import { findings as findingsText } from "../i18n/findings";
import type { FindingFilters } from "../../db/queries/findings-browser";
import { findingsCsv, findingsTable } from "../models/findings-read.server";
import { loadGrid } from "../models/grid.server";
import { CONTENT_TYPES, downloadResponse, exportFileName } from "./download.server";
import { qdcDocument } from "./qdc.server";
import { qdpxChunks } from "./qdpx.server";
import { xlsxChunks } from "./xlsx.server";

// The study-wide downloads, for a request already authorized: what the routes answer and what the
// exports benchmark times.

/** The study as a REFI-QDA project (.qdpx), streamed. */
export function qdpxDownload(context: AppLoadContext, study: Study) {
  return downloadResponse(qdpxChunks(context, study), {
    fileName: exportFileName(t.fileNames.project, study.title, new Date(), "qdpx"),
    contentType: CONTENT_TYPES.zip,
  });
}

/** The study's analysis grid as a REFI-QDA codebook (.qdc). */
export async function qdcDownload(context: AppLoadContext, study: Study) {
  return downloadResponse(qdcDocument(await loadGrid(context, study.id)), {
    fileName: exportFileName(t.fileNames.grid, study.title, new Date(), "qdc"),
    contentType: CONTENT_TYPES.xml,
  });
}

/** The findings matching the filters, as CSV, streamed. */
export function findingsCsvDownload(context: AppLoadContext, study: Study, filters: FindingFilters, origin: string) {
  return downloadResponse(findingsCsv(context, study.id, filters, origin), {
    fileName: exportFileName(t.fileNames.findings, study.title, new Date(), "csv"),
    contentType: CONTENT_TYPES.csv,
  });
}

/** The findings matching the filters, as an XLSX workbook (the same table as the CSV), streamed. */
export function findingsXlsxDownload(context: AppLoadContext, study: Study, filters: FindingFilters, origin: string) {
  const table = findingsTable(context, study.id, filters, origin);
  return downloadResponse(xlsxChunks({ name: findingsText.browser.title, ...table }), {
    fileName: exportFileName(t.fileNames.findings, study.title, new Date(), "xlsx"),
    contentType: CONTENT_TYPES.xlsx,
  });
}
