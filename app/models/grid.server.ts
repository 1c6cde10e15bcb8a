import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { nowIso, type Executor } from "../../db/queries/executor";
import {
  deleteFactor,
  deleteFactorFamily,
  findFactor,
  findFactorFamily,
  insertFactor,
  insertFactorFamily,
  listAudiences,
  listFactorFamilies,
  listFactors,
  listFactorsWithCounts,
  listFindingIdsOfFactor,
  listFindingKinds,
  moveFactorLinks,
  redirectMergedFactors,
  updateAudienceLabel,
  updateFactor,
  updateFactorFamily,
  updateFindingKindLabel,
} from "../../db/queries/grid";
import { insertGridChange, listGridChanges } from "../../db/queries/grid-changes";
import type { Factor } from "../../db/schema";
import { common } from "../i18n/common";
import { formatDateTime } from "../i18n/format";
import { grid as t } from "../i18n/grid";
import { color, type FieldErrors, optionalText, requiredText, rowId } from "./forms";
import { sameLabel, swapWithNeighbour, uniqueKey } from "./list-items";

export const FamilySchema = z.object({ label: requiredText(200), color: color.transform((c) => c.toLowerCase()) });
export type FamilyInput = z.infer<typeof FamilySchema>;

/** Empty means « no color of its own »: the factor takes its family's. */
const optionalColor = z
  .union([z.literal(""), color])
  .optional()
  .transform((c) => (c ? c.toLowerCase() : null));

export const FactorSchema = z.object({
  label: requiredText(200),
  definition: optionalText(2000),
  color: optionalColor,
  familyId: rowId,
});
export type FactorInput = z.infer<typeof FactorSchema>;

export const LabelSchema = z.object({ label: requiredText(200) });
export const MergeSchema = z.object({ targetId: rowId });

type Refusal = { ok: false; errors: FieldErrors };
type Outcome = { ok: true } | Refusal;
const ok: Outcome = { ok: true };
const fail = (errors: FieldErrors): Refusal => ({ ok: false, errors });
/** A row that is not this study's is answered like a forged form: nothing changes. */
const unknownTarget = fail({ _form: common.validation.unknownItem });

/** Who makes a change, in which study: every change is written to the journal with it. */
export interface GridEditor {
  studyId: string;
  userId: string;
}

type Change = { action: string; subjectId: string | null; details: Record<string, unknown> };

/** Runs a grid edit and journals what it reports, in one transaction: no change goes unrecorded. */
function edit(context: AppLoadContext, editor: GridEditor, run: (trx: Executor) => Promise<Outcome | Change>): Promise<Outcome> {
  return context.db.transaction().execute(async (trx) => {
    const result = await run(trx);
    if ("ok" in result) return result;
    await insertGridChange(trx, { studyId: editor.studyId, userId: editor.userId, ...result });
    return ok;
  });
}

/** The fields whose value changes, as { before, after } (null when nothing changes). */
function diff<T extends Record<string, unknown>>(before: T, after: T) {
  const keys = Object.keys(after).filter((k) => before[k] !== after[k]);
  if (keys.length === 0) return null;
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  };
}

/* ---------- Reading ---------- */

/** The whole grid as everyone in the study reads it, with the findings count of each factor. */
export async function loadGrid(context: AppLoadContext, studyId: string) {
  const [families, factors, kinds, audiences] = await Promise.all([
    listFactorFamilies(context.db, studyId),
    listFactorsWithCounts(context.db, studyId),
    listFindingKinds(context.db, studyId),
    listAudiences(context.db, studyId),
  ]);
  const labels = new Map(factors.map((f) => [f.id, f.label]));
  return {
    families: families.map((family) => ({
      id: family.id,
      label: family.label,
      color: family.color,
      factors: factors
        .filter((f) => f.family_id === family.id)
        .map((f) => ({
          id: f.id,
          label: f.label,
          definition: f.definition,
          ownColor: f.color,
          color: f.color ?? family.color,
          archived: f.archived_at !== null,
          mergedInto: f.merged_into ? (labels.get(f.merged_into) ?? null) : null,
          findingCount: f.finding_count,
        })),
    })),
    kinds: kinds.map((k) => ({ key: k.key, label: k.label, hasAudience: k.has_audience === 1 })),
    audiences: audiences.map((a) => ({ key: a.key, label: a.label })),
  };
}

/** What merging `fromId` into `toId` would do, for the confirmation, or why it is refused. */
export async function previewMerge(context: AppLoadContext, studyId: string, fromId: string, toId: string) {
  return context.db.transaction().execute(async (trx) => {
    const checked = await checkMerge(trx, studyId, fromId, toId);
    if (!("from" in checked)) return checked;
    const { moved, already } = await mergeCounts(trx, fromId, toId);
    return { ok: true as const, from: { id: fromId, label: checked.from.label }, to: { id: toId, label: checked.to.label }, moved, already };
  });
}

