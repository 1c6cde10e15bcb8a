import { useRef } from "react";
import { editor as t } from "../i18n/editor";
import type { ReportTagging } from "../models/reports.server";
import { CollabEditorShell, type CollabEditorKind, type PresentUser } from "./collab-editor.client";
import { Findings, FindingShortcut } from "./findings-ui.client";

export type { PresentUser } from "./collab-editor.client";

export interface ReportEditorProps {
  documentId: string;
  user: PresentUser;
  canEdit: boolean;
  schemaVersion: number;
  /** The grid, dynamics and authors that findings' tags refer to. */
  tagging: ReportTagging;
  /** The server closed with 4000: the page reloads its data to learn the new role. */
  onRoleChanged: () => void;
}

const REPORT: CollabEditorKind = {
  label: t.report.editorLabel,
  placeholder: t.report.placeholder,
  loading: t.report.loading,
  readOnly: t.report.readOnly,
  contentError: t.contentError,
  problems: t.problems,
  recoveredKept: t.recovered.keptInVersions,
};

/** The collaborative report editor, with the tagging of findings; client only. */
export default function ReportEditor({ tagging, ...shell }: ReportEditorProps) {
  const openTagging = useRef<() => void>(() => {});
  return (
    <CollabEditorShell
      {...shell}
      kind={REPORT}
      extensions={() => [FindingShortcut.configure({ onTag: () => openTagging.current() })]}
      aside={({ editor, session, canType }) => (
        <Findings editor={editor} doc={session.ydoc} grid={tagging} userId={shell.user.id} canTag={canType} openRef={openTagging} />
      )}
    />
  );
}
