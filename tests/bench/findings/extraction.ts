import type { JSONContent } from "@tiptap/core";
import * as Y from "yjs";
import { addFinding, findTextRange } from "../../../app/editor/findings";
import { plainTextWithFindings, wordCount } from "../../../app/editor/plain-text";
import type { DB } from "../../../db/client";
import { insertDocument } from "../../../db/queries/documents";
import { nowIso } from "../../../db/queries/executor";
import { listDocumentFindings } from "../../../db/queries/findings";
import { insertMeeting, setMeetingDynamics } from "../../../db/queries/meetings";
import { docSnapshot, jsonToUpdate, writeDerived } from "../../../server/collab/derive";
import { findingsFingerprint } from "../../../server/collab/findings";
import { CONTENT_FIELD } from "../../../server/collab/persistence";
import { distribution, type Distribution, stopwatch } from "../shared/stats";
import type { GeneratedStudy } from "./generate";
import { paragraph, pick, type Random } from "./text";

/**
 * Extraction per update: a long report (`words` words, a heading every 6 paragraphs) with
 * `findings` findings made by app/editor/findings.ts `addFinding` (mark + map entry, one Yjs
 * transaction), stored as a document of the generated study. Each update is one word typed by a
 * member, alternately outside every finding (the findings' fingerprint is unchanged: no finding
 * query) and inside one (its quote changes: one row rewritten). After each update the harness
 * does what the collaboration hub's derive does (server/collab/hub.ts), timing each step.
 */
export interface ExtractionResult {
  words: number;
  paragraphs: number;
  findings: number;
  stateBytes: number;
  /** ms per update, by step; the `*Outside` / `*Inside` figures split the two kinds of update. */
  steps: Record<string, Distribution>;
  /** CPU ms of the process for the extraction and the whole derive (see shared/stats stopwatch). */
  cpuSteps: Record<string, Distribution>;
}

