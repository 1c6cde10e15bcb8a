import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { MeetingForm } from "~/components/meeting-form";
import { StatusBadge } from "~/components/meetings";
import { common } from "~/i18n/common";
import { formatDateTime, formatDayRange, formatNumber } from "~/i18n/format";
import { visits as t } from "~/i18n/visits";
import { requireStudyRole } from "~/models/access.server";
import { type FormFailure, parseForm } from "~/models/forms";
import { MEETING_STATUSES } from "~/models/meeting-options";
import {
  changeMeetingStatus,
  editMeeting,
  loadMeetingChoices,
  loadMeetingDetail,
  MEETING_ARRAY_FIELDS,
  MeetingSchema,
  MeetingStatusSchema,
  requireMeeting,
} from "~/models/meetings.server";
import { requireUser } from "~/models/session.server";
import { useStudy } from "./etudes.$studyId";

const union = <T extends { id: string }>(a: readonly T[], b: readonly T[]) => [...a, ...b.filter((x) => !a.some((y) => y.id === x.id))];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const detail = await loadMeetingDetail(context, study.id, params.meetingId);
  const choices = await loadMeetingChoices(context, study.id);
  return {
    ...detail,
    // Formatted here so that the page hydrates with the server's text whatever the browser's ICU.
    report: detail.report && {
      words: t.detail.wordCount(formatNumber(detail.report.wordCount)),
      lastUpdate: `${t.detail.lastUpdate} : ${formatDateTime(detail.report.updatedAt)}`,
    },
    // An archived dynamic or a former member stays listed where the meeting already names them.
    choices: {
      dynamics: union(choices.dynamics, detail.dynamics),
      members: union(choices.members, detail.members),
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "membre");
  const meeting = await requireMeeting(context, study.id, params.meetingId);
  const form = await request.formData();
  const here = `/etudes/${study.id}/visites/${meeting.id}`;
  switch (form.get("intent")) {
    case "update": {
      const parsed = parseForm(MeetingSchema, form, MEETING_ARRAY_FIELDS);
      if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
      const outcome = await editMeeting(context, study.id, meeting.id, parsed.data);
      if (!outcome.ok) return data({ errors: outcome.errors }, { status: 400 });
      return redirect(here);
    }
    case "status": {
      const parsed = parseForm(MeetingStatusSchema, form);
      if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
      await changeMeetingStatus(context, study.id, meeting.id, parsed.data.status);
      return redirect(here);
    }
    default:
      throw new Response(common.validation.invalidChoice, { status: 400 });
  }
}

export default function MeetingPage() {
  const { meeting, dynamics, members, people, report, choices } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormFailure>();
  const { study, canWrite } = useStudy();
  const base = `/etudes/${study.id}`;
  return (
    <>
      <p className="breadcrumb">
        <Link to={`${base}/visites`}>← {t.detail.back}</Link>
      </p>
      <div className="section-head">
        <div>
          <p className="timeline-kind">{t.kinds[meeting.kind]}</p>
          <h2>{meeting.title}</h2>
          <p className="muted">
            {formatDayRange(meeting.starts_on, meeting.ends_on)}
            {meeting.place ? ` · ${meeting.place}` : null}
          </p>
        </div>
        <StatusBadge status={meeting.status} />
      </div>

      <div className="detail-grid">
        <section className="card">
          <h3>{t.detail.dynamics}</h3>
          {dynamics.length === 0 ? (
            <p className="empty">{t.detail.none}</p>
          ) : (
            <p className="chips">
              {dynamics.map((d) => (
                <Link key={d.id} to={`${base}/dynamiques/${d.id}`} className="chip">
                  {d.name}
                </Link>
              ))}
            </p>
          )}
          <h3>{t.detail.members}</h3>
          {members.length === 0 ? (
            <p className="empty">{t.detail.none}</p>
          ) : (
            <ul className="team-list">
              {members.map((m) => (
                <li key={m.id}>
                  <span className="avatar" style={{ background: m.color }} aria-hidden="true">
                    {m.name.slice(0, 1).toUpperCase()}
                  </span>
                  <span className="team-name">{m.name}</span>
                </li>
              ))}
            </ul>
          )}
          <h3>{t.detail.people}</h3>
          {people.length === 0 ? (
            <p className="empty">{t.detail.none}</p>
          ) : (
            <ul className="people-list">
              {people.map((p, i) => (
                <li key={i}>
                  <strong>{p.organisation}</strong>
                  {p.role ? ` — ${p.role}` : null}
                  {p.name ? ` (${p.name})` : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <div className="dashboard-side">
          <section className="card report-card" aria-labelledby="report">
            <h3 id="report">{t.detail.report}</h3>
            {report ? (
              <>
                <p className="stat-value">{report.words}</p>
                <p className="muted">{report.lastUpdate}</p>
              </>
            ) : null}
            <Link to={`${base}/visites/${meeting.id}/compte-rendu`} className="button primary">
              {t.detail.openReport}
            </Link>
          </section>
          {canWrite ? (
            <section className="card" aria-labelledby="status">
              <h3 id="status">{t.detail.changeStatus}</h3>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="status" />
                <select name="status" defaultValue={meeting.status} aria-label={t.fields.status}>
                  {MEETING_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {t.statuses[s]}
                    </option>
                  ))}
                </select>
                <button type="submit" className="button">
                  {t.detail.setStatus}
                </button>
              </Form>
            </section>
          ) : null}
        </div>
      </div>

      {canWrite ? (
        <section className="card form-card" aria-labelledby="edit-meeting">
          <h2 id="edit-meeting">{t.detail.edit}</h2>
          <MeetingForm
            intent="update"
            choices={choices}
            values={{
              ...meeting,
              dynamicIds: dynamics.map((d) => d.id),
              memberIds: members.map((m) => m.id),
              people,
            }}
            errors={actionData?.errors}
            submitLabel={common.actions.save}
          />
        </section>
      ) : null}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
