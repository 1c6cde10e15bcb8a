import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { lazy, useCallback } from "react";
import { ClientOnly } from "~/components/client-only";
import { RouteErrorBoundary } from "~/components/error-page";
import { ExportLinks } from "~/components/export-links";
import { EDITOR_SCHEMA_VERSION } from "~/editor/extensions";
import { synthesis as t } from "~/i18n/synthesis";
import { citationStates, citedIds, loadSynthesisPanel, requireSynthesis } from "~/models/synthesis.server";
import editorStyles from "~/styles/editor.css";
import findingStyles from "~/styles/findings.css";
import synthesisStyles from "~/styles/synthesis.css";

// Loaded in the browser only: Tiptap, Yjs and the provider stay out of the server build.
const SynthesisEditor = lazy(() => import("~/editor/synthesis-editor.client"));

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: editorStyles },
  { rel: "stylesheet", href: findingStyles },
  { rel: "stylesheet", href: synthesisStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${t.title(data.studyTitle)} · Terrain` : "Terrain" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, study, role, synthesis } = await requireSynthesis(request, context, params);
  const search = new URL(request.url).searchParams;
  const asked = citedIds(synthesis.json);
  const [found, panel] = await Promise.all([citationStates(context, study.id, asked), loadSynthesisPanel(context, study.id, search)]);
  return {
    studyId: study.id,
    studyTitle: study.title,
    documentId: synthesis.id,
    user: { id: user.id, name: user.name, color: user.color },
    role,
    schemaVersion: EDITOR_SCHEMA_VERSION,
    citations: { asked, found },
    panel: { ...panel, query: search.toString() },
  };
}

export default function SynthesisPage() {
  const { studyId, documentId, user, role, schemaVersion, citations, panel } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const onRoleChanged = useCallback(() => revalidator.revalidate(), [revalidator]);
  const base = `/etudes/${studyId}/synthese`;
  return (
    <section className="synthesis-page">
      <div className="report-header synthesis-header">
        <div>
          <h2>{t.heading}</h2>
          <p className="muted">{t.intro}</p>
        </div>
        <div className="synthesis-header__actions">
          <Link to={`${base}/provenance`} className="button">
            {t.header.provenance}
          </Link>
          <Link to={`${base}/versions`} className="button">
            {t.header.versions}
          </Link>
          <ExportLinks base={base} />
        </div>
      </div>
      <ClientOnly fallback={<p className="muted">{t.loading}</p>}>
        {() => (
          <SynthesisEditor
            studyId={studyId}
            documentId={documentId}
            user={user}
            canEdit={role !== "lecteur"}
            schemaVersion={schemaVersion}
            onRoleChanged={onRoleChanged}
            citations={citations}
            panel={panel}
          />
        )}
      </ClientOnly>
    </section>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
