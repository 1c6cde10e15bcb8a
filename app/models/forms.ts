import { z } from "zod";
import { common } from "../i18n/common";

const v = common.validation;

/** A required single-line text, trimmed, with a French message for empty and too long. */
export const requiredText = (max: number) => z.string({ error: v.required }).trim().min(1, v.required).max(max, v.tooLong(max));

/** An optional text: empty becomes "" (stored), too long is refused. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, v.tooLong(max))
    .optional()
    .transform((s) => s ?? "");

export const email = z.string({ error: v.required }).trim().min(1, v.required).max(254, v.tooLong(254)).email(v.invalidEmail);

export const isoDay = z
  .string({ error: v.required })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, v.invalidDate)
  .refine((s) => !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime()) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), v.invalidDate);

export const optionalIsoDay = z
  .union([z.literal(""), isoDay])
  .optional()
  .transform((s) => (s ? s : null));

export const color = z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, v.invalidColor);

export const webUrl = z
  .string()
  .trim()
  .max(500, v.tooLong(500))
  .optional()
  .transform((s) => (s ? s : null))
  .refine((s) => s === null || /^https?:\/\/[^\s]+$/i.test(s), v.invalidUrl);

export type FieldErrors = Partial<Record<string, string>>;

/** What an action returns (status 400) when the form is refused: the messages by field. */
export type FormFailure = { errors: FieldErrors };

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Validates a submitted form. Multi-valued fields (checkbox groups) are read with getAll when the
 * schema names them in `arrays`; everything else is a single string.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  formData: FormData,
  arrays: readonly string[] = [],
): ParseResult<z.infer<S>> {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    raw[key] = arrays.includes(key) ? formData.getAll(key).map(String) : String(formData.get(key));
  }
  for (const key of arrays) raw[key] ??= [];
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : "_form";
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id of a row chosen in a select; anything but a UUID cannot name a row of the study. The
 * caller still checks that the row belongs to the study in the URL.
 */
export const rowId = z.string({ error: v.required }).trim().min(1, v.required).regex(UUID_SHAPE, v.unknownItem);

/** The ids ticked in a checkbox group (read with `arrays` in parseForm), without duplicates. */
export const rowIds = z
  .array(z.string().regex(UUID_SHAPE, v.unknownItem))
  .max(500, v.unknownItem)
  .transform((ids) => [...new Set(ids)]);

/** One of a fixed set of stored keys (kinds, statuses). */
export const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: v.invalidChoice });
