import { Extension, type Editor } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin } from "@tiptap/pm/state";
import { NodeViewWrapper, ReactNodeViewRenderer, type NodeViewProps } from "@tiptap/react";
import { useEffect, useSyncExternalStore } from "react";
import { synthesis as t } from "../i18n/synthesis";
import type { CitationLive } from "../models/synthesis.server";
import { CITATION_NODE, CitationNode, citationContent, citationStatus, type CitationAttrs, type CitationStatus } from "./citation";

/** What the store knows of a cited finding: its live state, or that it no longer exists. */
export type CitationState = CitationLive | "deleted";

/**
 * The live state of the findings cited in the synthesis, shared by every citation block of the
 * page: filled by the page loader, then refreshed from the sources route.
 */
export class CitationStates {
  private states = new Map<string, CitationState>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly url: string, initial: { asked: readonly string[]; found: Record<string, CitationLive> }) {
    this.merge(initial);
  }

  /** Ids asked about and absent from the answer are deleted findings (or another study's). */
  merge({ asked, found }: { asked: readonly string[]; found: Record<string, CitationLive> }) {
    for (const id of asked) this.states.set(id, found[id] ?? "deleted");
    this.notify();
  }

  get = (id: string): CitationState | undefined => this.states.get(id);

  async refresh(ids: readonly string[]) {
    const unique = [...new Set(ids)];
    // The sources route answers at most 500 ids per request.
    for (let i = 0; i < unique.length; i += 500) {
      const asked = unique.slice(i, i + 500);
      try {
        const response = await fetch(`${this.url}?ids=${asked.join(",")}`, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const { states } = (await response.json()) as { states: Record<string, CitationLive> };
        this.merge({ asked, found: states });
      } catch {
        // Offline or server restarting: the blocks keep their last known state until the next refresh.
        return;
      }
    }
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private notify() {
    for (const listener of this.listeners) listener();
  }
}

/** Not known yet (the first refresh has not answered) reads as "loading". */
const statusOf = (attrs: CitationAttrs, live: CitationState | undefined): CitationStatus | "loading" =>
  live === undefined && attrs.findingId ? "loading" : citationStatus(attrs, live === "deleted" ? null : (live ?? null));

function CitationBlock({ node, updateAttributes, editor, extension }: NodeViewProps) {
  const store = (extension.options as CitationViewOptions).store;
  const attrs = node.attrs as CitationAttrs;
  const live = useSyncExternalStore(
    store.subscribe,
    () => (attrs.findingId ? store.get(attrs.findingId) : undefined),
    () => undefined
  );
  const status = statusOf(attrs, live);
  const current = typeof live === "object" ? live : null;
  return (
    <NodeViewWrapper
      as="figure"
      className={`citation citation--${status}`}
      data-citation=""
      data-finding-id={attrs.findingId ?? undefined}
      data-drag-handle=""
      aria-label={t.citation.label}
    >
      <blockquote>{attrs.quote}</blockquote>
      <figcaption>{attrs.source}</figcaption>
      {status === "stale" && current ? (
        <div className="citation__status citation__status--stale">
          <p>
            <strong>{t.citation.stale}</strong>
          </p>
          {current.quote !== attrs.quote ? (
            <p className="citation__new">
              {t.citation.newText} « {current.quote} »
            </p>
          ) : null}
          {current.source !== attrs.source ? (
            <p className="citation__new">
              {t.citation.newSource} {current.source}
            </p>
          ) : null}
          {editor.isEditable ? (
            <button type="button" className="button" onClick={() => updateAttributes({ quote: current.quote, source: current.source })}>
              {t.citation.update}
            </button>
          ) : null}
        </div>
      ) : null}
      {status === "orphaned" ? <p className="citation__status citation__status--orphaned">{t.citation.orphaned}</p> : null}
      {status === "deleted" ? <p className="citation__status citation__status--deleted">{t.citation.deleted}</p> : null}
      {current?.url ? (
        <p className="citation__link">
          <a href={current.url}>{t.citation.seeInReport}</a>
        </p>
      ) : null}
    </NodeViewWrapper>
  );
}

interface CitationViewOptions {
  store: CitationStates;
}

/** The citation node with its live view: same name and schema, so it replaces the plain node in this editor only. */
export const CitationView = CitationNode.extend<CitationViewOptions>({
  addOptions() {
    return { store: new CitationStates("", { asked: [], found: {} }) };
  },
  addNodeView() {
    return ReactNodeViewRenderer(CitationBlock);
  },
});

/** The type under which the side panel hands a finding over by drag and drop. */
export const FINDING_DRAG_TYPE = "application/x-terrain-citation";

/** Dropping a finding from the panel inserts its citation block where it is dropped. */
export const CitationDrop = Extension.create({
  name: "citationDrop",
  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin({
        props: {
          handleDrop(view, event) {
            const raw = event.dataTransfer?.getData(FINDING_DRAG_TYPE);
            if (!raw || !editor.isEditable) return false;
            const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
            if (!at) return false;
            event.preventDefault();
            // Dropped on a line of text: the block goes after that line rather than splitting it.
            const $at = view.state.doc.resolve(at.pos);
            const pos = $at.parent.isTextblock && $at.parent.content.size > 0 ? $at.after() : at.pos;
            editor
              .chain()
              .focus()
              .insertContentAt(pos, citationContent(JSON.parse(raw) as CitationAttrs))
              .run();
            return true;
          },
        },
      }),
    ];
  },
});


/** The citation blocks of the editor's document: finding id and quote as accepted, once per distinct pair. */
export function citationsIn(doc: PMNode): { findingId: string; quote: string }[] {
  const found = new Map<string, { findingId: string; quote: string }>();
  doc.descendants((node) => {
    if (node.type.name !== CITATION_NODE) return true;
    const { findingId, quote } = node.attrs as CitationAttrs;
    if (findingId) found.set(`${findingId}\u0000${quote}`, { findingId, quote });
    return false;
  });
  return [...found.values()];
}

const REFRESH_EVERY_MS = 15_000;

/**
 * Keeps the blocks' states fresh: a citation inserted or updated here or by someone else is
 * looked up at once (another tab's « Mettre à jour » may rest on a newer state than this tab
 * knows), and all of them again when the window regains focus and every 15 s.
 */
export function useCitationRefresh(editor: Editor, store: CitationStates) {
  useEffect(() => {
    const seen = new Set<string>();
    const all = () => void store.refresh(citationsIn(editor.state.doc).map((c) => c.findingId));
    const onUpdate = () => {
      const changed = citationsIn(editor.state.doc).filter((c) => !seen.has(`${c.findingId}\u0000${c.quote}`));
      for (const c of changed) seen.add(`${c.findingId}\u0000${c.quote}`);
      if (changed.length > 0) void store.refresh(changed.map((c) => c.findingId));
    };
    editor.on("update", onUpdate);
    window.addEventListener("focus", all);
    const timer = window.setInterval(all, REFRESH_EVERY_MS);
    onUpdate();
    return () => {
      editor.off("update", onUpdate);
      window.removeEventListener("focus", all);
      window.clearInterval(timer);
    };
  }, [editor, store]);
}
