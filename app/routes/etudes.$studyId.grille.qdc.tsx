import type { LoaderFunctionArgs } from "@remix-run/node";
import { CONTENT_TYPES, downloadResponse, exportFileName } from "~/exports/download.server";
import { qdcDocument } from "~/exports/qdc.server";
import { exportsText } from "~/i18n/exports";
import { requireStudyRole } from "~/models/access.server";
import { loadGrid } from "~/models/grid.server";
import { requireUser } from "~/models/session.server";

/** The analysis grid alone as a REFI-QDA codebook (.qdc). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  return downloadResponse(qdcDocument(await loadGrid(context, study.id)), {
    fileName: exportFileName(exportsText.fileNames.grid, study.title, new Date(), "qdc"),
    contentType: CONTENT_TYPES.xml,
  });
}
