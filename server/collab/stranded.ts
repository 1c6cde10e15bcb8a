import * as Y from "yjs";
import { CONTENT_FIELD } from "./persistence";

/**
 * Text typed inside content that someone else deleted meanwhile: a paragraph edited offline while
 * a version was restored, or while a collaborator removed it. Yjs integrates such text as deleted
 * (its parent is) or as garbage (its parent was collected), so nobody would ever see it again.
 */
export interface StrandedText {
  /** The update that brought it, as the client sent it. */
  update: Uint8Array;
  /** The stranded characters' ids, to check where they would be visible. */
  ids: Y.ID[];
  /** Its text, one entry per run typed in a row (each character right after the previous one). */
  passages: string[];
}

const isText = (struct: Y.Item | Y.GC | Y.Skip): struct is Y.Item =>
  struct instanceof Y.Item && struct.content instanceof Y.ContentString;

const integrated = (doc: Y.Doc, id: Y.ID) => id.clock < Y.getState(doc.store, id.client);

/** Integrated, and shown: neither deleted with its parent nor collected. */
function visible(doc: Y.Doc, id: Y.ID): boolean {
  if (!integrated(doc, id)) return false;
  const struct = Y.getItem(doc.store, id);
  return struct instanceof Y.Item && !struct.deleted;
}

/** Runs of text typed in a row: an item whose left neighbour, when typed, ends a run extends it. */
function toPassages(items: Y.Item[]): string[] {
  const runs: { text: string; tail: Y.ID }[] = [];
  for (const item of items) {
    const text = (item.content as Y.ContentString).str;
    const tail = Y.createID(item.id.client, item.id.clock + item.length - 1);
    const run = item.origin ? runs.find((r) => Y.compareIDs(r.tail, item.origin)) : undefined;
    if (run) {
      run.text += text;
      run.tail = tail;
    } else runs.push({ text, tail });
  }
  return runs.map((r) => r.text);
}

/**
 * Applies a client's update and returns the text it brought that the document cannot show (null
 * when all of it is visible, the usual case). Text the update deletes itself (typed, then erased)
 * is not stranded, and neither is text the document already had.
 */
export function applyNoticingStranded(doc: Y.Doc, update: Uint8Array, origin: unknown): StrandedText | null {
  const { structs, ds } = Y.decodeUpdate(update);
  const typed = structs.filter((s) => isText(s) && !Y.isDeleted(ds, s.id)) as Y.Item[];
  const known = new Map(typed.map((item) => [item.id.client, Y.getState(doc.store, item.id.client)]));
  Y.applyUpdate(doc, update, origin);
  const stranded = typed.filter(
    (item) => item.id.clock >= known.get(item.id.client)! && integrated(doc, item.id) && !visible(doc, item.id),
  );
  if (stranded.length === 0) return null;
  const passages = toPassages(stranded)
    .map((text) => text.trim())
    .filter((text) => text !== "");
  return passages.length > 0 ? { update, ids: stranded.map((item) => item.id), passages } : null;
}

/** The notice's text (the version holds it whole): enough to copy a paragraph back. */
const NOTICE_MAX_CHARACTERS = 20_000;

/** The stranded passages as the author's notice shows them, one per line. */
export function strandedNotice(texts: StrandedText[]): string {
  const text = texts.flatMap((t) => t.passages).join("\n");
  const chars = [...text];
  return chars.length > NOTICE_MAX_CHARACTERS ? `${chars.slice(0, NOTICE_MAX_CHARACTERS).join("")}…` : text;
}

/**
 * A state in which the stranded text can be read: the newest earlier version where it lands
 * visible, in its paragraph (before a restore, the version saved just before it); otherwise the
 * current document with the text appended as paragraphs after a heading line.
 */
export function recoveredState(
  current: Uint8Array,
  texts: StrandedText[],
  versionsNewestFirst: Uint8Array[],
  heading: string,
): Uint8Array {
  const update = Y.mergeUpdates(texts.map((t) => t.update));
  const ids = texts.flatMap((t) => t.ids);
  for (const snapshot of versionsNewestFirst) {
    const copy = new Y.Doc();
    try {
      Y.applyUpdate(copy, snapshot);
      Y.applyUpdate(copy, update);
      if (ids.every((id) => visible(copy, id))) return Y.encodeStateAsUpdate(copy);
    } finally {
      copy.destroy();
    }
  }
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, current);
    copy.transact(() => {
      const paragraphs = [heading, ...texts.flatMap((t) => t.passages)].map((text) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [new Y.XmlText(text)]);
        return paragraph;
      });
      copy.getXmlFragment(CONTENT_FIELD).push(paragraphs);
    });
    return Y.encodeStateAsUpdate(copy);
  } finally {
    copy.destroy();
  }
}
