import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { findMeetingReport, insertDocument } from "../../db/queries/documents";
import { findStudyDynamicRefs, listDynamics } from "../../db/queries/dynamics";
import type { Executor } from "../../db/queries/executor";
import {
  findMeeting,
  insertMeeting,
  listMeetingDynamics,
  listMeetingMembers,
  listMeetingPeople,
  listMeetings,
  listStudyMeetingDynamics,
  setMeetingDynamics,
  setMeetingMembers,
  setMeetingPeople,
  updateMeeting,
} from "../../db/queries/meetings";
import { listStudyMembers } from "../../db/queries/memberships";
import type { MeetingKind, MeetingStatus } from "../../db/schema";
import { reportTemplate } from "../editor/templates";
import { common } from "../i18n/common";
import { visits as t } from "../i18n/visits";
import { notFound } from "./access.server";
import { MEETING_KINDS, MEETING_STATUSES } from "./meeting-options";
import { choice, type FieldErrors, isoDay, optionalIsoDay, optionalText, requiredText, rowIds } from "./forms";

const v = common.validation;
const personText = z.array(z.string().trim().max(200, v.tooLong(200)));

/** Checkbox groups and the repeated « personnes rencontrées » rows, read with getAll. */
export const MEETING_ARRAY_FIELDS = ["dynamicIds", "memberIds", "personOrganisation", "personRole", "personName"] as const;

export const MeetingSchema = z
  .object({
    kind: choice(MEETING_KINDS),
    title: requiredText(200),
    startsOn: isoDay,
    endsOn: optionalIsoDay,
    place: optionalText(200),
    status: choice(MEETING_STATUSES),
    dynamicIds: rowIds,
    memberIds: rowIds,
    personOrganisation: personText,
    personRole: personText,
    personName: personText,
  })
  .superRefine((input, ctx) => {
    if (input.endsOn !== null && input.endsOn < input.startsOn) {
      ctx.addIssue({ code: "custom", path: ["endsOn"], message: v.datesOutOfOrder });
    }
    const rows = Math.max(input.personOrganisation.length, input.personRole.length, input.personName.length);
    for (let i = 0; i < rows; i++) {
      const hasDetails = Boolean(input.personRole[i] || input.personName[i]);
      if (hasDetails && !input.personOrganisation[i]) {
        ctx.addIssue({ code: "custom", path: ["people"], message: t.fields.organisationRequired });
        return;
      }
    }
  })
  .transform(({ personOrganisation, personRole, personName, ...rest }) => ({
    ...rest,
    people: personOrganisation.flatMap((organisation, i) =>
      organisation ? [{ organisation, role: personRole[i] ?? "", name: personName[i] || null }] : [],
    ),
  }));
export type MeetingInput = z.infer<typeof MeetingSchema>;

export const MeetingStatusSchema = z.object({ status: choice(MEETING_STATUSES) });

type Outcome = { ok: true; meetingId: string } | { ok: false; errors: FieldErrors };

/**
 * Ticked dynamics and members must be this study's; archived dynamics and former members stay
 * allowed only when the meeting already lists them.
 */
async function checkReferences(db: Executor, studyId: string, input: MeetingInput, meetingId?: string): Promise<FieldErrors | null> {
  const linkedDynamics = new Set(meetingId ? (await listMeetingDynamics(db, meetingId)).map((d) => d.id) : []);
  const dynamics = await findStudyDynamicRefs(db, studyId, input.dynamicIds);
  const dynamicsOk =
    dynamics.length === input.dynamicIds.length && dynamics.every((d) => d.archived_at === null || linkedDynamics.has(d.id));

  const allowedMembers = new Set((await listStudyMembers(db, studyId)).map((m) => m.id));
  if (meetingId) for (const m of await listMeetingMembers(db, meetingId)) allowedMembers.add(m.id);
  const membersOk = input.memberIds.every((id) => allowedMembers.has(id));

  if (dynamicsOk && membersOk) return null;
  return {
    ...(dynamicsOk ? {} : { dynamicIds: v.unknownItem }),
    ...(membersOk ? {} : { memberIds: v.unknownItem }),
  };
}