const JOURNAL_LENGTH = 200;

/** The latest grid changes, described in French. */
export async function loadGridJournal(context: AppLoadContext, studyId: string) {
  const rows = await listGridChanges(context.db, studyId, JOURNAL_LENGTH);
  return rows.map((row) => ({
    id: row.id,
    when: formatDateTime(row.changed_at),
    at: row.changed_at,
    who: row.user_name ?? t.journal.deletedUser,
    what: describeChange(row.action, parseDetails(row.details)),
  }));
}

function parseDetails(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown) => (typeof value === "string" ? value : "");
const count = (value: unknown) => (typeof value === "number" ? value : 0);
const fieldsOf = (value: unknown) => (value && typeof value === "object" ? (value as Record<string, unknown>) : {});

/** « intitulé « A » → « B » ; définition modifiée ; couleur aucune → #2563eb ». */
function describeDiff(details: Record<string, unknown>): string {
  const before = fieldsOf(details.before);
  const after = fieldsOf(details.after);
  const j = t.journal;
  return Object.keys(after)
    .map((field) => {
      const name = j.fields[field] ?? field;
      if (field === "definition") return j.changed(name);
      const shown = (v: unknown) => (field === "color" ? text(v) || j.noColor : t.quote(text(v)));
      return j.fromTo(name, shown(before[field]), shown(after[field]));
    })
    .join(" ; ");
}

export function describeChange(action: string, details: Record<string, unknown>): string {
  const j = t.journal;
  const label = text(details.label);
  switch (action) {
    case "family.create":
      return j.familyCreated(label, text(details.color));
    case "family.update":
      return j.familyUpdated(label, describeDiff(details));
    case "family.move":
      return j.familyMoved(label, details.direction === "up");
    case "family.delete":
      return j.familyDeleted(label);
    case "factor.create":
      return j.factorCreated(label, text(details.family));
    case "factor.update":
      return j.factorUpdated(label, describeDiff(details));
    case "factor.move":
      return j.factorMoved(label, details.direction === "up");
    case "factor.archive":
      return j.factorArchived(label);
    case "factor.unarchive":
      return j.factorUnarchived(label);
    case "factor.delete":
      return j.factorDeleted(label);
    case "factor.merge":
      return j.factorMerged(label, text(fieldsOf(details.into).label), count(details.moved), count(details.already));
    case "kind.update":
      return j.kindRenamed(text(fieldsOf(details.before).label), text(fieldsOf(details.after).label));
    case "audience.update":
      return j.audienceRenamed(text(fieldsOf(details.before).label), text(fieldsOf(details.after).label));
    default:
      return j.unknown;
  }
}

/* ---------- Families ---------- */

export function addFamily(context: AppLoadContext, editor: GridEditor, input: FamilyInput) {
  return edit(context, editor, async (trx) => {
    const families = await listFactorFamilies(trx, editor.studyId);
    if (families.some((f) => sameLabel(f.label, input.label))) return fail({ label: t.families.duplicateLabel });
    const family = await insertFactorFamily(trx, {
      study_id: editor.studyId,
      key: uniqueKey(input.label, new Set(families.map((f) => f.key)), "famille"),
      label: input.label,
      color: input.color,
      position: families.length === 0 ? 0 : Math.max(...families.map((f) => f.position)) + 1,
    });
    return { action: "family.create", subjectId: family.id, details: { label: family.label, color: family.color } };
  });
}

export function editFamily(context: AppLoadContext, editor: GridEditor, familyId: string, input: FamilyInput) {
  return edit(context, editor, async (trx) => {
    const families = await listFactorFamilies(trx, editor.studyId);
    const family = families.find((f) => f.id === familyId);
    if (!family) return unknownTarget;
    if (families.some((f) => f.id !== familyId && sameLabel(f.label, input.label))) return fail({ label: t.families.duplicateLabel });
    const changes = diff({ label: family.label, color: family.color }, { label: input.label, color: input.color });
    if (!changes) return ok;
    await updateFactorFamily(trx, editor.studyId, familyId, changes.after);
    return { action: "family.update", subjectId: familyId, details: { label: input.label, ...changes } };
  });
}

export function moveFamily(context: AppLoadContext, editor: GridEditor, familyId: string, direction: "up" | "down") {
  return edit(context, editor, async (trx) => {
    const families = await listFactorFamilies(trx, editor.studyId);
    const index = families.findIndex((f) => f.id === familyId);
    if (index < 0) return unknownTarget;
    const reordered = swapWithNeighbour(families, index, direction);
    if (!reordered) return ok;
    for (const [position, family] of reordered.entries()) {
      if (family.position !== position) await updateFactorFamily(trx, editor.studyId, family.id, { position });
    }
    return { action: "family.move", subjectId: familyId, details: { label: families[index]!.label, direction } };
  });
}

