import type { AppLoadContext } from "@remix-run/node";
import { findMeetingReport } from "../../db/queries/documents";
import { listDynamics } from "../../db/queries/dynamics";
import { listAudiences, listFactorFamilies, listFactors, listFindingKinds } from "../../db/queries/grid";
import { findMeeting, listMeetingDynamics } from "../../db/queries/meetings";
import { listStudyMembers } from "../../db/queries/memberships";
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

/** What the report editor needs to tag findings and show their tags: grid, dynamics, authors. */
export async function loadReportTagging(context: AppLoadContext, studyId: string, meetingId: string) {
  const db = context.db;
  const [kinds, audiences, families, factors, dynamics, visitDynamics, members] = await Promise.all([
    listFindingKinds(db, studyId),
    listAudiences(db, studyId),
    listFactorFamilies(db, studyId),
    listFactors(db, studyId),
    listDynamics(db, studyId, { includeArchived: true }),
    listMeetingDynamics(db, meetingId),
    listStudyMembers(db, studyId),
  ]);
  return {
    kinds: kinds.map((k) => ({ key: k.key, label: k.label, hasAudience: k.has_audience === 1 })),
    audiences: audiences.map((a) => ({ key: a.key, label: a.label })),
    families: families.map((family) => ({
      id: family.id,
      label: family.label,
      color: family.color,
      factors: factors
        .filter((f) => f.family_id === family.id)
        .map((f) => ({ id: f.id, label: f.label, color: f.color, archived: f.archived_at !== null, mergedInto: f.merged_into })),
    })),
    dynamics: dynamics.map((d) => ({ id: d.id, name: d.name, archived: d.archived_at !== null })),
    visitDynamicIds: visitDynamics.filter((d) => d.archived_at === null).map((d) => d.id),
    // Names only: the tooltip says who tagged a passage; e-mail addresses stay private.
    authors: members.map((m) => ({ id: m.id, name: m.name })),
  };
}

export type ReportTagging = Awaited<ReturnType<typeof loadReportTagging>>;
