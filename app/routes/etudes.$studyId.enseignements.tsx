import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { FindingFiltersForm } from "~/components/finding-filters";
import { FindingCard } from "~/components/findings";
import { findings as t } from "~/i18n/findings";
import { refiQda } from "~/i18n/refi-qda";
import { requireStudyRole } from "~/models/access.server";
import { hasFilters, loadFindingsPage, loadVocabulary, parseFindingFilters, parsePage } from "~/models/findings-read.server";
import { requireUser } from "~/models/session.server";
import findingStyles from "~/styles/findings.css";
import { useStudy } from "./etudes.$studyId";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: findingStyles }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const search = new URL(request.url).searchParams;
  const { filters, values } = parseFindingFilters(search);
  const vocabulary = await loadVocabulary(context, study.id);
  const result = await loadFindingsPage(context, study.id, filters, vocabulary, parsePage(search.get("page")));
  search.delete("page");
  return { ...result, vocabulary, values, filtered: hasFilters(filters), query: search.toString() };
}

export default function FindingsBrowser() {
  const { findings, total, studyTotal, page, pages, vocabulary: v, values, filtered, query } = useLoaderData<typeof loader>();
  const { study } = useStudy();
  const base = `/etudes/${study.id}/enseignements`;
  const pageLink = (n: number) => `${base}?${new URLSearchParams([...new URLSearchParams(query), ["page", String(n)]])}`;
  return (
    <>
      <div className="section-head">
        <h2>
          {t.browser.title} <span className="count">{t.browser.count(total, studyTotal)}</span>
        </h2>
        <p className="export-row">
          <a className="button" href={`${base}/csv${query ? `?${query}` : ""}`} download>
            {t.browser.exportCsv}
          </a>
          <a className="button" href={`${base}/xlsx${query ? `?${query}` : ""}`} download>
            {t.browser.exportXlsx}
          </a>
          <span className="muted">{t.browser.exportHint}</span>
        </p>
        <p className="export-row">
          <a className="button" href={`/etudes/${study.id}/export/qdpx`} download>
            {refiQda.links.project}
          </a>
          <span className="muted">{refiQda.links.projectHint}</span>
        </p>
      </div>

      {/* key: a new search remounts the form so its selects show the URL's filters */}
      <FindingFiltersForm key={query} vocabulary={v} values={values} resetTo={base} />

      {findings.length === 0 ? (
        <p className="empty">{filtered ? t.browser.empty : t.browser.emptyStudy}</p>
      ) : (
        <ol className="finding-list" aria-label={t.browser.list}>
          {findings.map((f) => (
            <FindingCard key={f.id} finding={f} studyId={study.id} />
          ))}
        </ol>
      )}

      {pages > 1 ? (
        <nav className="pagination" aria-label={t.browser.pagination}>
          {page > 1 ? <Link to={pageLink(page - 1)}>{t.browser.previous}</Link> : null}
          <span>{t.browser.pageOf(page, pages)}</span>
          {page < pages ? <Link to={pageLink(page + 1)}>{t.browser.next}</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
