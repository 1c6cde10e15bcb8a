import type { AnyExtension } from "@tiptap/core";
import { Collaboration } from "@tiptap/extension-collaboration";
import { CollaborationCaret } from "@tiptap/extension-collaboration-caret";
import { CharacterCount, Placeholder } from "@tiptap/extensions";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import { useCallback, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { editor as t } from "../i18n/editor";
import { contentExtensions, isAllowedLink } from "./extensions";
import { type CollabProblem, type CollabSession, type CollabStatus, useCollabProvider } from "./use-collab-provider";

export interface PresentUser {
  id: string;
  name: string;
  color: string;
}

/** What differs between the documents edited collaboratively (a visit report, the synthesis). */
export interface CollabEditorKind {
  /** The editor's accessible name. */
  label: string;
  placeholder: string;
  loading: string;
  readOnly: string;
  contentError: string;
  problems: Record<CollabProblem, string>;
  /** Where the author finds recovered text later. */
  recoveredKept: string;
}

export interface EditorSlots {
  editor: Editor;
  session: CollabSession;
  /** The user may type now (role, connection and content allow it). */
  canType: boolean;
}

export interface CollabEditorShellProps {
  documentId: string;
  user: PresentUser;
  canEdit: boolean;
  schemaVersion: number;
  /** The server closed with 4000: the page reloads its data to learn the new role. */
  onRoleChanged: () => void;
  kind: CollabEditorKind;
  /** Extensions added to the shared content list, created once per session. */
  extensions?: () => AnyExtension[];
  /** Controls appended to the toolbar (shown to people who can type). */
  toolbarExtra?: (slots: EditorSlots) => ReactNode;
  /** A panel beside the text. */
  aside?: (slots: EditorSlots) => ReactNode;
}

/**
 * The collaborative editor every document shares: connection status, presence, toolbar,
 * Tiptap bound to the document's Y.Doc with carets, read-only below membre, and the stop on
 * content this tab cannot show. Client only (Tiptap, Yjs and the provider stay out of the
 * server build); the report and the synthesis add their own extensions and panel.
 */
export function CollabEditorShell(props: CollabEditorShellProps) {
  const { documentId, user, schemaVersion, onRoleChanged, kind } = props;
  const { session, status, problem, recovered } = useCollabProvider({ documentId, userId: user.id, schemaVersion, onRoleChanged });
  return (
    <div className="report-editor">
      <div className="report-editor__bar">
        <ConnectionStatus status={status} problem={problem} problems={kind.problems} onRetry={() => session?.retry()} />
        {session ? <Presence session={session} selfId={user.id} /> : null}
      </div>
      {session && recovered.length > 0 ? (
        <RecoveredText texts={recovered} kept={kind.recoveredKept} onDismiss={() => session.dismissRecovered()} />
      ) : null}
      {session ? (
        <CollabEditor key={session.ydoc.guid} {...props} session={session} stopped={problem !== null} />
      ) : (
        <p className="muted">{kind.loading}</p>
      )}
    </div>
  );
}

/**
 * The shared content extensions, then the collaboration ones and the document kind's: an extra
 * extension named like a content one (a node with its live view) takes its place, so the schema
 * stays the one the server knows.
 */
function withExtensions(extra: AnyExtension[], collaboration: AnyExtension[]): AnyExtension[] {
  const replaced = new Set(extra.map((e) => e.name));
  return [...contentExtensions().filter((e) => !replaced.has(e.name)), ...collaboration, ...extra];
}

function CollabEditor({
  session,
  user,
  canEdit,
  stopped,
  kind,
  extensions,
  toolbarExtra,
  aside,
}: CollabEditorShellProps & {
  session: CollabSession;
  /** The server closed the connection for good: nothing typed now could be saved. */
  stopped: boolean;
}) {
  const [contentError, setContentError] = useState(false);
  const canType = canEdit && !stopped && !contentError;
  const editor = useEditor(
    {
      extensions: withExtensions(extensions?.() ?? [], [
        Collaboration.configure({ document: session.ydoc, field: "default" }),
        CollaborationCaret.configure({ provider: session.provider, user: { id: user.id, name: user.name, color: user.color } }),
        CharacterCount,
        Placeholder.configure({ placeholder: kind.placeholder }),
      ]),
      editable: canType,
      // A document holding nodes this tab's schema lacks must not be edited (it would delete them for everyone).
      enableContentCheck: true,
      onContentError: ({ disableCollaboration }) => {
        disableCollaboration();
        session.provider.disconnect();
        setContentError(true);
      },
      editorProps: {
        attributes: { class: "report-content", "aria-label": kind.label, "aria-multiline": "true", role: "textbox" },
      },
    },
    [session]
  );

  useEffect(() => {
    if (editor && editor.isEditable !== canType) editor.setEditable(canType, false);
  }, [editor, canType]);

  const words = useEditorState({ editor, selector: ({ editor: e }) => e?.storage.characterCount.words() ?? 0 });
  const slots = editor ? { editor, session, canType } : null;

  return (
    <>
      {contentError ? (
        <div className="collab-problem" role="alert">
          <p>{kind.contentError}</p>
          <button type="button" onClick={() => window.location.reload()}>
            {t.reload}
          </button>
        </div>
      ) : null}
      {canType && slots ? <Toolbar editor={slots.editor} extra={toolbarExtra?.(slots)} /> : null}
      {!canEdit ? <p className="muted">{kind.readOnly}</p> : null}
      <div className="report-editor__body">
        <div>
          <EditorContent editor={editor} className="report-editor__content" />
          <p className="report-editor__count muted">{t.report.words(words)}</p>
        </div>
        {slots && aside ? aside(slots) : null}
      </div>
    </>
  );
}

function ConnectionStatus({
  status,
  problem,
  problems,
  onRetry,
}: {
  status: CollabStatus;
  problem: CollabProblem | null;
  problems: Record<CollabProblem, string>;
  onRetry: () => void;
}) {
  if (problem) {
    let action: ReactNode = null;
    if (problem === "expired") action = <a href={`/connexion?redirectTo=${encodeURIComponent(window.location.pathname)}`}>{t.reconnect}</a>;
    else if (problem === "tooMany")
      action = (
        <button type="button" onClick={onRetry}>
          {t.retry}
        </button>
      );
    else if (problem !== "notFound")
      action = (
        <button type="button" onClick={() => window.location.reload()}>
          {t.reload}
        </button>
      );
    return (
      <div className="collab-problem" role="alert">
        <p>{problems[problem]}</p>
        {action}
      </div>
    );
  }
  return (
    <p className={`collab-status collab-status--${status}`} role="status">
      {t.status[status]}
    </p>
  );
}

/**
 * Words of ours that landed in a passage deleted meanwhile: the deletion stands, so the author
 * gets the text back here, to copy where it belongs.
 */
function RecoveredText({ texts, kept, onDismiss }: { texts: string[]; kept: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  const text = texts.join("\n");
  return (
    <div className="collab-recovered" role="alert">
      <p>
        <strong>{t.recovered.title}</strong> {t.recovered.body} {kept}
      </p>
      <blockquote className="collab-recovered__text" aria-label={t.recovered.textLabel}>
        {text}
      </blockquote>
      <div className="collab-recovered__actions">
        {/* The clipboard API exists only on https or localhost: elsewhere the text is there to select. */}
        {typeof navigator !== "undefined" && navigator.clipboard ? (
          <button type="button" onClick={() => void navigator.clipboard.writeText(text).then(() => setCopied(true))}>
            {copied ? t.recovered.copied : t.recovered.copy}
          </button>
        ) : null}
        <button type="button" onClick={onDismiss}>
          {t.recovered.dismiss}
        </button>
      </div>
    </div>
  );
}

/** Everyone on the document, once per person even with several tabs open. */
function Presence({ session, selfId }: { session: CollabSession; selfId: string }) {
  const { awareness } = session.provider;
  const subscribe = useCallback(
    (notify: () => void) => {
      awareness.on("change", notify);
      return () => awareness.off("change", notify);
    },
    [awareness]
  );
  const users = useSyncExternalStore(subscribe, () => presentUsersKey(awareness.getStates()));
  const list = JSON.parse(users) as PresentUser[];
  return (
    <ul className="presence" aria-label={t.presence.label}>
      {list.map((u) => {
        const name = u.id === selfId ? t.presence.you(u.name) : u.name;
        return (
          <li key={u.id} className="avatar presence__avatar" style={{ background: u.color }} title={name} aria-label={name}>
            {u.name.slice(0, 1).toUpperCase()}
          </li>
        );
      })}
    </ul>
  );
}

/** A string snapshot, so that useSyncExternalStore sees a stable value between changes. */
function presentUsersKey(states: Map<number, Record<string, unknown>>): string {
  const byId = new Map<string, PresentUser>();
  for (const state of states.values()) {
    const user = state.user as Partial<PresentUser> | undefined;
    if (user && typeof user.id === "string" && typeof user.name === "string" && !byId.has(user.id)) {
      byId.set(user.id, { id: user.id, name: user.name, color: typeof user.color === "string" ? user.color : "#888888" });
    }
  }
  return JSON.stringify([...byId.values()].sort((a, b) => a.name.localeCompare(b.name, "fr")));
}

interface ToolbarButtonProps {
  label: string;
  keys?: string;
  active?: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}

/**
 * The accessible name holds a glyph made of letters or digits (« T2 », « 1. », « +L »): someone
 * driving the editor by voice says what they see (WCAG 2.5.3, label in name). Symbols need not.
 */
const accessibleName = (label: string, glyph: ReactNode) =>
  typeof glyph === "string" && glyph !== label && /[\p{L}\p{N}]/u.test(glyph) ? t.toolbar.named(label, glyph) : label;

function ToolbarButton({ label, keys, active, disabled, onClick, children }: ToolbarButtonProps) {
  return (
    <button
      type="button"
      className="toolbar__button"
      aria-label={accessibleName(label, children)}
      title={keys ? t.toolbar.shortcut(label, keys) : label}
      aria-keyshortcuts={keys?.replace(/Ctrl/g, "Control")}
      aria-pressed={active === undefined ? undefined : active}
      disabled={disabled}
      // Keeps the editor's selection: the command applies where the user was typing.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

function Toolbar({ editor, extra }: { editor: Editor; extra?: ReactNode }) {
  const [message, setMessage] = useState<string | null>(null);
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      blockquote: e.isActive("blockquote"),
      link: e.isActive("link"),
      inTable: e.isActive("table"),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const tb = t.toolbar;
  const run = () => editor.chain().focus();

  const editLink = () => {
    const previous = (editor.getAttributes("link").href as string | undefined) ?? "";
    const answer = window.prompt(tb.linkPrompt, previous);
    if (answer === null) return;
    const href = answer.trim();
    if (href === "") {
      run().extendMarkRange("link").unsetLink().run();
      setMessage(null);
    } else if (!isAllowedLink(href)) {
      setMessage(tb.linkRefused);
    } else if (editor.state.selection.empty && !editor.isActive("link")) {
      // Nothing selected: the address itself becomes the link text.
      run()
        .insertContent({ type: "text", text: href, marks: [{ type: "link", attrs: { href } }] })
        .run();
      setMessage(null);
    } else {
      run().extendMarkRange("link").setLink({ href }).run();
      setMessage(null);
    }
  };

  return (
    <div className="toolbar" role="toolbar" aria-label={tb.label}>
      <ToolbarButton label={tb.heading2} keys="Ctrl+Alt+2" active={state.h2} onClick={() => run().toggleHeading({ level: 2 }).run()}>
        T2
      </ToolbarButton>
      <ToolbarButton label={tb.heading3} keys="Ctrl+Alt+3" active={state.h3} onClick={() => run().toggleHeading({ level: 3 }).run()}>
        T3
      </ToolbarButton>
      <ToolbarButton label={tb.bold} keys="Ctrl+B" active={state.bold} onClick={() => run().toggleBold().run()}>
        <strong>G</strong>
      </ToolbarButton>
      <ToolbarButton label={tb.italic} keys="Ctrl+I" active={state.italic} onClick={() => run().toggleItalic().run()}>
        <em>I</em>
      </ToolbarButton>
      <ToolbarButton label={tb.bulletList} keys="Ctrl+Shift+8" active={state.bulletList} onClick={() => run().toggleBulletList().run()}>
        •
      </ToolbarButton>
      <ToolbarButton label={tb.orderedList} keys="Ctrl+Shift+7" active={state.orderedList} onClick={() => run().toggleOrderedList().run()}>
        1.
      </ToolbarButton>
      <ToolbarButton label={tb.blockquote} keys="Ctrl+Shift+B" active={state.blockquote} onClick={() => run().toggleBlockquote().run()}>
        «»
      </ToolbarButton>
      <ToolbarButton label={tb.link} active={state.link} onClick={editLink}>
        {tb.link}
      </ToolbarButton>
      <ToolbarButton label={tb.table} onClick={() => run().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()}>
        {tb.table}
      </ToolbarButton>
      {state.inTable ? (
        <>
          <ToolbarButton label={tb.addRow} onClick={() => run().addRowAfter().run()}>
            +L
          </ToolbarButton>
          <ToolbarButton label={tb.deleteRow} onClick={() => run().deleteRow().run()}>
            −L
          </ToolbarButton>
          <ToolbarButton label={tb.addColumn} onClick={() => run().addColumnAfter().run()}>
            +C
          </ToolbarButton>
          <ToolbarButton label={tb.deleteColumn} onClick={() => run().deleteColumn().run()}>
            −C
          </ToolbarButton>
          <ToolbarButton label={tb.deleteTable} onClick={() => run().deleteTable().run()}>
            ×
          </ToolbarButton>
        </>
      ) : null}
      <ToolbarButton label={tb.undo} keys="Ctrl+Z" disabled={!state.canUndo} onClick={() => run().undo().run()}>
        ↶
      </ToolbarButton>
      <ToolbarButton label={tb.redo} keys="Ctrl+Y" disabled={!state.canRedo} onClick={() => run().redo().run()}>
        ↷
      </ToolbarButton>
      {extra}
      {message ? (
        <p className="toolbar__message" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