/** Only an empty family may go: its factors must first be moved or merged elsewhere. */
export function removeFamily(context: AppLoadContext, editor: GridEditor, familyId: string) {
  return edit(context, editor, async (trx) => {
    const family = await findFactorFamily(trx, editor.studyId, familyId);
    if (!family) return unknownTarget;
    const factors = await listFactors(trx, editor.studyId);
    if (factors.some((f) => f.family_id === familyId)) return fail({ _form: t.families.notEmpty });
    await deleteFactorFamily(trx, editor.studyId, familyId);
    return { action: "family.delete", subjectId: familyId, details: { label: family.label, color: family.color } };
  });
}

/* ---------- Factors ---------- */

const nextPosition = (factors: readonly Factor[], familyId: string) =>
  factors.reduce((max, f) => (f.family_id === familyId ? Math.max(max, f.position + 1) : max), 0);

/** Labels must stay distinct among the factors one can still choose or read as current. */
const labelTaken = (factors: readonly Factor[], label: string, exceptId?: string) =>
  factors.some((f) => f.id !== exceptId && f.merged_into === null && sameLabel(f.label, label));

export function addFactor(context: AppLoadContext, editor: GridEditor, input: FactorInput) {
  return edit(context, editor, async (trx) => {
    const family = await findFactorFamily(trx, editor.studyId, input.familyId);
    if (!family) return fail({ familyId: common.validation.unknownItem });
    const factors = await listFactors(trx, editor.studyId);
    if (labelTaken(factors, input.label)) return fail({ label: t.factors.duplicateLabel });
    const factor = await insertFactor(trx, {
      study_id: editor.studyId,
      family_id: family.id,
      key: uniqueKey(input.label, new Set(factors.map((f) => f.key)), "facteur"),
      label: input.label,
      definition: input.definition,
      color: input.color,
      position: nextPosition(factors, family.id),
    });
    return {
      action: "factor.create",
      subjectId: factor.id,
      details: { label: factor.label, definition: factor.definition, color: factor.color, family: family.label, familyId: family.id },
    };
  });
}

/** Renames, redefines, recolors and moves the factor to another family (appended at its end). */
export function editFactor(context: AppLoadContext, editor: GridEditor, factorId: string, input: FactorInput) {
  return edit(context, editor, async (trx) => {
    const factors = await listFactors(trx, editor.studyId);
    const factor = factors.find((f) => f.id === factorId);
    if (!factor) return unknownTarget;
    const families = await listFactorFamilies(trx, editor.studyId);
    const family = families.find((f) => f.id === input.familyId);
    if (!family) return fail({ familyId: common.validation.unknownItem });
    if (labelTaken(factors, input.label, factorId)) return fail({ label: t.factors.duplicateLabel });
    const familyLabel = (id: string) => families.find((f) => f.id === id)?.label ?? "";
    const changes = diff(
      { label: factor.label, definition: factor.definition, color: factor.color, family: familyLabel(factor.family_id) },
      { label: input.label, definition: input.definition, color: input.color, family: family.label },
    );
    if (!changes) return ok;
    const familyChanged = family.id !== factor.family_id;
    await updateFactor(trx, editor.studyId, factorId, {
      label: input.label,
      definition: input.definition,
      color: input.color,
      ...(familyChanged ? { family_id: family.id, position: nextPosition(factors, family.id) } : {}),
    });
    return {
      action: "factor.update",
      subjectId: factorId,
      details: { label: input.label, ...changes, ...(familyChanged ? { familyIds: { before: factor.family_id, after: family.id } } : {}) },
    };
  });
}

/** Swaps the factor with its neighbour within its family. */
export function moveFactor(context: AppLoadContext, editor: GridEditor, factorId: string, direction: "up" | "down") {
  return edit(context, editor, async (trx) => {
    const factor = await findFactor(trx, editor.studyId, factorId);
    if (!factor) return unknownTarget;
    const siblings = (await listFactors(trx, editor.studyId)).filter((f) => f.family_id === factor.family_id);
    const reordered = swapWithNeighbour(siblings, siblings.findIndex((f) => f.id === factorId), direction);
    if (!reordered) return ok;
    for (const [position, f] of reordered.entries()) {
      if (f.position !== position) await updateFactor(trx, editor.studyId, f.id, { position });
    }
    return { action: "factor.move", subjectId: factorId, details: { label: factor.label, direction } };
  });
}

