import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { lazy } from "react";
import { z } from "zod";
import { ClientOnly } from "~/components/client-only";
import { RouteErrorBoundary } from "~/components/error-page";
import { FormError, TextField } from "~/components/form";
import { common } from "~/i18n/common";
import { editor as e } from "~/i18n/editor";
import { formatDateTime } from "~/i18n/format";
import { isUuid, notFound, roleAtLeast } from "~/models/access.server";
import { parseForm, requiredText, rowId } from "~/models/forms";
import { requireMeetingReport } from "~/models/reports.server";
import { findDocumentVersion, listDocumentVersions } from "../../db/queries/document-versions";

const VersionView = lazy(() => import("~/editor/version-view.client"));
const t = e.versions;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { role, report } = await requireMeetingReport(request, context, params);
  const versions = await listDocumentVersions(context.db, report.id);
  const viewId = new URL(request.url).searchParams.get("voir");
  let preview = null;
  if (viewId !== null) {
    const version = isUuid(viewId) ? await findDocumentVersion(context.db, report.id, viewId) : undefined;
    const content = version ? await context.collab.versionContent(report.id, version.id) : null;
    preview = version && content ? { id: version.id, label: version.label, content } : { id: viewId, label: null, content: null };
  }
  return {
    canWrite: roleAtLeast(role, "membre"),
    versions: versions.map((v) => ({
      id: v.id,
      label: v.label,
      automatic: v.automatic === 1,
      createdAt: v.created_at,
      author: v.created_by_name,
    })),
    preview,
  };
}

const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("save"), label: requiredText(120) }),
    z.object({ intent: z.literal("restore"), versionId: rowId }),
  ],
  { error: common.validation.invalidChoice },
);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, report } = await requireMeetingReport(request, context, params, "membre");
  const parsed = parseForm(actionSchema, await request.formData());
  if (!parsed.ok) return Response.json({ errors: parsed.errors, done: null }, { status: 400 });
  if (parsed.data.intent === "save") {
    await context.collab.saveVersion(report.id, parsed.data.label, user.id);
    return { errors: null, done: t.saved };
  }
  const version = await findDocumentVersion(context.db, report.id, parsed.data.versionId);
  if (!version) notFound();
  await context.collab.restoreVersion(report.id, version.id, user.id);
  return { errors: null, done: t.restored };
}

export default function VersionsPanel() {
  const { canWrite, versions, preview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { errors: Record<string, string> | null; done: string | null } | undefined;
  const busy = useNavigation().state === "submitting";

  return (
    <aside className="versions-panel" aria-labelledby="versions-title">
      <h2 id="versions-title">{t.title}</h2>
      <p>
        <Link to="..">{t.close}</Link>
      </p>
      {result?.done ? <p role="status">{result.done}</p> : null}
      {canWrite ? (
        <Form method="post" key={versions.length}>
          <FormError message={result?.errors?._form ?? result?.errors?.intent ?? result?.errors?.versionId} />
          <TextField name="label" label={t.label} hint={t.labelHint} maxLength={120} required error={result?.errors?.label} />
          <button type="submit" name="intent" value="save" className="button primary" disabled={busy}>
            {t.save}
          </button>
        </Form>
      ) : null}
      {versions.length === 0 ? (
        <p className="empty">{t.empty}</p>
      ) : (
        <ul className="versions-list">
          {versions.map((v) => (
            <li key={v.id}>
              <strong>{v.label}</strong> {v.automatic ? <span className="badge">{t.automatic}</span> : null}
              <br />
              <span className="muted">
                {v.author ?? t.unknownAuthor} · {formatDateTime(v.createdAt)}
              </span>
              <div className="version-actions">
                <Link to={`?voir=${v.id}`} aria-label={`${t.view} « ${v.label} »`}>
                  {t.view}
                </Link>
                {canWrite ? (
                  <Form
                    method="post"
                    onSubmit={(event) => {
                      if (!window.confirm(t.confirmRestore(v.label))) event.preventDefault();
                    }}
                  >
                    <input type="hidden" name="versionId" value={v.id} />
                    <button type="submit" name="intent" value="restore" className="link-button" aria-label={`${t.restore} « ${v.label} »`} disabled={busy}>
                      {t.restore}
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {preview ? (
        <section className="version-preview" aria-label={preview.label ? t.previewTitle(preview.label) : t.previewMissing}>
          {preview.label && preview.content ? (
            <>
              <h3>{t.previewTitle(preview.label)}</h3>
              <ClientOnly fallback={<p className="muted">{t.loadingPreview}</p>}>{() => <VersionView content={preview.content} />}</ClientOnly>
            </>
          ) : (
            <p>{t.previewMissing}</p>
          )}
          <p>
            <Link to=".">{t.closePreview}</Link>
          </p>
        </section>
      ) : null}
    </aside>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
