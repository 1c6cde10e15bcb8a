import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page";
import { FindingCard } from "~/components/findings";
import { provenance as t } from "~/i18n/provenance";
import { requireStudyRole } from "~/models/access.server";
import { loadProvenance } from "~/models/provenance.server";
import { requireUser } from "~/models/session.server";
import findingStyles from "~/styles/findings.css";
import provenanceStyles from "~/styles/provenance.css";
import { useStudy } from "./etudes.$studyId";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: findingStyles },
  { rel: "stylesheet", href: provenanceStyles },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  return { provenance: await loadProvenance(context, study.id) };
}

/** One way a stale citation differs from its finding today (nothing when it does not). */
function WhatChanged({ label, value }: { label: string; value: string | null }) {
  if (value === null) return null;
  return (
    <p className="provenance-live">
      <span className="muted">{label} : </span>
      {value}
    </p>
  );
}

export default function Provenance() {
  const { provenance } = useLoaderData<typeof loader>();
  const { study } = useStudy();
  const synthesisUrl = `/etudes/${study.id}/synthese`;
  if (!provenance) {
    return (
      <>
        <h2>{t.title}</h2>
        <p className="empty">{t.noSynthesis}</p>
        <Link to={synthesisUrl} className="button">
          {t.openSynthesis}
        </Link>
      </>
    );
  }
  const { citations, uncited, factorsWithoutCitation, hasFactors } = provenance;
  return (
    <>
      <div className="section-head">
        <h2>{t.title}</h2>
        <Link to={synthesisUrl}>{t.backToSynthesis}</Link>
      </div>
      <p className="muted">{t.intro}</p>

      <section className="card" aria-labelledby="provenance-citations">
        <h3 id="provenance-citations">
          {t.citations} <span className="count">{t.citationsCount(citations.length)}</span>
        </h3>
        {citations.length === 0 ? (
          <p className="empty">{t.noCitation}</p>
        ) : (
          <ol className="provenance-citations">
            {citations.map((c) => (
              <li key={c.index} className={`provenance-citation status-${c.status}`}>
                <p className="finding-meta">
                  <span className={`badge citation-status status-${c.status}`} title={t.statusHint[c.status]}>
                    {t.status[c.status]}
                  </span>
                  <span>{c.source || t.unknownSource}</span>
                </p>
                <blockquote className="finding-quote" aria-label={t.quoteInSynthesis}>
                  {c.quote}
                </blockquote>
                <WhatChanged label={t.citedSource} value={c.citedSource} />
                <WhatChanged label={t.liveQuote} value={c.liveQuote} />
                {c.status !== "current" ? <p className="muted">{t.statusHint[c.status]}</p> : null}
                {c.url ? <a href={c.url}>{t.openPassage}</a> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card" aria-labelledby="provenance-uncited">
        <div className="card-head">
          <h3 id="provenance-uncited">
            {t.uncited} <span className="count">{t.uncitedCount(uncited.total)}</span>
          </h3>
          <Link to={`/etudes/${study.id}/enseignements`}>{t.browseAll}</Link>
        </div>
        {uncited.total === 0 ? (
          <p className="empty">{t.uncitedNone}</p>
        ) : (
          <>
            {uncited.total > uncited.findings.length ? <p className="muted">{t.uncitedFirst(uncited.findings.length)}</p> : null}
            <ol className="finding-list">
              {uncited.findings.map((f) => (
                <FindingCard key={f.id} finding={f} studyId={study.id} />
              ))}
            </ol>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="provenance-factors">
        <h3 id="provenance-factors">{t.factorsWithout}</h3>
        {!hasFactors ? (
          <p className="empty">{t.noFactors}</p>
        ) : factorsWithoutCitation.length === 0 ? (
          <p className="empty">{t.factorsWithoutNone}</p>
        ) : (
          factorsWithoutCitation.map((family) => (
            <div key={family.id} className="provenance-family">
              <h4>{family.label}</h4>
              <ul>
                {family.factors.map((f) => (
                  <li key={f.id}>
                    {f.label} <span className="muted">{`(${t.factorFindings(f.findings)})`}</span>
                  </li>
                ))}
              </ul>
            </div>
          ))
        )}
      </section>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary };
