import type { Editor } from "@tiptap/core";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import * as buffer from "lib0/buffer";
import * as sha256 from "lib0/hash/sha256";
import * as Y from "yjs";
import { FINDING_MARK } from "./finding-mark";
import type { Passage } from "./plain-text";

/**
 * Findings in the Yjs document, shared by the browser and the server (React-free, DOM-free).
 * The anchor is a `finding` mark per passage; the tags are the entry of the finding's id in the
 * top-level map `findings`. Both are written in ONE Yjs transaction so nobody ever receives one
 * without the other.
 */
export const FINDINGS_MAP = "findings";

/** A finding's tags, as stored in the `findings` map (ids of the study's grid and dynamics). */
export interface FindingTags {
  kind: string;
  factors: string[];
  dynamics: string[];
  audience: string | null;
  comment: string;
  createdBy: string;
  createdAt: string;
}

export const findingsMap = (doc: Y.Doc): Y.Map<FindingTags> => doc.getMap<FindingTags>(FINDINGS_MAP);

/** Joins the passages of one finding into its quote (a pasted copy makes a second passage). */
export const QUOTE_SEPARATOR = " […] ";

export const findingQuote = (text: string, passages: readonly Passage[]): string =>
  passages.map((p) => text.slice(p.start, p.end).trim()).join(QUOTE_SEPARATOR);

/**
 * The Yjs formatting attribute of a finding's mark. y-tiptap names marks that may overlap
 * `<mark>--<hash of the mark's JSON>` (its hashOfJSON: sha256 folded to 6 bytes, base64); writing
 * the same name keeps the editor from rewriting marks this module sets.
 */
export function findingAttribute(id: string): string {
  const digest = sha256.digest(buffer.encodeAny({ type: FINDING_MARK, attrs: { id } }));
  const N = 6;
  for (let i = N; i < digest.length; i++) digest[i % N]! ^= digest[i]!;
  return `${FINDING_MARK}--${buffer.toBase64(digest.slice(0, N))}`;
}

/** A range of one Y.XmlText (a paragraph's or heading's inline text). */
export interface TextRange {
  text: Y.XmlText;
  index: number;
  length: number;
}

const textOfDelta = (text: Y.XmlText): string =>
  (text.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");

function* xmlTexts(node: Y.XmlFragment | Y.XmlElement): Generator<Y.XmlText> {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) yield child;
    else if (child instanceof Y.XmlElement) yield* xmlTexts(child);
  }
}

/** The first range of the document's text equal to `needle`, within one block. */
export function findTextRange(doc: Y.Doc, needle: string): TextRange | null {
  // "default": the fragment the Collaboration extension binds the editor to.
  for (const text of xmlTexts(doc.getXmlFragment("default"))) {
    const index = textOfDelta(text).indexOf(needle);
    if (index !== -1) return { text, index, length: needle.length };
  }
  return null;
}

/** Marks a range as a finding and writes its tags, in one transaction (tests, demo, scripts). */
export function addFinding(doc: Y.Doc, range: TextRange, id: string, tags: FindingTags): void {
  doc.transact(() => {
    range.text.format(range.index, range.length, { [findingAttribute(id)]: { id } });
    findingsMap(doc).set(id, tags);
  });
}

/**
 * Runs an editor change and, inside the very Yjs transaction in which the editor's sync plugin
 * writes it (origin ySyncPluginKey), the matching change of the map: both travel as one update.
 * Returns false, having written nothing to the map, when the editor wrote no transaction.
 */
function withEditorWrite(doc: Y.Doc, change: () => void, write: () => void): boolean {
  let written = false;
  const writeAlong = (transaction: Y.Transaction) => {
    if (written || transaction.origin !== ySyncPluginKey) return;
    written = true;
    write();
  };
  doc.on("beforeTransaction", writeAlong);
  try {
    change();
  } finally {
    doc.off("beforeTransaction", writeAlong);
  }
  return written;
}

/**
 * Tags the editor's selection (mark + map entry in one Yjs transaction). Returns false when
 * nothing was tagged (empty selection, editor not bound to the document). For one undo to remove
 * the whole finding, the editor's undo manager must track the map too:
 * `yUndoPluginKey.getState(editor.state)?.undoManager.addToScope(findingsMap(doc))`.
 */
export function addFindingToSelection(editor: Editor, doc: Y.Doc, id: string, tags: FindingTags): boolean {
  return withEditorWrite(
    doc,
    () => editor.commands.setMark(FINDING_MARK, { id }),
    () => findingsMap(doc).set(id, tags),
  );
}

/** Removes a finding: its marks wherever they are and its tags, in one Yjs transaction. */
export function removeFindingFromEditor(editor: Editor, doc: Y.Doc, id: string): void {
  const removed = withEditorWrite(
    doc,
    () => {
      const { tr } = editor.state;
      editor.state.doc.descendants((node, pos) => {
        for (const mark of node.marks) {
          if (mark.type.name === FINDING_MARK && mark.attrs.id === id) tr.removeMark(pos, pos + node.nodeSize, mark);
        }
      });
      if (tr.docChanged) editor.view.dispatch(tr);
    },
    () => findingsMap(doc).delete(id),
  );
  // An orphaned finding has no mark left: only its tags go.
  if (!removed) doc.transact(() => findingsMap(doc).delete(id), ySyncPluginKey);
}
