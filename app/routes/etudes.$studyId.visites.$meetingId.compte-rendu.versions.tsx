import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { VersionsPanel } from "~/components/versions-panel";
import { requireMeetingReport } from "~/models/reports.server";
import { loadVersions, versionsAction } from "~/models/versions.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { role, report } = await requireMeetingReport(request, context, params);
  return loadVersions(context, request, report.id, role);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, report } = await requireMeetingReport(request, context, params, "membre");
  return versionsAction(context, request, report.id, user.id);
}

export default function ReportVersions() {
  return <VersionsPanel data={useLoaderData<typeof loader>()} closeTo=".." />;
}

export { RouteErrorBoundary as ErrorBoundary };