/** An archived factor is no longer offered for tagging; the findings it tags keep it. */
export function setFactorArchived(context: AppLoadContext, editor: GridEditor, factorId: string, archived: boolean) {
  return edit(context, editor, async (trx) => {
    const factor = await findFactor(trx, editor.studyId, factorId);
    if (!factor) return unknownTarget;
    if (factor.merged_into !== null) return fail({ _form: archived ? t.merge.alreadyMerged : t.factors.mergedCannotUnarchive });
    if ((factor.archived_at !== null) === archived) return ok;
    await updateFactor(trx, editor.studyId, factorId, { archived_at: archived ? nowIso() : null });
    return { action: archived ? "factor.archive" : "factor.unarchive", subjectId: factorId, details: { label: factor.label } };
  });
}

/** Deletes a factor nothing refers to; one that tags findings is never deleted, only archived. */
export function removeFactor(context: AppLoadContext, editor: GridEditor, factorId: string) {
  return edit(context, editor, async (trx) => {
    const factors = await listFactors(trx, editor.studyId);
    const factor = factors.find((f) => f.id === factorId);
    if (!factor) return unknownTarget;
    if (factor.merged_into !== null) return fail({ _form: t.factors.mergedCannotDelete });
    if (factors.some((f) => f.merged_into === factorId)) return fail({ _form: t.factors.targetCannotDelete });
    if ((await listFindingIdsOfFactor(trx, factorId)).length > 0) return fail({ _form: t.factors.usedCannotDelete });
    await deleteFactor(trx, editor.studyId, factorId);
    return {
      action: "factor.delete",
      subjectId: factorId,
      details: { label: factor.label, definition: factor.definition, color: factor.color, familyId: factor.family_id },
    };
  });
}

async function checkMerge(trx: Executor, studyId: string, fromId: string, toId: string): Promise<Refusal | { from: Factor; to: Factor }> {
  const from = await findFactor(trx, studyId, fromId);
  const to = await findFactor(trx, studyId, toId);
  if (!from || !to) return unknownTarget;
  if (from.id === to.id) return fail({ targetId: t.merge.same });
  if (from.merged_into !== null) return fail({ _form: t.merge.alreadyMerged });
  if (to.archived_at !== null || to.merged_into !== null) return fail({ targetId: t.merge.inactiveTarget });
  return { from, to };
}

async function mergeCounts(trx: Executor, fromId: string, toId: string) {
  const fromFindings = await listFindingIdsOfFactor(trx, fromId);
  const toFindings = new Set(await listFindingIdsOfFactor(trx, toId));
  return { moved: fromFindings.length, already: fromFindings.filter((id) => toFindings.has(id)).length };
}

/**
 * Merges factor `fromId` into `toId`: every finding tagged `fromId` becomes tagged `toId` (once),
 * and `fromId` is archived with `merged_into` set, so nothing is lost and the journal can tell.
 *
 * Only SQLite changes here. The findings' tags in the live Yjs documents still name `fromId`;
 * the collaboration server (server/collab/findings.ts) follows `merged_into` when it validates
 * and re-extracts a document, so those tags keep landing on `toId`. That is also why a merged
 * factor is never deleted, and why factors merged into `fromId` are redirected to `toId`: the
 * server then needs one hop only.
 */
export function mergeFactor(context: AppLoadContext, editor: GridEditor, fromId: string, toId: string) {
  return edit(context, editor, async (trx) => {
    const checked = await checkMerge(trx, editor.studyId, fromId, toId);
    if (!("from" in checked)) return checked;
    const { moved, already } = await mergeCounts(trx, fromId, toId);
    await moveFactorLinks(trx, fromId, toId);
    await redirectMergedFactors(trx, editor.studyId, fromId, toId);
    await updateFactor(trx, editor.studyId, fromId, { merged_into: toId, archived_at: checked.from.archived_at ?? nowIso() });
    return {
      action: "factor.merge",
      subjectId: fromId,
      details: { label: checked.from.label, into: { id: toId, label: checked.to.label }, moved, already },
    };
  });
}

/* ---------- Kinds and audiences: labels only, their stored keys never change ---------- */

export function renameKind(context: AppLoadContext, editor: GridEditor, key: string, label: string) {
  return edit(context, editor, async (trx) => {
    const kind = (await listFindingKinds(trx, editor.studyId)).find((k) => k.key === key);
    if (!kind) return unknownTarget;
    if (kind.label === label) return ok;
    await updateFindingKindLabel(trx, editor.studyId, key, label);
    return { action: "kind.update", subjectId: key, details: { key, before: { label: kind.label }, after: { label } } };
  });
}

export function renameAudience(context: AppLoadContext, editor: GridEditor, key: string, label: string) {
  return edit(context, editor, async (trx) => {
    const audience = (await listAudiences(trx, editor.studyId)).find((a) => a.key === key);
    if (!audience) return unknownTarget;
    if (audience.label === label) return ok;
    await updateAudienceLabel(trx, editor.studyId, key, label);
    return { action: "audience.update", subjectId: key, details: { key, before: { label: audience.label }, after: { label } } };
  });
}
