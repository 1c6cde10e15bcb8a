import type { LoaderFunctionArgs } from "@remix-run/node";
import { CONTENT_TYPES, downloadResponse, exportFileName } from "~/exports/download.server";
import { qdpxStream } from "~/exports/qdpx.server";
import { exportsText } from "~/i18n/exports";
import { requireStudyRole } from "~/models/access.server";
import { requireUser } from "~/models/session.server";

/** The study as a REFI-QDA project (.qdpx), for QDA programs. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  return downloadResponse(qdpxStream(context, study), {
    fileName: exportFileName(exportsText.fileNames.project, study.title, new Date(), "qdpx"),
    contentType: CONTENT_TYPES.zip,
  });
}
