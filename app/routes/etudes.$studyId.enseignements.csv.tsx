import type { LoaderFunctionArgs } from "@remix-run/node";
import { findings as t } from "~/i18n/findings";
import { requireStudyRole } from "~/models/access.server";
import { findingsCsv, parseFindingFilters, slugify } from "~/models/findings-read.server";
import { requireUser } from "~/models/session.server";

/** The findings of the study as CSV, with the browser's current filters. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const url = new URL(request.url);
  const { filters } = parseFindingFilters(url.searchParams);
  const body = await findingsCsv(context, study.id, filters, url.origin);
  const fileName = t.csv.fileName(slugify(study.title), new Date().toISOString().slice(0, 10));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