export async function extractionRun(
  db: DB,
  study: GeneratedStudy,
  random: Random,
  options: { words: number; findings: number; updates: number; warmup: number },
): Promise<ExtractionResult> {
  const paragraphs: string[] = [];
  const blocks: JSONContent[] = [];
  let words = 0;
  while (words < options.words) {
    if (paragraphs.length % 6 === 0) {
      const title = `Partie ${paragraphs.length / 6 + 1} : ce que nous avons entendu`;
      blocks.push({ type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: title }] });
      words += wordCount(title);
    }
    const text = paragraph(random, 5).join(" ");
    paragraphs.push(text);
    blocks.push({ type: "paragraph", content: [{ type: "text", text }] });
    words += wordCount(text);
  }

  const live = new Y.Doc();
  Y.applyUpdate(live, jsonToUpdate({ type: "doc", content: blocks }));
  const author = study.userIds[1]!;
  // Findings on sentences spread over the report; every fifth one overlaps the previous one.
  const anchors: Y.RelativePosition[] = [];
  let previous = "";
  for (let k = 0; k < options.findings; k++) {
    const sentences = paragraphs[Math.floor((k * paragraphs.length) / options.findings)]!.split(/(?<=\.) /);
    const needle = k % 5 === 4 && previous ? previous.slice(Math.floor(previous.length / 2)) : pick(random, sentences);
    previous = needle;
    const range = findTextRange(live, needle);
    if (!range) throw new Error(`Passage introuvable : ${needle}`);
    addFinding(live, range, crypto.randomUUID(), {
      kind: k % 4 === 3 ? "levier" : "facteur",
      factors: [pick(random, study.factors).id, pick(random, study.factors).id],
      dynamics: [pick(random, study.dynamics).id],
      audience: null,
      comment: "",
      createdBy: author,
      createdAt: nowIso(),
    });
    // Typing one character in, after the passage's first character: the new text carries the mark.
    anchors.push(Y.createRelativePositionFromTypeIndex(range.text, range.index + 1));
  }
  const starts = live
    .getXmlFragment(CONTENT_FIELD)
    .toArray()
    .flatMap((node) => (node instanceof Y.XmlElement && node.firstChild instanceof Y.XmlText ? [node.firstChild] : []));

  const dynamicIds = [study.dynamics[0]!.id];
  const meeting = await insertMeeting(db, {
    study_id: study.studyId,
    kind: "visite",
    title: "Visite longue (rapport de 20 pages)",
    starts_on: "2025-06-01",
    status: "realisee",
    created_by: study.userIds[0]!,
  });
  await setMeetingDynamics(db, meeting.id, dynamicIds);
  const documentId = (await insertDocument(db, { studyId: study.studyId, kind: "report", meetingId: meeting.id })).id;
  let fingerprint: string | null = await writeDerived(db, documentId, docSnapshot(live), new Map());
  const stored = (await listDocumentFindings(db, documentId)).filter((f) => f.orphaned_at === null).length;
  if (stored !== options.findings) throw new Error(`${stored} enseignements copiés dans SQLite sur ${options.findings}`);

  const samples: Record<string, number[]> = {};
  const cpuSamples: Record<string, number[]> = {};
  const add = (name: string, ms: number) => (samples[name] ??= []).push(ms);
  const addCpu = (name: string, ms: number) => (cpuSamples[name] ??= []).push(ms);
  for (let i = 0; i < options.warmup + options.updates; i++) {
    const inside = i % 2 === 1;
    if (inside) {
      const at = Y.createAbsolutePositionFromRelativePosition(anchors[i % anchors.length]!, live)!;
      (at.type as Y.XmlText).insert(at.index, "e");
    } else {
      // At the very start of a block nothing precedes: the typed word carries no mark.
      starts[i % starts.length]!.insert(0, "Oui ");
    }
    const edits = new Map([[author, nowIso()]]);
    const t0 = performance.now();
    Y.encodeStateAsUpdate(live);
    const t1 = performance.now();
    live.getXmlFragment(CONTENT_FIELD).toJSON();
    const t2 = performance.now();
    const deriving = stopwatch();
    const snapshot = docSnapshot(live);
    const t3 = performance.now();
    const extracting = stopwatch();
    const content = plainTextWithFindings(snapshot.json);
    const t4 = performance.now();
    findingsFingerprint(content, snapshot.findings);
    const t5 = performance.now();
    const extractionCpu = extracting().cpuMs;
    const next = await writeDerived(db, documentId, snapshot, edits, { writers: new Map(), previous: fingerprint });
    const t6 = performance.now();
    // The extraction is timed twice over (above, then inside writeDerived): counted once.
    const deriveCpu = deriving().cpuMs - extractionCpu;
    if (inside === (next === fingerprint)) throw new Error(`Mise à jour ${i} : empreinte des enseignements ${inside ? "inchangée" : "changée"}`);
    fingerprint = next;
    if (i < options.warmup) continue;
    const where = inside ? "Inside" : "Outside";
    add("encodeStateAsUpdate", t1 - t0);
    add("fragmentToJSON", t2 - t1);
    add("snapshot", t3 - t2);
    add("plainTextWithFindings", t4 - t3);
    add("fingerprint", t5 - t4);
    add("extraction", t5 - t3);
    add(`writeDerived${where}`, t6 - t5);
    add(`derive${where}`, t3 - t2 + (t6 - t5));
    add("derive", t3 - t2 + (t6 - t5));
    addCpu("extraction", extractionCpu);
    addCpu("derive", deriveCpu);
  }
  const stateBytes = Y.encodeStateAsUpdate(live).length;
  live.destroy();
  return {
    words,
    paragraphs: paragraphs.length,
    findings: options.findings,
    stateBytes,
    steps: Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, distribution(values)])),
    cpuSteps: Object.fromEntries(Object.entries(cpuSamples).map(([name, values]) => [name, distribution(values)])),
  };
}
