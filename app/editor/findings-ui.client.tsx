import { Extension, type Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { BubbleMenu } from "@tiptap/react/menus";
import { yUndoPluginKey } from "@tiptap/y-tiptap";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type MutableRefObject } from "react";
import type * as Y from "yjs";
import { findingsEditor as t } from "../i18n/findings-editor";
import { formatDateTime } from "../i18n/format";
import type { ReportTagging } from "../models/reports.server";
import { FINDING_MARK } from "./finding-mark";
import { addFindingToSelection, findingsMap, removeFindingFromEditor, type FindingTags } from "./findings";

/** The link into a report that scrolls to a finding's passage (the findings browser builds it too). */
export const FINDING_HASH_PREFIX = "#enseignement-";

/** Mod-Shift-E tags the selection; `onTag` is read at key time so the dialog opener stays current. */
export const FindingShortcut = Extension.create<{ onTag: () => void }>({
  name: "findingShortcut",
  addOptions: () => ({ onTag: () => {} }),
  addKeyboardShortcuts() {
    return {
      "Mod-Shift-e": () => {
        if (!this.editor.isEditable || this.editor.state.selection.empty) return false;
        this.options.onTag();
        return true;
      },
    };
  },
});

type Grid = ReportTagging;

interface FactorInfo {
  id: string;
  label: string;
  familyLabel: string;
  color: string;
  archived: boolean;
  mergedInto: string | null;
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;
const NEUTRAL_COLOR = "#9ca3af";

function factorIndex(grid: Grid): Map<string, FactorInfo> {
  const index = new Map<string, FactorInfo>();
  for (const family of grid.families) {
    for (const f of family.factors) {
      const color = f.color && HEX_COLOR.test(f.color) ? f.color : HEX_COLOR.test(family.color) ? family.color : NEUTRAL_COLOR;
      index.set(f.id, { id: f.id, label: f.label, familyLabel: family.label, color, archived: f.archived, mergedInto: f.mergedInto });
    }
  }
  return index;
}

/** A factor merged into another speaks for its target (the server copies the target too). */
function resolveFactor(index: Map<string, FactorInfo>, id: string): FactorInfo | undefined {
  let factor = index.get(id);
  for (let hops = 0; factor?.mergedInto && hops < index.size; hops++) factor = index.get(factor.mergedInto);
  return factor;
}

function factorsOf(index: Map<string, FactorInfo>, tags: FindingTags): FactorInfo[] {
  const seen = new Map<string, FactorInfo>();
  for (const id of tags.factors) {
    const factor = resolveFactor(index, id);
    if (factor) seen.set(factor.id, factor);
  }
  return [...seen.values()];
}

/** Anyone with write access may put anything in the map: read entries defensively. */
function readTags(value: unknown): FindingTags | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  if (typeof v.kind !== "string") return null;
  const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === "string") : []);
  const text = (x: unknown) => (typeof x === "string" ? x : "");
  return {
    kind: v.kind,
    factors: strings(v.factors),
    dynamics: strings(v.dynamics),
    audience: typeof v.audience === "string" ? v.audience : null,
    comment: text(v.comment),
    createdBy: text(v.createdBy),
    createdAt: text(v.createdAt),
  };
}

/** The document's `findings` map, re-read on every change (local or remote). */
function useFindingTags(doc: Y.Doc): ReadonlyMap<string, FindingTags> {
  const map = useMemo(() => findingsMap(doc), [doc]);
  const read = useCallback(() => {
    const tags = new Map<string, FindingTags>();
    map.forEach((value, id) => {
      const entry = readTags(value);
      if (entry) tags.set(id, entry);
    });
    return tags;
  }, [map]);
  const [tags, setTags] = useState(read);
  useEffect(() => {
    const update = () => setTags(read());
    map.observe(update);
    update();
    return () => map.unobserve(update);
  }, [map, read]);
  return tags;
}

interface Anchor {
  id: string;
  /** The first passage of the finding (a pasted copy makes more). */
  from: number;
  to: number;
  quote: string;
}

const QUOTE_LENGTH = 140;

