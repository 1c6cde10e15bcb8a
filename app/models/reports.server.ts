import type { AppLoadContext } from "@remix-run/node";
import { findMeetingReport } from "../../db/queries/documents";
import { findMeeting } from "../../db/queries/meetings";
import type { Role } from "../../db/schema";
import { isUuid, notFound, requireStudyRole } from "./access.server";
import { requireUser } from "./session.server";

/**
 * The signed-in user, their role, and the visit report named by the URL, the meeting looked up
 * within the study of the URL: a meeting of another study, or one without a report, is a 404.
 */
export async function requireMeetingReport(
  request: Request,
  context: AppLoadContext,
  params: { studyId?: string; meetingId?: string },
  minimum: Role = "lecteur",
) {
  const user = await requireUser(request, context);
  const { study, role } = await requireStudyRole(context, user, params.studyId, minimum);
  if (!isUuid(params.meetingId)) notFound();
  const meeting = await findMeeting(context.db, study.id, params.meetingId);
  if (!meeting) notFound();
  const report = await findMeetingReport(context.db, meeting.id);
  if (!report || report.study_id !== study.id || report.kind !== "report") notFound();
  return { user, study, role, meeting, report };
}
