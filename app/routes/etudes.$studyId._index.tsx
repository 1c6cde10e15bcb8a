import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { RouteErrorBoundary } from "~/components/error-page";
import { MeetingLines } from "~/components/meetings";
import { common } from "~/i18n/common";
import { formatNumber, plural } from "~/i18n/format";
import { study as t } from "~/i18n/study";
import { requireStudyRole } from "~/models/access.server";
import { loadDashboard } from "~/models/dashboard.server";
import { requireUser } from "~/models/session.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  return { studyId: study.id, ...(await loadDashboard(context, study.id)) };
}

const ROLES = ["pilote", "membre", "lecteur"] as const;

export default function Dashboard() {
  const { studyId, figures, byType, nextMeetings, latestMeetings, team } = useLoaderData<typeof loader>();
  const f = t.dashboard.figures;
  const base = `/etudes/${studyId}`;
  return (
    <div className="dashboard">
      <h2 className="visually-hidden">{t.dashboard.title}</h2>
      <section className="stats" aria-label={f.label}>
        <Stat label={f.dynamics} value={formatNumber(figures.dynamics)} />
        <Stat label={f.planned} value={formatNumber(figures.planned)} tone="prevue" />
        <Stat label={f.done} value={formatNumber(figures.done)} tone="realisee" />
        <Stat label={f.validated} value={formatNumber(figures.validated)} tone="validee" />
        <div className="stat stat-wide">
          <span className="stat-label">{f.visitedShare}</span>
          <span className="stat-value">{formatNumber(figures.visitedPercent)} %</span>
          <div className="progress" role="presentation">
            <span style={{ width: `${figures.visitedPercent}%` }} />
          </div>
          <span className="stat-detail">{f.visitedDetail(formatNumber(figures.visited), formatNumber(figures.dynamics))}</span>
        </div>
        <div className="stat">
          <span className="stat-label">{f.team}</span>
          <span className="stat-value">{formatNumber(figures.team.pilote + figures.team.membre + figures.team.lecteur)}</span>
          <span className="stat-detail">
            {ROLES.map((role) => plural(figures.team[role], ...f.roleCount[role])).join(" · ")}
          </span>
        </div>
      </section>

      <div className="dashboard-grid">
        <Card id="by-type" title={t.dashboard.byType} link={{ to: `${base}/dynamiques`, label: t.layout.tabs.dynamics }}>
          {byType.length === 0 ? (
            <p className="empty">{t.dashboard.byTypeEmpty}</p>
          ) : (
            byType.map((group) => (
              <div key={group.id} className="type-group">
                <h3>
                  {group.label} <span className="count">{formatNumber(group.dynamics.length)}</span>
                </h3>
                <ul className="dynamic-states">
                  {group.dynamics.map((d) => (
                    <li key={d.id}>
                      <Link to={`${base}/dynamiques/${d.id}`}>{d.name}</Link>
                      <span className="muted">{[d.territory, d.department].filter(Boolean).join(" · ")}</span>
                      <span className={`badge state-${d.state}`}>{t.dashboard.visitState[d.state]}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ))
          )}
        </Card>

        <div className="dashboard-side">
          <Card id="next-visits" title={t.dashboard.nextVisits} link={{ to: `${base}/visites`, label: t.dashboard.allVisits }}>
            <MeetingLines studyId={studyId} meetings={nextMeetings} emptyText={t.dashboard.nextVisitsEmpty} />
          </Card>
          <Card id="latest-visits" title={t.dashboard.latestVisits}>
            <MeetingLines studyId={studyId} meetings={latestMeetings} emptyText={t.dashboard.latestVisitsEmpty} />
          </Card>
          <Card id="team" title={t.dashboard.team} link={{ to: `${base}/equipe`, label: t.layout.tabs.team }}>
            {team.length === 0 ? (
              <p className="empty">{t.dashboard.teamEmpty}</p>
            ) : (
              <ul className="team-list">
                {team.map((member) => (
                  <li key={member.id}>
                    <span className="avatar" style={{ background: member.color }} aria-hidden="true">
                      {member.name.slice(0, 1).toUpperCase()}
                    </span>
                    <span className="team-name">{member.name}</span>
                    <span className={`badge role-${member.role}`}>{common.roles[member.role]}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </div>
  );
}

/** A dashboard card: its title, a link to the full page if there is one, then its content. */
function Card({ id, title, link, children }: { id: string; title: string; link?: { to: string; label: string }; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      {link ? (
        <div className="card-head">
          <h2 id={id}>{title}</h2>
          <Link to={link.to}>{link.label}</Link>
        </div>
      ) : (
        <h2 id={id}>{title}</h2>
      )}
      {children}
    </section>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className={tone ? `stat tone-${tone}` : "stat"}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
