import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { RouteErrorBoundary } from "~/components/error-page";
import { FactorChip, FindingCard } from "~/components/findings";
import { findings as t } from "~/i18n/findings";
import { formatNumber } from "~/i18n/format";
import { requireStudyRole } from "~/models/access.server";
import { FILTER_PARAMS, heatLevel } from "~/models/findings-options";
import { loadVocabulary } from "~/models/findings-read.server";
import { loadCellFindings, loadCooccurrences, loadMatrix, matrixCellCount, pairCount, parseCell, parsePair } from "~/models/matrix.server";
import { requireUser } from "~/models/session.server";
import findingStyles from "~/styles/findings.css";
import { useStudy } from "./etudes.$studyId";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: findingStyles }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { study } = await requireStudyRole(context, user, params.studyId, "lecteur");
  const search = new URL(request.url).searchParams;
  const vocabulary = await loadVocabulary(context, study.id);
  if (search.get("vue") === "cooccurrences") {
    const selected = parsePair(search, vocabulary);
    const cooccurrences = await loadCooccurrences(context, study.id, vocabulary);
    const [a, b = a] = selected?.ids ?? [];
    const cell = selected ? await loadCellFindings(context, study.id, selected.filters, pairCount(cooccurrences, a!, b!), vocabulary) : null;
    return { view: "cooccurrences" as const, cooccurrences, selected, cell, hasFactors: vocabulary.factors.length > 0 };
  }
  const by = search.get("colonnes") === "types" ? "type" : "dynamic";
  const selected = parseCell(search, by, vocabulary);
  const matrix = await loadMatrix(context, study.id, by, vocabulary);
  const cell = selected
    ? await loadCellFindings(context, study.id, selected.filters, matrixCellCount(matrix, selected.factorId, selected.columnId), vocabulary)
    : null;
  return { view: "matrix" as const, by, matrix, selected, cell, hasFactors: vocabulary.factors.length > 0, types: vocabulary.types };
}

function Count({ n, max, to, label, selected }: { n: number; max: number; to: string; label: string; selected: boolean }) {
  const level = heatLevel(n, max);
  const className = [n === 0 ? "zero" : `heat-${level}`, selected ? "selected" : ""].filter(Boolean).join(" ");
  return (
    <td className={className}>
      {n === 0 ? (
        <span aria-label={label}>0</span>
      ) : (
        <Link to={to} aria-label={label} preventScrollReset>
          {formatNumber(n)}
        </Link>
      )}
    </td>
  );
}

function CellQuotes({
  selected,
  cell,
  closeTo,
  browseTo,
  studyId,
}: {
  selected: { factorLabel: string; columnLabel: string };
  cell: { total: number; findings: Parameters<typeof FindingCard>[0]["finding"][] };
  closeTo: string;
  browseTo: string;
  studyId: string;
}) {
  return (
    <section className="card" id="cellule" aria-labelledby="cellule-titre">
      <div className="card-head">
        <h3 id="cellule-titre">
          {t.matrix.cellQuotes(selected.factorLabel, selected.columnLabel)} <span className="count">{t.findingsCount(cell.total)}</span>
        </h3>
        <Link to={closeTo} className="button subtle" preventScrollReset>
          {t.matrix.closeCell}
        </Link>
      </div>
      {cell.findings.length === 0 ? (
        <p className="empty">{t.matrix.cellEmpty}</p>
      ) : (
        <ol className="finding-list">
          {cell.findings.map((f) => (
            <FindingCard key={f.id} finding={f} studyId={studyId} />
          ))}
        </ol>
      )}
      {cell.total > cell.findings.length ? <Link to={browseTo}>{t.matrix.seeAll}</Link> : null}
    </section>
  );
}

