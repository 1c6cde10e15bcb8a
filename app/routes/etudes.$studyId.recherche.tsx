import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { Fragment, useEffect, useRef } from "react";
import { RouteErrorBoundary } from "~/components/error-page";
import { formatDay } from "~/i18n/format";
import { search as t } from "~/i18n/search";
import { requireStudyRole } from "~/models/access.server";
import { SEARCH_LIMIT } from "~/models/findings-options";
import { searchStudy } from "~/models/search.server";
import { requireUser } from "~/models/session.server";
import findingStyles from "~/styles/findings.css";
import { useStudy } from "./etudes.$studyId";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: findingStyles }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 200);
  return { q, ...(await searchStudy(context, study.id, q)) };
}

/** A snippet with its highlighted words: split on the markers, every part rendered as text. */
function Snippet({ parts }: { parts: { text: string; hit: boolean }[] }) {
  return (
    <p className="search-snippet">
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <Fragment key={i}>{p.text}</Fragment>))}
    </p>
  );
}

const DEBOUNCE_MS = 300;

export default function Search() {
  const { q, searched, reports, findings } = useLoaderData<typeof loader>();
  const { study } = useStudy();
  const submit = useSubmit();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const base = `/etudes/${study.id}`;
  return (
    <>
      <h2>{t.title}</h2>
      <Form method="get" role="search" className="filters card search-form">
        <label>
          {t.label}
          <input
            type="search"
            name="q"
            defaultValue={q}
            placeholder={t.placeholder}
            autoComplete="off"
            onChange={(event) => {
              const form = event.currentTarget.form;
              clearTimeout(timer.current);
              // While typing: update the URL (replace, not a new history entry per key).
              timer.current = setTimeout(() => submit(form, { replace: true, preventScrollReset: true }), DEBOUNCE_MS);
            }}
          />
        </label>
        <button type="submit" className="button">
          {t.submit}
        </button>
        <p className="field-hint">{t.hint}</p>
      </Form>

      {!searched ? (
        <p className="empty">{t.start}</p>
      ) : (
        <>
          <section aria-labelledby="resultats-enseignements">
            <h3 id="resultats-enseignements">
              {t.findings} <span className="count">{t.count(findings.length, SEARCH_LIMIT)}</span>
            </h3>
            {findings.length === 0 ? (
              <p className="empty">{t.noFindings}</p>
            ) : (
              <ol className="search-results">
                {findings.map((f) => (
                  <li key={f.id} className="card">
                    <p className="finding-meta">
                      <span className="badge">{f.kindLabel}</span>
                      <Link to={`${base}/visites/${f.meetingId}`}>{f.meetingTitle}</Link>
                    </p>
                    <Snippet parts={f.parts} />
                    <a href={f.url}>{t.openPassage}</a>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section aria-labelledby="resultats-comptes-rendus">
            <h3 id="resultats-comptes-rendus">
              {t.reports} <span className="count">{t.count(reports.length, SEARCH_LIMIT)}</span>
            </h3>
            {reports.length === 0 ? (
              <p className="empty">{t.noReports}</p>
            ) : (
              <ol className="search-results">
                {reports.map((r) => (
                  <li key={r.documentId} className="card">
                    <p className="finding-meta">
                      <strong>{r.meetingTitle}</strong>
                      <span className="muted">{formatDay(r.meetingStartsOn)}</span>
                    </p>
                    <Snippet parts={r.parts} />
                    <a href={r.url}>{t.openReport}</a>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
