import type { LoaderFunctionArgs } from "@remix-run/node";
import { qdpxDownload } from "~/exports/study-downloads.server";
import { requireStudyRole } from "~/models/access.server";
import { requireUser } from "~/models/session.server";

/** The study as a REFI-QDA project (.qdpx), for QDA programs. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  return qdpxDownload(context, study);
}