export default function Matrix() {
  const data = useLoaderData<typeof loader>();
  const { study } = useStudy();
  const base = `/etudes/${study.id}/matrice`;
  const browse = (pairs: [string, string][]) =>
    `/etudes/${study.id}/enseignements?${new URLSearchParams([...pairs, [FILTER_PARAMS.orphaned, "non"]])}`;
  return (
    <>
      <div className="section-head">
        <h2>{data.view === "matrix" ? t.matrix.title : t.matrix.cooccurrenceTitle}</h2>
        <nav className="view-switch" aria-label={t.matrix.views}>
          <Link to={base} className={data.view === "matrix" ? "button active" : "button"} aria-current={data.view === "matrix" ? "page" : undefined}>
            {t.matrix.viewMatrix}
          </Link>
          <Link
            to={`${base}?vue=cooccurrences`}
            className={data.view === "cooccurrences" ? "button active" : "button"}
            aria-current={data.view === "cooccurrences" ? "page" : undefined}
          >
            {t.matrix.viewCooccurrences}
          </Link>
        </nav>
      </div>
      {!data.hasFactors ? <p className="empty">{t.matrix.emptyGrid}</p> : data.view === "matrix" ? factorDynamicMatrix() : cooccurrenceMatrix()}
    </>
  );

  function factorDynamicMatrix() {
    if (data.view !== "matrix") return null;
    const { matrix, by, selected, cell } = data;
    const columnsParam = by === "type" ? "types" : "dynamiques";
    const here = (extra: [string, string][] = []) => `${base}?${new URLSearchParams([["colonnes", columnsParam], ...extra])}`;
    const groups = by === "dynamic" ? data.types.map((ty) => ({ ...ty, span: matrix.columns.filter((c) => c.groupId === ty.id).length })).filter((g) => g.span > 0) : [];
    return (
      <>
        <p className="muted">{t.matrix.intro}</p>
        <p className="view-switch">
          <span className="muted">{t.matrix.groupBy} :</span>
          <Link to={`${base}?colonnes=dynamiques`} className={by === "dynamic" ? "button active" : "button"} preventScrollReset>
            {t.matrix.byDynamic}
          </Link>
          <Link to={`${base}?colonnes=types`} className={by === "type" ? "button active" : "button"} preventScrollReset>
            {t.matrix.byType}
          </Link>
        </p>
        {selected && cell ? (
          <CellQuotes
            selected={selected}
            cell={cell}
            closeTo={here()}
            studyId={study.id}
            browseTo={browse([
              [FILTER_PARAMS.factor, selected.factorId],
              [by === "type" ? FILTER_PARAMS.dynamicType : FILTER_PARAMS.dynamic, selected.columnId],
            ])}
          />
        ) : null}
        {matrix.total === 0 ? <p className="empty">{t.matrix.empty}</p> : null}
        <p className="muted">
          <span className="badge rare">{t.matrix.observedIn(1)}</span> {t.matrix.rareLegend(matrix.threshold)}
        </p>
        <div className="matrix-wrap">
          <table className="matrix">
            <thead>
              {groups.length > 0 ? (
                <tr>
                  <td />
                  {groups.map((g) => (
                    <th key={g.id} colSpan={g.span} scope="colgroup">
                      {g.label}
                    </th>
                  ))}
                  <td />
                </tr>
              ) : null}
              <tr>
                <th scope="col">{t.matrix.factor}</th>
                {matrix.columns.map((c) => (
                  <th key={c.id} scope="col">
                    {c.label}
                  </th>
                ))}
                <th scope="col" className="total">
                  {t.matrix.total}
                </th>
              </tr>
            </thead>
            <tbody>
              {matrix.families.map((family) => (
                <Fragment key={family.id}>
                  <tr className="family-row">
                    <th colSpan={matrix.columns.length + 2} scope="rowgroup">
                      {family.label}
                    </th>
                  </tr>
                  {family.factors.map((f) => (
                    <tr key={f.id} className={f.rare ? "is-rare" : undefined}>
                      <th scope="row">
                        <FactorChip label={f.label} color={f.color} />
                        {f.rare ? <span className="badge rare">{t.matrix.observedIn(f.observedIn)}</span> : null}
                      </th>
                      {f.cells.map((n, i) => {
                        const column = matrix.columns[i]!;
                        return (
                          <Count
                            key={column.id}
                            n={n}
                            max={matrix.max}
                            label={t.matrix.cellLabel(f.label, column.label, n)}
                            to={`${here([
                              ["facteur", f.id],
                              ["colonne", column.id],
                            ])}#cellule`}
                            selected={selected?.factorId === f.id && selected.columnId === column.id}
                          />
                        );
                      })}
                      <td className="total" aria-label={t.matrix.totalLabel(f.label, f.total)}>
                        {formatNumber(f.total)}
                      </td>
                    </tr>
                  ))}
                </Fragment>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" className="total">
                  {t.matrix.total}
                </th>
                {matrix.columns.map((c) => (
                  <td key={c.id} className="total" aria-label={t.matrix.totalLabel(c.label, c.total)}>
                    {formatNumber(c.total)}
                  </td>
                ))}
                <td className="total" aria-label={t.matrix.grandTotalLabel(matrix.total)}>
                  {formatNumber(matrix.total)}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      </>
    );
  }

  function cooccurrenceMatrix() {
    if (data.view !== "cooccurrences") return null;
    const { cooccurrences: co, selected, cell } = data;
    const here = (ids: string[] = []) => `${base}?${new URLSearchParams([["vue", "cooccurrences"], ...ids.map((id) => ["facteur", id] as [string, string])])}`;
    return (
      <>
        <p className="muted">{t.matrix.cooccurrenceIntro}</p>
        {selected && cell ? (
          <CellQuotes
            selected={selected}
            cell={cell}
            closeTo={here()}
            studyId={study.id}
            browseTo={browse(selected.ids.map((id) => [FILTER_PARAMS.factor, id] as [string, string]))}
          />
        ) : null}
        {co.factors.length === 0 ? (
          <p className="empty">{t.matrix.empty}</p>
        ) : (
          <div className="matrix-wrap">
            <table className="matrix">
              <thead>
                <tr>
                  <th scope="col">{t.matrix.factor}</th>
                  {co.factors.map((f) => (
                    <th key={f.id} scope="col">
                      {f.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {co.factors.map((a, i) => (
                  <tr key={a.id}>
                    <th scope="row">
                      <FactorChip label={a.label} color={a.color} />
                    </th>
                    {co.factors.map((b, j) =>
                      i === j ? (
                        <td key={b.id} className="diagonal">
                          <Link to={`${here([a.id])}#cellule`} aria-label={t.matrix.cellLabel(a.label, b.label, co.rows[i]![j]!)} preventScrollReset>
                            {formatNumber(co.rows[i]![j]!)}
                          </Link>
                        </td>
                      ) : (
                        <Count
                          key={b.id}
                          n={co.rows[i]![j]!}
                          max={co.max}
                          label={t.matrix.cellLabel(a.label, b.label, co.rows[i]![j]!)}
                          to={`${here([a.id, b.id])}#cellule`}
                          selected={selected?.ids.length === 2 && selected.ids.includes(a.id) && selected.ids.includes(b.id)}
                        />
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </>
    );
  }
}

export { RouteErrorBoundary as ErrorBoundary };
