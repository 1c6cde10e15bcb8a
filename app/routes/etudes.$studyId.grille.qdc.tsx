import type { LoaderFunctionArgs } from "@remix-run/node";
import { qdcDownload } from "~/exports/study-downloads.server";
import { requireStudyRole } from "~/models/access.server";
import { requireUser } from "~/models/session.server";

/** The analysis grid alone as a REFI-QDA codebook (.qdc). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  return qdcDownload(context, study);
}
