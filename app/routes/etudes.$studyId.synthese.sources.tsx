import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStudyRole } from "~/models/access.server";
import { requireUser } from "~/models/session.server";
import { citationStates, parseFindingIds } from "~/models/synthesis.server";

/** The live state of cited findings (`?ids=a,b`), for the synthesis's citation blocks; findings of the study only. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const ids = parseFindingIds(new URL(request.url).searchParams.get("ids"));
  return Response.json({ states: await citationStates(context, study.id, ids) }, { headers: { "Cache-Control": "private, no-store" } });
}
