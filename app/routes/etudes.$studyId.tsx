import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { common } from "~/i18n/common";
import { findings as findingsText } from "~/i18n/findings";
import { formatDayRange } from "~/i18n/format";
import { grid } from "~/i18n/grid";
import { study as t } from "~/i18n/study";
import { synthesis } from "~/i18n/synthesis";
import { requireStudyRole, roleAtLeast } from "~/models/access.server";
import { requireUser } from "~/models/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.study.title} · Terrain` : "Terrain" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study, role } = await requireStudyRole(context, user, params.studyId, "lecteur");
  return {
    study: { id: study.id, title: study.title, startsOn: study.starts_on, endsOn: study.ends_on },
    role,
    canWrite: roleAtLeast(role, "membre"),
    isPilot: roleAtLeast(role, "pilote"),
  };
}

/** The study and the viewer's role, for child routes that hide edit controls below a role. */
export function useStudy() {
  const data = useRouteLoaderData<typeof loader>("routes/etudes.$studyId");
  if (!data) throw new Error("useStudy hors de la page d'une étude");
  return data;
}

export default function StudyLayout() {
  const { study, role } = useLoaderData<typeof loader>();
  const base = `/etudes/${study.id}`;
  const tabs = [
    { to: base, label: t.layout.tabs.dashboard, end: true },
    { to: `${base}/dynamiques`, label: t.layout.tabs.dynamics, end: false },
    { to: `${base}/visites`, label: t.layout.tabs.visits, end: false },
    { to: `${base}/enseignements`, label: findingsText.tabs.findings, end: false },
    { to: `${base}/matrice`, label: findingsText.tabs.matrix, end: false },
    { to: `${base}/recherche`, label: findingsText.tabs.search, end: false },
    { to: `${base}/synthese`, label: synthesis.tab, end: false },
    { to: `${base}/equipe`, label: t.layout.tabs.team, end: false },
    { to: `${base}/grille`, label: grid.tab, end: false },
  ];
  return (
    <>
      <header className="study-header">
        <div>
          <h1 className="study-title">{study.title}</h1>
          <p className="muted study-meta">
            {formatDayRange(study.startsOn, study.endsOn)}
            {study.startsOn ? " · " : null}
            {t.layout.yourRole} : <span className={`badge role-${role}`}>{common.roles[role]}</span>
          </p>
        </div>
      </header>
      <nav className="tabs" aria-label={t.layout.tabsLabel}>
        {tabs.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => (isActive ? "tab active" : "tab")}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <div className="study-body">
        <Outlet />
      </div>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
