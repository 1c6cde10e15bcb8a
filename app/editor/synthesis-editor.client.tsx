import { useEffect, useMemo } from "react";
import { editor as e } from "../i18n/editor";
import { synthesis as t } from "../i18n/synthesis";
import type { CitationLive } from "../models/synthesis.server";
import { CitationDrop, CitationStates, CitationView, useCitationRefresh } from "./citation-view.client";
import { CollabEditorShell, type CollabEditorKind, type EditorSlots, type PresentUser } from "./collab-editor.client";
import { PlanButton } from "./plan-button.client";
import { SynthesisPanel, type SynthesisPanelData } from "./synthesis-panel.client";

export interface SynthesisEditorProps {
  studyId: string;
  documentId: string;
  user: PresentUser;
  canEdit: boolean;
  schemaVersion: number;
  onRoleChanged: () => void;
  /** The cited findings' live states known to the page loader (ids asked, states found). */
  citations: { asked: string[]; found: Record<string, CitationLive> };
  panel: SynthesisPanelData;
}

const SYNTHESIS: CollabEditorKind = {
  label: t.editorLabel,
  placeholder: t.placeholder,
  loading: t.loading,
  readOnly: t.readOnly,
  contentError: t.contentError,
  problems: t.problems,
  recoveredKept: e.recovered.keptInVersions,
};

/** The collaborative synthesis editor: live citation blocks and the findings panel; client only. */
export default function SynthesisEditor({ studyId, citations, panel, ...shell }: SynthesisEditorProps) {
  // One store for the page's lifetime; the loader's later answers are merged into it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const store = useMemo(() => new CitationStates(`/etudes/${studyId}/synthese/sources`, citations), [studyId]);
  useEffect(() => store.merge(citations), [store, citations]);
  return (
    <CollabEditorShell
      {...shell}
      kind={SYNTHESIS}
      extensions={() => [CitationView.configure({ store }), CitationDrop]}
      toolbarExtra={({ editor }) => <PlanButton editor={editor} studyId={studyId} />}
      aside={(slots) => <SynthesisAside {...slots} studyId={studyId} store={store} panel={panel} />}
    />
  );
}

function SynthesisAside({
  editor,
  canType,
  studyId,
  store,
  panel,
}: EditorSlots & { studyId: string; store: CitationStates; panel: SynthesisPanelData }) {
  useCitationRefresh(editor, store);
  return <SynthesisPanel editor={editor} canType={canType} studyId={studyId} store={store} data={panel} />;
}
