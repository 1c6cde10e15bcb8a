import type { LoaderFunctionArgs } from "@remix-run/node";
import { findingsCsvDownload } from "~/exports/study-downloads.server";
import { parseFindingFilters } from "~/models/findings-read.server";
import { requireStudyRole } from "~/models/access.server";
import { requireUser } from "~/models/session.server";

/** The findings of the study as CSV, with the browser's current filters. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const url = new URL(request.url);
  const { filters } = parseFindingFilters(url.searchParams);
  return findingsCsvDownload(context, study, filters, url.origin);
}
