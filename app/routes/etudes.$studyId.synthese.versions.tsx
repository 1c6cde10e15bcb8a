import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { VersionsPanel } from "~/components/versions-panel";
import { editor as e } from "~/i18n/editor";
import { synthesis as t } from "~/i18n/synthesis";
import { requireSynthesis } from "~/models/synthesis.server";
import { loadVersions, versionsAction } from "~/models/versions.server";
import editorStyles from "~/styles/editor.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: editorStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${e.versions.title} · ${t.title(data.studyTitle)} · Terrain` : "Terrain" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { study, role, synthesis } = await requireSynthesis(request, context, params);
  return { studyId: study.id, studyTitle: study.title, versions: await loadVersions(context, request, synthesis.id, role) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, synthesis } = await requireSynthesis(request, context, params, "membre");
  return versionsAction(context, request, synthesis.id, user.id);
}

export default function SynthesisVersions() {
  const { studyId, versions } = useLoaderData<typeof loader>();
  return <VersionsPanel data={versions} closeTo={`/etudes/${studyId}/synthese`} />;
}

export { RouteErrorBoundary as ErrorBoundary };