/** Every finding mark's first passage (its first run of marked text), in document order. */
function anchorsOf(editor: Editor): Anchor[] {
  const first = new Map<string, { from: number; to: number }>();
  const open = new Set<string>();
  editor.state.doc.descendants((node, pos) => {
    if (!node.isText) return;
    const ids = new Set<string>();
    for (const mark of node.marks) {
      const id: unknown = mark.attrs.id;
      if (mark.type.name === FINDING_MARK && typeof id === "string") ids.add(id);
    }
    // A passage runs on across block boundaries; text without the mark ends it.
    for (const id of open) if (!ids.has(id)) open.delete(id);
    for (const id of ids) {
      const anchor = first.get(id);
      if (!anchor) {
        first.set(id, { from: pos, to: pos + node.nodeSize });
        open.add(id);
      } else if (open.has(id)) anchor.to = pos + node.nodeSize;
    }
  });
  return [...first].map(([id, { from, to }]) => {
    const text = editor.state.doc.textBetween(from, to, " ");
    return { id, from, to, quote: text.length > QUOTE_LENGTH ? `${text.slice(0, QUOTE_LENGTH - 1)}…` : text };
  });
}

/** Highlights in each finding's first factor's color, for everyone: colors come from the grid, never from the document. */
function highlightStyles(tags: ReadonlyMap<string, FindingTags>, index: Map<string, FactorInfo>): string {
  const rules: string[] = [];
  for (const [id, entry] of tags) {
    const color = factorsOf(index, entry)[0]?.color ?? NEUTRAL_COLOR;
    rules.push(`.report-content mark.finding[data-finding-id="${CSS.escape(id)}"] { --finding-color: ${color}; }`);
  }
  return rules.join("\n");
}

const marksWithId = (editor: Editor, id: string) =>
  [...editor.view.dom.querySelectorAll<HTMLElement>(`mark.finding[data-finding-id="${CSS.escape(id)}"]`)];

type DialogState = { mode: "new" } | { mode: "edit"; id: string; tags: FindingTags };

export interface FindingsProps {
  editor: Editor;
  doc: Y.Doc;
  grid: Grid;
  userId: string;
  canTag: boolean;
  /** Set to the dialog opener, for the keyboard shortcut. */
  openRef: MutableRefObject<() => void>;
}