async function writeLinks(db: Executor, meetingId: string, input: MeetingInput) {
  await setMeetingDynamics(db, meetingId, input.dynamicIds);
  await setMeetingMembers(db, meetingId, input.memberIds);
  await setMeetingPeople(db, meetingId, input.people);
}

const meetingColumns = (input: MeetingInput) => ({
  kind: input.kind,
  title: input.title,
  starts_on: input.startsOn,
  ends_on: input.endsOn,
  place: input.place,
  status: input.status,
});

/** The meeting and its report document are created together, or not at all. */
export async function createMeeting(context: AppLoadContext, studyId: string, userId: string, input: MeetingInput): Promise<Outcome> {
  const created = await context.db.transaction().execute(async (trx) => {
    const errors = await checkReferences(trx, studyId, input);
    if (errors) return { ok: false as const, errors };
    const meeting = await insertMeeting(trx, { study_id: studyId, created_by: userId, ...meetingColumns(input) });
    await writeLinks(trx, meeting.id, input);
    const report = await insertDocument(trx, { studyId, kind: "report", meetingId: meeting.id });
    return { ok: true as const, meetingId: meeting.id, reportId: report.id };
  });
  if (!created.ok) return created;
  await context.collab.initializeDocument(created.reportId, reportTemplate());
  return { ok: true, meetingId: created.meetingId };
}

export async function requireMeeting(context: AppLoadContext, studyId: string, meetingId: string | undefined) {
  const meeting = meetingId ? await findMeeting(context.db, studyId, meetingId) : undefined;
  if (!meeting) notFound();
  return meeting;
}

export async function editMeeting(context: AppLoadContext, studyId: string, meetingId: string, input: MeetingInput): Promise<Outcome> {
  await requireMeeting(context, studyId, meetingId);
  return context.db.transaction().execute(async (trx) => {
    const errors = await checkReferences(trx, studyId, input, meetingId);
    if (errors) return { ok: false as const, errors };
    await updateMeeting(trx, studyId, meetingId, meetingColumns(input));
    await writeLinks(trx, meetingId, input);
    return { ok: true as const, meetingId };
  });
}

export async function changeMeetingStatus(context: AppLoadContext, studyId: string, meetingId: string, status: MeetingStatus) {
  await requireMeeting(context, studyId, meetingId);
  await updateMeeting(context.db, studyId, meetingId, { status });
}

/** The study's meetings in date order, each with the names of the dynamics it concerns. */
export async function loadTimeline(
  context: AppLoadContext,
  studyId: string,
  filters: { kind?: MeetingKind | null; status?: MeetingStatus | null } = {},
) {
  const [meetings, links] = await Promise.all([listMeetings(context.db, studyId, filters), listStudyMeetingDynamics(context.db, studyId)]);
  const dynamicsByMeeting = new Map<string, { id: string; name: string }[]>();
  for (const link of links) {
    const list = dynamicsByMeeting.get(link.meeting_id) ?? [];
    list.push({ id: link.id, name: link.name });
    dynamicsByMeeting.set(link.meeting_id, list);
  }
  return meetings.map((m) => ({ ...m, dynamics: dynamicsByMeeting.get(m.id) ?? [] }));
}

/** What the meeting form offers: the study's active dynamics and its members. */
export async function loadMeetingChoices(context: AppLoadContext, studyId: string) {
  const [dynamics, members] = await Promise.all([listDynamics(context.db, studyId), listStudyMembers(context.db, studyId)]);
  return {
    dynamics: dynamics.map((d) => ({ id: d.id, name: d.name })),
    members: members.map((m) => ({ id: m.id, name: m.name })),
  };
}

export async function loadMeetingDetail(context: AppLoadContext, studyId: string, meetingId: string | undefined) {
  const meeting = await requireMeeting(context, studyId, meetingId);
  const [dynamics, members, people, report] = await Promise.all([
    listMeetingDynamics(context.db, meeting.id),
    listMeetingMembers(context.db, meeting.id),
    listMeetingPeople(context.db, meeting.id),
    findMeetingReport(context.db, meeting.id),
  ]);
  return {
    meeting,
    dynamics,
    members,
    people: people.map((p) => ({ organisation: p.organisation, role: p.role, name: p.name })),
    report: report ? { wordCount: report.word_count, updatedAt: report.updated_at } : null,
  };
}
