import type { Editor, JSONContent } from "@tiptap/core";
import { yUndoPluginKey } from "@tiptap/y-tiptap";
import { useState } from "react";
import type * as Y from "yjs";
import { plan as t } from "~/i18n/provenance";

const undoManagerOf = (editor: Editor) =>
  (yUndoPluginKey.getState(editor.state) as { undoManager?: Y.UndoManager } | undefined)?.undoManager;

/**
 * « Générer un plan »: appends the server's draft plan after everything already written, in one
 * transaction, so that collaborators receive it at once and one undo removes it whole.
 */
export function PlanButton({ editor, studyId }: { editor: Editor; studyId: string }) {
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const generate = async () => {
    setLoading(true);
    setError(null);
    try {
      const response = await fetch(`/etudes/${studyId}/synthese/plan`, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { content } = (await response.json()) as { content: JSONContent[] };
      if (editor.isDestroyed) return;
      const end = editor.state.doc.content.size;
      // Typing just before the click would otherwise merge into the same undo step as the plan.
      undoManagerOf(editor)?.stopCapturing();
      // The cursor goes to the plan's heading, shown, in the focused text: Ctrl+Z takes it back.
      editor.chain().insertContentAt(end, content).focus(end + 1).run();
      undoManagerOf(editor)?.stopCapturing();
    } catch {
      setError(t.failed);
    } finally {
      setLoading(false);
    }
  };

  // Toolbar classes: the button sits in the editor's toolbar, its message on the toolbar's own line.
  return (
    <>
      <button type="button" className="toolbar__button" title={t.hint} disabled={loading || !editor.isEditable} aria-busy={loading} onClick={generate}>
        {loading ? t.loading : t.button}
      </button>
      {error ? (
        <p className="toolbar__message" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
