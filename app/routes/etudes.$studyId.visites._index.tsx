import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { MeetingForm } from "~/components/meeting-form";
import { StatusBadge } from "~/components/meetings";
import { common } from "~/i18n/common";
import { formatDayRange, formatMonth, formatNumber } from "~/i18n/format";
import { visits as t } from "~/i18n/visits";
import { requireStudyRole } from "~/models/access.server";
import { type FormFailure, parseForm } from "~/models/forms";
import { MEETING_KINDS, MEETING_STATUSES } from "~/models/meeting-options";
import {
  createMeeting,
  loadMeetingChoices,
  loadTimeline,
  MEETING_ARRAY_FIELDS,
  MeetingSchema,
} from "~/models/meetings.server";
import { requireUser } from "~/models/session.server";
import { useStudy } from "./etudes.$studyId";

const pick = <T extends string>(values: readonly T[], value: string | null): T | null => values.find((v) => v === value) ?? null;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const search = new URL(request.url).searchParams;
  const filters = { kind: pick(MEETING_KINDS, search.get("type")), status: pick(MEETING_STATUSES, search.get("statut")) };
  const [meetings, choices] = await Promise.all([loadTimeline(context, study.id, filters), loadMeetingChoices(context, study.id)]);
  return { meetings, choices, filters };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "membre");
  const parsed = parseForm(MeetingSchema, await request.formData(), MEETING_ARRAY_FIELDS);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const outcome = await createMeeting(context, study.id, user.id, parsed.data);
  if (!outcome.ok) return data({ errors: outcome.errors }, { status: 400 });
  return redirect(`/etudes/${study.id}/visites`);
}

/** Consecutive meetings of the same month, in the timeline's order. */
function byMonth<M extends { starts_on: string }>(meetings: readonly M[]) {
  const groups: { month: string; meetings: M[] }[] = [];
  for (const m of meetings) {
    const month = m.starts_on.slice(0, 7);
    const last = groups.at(-1);
    if (last?.month === month) last.meetings.push(m);
    else groups.push({ month, meetings: [m] });
  }
  return groups;
}

export default function Timeline() {
  const { meetings, choices, filters } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormFailure>();
  const { study, canWrite } = useStudy();
  const base = `/etudes/${study.id}`;
  return (
    <>
      <div className="section-head">
        <h2>
          {t.list.title} <span className="count">{formatNumber(meetings.length)}</span>
        </h2>
        {canWrite ? (
          <a href="#new-meeting" className="button primary">
            {t.list.create}
          </a>
        ) : null}
      </div>
      <Form method="get" className="filters card" aria-label={t.list.filters}>
        <label>
          {t.fields.kind}
          <select name="type" defaultValue={filters.kind ?? ""}>
            <option value="">{t.list.allKinds}</option>
            {MEETING_KINDS.map((k) => (
              <option key={k} value={k}>
                {t.kinds[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.fields.status}
          <select name="statut" defaultValue={filters.status ?? ""}>
            <option value="">{t.list.allStatuses}</option>
            {MEETING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t.statuses[s]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          {common.actions.filter}
        </button>
        <Link to={`${base}/visites`} className="button subtle">
          {t.list.reset}
        </Link>
      </Form>

      {meetings.length === 0 ? (
        <p className="empty">{filters.kind || filters.status ? t.list.empty : t.list.emptyStudy}</p>
      ) : (
        <ol className="timeline" aria-label={t.list.timeline}>
          {byMonth(meetings).map((group) => (
            <li key={group.month} className="timeline-month">
              <h3>{formatMonth(`${group.month}-01`)}</h3>
              <ol>
                {group.meetings.map((m) => (
                  <li key={m.id} className={`timeline-item kind-${m.kind}`}>
                    <div className="timeline-when">{formatDayRange(m.starts_on, m.ends_on)}</div>
                    <div className="timeline-what">
                      <p className="timeline-kind">
                        {t.kinds[m.kind]}
                        {m.place ? ` · ${m.place}` : null}
                      </p>
                      <Link to={`${base}/visites/${m.id}`} className="timeline-title">
                        {m.title}
                      </Link>
                      {m.dynamics.length > 0 ? (
                        <p className="chips">
                          {m.dynamics.map((d) => (
                            <Link key={d.id} to={`${base}/dynamiques/${d.id}`} className="chip">
                              {d.name}
                            </Link>
                          ))}
                        </p>
                      ) : null}
                    </div>
                    <StatusBadge status={m.status} />
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
      )}

      {canWrite ? (
        <section className="card form-card" aria-labelledby="new-meeting">
          <h2 id="new-meeting">{t.list.create}</h2>
          <MeetingForm intent="create" choices={choices} errors={actionData?.errors} submitLabel={common.actions.create} />
        </section>
      ) : null}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
