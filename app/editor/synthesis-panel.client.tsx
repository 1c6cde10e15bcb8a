import type { Editor } from "@tiptap/core";
import { NodeSelection } from "@tiptap/pm/state";
import { useState, type DragEvent } from "react";
import { FindingFiltersForm } from "../components/finding-filters";
import { formatDay, formatNumber } from "../i18n/format";
import { synthesis as t } from "../i18n/synthesis";
import type { FilterValues, Vocabulary } from "../models/findings-read.server";
import type { PanelFinding, loadSynthesisPanel } from "../models/synthesis.server";
import { citationContent } from "./citation";
import { FINDING_DRAG_TYPE, type CitationStates } from "./citation-view.client";

type PanelFamilies = Awaited<ReturnType<typeof loadSynthesisPanel>>["families"];
type PanelFactor = PanelFamilies[number]["factors"][number];

export interface SynthesisPanelData {
  families: PanelFamilies;
  vocabulary: Vocabulary;
  values: FilterValues;
  /** The filters as a query string (without the factor being expanded). */
  query: string;
}

interface PanelProps {
  editor: Editor;
  canType: boolean;
  studyId: string;
  store: CitationStates;
  data: SynthesisPanelData;
}

/** Dynamics named on a factor's line before « +N ». */
const DYNAMICS_SHOWN = 5;

/**
 * The study's findings by family and factor, under the findings browser's filters, to cite in the
 * synthesis. Counts come with the page; a factor's findings are fetched when it is opened.
 */
export function SynthesisPanel({ editor, canType, studyId, store, data }: PanelProps) {
  const base = `/etudes/${studyId}/synthese`;
  const cite = (finding: PanelFinding) => {
    const attrs = { findingId: finding.id, quote: finding.quote, source: finding.source };
    // The block knows its state at once; the refresh confirms it.
    store.merge({
      asked: [finding.id],
      found: { [finding.id]: { quote: finding.quote, source: finding.source, orphaned: finding.orphaned, url: finding.url } },
    });
    // A selected block (another citation) is kept: the new one goes after it.
    const { selection } = editor.state;
    const chain = editor.chain().focus();
    (selection instanceof NodeSelection
      ? chain.insertContentAt(selection.to, citationContent(attrs))
      : chain.insertContent(citationContent(attrs))
    ).run();
  };
  const empty = data.families.every((family) => family.factors.every((f) => f.count === 0));
  return (
    <aside className="findings-panel synthesis-panel" aria-labelledby="synthesis-panel-title">
      <h3 id="synthesis-panel-title">{t.panel.title}</h3>
      <details className="synthesis-panel__filters" open={data.query !== ""}>
        <summary>{t.panel.filters}</summary>
        <FindingFiltersForm
          key={data.query}
          vocabulary={data.vocabulary}
          values={data.values}
          resetTo={base}
          label={t.panel.filters}
          className="filters"
        />
      </details>
      {canType ? <p className="muted synthesis-panel__hint">{t.panel.dragHint}</p> : null}
      {empty ? <p className="muted">{t.panel.empty}</p> : null}
      {data.families.map((family) => (
        <section key={family.id} className="synthesis-family" aria-label={family.label}>
          <h4>{family.label}</h4>
          <ul className="synthesis-factors">
            {family.factors.map((factor) => (
              <FactorItem
                key={`${data.query}:${factor.id}`}
                factor={factor}
                base={base}
                query={data.query}
                canType={canType}
                onCite={cite}
              />
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}

interface FactorPage {
  findings: PanelFinding[];
  more: boolean;
}

function FactorItem({
  factor,
  base,
  query,
  canType,
  onCite,
}: {
  factor: PanelFactor;
  base: string;
  query: string;
  canType: boolean;
  onCite: (finding: PanelFinding) => void;
}) {
  const [open, setOpen] = useState(false);
  const [findings, setFindings] = useState<PanelFinding[] | null>(null);
  const [more, setMore] = useState(false);
  const [page, setPage] = useState(0);
  const [state, setState] = useState<"idle" | "loading" | "error">("idle");

  const load = async (next: number) => {
    setState("loading");
    try {
      const params = new URLSearchParams(query);
      params.set("ouvrir", factor.id);
      params.set("page", String(next));
      const response = await fetch(`${base}/enseignements?${params}`, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const result = (await response.json()) as FactorPage;
      setFindings((previous) => [...(next > 1 ? previous ?? [] : []), ...result.findings]);
      setMore(result.more);
      setPage(next);
      setState("idle");
    } catch {
      setState("error");
    }
  };

  const toggle = () => {
    if (!open && findings === null) void load(1);
    setOpen(!open);
  };

  const shown = factor.dynamics.slice(0, DYNAMICS_SHOWN);
  const hidden = factor.dynamics.length - shown.length;
  return (
    <li className={factor.count === 0 ? "synthesis-factor is-empty" : "synthesis-factor"} style={{ borderLeftColor: factor.color }}>
      <button type="button" className="synthesis-factor__toggle" aria-expanded={open} disabled={factor.count === 0} onClick={toggle}>
        <span>{factor.label}</span> <span className="count">{formatNumber(factor.count)}</span>
      </button>
      {factor.dynamics.length > 0 ? (
        <p className="synthesis-factor__dynamics muted" aria-label={t.panel.byDynamic}>
          {shown.map((d) => `${d.name} (${formatNumber(d.count)})`).join(" · ")}
          {hidden > 0 ? ` · +${formatNumber(hidden)}` : null}
        </p>
      ) : null}
      {open ? (
        <div className="synthesis-factor__findings">
          {findings ? (
            <ul className="findings-panel__list">
              {findings.map((finding) => (
                <PanelFindingItem key={finding.id} finding={finding} canType={canType} onCite={onCite} />
              ))}
            </ul>
          ) : null}
          {state === "loading" ? <p className="muted">{t.panel.loading}</p> : null}
          {state === "error" ? (
            <p className="muted" role="alert">
              {t.panel.loadError}
            </p>
          ) : null}
          {more && state !== "loading" ? (
            <button type="button" className="button subtle" onClick={() => void load(page + 1)}>
              {t.panel.more}
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function PanelFindingItem({
  finding,
  canType,
  onCite,
}: {
  finding: PanelFinding;
  canType: boolean;
  onCite: (finding: PanelFinding) => void;
}) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(FINDING_DRAG_TYPE, JSON.stringify({ findingId: finding.id, quote: finding.quote, source: finding.source }));
    event.dataTransfer.setData("text/plain", finding.quote);
    event.dataTransfer.effectAllowed = "copy";
  };
  const where = [
    finding.kindLabel,
    finding.dynamics.join(", "),
    finding.meeting ? `${finding.meeting.title} · ${formatDay(finding.meeting.startsOn)}` : "",
  ];
  return (
    <li className="findings-panel__item synthesis-finding" draggable={canType} onDragStart={canType ? onDragStart : undefined}>
      <blockquote className="synthesis-finding__quote">{finding.quote}</blockquote>
      <p className="findings-panel__comment">
        {where.filter((w) => w !== "").join(" · ")}
        {finding.orphaned ? ` · ${t.panel.orphaned}` : null}
      </p>
      {canType ? (
        <div className="findings-panel__actions">
          <button type="button" className="button subtle" aria-label={t.panel.citeLabel(finding.quote)} onClick={() => onCite(finding)}>
            {t.panel.cite}
          </button>
        </div>
      ) : null}
    </li>
  );
}
