import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxWorkbook } from "~/exports/xlsx.server";
import { CONTENT_TYPES, downloadResponse, exportFileName } from "~/exports/download.server";
import { exportsText } from "~/i18n/exports";
import { findings as t } from "~/i18n/findings";
import { requireStudyRole } from "~/models/access.server";
import { findingsTable, parseFindingFilters } from "~/models/findings-read.server";
import { requireUser } from "~/models/session.server";

/** The findings of the study as an Excel workbook: the CSV export's columns and rows, with the browser's current filters. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const url = new URL(request.url);
  const { filters } = parseFindingFilters(url.searchParams);
  const table = await findingsTable(context, study.id, filters, url.origin);
  return downloadResponse(await xlsxWorkbook({ name: t.browser.title, ...table }), {
    fileName: exportFileName(exportsText.fileNames.findings, study.title, new Date(), "xlsx"),
    contentType: CONTENT_TYPES.xlsx,
  });
}
