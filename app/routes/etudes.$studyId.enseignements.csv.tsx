import type { LoaderFunctionArgs } from "@remix-run/node";
import { CONTENT_TYPES, downloadResponse, exportFileName } from "~/exports/download.server";
import { exportsText } from "~/i18n/exports";
import { requireStudyRole } from "~/models/access.server";
import { findingsCsv, parseFindingFilters } from "~/models/findings-read.server";
import { requireUser } from "~/models/session.server";

/** The findings of the study as CSV, with the browser's current filters. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const url = new URL(request.url);
  const { filters } = parseFindingFilters(url.searchParams);
  const body = await findingsCsv(context, study.id, filters, url.origin);
  return downloadResponse(body, {
    fileName: exportFileName(exportsText.fileNames.findings, study.title, new Date(), "csv"),
    contentType: CONTENT_TYPES.csv,
  });
}
