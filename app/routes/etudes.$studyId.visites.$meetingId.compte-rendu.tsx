import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useOutlet, useRevalidator } from "@remix-run/react";
import { lazy, useCallback } from "react";
import { ClientOnly } from "~/components/client-only";
import { RouteErrorBoundary } from "~/components/error-page";
import { ExportLinks } from "~/components/export-links";
import { EDITOR_SCHEMA_VERSION } from "~/editor/extensions";
import { editor as t } from "~/i18n/editor";
import { loadReportTagging, requireMeetingReport } from "~/models/reports.server";
import editorStyles from "~/styles/editor.css";

// Loaded in the browser only: Tiptap, Yjs and the provider stay out of the server build.
const ReportEditor = lazy(() => import("~/editor/report-editor.client"));

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${t.report.title(data.meeting.title)} · Terrain` : "Terrain" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, study, role, meeting, report } = await requireMeetingReport(request, context, params);
  return {
    studyId: study.id,
    meeting: { id: meeting.id, title: meeting.title },
    documentId: report.id,
    user: { id: user.id, name: user.name, color: user.color },
    role,
    schemaVersion: EDITOR_SCHEMA_VERSION,
    tagging: await loadReportTagging(context, study.id, meeting.id),
  };
}

export default function ReportPage() {
  const { studyId, meeting, documentId, user, role, schemaVersion, tagging } = useLoaderData<typeof loader>();
  const panel = useOutlet();
  const revalidator = useRevalidator();
  const onRoleChanged = useCallback(() => revalidator.revalidate(), [revalidator]);
  const visitPath = `/etudes/${studyId}/visites/${meeting.id}`;

  return (
    <div className={panel ? "report-layout has-panel" : "report-layout"}>
      <section>
        <div className="report-header">
          <div>
            <p>
              <Link to={visitPath}>← {t.report.backToVisit}</Link>
            </p>
            <h2>{meeting.title}</h2>
            <p className="muted">{t.report.heading}</p>
          </div>
          <div className="report-header__actions">
            <ExportLinks base={`${visitPath}/compte-rendu`} />
            <Link to={`${visitPath}/compte-rendu/versions`} className="button">
              {t.report.versions}
            </Link>
          </div>
        </div>
        <ClientOnly fallback={<p className="muted">{t.report.loading}</p>}>
          {() => (
            <ReportEditor
              documentId={documentId}
              user={user}
              canEdit={role !== "lecteur"}
              schemaVersion={schemaVersion}
              tagging={tagging}
              onRoleChanged={onRoleChanged}
            />
          )}
        </ClientOnly>
      </section>
      {panel}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
