import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStudyRole } from "~/models/access.server";
import { requireUser } from "~/models/session.server";
import { loadFactorFindings } from "~/models/synthesis.server";

/**
 * One page of a factor's findings for the synthesis panel (`?ouvrir=<factor>&page=N` plus the
 * findings browser's filters), scoped to the study of the URL.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const result = await loadFactorFindings(context, study.id, new URL(request.url).searchParams);
  return Response.json(result, { headers: { "Cache-Control": "private, no-store" } });
}
