import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { lazy } from "react";
import { ClientOnly } from "~/components/client-only";
import { FormError, TextField } from "~/components/form";
import { editor as e } from "~/i18n/editor";
import { formatDateTime } from "~/i18n/format";
import type { VersionsData, VersionsResult } from "~/models/versions.server";

const VersionView = lazy(() => import("~/editor/version-view.client"));
const t = e.versions;

/**
 * A collaborative document's versions: save one with a label, the list with author and date,
 * a read-only view of one (`?voir=<id>`), and restore (the current state is saved first).
 */
export function VersionsPanel({ data, closeTo }: { data: VersionsData; closeTo: string }) {
  const { canWrite, versions, preview } = data;
  const result = useActionData<VersionsResult>();
  const busy = useNavigation().state === "submitting";

  return (
    <aside className="versions-panel" aria-labelledby="versions-title">
      <h2 id="versions-title">{t.title}</h2>
      <p>
        <Link to={closeTo}>{t.close}</Link>
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

