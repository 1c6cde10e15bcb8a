import { Link } from "@remix-run/react";
import { findings as t } from "~/i18n/findings";
import { formatDateTime, formatDay } from "~/i18n/format";
import type { DescribedFinding } from "~/models/findings-read.server";

/** A factor tag: its color as a dot and border, the label in the page's ink (readable on any color). */
export function FactorChip({ label, color }: { label: string; color: string }) {
  return (
    <span className="chip factor-chip" style={{ borderColor: color }}>
      <span className="factor-dot" style={{ background: color }} aria-hidden="true" />
      {label}
    </span>
  );
}

export function FindingCard({ finding, studyId }: { finding: DescribedFinding; studyId: string }) {
  return (
    <li className={finding.orphaned ? "finding-card card is-orphaned" : "finding-card card"} id={`enseignement-${finding.id}`}>
      <p className="finding-meta">
        <span className={`badge kind kind-${finding.kind}`}>{finding.kindLabel}</span>
        {finding.audienceLabel ? <span className="badge">{finding.audienceLabel}</span> : null}
        {finding.orphaned ? (
          <span className="badge orphaned" title={t.browser.orphanedHint}>
            {t.browser.orphaned}
          </span>
        ) : null}
        {finding.meeting ? (
          <Link to={`/etudes/${studyId}/visites/${finding.meeting.id}`} className="finding-visit">
            {finding.meeting.title}
          </Link>
        ) : null}
        {finding.meeting?.startsOn ? <span className="muted">{formatDay(finding.meeting.startsOn)}</span> : null}
      </p>
      <blockquote className="finding-quote">{finding.quote}</blockquote>
      {finding.comment ? (
        <p className="finding-comment">
          <span className="muted">{t.browser.comment} : </span>
          {finding.comment}
        </p>
      ) : null}
      <div className="chips" aria-label={t.browser.factors}>
        {finding.factors.length === 0 ? <span className="muted">{t.browser.noFactor}</span> : null}
        {finding.factors.map((f) => (
          <FactorChip key={f.id} label={f.label} color={f.color} />
        ))}
      </div>
      {finding.dynamics.length > 0 ? (
        <div className="chips" aria-label={t.browser.dynamics}>
          {finding.dynamics.map((d) => (
            <Link key={d.id} to={`/etudes/${studyId}/dynamiques/${d.id}`} className="chip">
              {d.name}
            </Link>
          ))}
        </div>
      ) : null}
      <p className="finding-foot muted">
        {t.browser.by} {finding.author ?? t.browser.unknownAuthor} · {formatDateTime(finding.createdAt)}
        {finding.url ? (
          <>
            {" · "}
            <a href={finding.url}>{t.browser.openPassage}</a>
          </>
        ) : null}
      </p>
    </li>
  );
}
