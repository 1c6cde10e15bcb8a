import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import {
  countDynamicsOfType,
  deleteDynamic,
  deleteDynamicType,
  findDynamic,
  findDynamicType,
  insertDynamic,
  insertDynamicType,
  isDynamicLinked,
  listDynamicTypes,
  nextDynamicTypePosition,
  updateDynamic,
  updateDynamicType,
} from "../../db/queries/dynamics";
import { nowIso } from "../../db/queries/executor";
import { common } from "../i18n/common";
import { dynamics as t } from "../i18n/dynamics";
import { notFound } from "./access.server";
import { type FieldErrors, optionalText, requiredText, rowId, webUrl } from "./forms";
import { sameLabel, swapWithNeighbour, uniqueKey } from "./list-items";

/** « 46 », « 2A », « 974 »: metropolitan, Corsican and overseas département codes. */
const department = z
  .string()
  .trim()
  .toUpperCase()
  .optional()
  .transform((s) => (s ? s : null))
  .refine((s) => s === null || /^(\d{2}|2A|2B|97\d)$/.test(s), t.validation.invalidDepartment);

export const DynamicSchema = z.object({
  name: requiredText(200),
  typeId: rowId,
  territory: optionalText(200),
  department,
  description: optionalText(2000),
  website: webUrl,
});
export type DynamicInput = z.infer<typeof DynamicSchema>;

export const DynamicTypeSchema = z.object({
  label: requiredText(200),
  definition: optionalText(2000),
});
export type DynamicTypeInput = z.infer<typeof DynamicTypeSchema>;

type Outcome = { ok: true } | { ok: false; errors: FieldErrors };
const unknownType: Outcome = { ok: false, errors: { typeId: common.validation.unknownItem } };

/** A type may be chosen when it is this study's and active, or is the dynamic's current one. */
async function typeIsChoosable(context: AppLoadContext, studyId: string, typeId: string, currentTypeId?: string) {
  const type = await findDynamicType(context.db, studyId, typeId);
  return type !== undefined && (type.archived_at === null || type.id === currentTypeId);
}

const columns = (input: DynamicInput) => ({
  type_id: input.typeId,
  name: input.name,
  territory: input.territory,
  department: input.department,
  description: input.description,
  website: input.website,
});

export async function createDynamic(context: AppLoadContext, studyId: string, input: DynamicInput): Promise<Outcome> {
  if (!(await typeIsChoosable(context, studyId, input.typeId))) return unknownType;
  await insertDynamic(context.db, { study_id: studyId, ...columns(input) });
  return { ok: true };
}

export async function requireDynamic(context: AppLoadContext, studyId: string, dynamicId: string | undefined) {
  const dynamic = dynamicId ? await findDynamic(context.db, studyId, dynamicId) : undefined;
  if (!dynamic) notFound();
  return dynamic;
}

export async function editDynamic(context: AppLoadContext, studyId: string, dynamicId: string, input: DynamicInput): Promise<Outcome> {
  const dynamic = await requireDynamic(context, studyId, dynamicId);
  if (!(await typeIsChoosable(context, studyId, input.typeId, dynamic.type_id))) return unknownType;
  await updateDynamic(context.db, studyId, dynamicId, columns(input));
  return { ok: true };
}

export async function setDynamicArchived(context: AppLoadContext, studyId: string, dynamicId: string, archived: boolean) {
  await requireDynamic(context, studyId, dynamicId);
  await updateDynamic(context.db, studyId, dynamicId, { archived_at: archived ? nowIso() : null });
}

/** Deletes a dynamic nothing refers to; a linked one may only be archived. */
export async function removeDynamic(context: AppLoadContext, studyId: string, dynamicId: string): Promise<Outcome> {
  return context.db.transaction().execute(async (trx) => {
    const dynamic = await findDynamic(trx, studyId, dynamicId);
    if (!dynamic) notFound();
    if (await isDynamicLinked(trx, dynamicId)) return { ok: false, errors: { _form: t.detail.linkedOnlyArchive } };
    await deleteDynamic(trx, studyId, dynamicId);
    return { ok: true };
  });
}

const duplicate: Outcome = { ok: false, errors: { label: t.typology.duplicateLabel } };

export async function addDynamicType(context: AppLoadContext, studyId: string, input: DynamicTypeInput): Promise<Outcome> {
  return context.db.transaction().execute(async (trx) => {
    const types = await listDynamicTypes(trx, studyId);
    if (types.some((type) => sameLabel(type.label, input.label))) return duplicate;
    await insertDynamicType(trx, {
      study_id: studyId,
      key: uniqueKey(input.label, new Set(types.map((type) => type.key)), "type"),
      label: input.label,
      definition: input.definition,
      position: await nextDynamicTypePosition(trx, studyId),
    });
    return { ok: true };
  });
}

/** A type id that is not this study's is answered like a forged form: nothing changes. */
const unknownTarget: Outcome = { ok: false, errors: { _form: common.validation.unknownItem } };

export async function editDynamicType(context: AppLoadContext, studyId: string, typeId: string, input: DynamicTypeInput): Promise<Outcome> {
  const types = await listDynamicTypes(context.db, studyId);
  if (!types.some((type) => type.id === typeId)) return unknownTarget;
  if (types.some((type) => type.id !== typeId && sameLabel(type.label, input.label))) return duplicate;
  await updateDynamicType(context.db, studyId, typeId, { label: input.label, definition: input.definition });
  return { ok: true };
}

export async function setDynamicTypeArchived(context: AppLoadContext, studyId: string, typeId: string, archived: boolean): Promise<Outcome> {
  if (!(await findDynamicType(context.db, studyId, typeId))) return unknownTarget;
  await updateDynamicType(context.db, studyId, typeId, { archived_at: archived ? nowIso() : null });
  return { ok: true };
}

/** Swaps the type with its neighbour; positions are rewritten 0..n-1 so gaps never accumulate. */
export async function moveDynamicType(context: AppLoadContext, studyId: string, typeId: string, direction: "up" | "down"): Promise<Outcome> {
  return context.db.transaction().execute(async (trx) => {
    const types = await listDynamicTypes(trx, studyId);
    const index = types.findIndex((type) => type.id === typeId);
    if (index < 0) return unknownTarget;
    const reordered = swapWithNeighbour(types, index, direction);
    if (!reordered) return { ok: true };
    for (const [position, type] of reordered.entries()) {
      if (type.position !== position) await updateDynamicType(trx, studyId, type.id, { position });
    }
    return { ok: true };
  });
}

export async function removeDynamicType(context: AppLoadContext, studyId: string, typeId: string): Promise<Outcome> {
  return context.db.transaction().execute(async (trx) => {
    if (!(await findDynamicType(trx, studyId, typeId))) return unknownTarget;
    if ((await countDynamicsOfType(trx, studyId, typeId)) > 0) return { ok: false, errors: { _form: t.typology.usedCannotDelete } };
    await deleteDynamicType(trx, studyId, typeId);
    return { ok: true };
  });
}