/** Highlights, their tooltip, the « Enseignements » panel and, for members, the tagging controls. */
export function Findings({ editor, doc, grid, userId, canTag, openRef }: FindingsProps) {
  const tags = useFindingTags(doc);
  const index = useMemo(() => factorIndex(grid), [grid]);
  const anchors = useEditorState({ editor, selector: ({ editor: e }) => (e ? anchorsOf(e) : []) }) ?? [];
  const [dialog, setDialog] = useState<DialogState | null>(null);

  // The editor's undo covers the text only: with the map in its scope too, undoing a tagging
  // removes the whole finding instead of leaving its tags behind as an orphan (and undoing a
  // removal brings both back). Only this editor's own transactions are tracked, never others'.
  useEffect(() => {
    const undoManager = (yUndoPluginKey.getState(editor.state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager;
    undoManager?.addToScope(findingsMap(doc));
  }, [editor, doc]);

  const openNew = useCallback(() => {
    if (canTag && !editor.state.selection.empty) setDialog({ mode: "new" });
  }, [canTag, editor]);
  useEffect(() => {
    openRef.current = openNew;
  }, [openRef, openNew]);

  const goTo = useCallback(
    (id: string) => {
      const anchor = anchorsOf(editor).find((a) => a.id === id);
      if (!anchor) return;
      editor.commands.setTextSelection({ from: anchor.from, to: anchor.to });
      const marks = marksWithId(editor, id);
      marks[0]?.scrollIntoView({ block: "center", behavior: "smooth" });
      for (const mark of marks) {
        mark.classList.remove("finding--flash");
        // Restarts the animation when the same finding is chosen twice in a row.
        void mark.offsetWidth;
        mark.classList.add("finding--flash");
        mark.addEventListener("animationend", () => mark.classList.remove("finding--flash"), { once: true });
      }
    },
    [editor],
  );

  useFindingHash(anchors, goTo);

  const save = (entry: FindingTags) => {
    if (!dialog) return true;
    if (dialog.mode === "edit") {
      findingsMap(doc).set(dialog.id, { ...entry, createdBy: dialog.tags.createdBy, createdAt: dialog.tags.createdAt });
    } else if (editor.state.selection.empty || !addFindingToSelection(editor, doc, crypto.randomUUID(), entry)) {
      return false;
    }
    setDialog(null);
    return true;
  };

  const remove = (id: string, quote: string) => {
    if (window.confirm(t.panel.confirmRemove(quote))) removeFindingFromEditor(editor, doc, id);
  };

  const styles = useMemo(() => highlightStyles(tags, index), [tags, index]);
  const anchored = anchors.filter((a) => tags.has(a.id));
  const anchoredIds = new Set(anchors.map((a) => a.id));
  const orphaned = [...tags].filter(([id]) => !anchoredIds.has(id));

  return (
    <>
      <style>{styles}</style>
      {/* Unmounted while the dialog is open: the menu would otherwise stay over the page. */}
      {canTag && !dialog ? (
        <BubbleMenu editor={editor} className="finding-bubble">
          <button
            type="button"
            className="button"
            title={t.withShortcut(t.tag, t.shortcutKeys)}
            aria-keyshortcuts="Control+Shift+E"
            // Keeps the editor's selection: the passage to tag.
            onMouseDown={(event) => event.preventDefault()}
            onClick={openNew}
          >
            {t.tag}
          </button>
        </BubbleMenu>
      ) : null}
      <FindingTooltip editor={editor} tags={tags} index={index} grid={grid} />
      <aside className="findings-panel" aria-labelledby="findings-panel-title">
        <h3 id="findings-panel-title">
          {t.panel.title} <span className="muted">({anchored.length + orphaned.length})</span>
        </h3>
        {anchored.length + orphaned.length === 0 ? <p className="muted">{canTag ? t.panel.empty : t.panel.emptyReadOnly}</p> : null}
        <ul className="findings-panel__list">
          {anchored.map((anchor) => (
            <PanelItem
              key={anchor.id}
              quote={anchor.quote}
              tags={tags.get(anchor.id)!}
              index={index}
              grid={grid}
              canEdit={canTag}
              onGo={() => goTo(anchor.id)}
              onEdit={() => setDialog({ mode: "edit", id: anchor.id, tags: tags.get(anchor.id)! })}
              onRemove={() => remove(anchor.id, anchor.quote)}
            />
          ))}
        </ul>
        {orphaned.length > 0 ? (
          <section className="findings-panel__orphaned" aria-labelledby="findings-orphaned-title">
            <h4 id="findings-orphaned-title">{t.panel.orphaned}</h4>
            <p className="muted">{t.panel.orphanedHint}</p>
            <ul className="findings-panel__list">
              {orphaned.map(([id, entry]) => (
                <PanelItem
                  key={id}
                  quote={null}
                  tags={entry}
                  index={index}
                  grid={grid}
                  canEdit={canTag}
                  onEdit={() => setDialog({ mode: "edit", id, tags: entry })}
                  onRemove={() => remove(id, kindLabel(grid, entry.kind))}
                />
              ))}
            </ul>
          </section>
        ) : null}
      </aside>
      {dialog ? (
        <FindingDialog
          key={dialog.mode === "edit" ? dialog.id : "new"}
          title={dialog.mode === "edit" ? t.dialog.editTitle : t.dialog.newTitle}
          passage={dialog.mode === "new" ? editor.state.doc.textBetween(editor.state.selection.from, editor.state.selection.to, " ") : null}
          initial={dialog.mode === "edit" ? dialog.tags : null}
          grid={grid}
          index={index}
          userId={userId}
          onSave={save}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </>
  );
}

/** `#enseignement-<id>` scrolls to the passage once its mark is in the editor (after the first sync). */
function useFindingHash(anchors: Anchor[], goTo: (id: string) => void) {
  const [hash, setHash] = useState(() => window.location.hash);
  const done = useRef<string | null>(null);
  useEffect(() => {
    const onHashChange = () => {
      done.current = null;
      setHash(window.location.hash);
    };
    window.addEventListener("hashchange", onHashChange);
    return () => window.removeEventListener("hashchange", onHashChange);
  }, []);
  useEffect(() => {
    if (!hash.startsWith(FINDING_HASH_PREFIX) || done.current === hash) return;
    const id = decodeURIComponent(hash.slice(FINDING_HASH_PREFIX.length));
    if (!anchors.some((a) => a.id === id)) return;
    done.current = hash;
    goTo(id);
  }, [hash, anchors, goTo]);
}

const kindLabel = (grid: Grid, key: string) => grid.kinds.find((k) => k.key === key)?.label ?? t.unknownKind;

function TagSummary({ tags, index, grid }: { tags: FindingTags; index: Map<string, FactorInfo>; grid: Grid }) {
  const factors = factorsOf(index, tags);
  return (
    <>
      <span className="finding-kind">{kindLabel(grid, tags.kind)}</span>
      <span className="finding-factors">
        {factors.map((f) => (
          <span key={f.id} className="finding-chip" style={{ borderColor: f.color }}>
            <span className="finding-swatch" style={{ background: f.color }} aria-hidden="true" />
            {f.label}
          </span>
        ))}
      </span>
    </>
  );
}

interface PanelItemProps {
  quote: string | null;
  tags: FindingTags;
  index: Map<string, FactorInfo>;
  grid: Grid;
  canEdit: boolean;
  onGo?: () => void;
  onEdit: () => void;
  onRemove: () => void;
}

function PanelItem({ quote, tags, index, grid, canEdit, onGo, onEdit, onRemove }: PanelItemProps) {
  const color = factorsOf(index, tags)[0]?.color ?? NEUTRAL_COLOR;
  return (
    <li className="findings-panel__item" style={{ borderLeftColor: color }}>
      <TagSummary tags={tags} index={index} grid={grid} />
      {quote !== null && onGo ? (
        <button type="button" className="findings-panel__go" aria-label={t.panel.goTo(quote)} onClick={onGo}>
          « {quote} »
        </button>
      ) : null}
      {tags.comment ? <p className="findings-panel__comment">{tags.comment}</p> : null}
      {canEdit ? (
        <div className="findings-panel__actions">
          <button type="button" className="link-button" onClick={onEdit}>
            {t.panel.edit}
          </button>
          <button type="button" className="link-button danger" onClick={onRemove}>
            {t.panel.remove}
          </button>
        </div>
      ) : null}
    </li>
  );
}

interface TooltipState {
  ids: string[];
  left: number;
  top: number;
}

/** Hovering a highlight shows the tags of every finding under the pointer (they may overlap). */
function FindingTooltip({ editor, tags, index, grid }: { editor: Editor; tags: ReadonlyMap<string, FindingTags>; index: Map<string, FactorInfo>; grid: Grid }) {
  const [state, setState] = useState<TooltipState | null>(null);
  useEffect(() => {
    const root = editor.view.dom;
    const onOver = (event: MouseEvent) => {
      const innermost = (event.target as Element | null)?.closest?.("mark.finding");
      if (!innermost || !root.contains(innermost)) return;
      const ids: string[] = [];
      for (let el: Element | null = innermost; el && el !== root; el = el.parentElement) {
        const id = el.matches("mark.finding") ? el.getAttribute("data-finding-id") : null;
        if (id && !ids.includes(id)) ids.push(id);
      }
      const rect = innermost.getBoundingClientRect();
      setState({ ids, left: rect.left, top: rect.bottom + 6 });
    };
    const onOut = (event: MouseEvent) => {
      const next = event.relatedTarget as Element | null;
      if (!next?.closest?.("mark.finding")) setState(null);
    };
    root.addEventListener("mouseover", onOver);
    root.addEventListener("mouseout", onOut);
    return () => {
      root.removeEventListener("mouseover", onOver);
      root.removeEventListener("mouseout", onOut);
    };
  }, [editor]);

  const shown = state?.ids.filter((id) => tags.has(id)) ?? [];
  if (!state || shown.length === 0) return null;
  const dynamicName = new Map(grid.dynamics.map((d) => [d.id, d.name]));
  const authorName = new Map(grid.authors.map((a) => [a.id, a.name]));
  return (
    <div className="finding-tooltip" role="tooltip" style={{ left: state.left, top: state.top }}>
      {shown.map((id) => {
        const entry = tags.get(id)!;
        const dynamics = entry.dynamics.map((d) => dynamicName.get(d)).filter((n): n is string => n !== undefined);
        const audience = entry.audience ? grid.audiences.find((a) => a.key === entry.audience)?.label : undefined;
        return (
          <div key={id} className="finding-tooltip__finding">
            <TagSummary tags={entry} index={index} grid={grid} />
            {dynamics.length > 0 ? (
              <p>
                {t.tooltip.dynamics} : {dynamics.join(", ")}
              </p>
            ) : null}
            {audience ? (
              <p>
                {t.tooltip.audience} : {audience}
              </p>
            ) : null}
            {entry.comment ? (
              <p>
                {t.tooltip.comment} : {entry.comment}
              </p>
            ) : null}
            <p className="muted">{t.tooltip.author(authorName.get(entry.createdBy) ?? t.unknownAuthor, entry.createdAt ? formatDateTime(entry.createdAt) : "")}</p>
          </div>
        );
      })}
    </div>
  );
}

/** Case and accents folded, so « cooperation » finds « Coopération ». */
const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/œ/gi, "oe")
    .replace(/æ/gi, "ae")
    .toLowerCase();

interface FindingDialogProps {
  title: string;
  /** The selected passage (new findings only). */
  passage: string | null;
  initial: FindingTags | null;
  grid: Grid;
  index: Map<string, FactorInfo>;
  userId: string;
  /** False when the passage is gone (the dialog then says so and stays open). */
  onSave: (tags: FindingTags) => boolean;
  onClose: () => void;
}

type DialogErrors = Partial<Record<keyof typeof t.dialog.errors, string>>;

function FindingDialog({ title, passage, initial, grid, index, userId, onSave, onClose }: FindingDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const uid = useId();
  const [kind, setKind] = useState(initial?.kind ?? "");
  const [factors, setFactors] = useState<string[]>(() =>
    initial ? factorsOf(index, initial).map((f) => f.id) : [],
  );
  const [dynamics, setDynamics] = useState<string[]>(() => initial?.dynamics ?? grid.visitDynamicIds);
  const [audience, setAudience] = useState(initial?.audience ?? "");
  const [comment, setComment] = useState(initial?.comment ?? "");
  const [errors, setErrors] = useState<DialogErrors>({});

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const hasAudience = grid.kinds.find((k) => k.key === kind)?.hasAudience ?? false;
  // Archived dynamics are offered only when the finding already names them; the visit's come first.
  const dynamicChoices = useMemo(() => {
    const offered = grid.dynamics.filter((d) => !d.archived || initial?.dynamics.includes(d.id));
    const ofVisit = (id: string) => (grid.visitDynamicIds.includes(id) ? 0 : 1);
    return offered.sort((a, b) => ofVisit(a.id) - ofVisit(b.id));
  }, [grid, initial]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: DialogErrors = {};
    if (!grid.kinds.some((k) => k.key === kind)) found.kind = t.dialog.errors.kind;
    if (factors.length === 0) found.factors = t.dialog.errors.factors;
    if (dynamicChoices.length > 0 && dynamics.length === 0) found.dynamics = t.dialog.errors.dynamics;
    if (Object.keys(found).length === 0) {
      const saved = onSave({
        kind,
        factors,
        dynamics,
        audience: hasAudience && audience ? audience : null,
        comment: comment.trim(),
        createdBy: userId,
        createdAt: new Date().toISOString(),
      });
      if (!saved) found.selection = t.dialog.errors.selection;
    }
    setErrors(found);
  };

  return (
    <dialog ref={ref} className="finding-dialog" aria-labelledby={`${uid}-title`} onClose={onClose} onCancel={onClose}>
      <form method="dialog" onSubmit={submit} noValidate>
        <h2 id={`${uid}-title`}>{title}</h2>
        {passage !== null ? (
          <blockquote className="finding-dialog__passage" aria-label={t.dialog.passage}>
            {passage.length > 400 ? `${passage.slice(0, 399)}…` : passage}
          </blockquote>
        ) : null}
        {errors.selection ? (
          <p className="form-error" role="alert">
            {errors.selection}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={`${uid}-kind`}>{t.dialog.kind}</label>
          <select
            id={`${uid}-kind`}
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            aria-invalid={errors.kind ? true : undefined}
            aria-describedby={errors.kind ? `${uid}-kind-error` : undefined}
          >
            <option value="">{t.dialog.chooseKind}</option>
            {grid.kinds.map((k) => (
              <option key={k.key} value={k.key}>
                {k.label}
              </option>
            ))}
          </select>
          {errors.kind ? (
            <p className="field-error" id={`${uid}-kind-error`}>
              {errors.kind}
            </p>
          ) : null}
        </div>
        <FactorPicker grid={grid} index={index} selected={factors} onChange={setFactors} error={errors.factors} />
        <fieldset className={errors.dynamics ? "checkbox-group has-error" : "checkbox-group"}>
          <legend>{t.dialog.dynamics}</legend>
          {dynamicChoices.map((d) => (
            <label key={d.id}>
              <input
                type="checkbox"
                checked={dynamics.includes(d.id)}
                onChange={(e) => setDynamics(e.target.checked ? [...dynamics, d.id] : dynamics.filter((x) => x !== d.id))}
              />
              {d.name}
              {grid.visitDynamicIds.includes(d.id) ? <span className="muted"> ({t.dialog.visitDynamic})</span> : null}
            </label>
          ))}
          {errors.dynamics ? <p className="field-error">{errors.dynamics}</p> : null}
        </fieldset>
        {hasAudience ? (
          <div className="field">
            <label htmlFor={`${uid}-audience`}>{t.dialog.audience}</label>
            <select id={`${uid}-audience`} value={audience} onChange={(e) => setAudience(e.target.value)}>
              <option value="">{t.dialog.noAudience}</option>
              {grid.audiences.map((a) => (
                <option key={a.key} value={a.key}>
                  {a.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${uid}-comment`}>{t.dialog.comment}</label>
          <textarea id={`${uid}-comment`} rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
        </div>
        <div className="finding-dialog__actions">
          <button type="submit" className="button primary">
            {t.dialog.save}
          </button>
          <button type="button" className="button" onClick={() => ref.current?.close()}>
            {t.dialog.cancel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

interface FactorPickerProps {
  grid: Grid;
  index: Map<string, FactorInfo>;
  selected: string[];
  onChange: (ids: string[]) => void;
  error: string | undefined;
}

/** Type-ahead over the grid (families → factors); archived factors are not offered. */
function FactorPicker({ grid, index, selected, onChange, error }: FactorPickerProps) {
  const uid = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  const groups = useMemo(() => {
    const q = fold(query.trim());
    return grid.families
      .map((family) => ({
        family,
        factors: family.factors.filter(
          (f) => !f.archived && !f.mergedInto && !selected.includes(f.id) && (q === "" || fold(f.label).includes(q) || fold(family.label).includes(q)),
        ),
      }))
      .filter((g) => g.factors.length > 0);
  }, [grid, query, selected]);
  const options = groups.flatMap((g) => g.factors);
  const activeIndex = Math.min(active, options.length - 1);

  const choose = (id: string) => {
    onChange([...selected, id]);
    setQuery("");
    setActive(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive(Math.min(activeIndex + 1, options.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(Math.max(activeIndex - 1, 0));
    } else if (event.key === "Enter") {
      // Enter picks the highlighted factor instead of submitting the dialog.
      event.preventDefault();
      const option = options[activeIndex];
      if (open && option) choose(option.id);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const listId = `${uid}-list`;
  const optionId = (id: string) => `${uid}-option-${id}`;
  return (
    <div className="field factor-picker">
      <label htmlFor={`${uid}-input`}>{t.dialog.factors}</label>
      {selected.length > 0 ? (
        <ul className="factor-picker__chosen">
          {selected.map((id) => {
            const factor = index.get(id);
            const label = factor ? (factor.archived ? `${factor.label} (${t.dialog.archived})` : factor.label) : id;
            return (
              <li key={id} className="finding-chip" style={{ borderColor: factor?.color }}>
                <span className="finding-swatch" style={{ background: factor?.color ?? NEUTRAL_COLOR }} aria-hidden="true" />
                {label}
                <button type="button" className="finding-chip__remove" aria-label={t.dialog.removeFactor(label)} onClick={() => onChange(selected.filter((x) => x !== id))}>
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <input
        id={`${uid}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        placeholder={t.dialog.factorSearch}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options[activeIndex] ? optionId(options[activeIndex].id) : undefined}
        aria-describedby={`${uid}-hint${error ? ` ${uid}-error` : ""}`}
        aria-invalid={error ? true : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <p className="field-hint muted" id={`${uid}-hint`}>
        {t.dialog.factorSearchHint}
      </p>
      {error ? (
        <p className="field-error" id={`${uid}-error`}>
          {error}
        </p>
      ) : null}
      {open ? (
        <div className="factor-picker__list" id={listId} role="listbox" aria-label={t.dialog.factors}>
          {options.length === 0 ? <p className="muted">{t.dialog.noFactorMatch}</p> : null}
          {groups.map(({ family, factors }) => (
            <div key={family.id} role="group" aria-label={family.label}>
              <p className="factor-picker__family" aria-hidden="true">
                {family.label}
              </p>
              {factors.map((f) => {
                const isActive = options[activeIndex]?.id === f.id;
                return (
                  <div
                    key={f.id}
                    id={optionId(f.id)}
                    role="option"
                    aria-selected={isActive}
                    className={isActive ? "factor-picker__option is-active" : "factor-picker__option"}
                    // Keeps focus in the input so typing can go on after a choice.
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => choose(f.id)}
                  >
                    <span className="finding-swatch" style={{ background: index.get(f.id)?.color ?? NEUTRAL_COLOR }} aria-hidden="true" />
                    {f.label}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
