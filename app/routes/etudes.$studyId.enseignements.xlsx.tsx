import type { LoaderFunctionArgs } from "@remix-run/node";
import { findingsXlsxDownload } from "~/exports/study-downloads.server";
import { parseFindingFilters } from "~/models/findings-read.server";
import { requireStudyRole } from "~/models/access.server";
import { requireUser } from "~/models/session.server";

/** The findings of the study as an Excel workbook: the CSV export's columns and rows, with the browser's current filters. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const url = new URL(request.url);
  const { filters } = parseFindingFilters(url.searchParams);
  return findingsXlsxDownload(context, study, filters, url.origin);
}
