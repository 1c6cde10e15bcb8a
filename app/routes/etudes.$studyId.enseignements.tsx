import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { FindingCard } from "~/components/findings";
import { common } from "~/i18n/common";
import { findings as t } from "~/i18n/findings";
import { formatDay } from "~/i18n/format";
import { requireStudyRole } from "~/models/access.server";
import { FILTER_PARAMS } from "~/models/findings-options";
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

function Select({ label, name, value, children }: { label: string; name: string; value: string; children: React.ReactNode }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={value}>
        {children}
      </select>
    </label>
  );
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
          <span className="muted">{t.browser.exportHint}</span>
        </p>
      </div>

      {/* key: a new search remounts the form so its selects show the URL's filters */}
      <Form method="get" className="filters card" aria-label={t.browser.filters} key={query}>
        <Select label={t.fields.factor} name={FILTER_PARAMS.factor} value={values.factor}>
          <option value="">{t.browser.all}</option>
          {v.families.map((family) => (
            <optgroup key={family.id} label={family.label}>
              {v.factors
                .filter((f) => f.familyId === family.id)
                .map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                  </option>
                ))}
            </optgroup>
          ))}
        </Select>
        <Select label={t.fields.family} name={FILTER_PARAMS.family} value={values.family}>
          <option value="">{t.browser.allFeminine}</option>
          {v.families.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </Select>
        <Select label={t.fields.kind} name={FILTER_PARAMS.kind} value={values.kind}>
          <option value="">{t.browser.all}</option>
          {v.kinds.map((k) => (
            <option key={k.key} value={k.key}>
              {k.label}
            </option>
          ))}
        </Select>
        <Select label={t.fields.audience} name={FILTER_PARAMS.audience} value={values.audience}>
          <option value="">{t.browser.all}</option>
          {v.audiences.map((a) => (
            <option key={a.key} value={a.key}>
              {a.label}
            </option>
          ))}
        </Select>
        <Select label={t.fields.dynamic} name={FILTER_PARAMS.dynamic} value={values.dynamic}>
          <option value="">{t.browser.allFeminine}</option>
          {v.types.map((type) => (
            <optgroup key={type.id} label={type.label}>
              {v.dynamics
                .filter((d) => d.typeId === type.id)
                .map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
            </optgroup>
          ))}
        </Select>
        <Select label={t.fields.dynamicType} name={FILTER_PARAMS.dynamicType} value={values.dynamicType}>
          <option value="">{t.browser.all}</option>
          {v.types.map((type) => (
            <option key={type.id} value={type.id}>
              {type.label}
            </option>
          ))}
        </Select>
        <Select label={t.fields.visit} name={FILTER_PARAMS.visit} value={values.visit}>
          <option value="">{t.browser.allFeminine}</option>
          {v.meetings.map((m) => (
            <option key={m.id} value={m.id}>
              {formatDay(m.startsOn)} · {m.title}
            </option>
          ))}
        </Select>
        <Select label={t.fields.author} name={FILTER_PARAMS.author} value={values.author}>
          <option value="">{t.browser.all}</option>
          {v.authors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
        <Select label={t.fields.orphaned} name={FILTER_PARAMS.orphaned} value={values.orphaned}>
          <option value="">{t.browser.all}</option>
          <option value="non">{t.orphanedChoices.non}</option>
          <option value="oui">{t.orphanedChoices.oui}</option>
        </Select>
        <button type="submit" className="button">
          {common.actions.filter}
        </button>
        <Link to={base} className="button subtle">
          {t.browser.reset}
        </Link>
      </Form>

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
