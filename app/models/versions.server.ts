import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { findDocumentVersion, listDocumentVersions } from "../../db/queries/document-versions";
import type { Role } from "../../db/schema";
import { common } from "../i18n/common";
import { editor as e } from "../i18n/editor";
import { isUuid, notFound, roleAtLeast } from "./access.server";
import { parseForm, requiredText, rowId } from "./forms";

/**
 * A collaborative document's versions (a visit report, the synthesis): the list, the one shown
 * with `?voir=<id>`, and saving or restoring one. The routes authorize; these only take the
 * document they were given, so a version id of another document finds nothing.
 */
export async function loadVersions(context: AppLoadContext, request: Request, documentId: string, role: Role) {
  const versions = await listDocumentVersions(context.db, documentId);
  const viewId = new URL(request.url).searchParams.get("voir");
  let preview = null;
  if (viewId !== null) {
    const version = isUuid(viewId) ? await findDocumentVersion(context.db, documentId, viewId) : undefined;
    const content = version ? await context.collab.versionContent(documentId, version.id) : null;
    preview = version && content ? { id: version.id, label: version.label, content } : { id: viewId, label: null, content: null };
  }
  return {
    canWrite: roleAtLeast(role, "membre"),
    versions: versions.map((v) => ({
      id: v.id,
      label: v.label,
      automatic: v.automatic === 1,
      createdAt: v.created_at,
      author: v.created_by_name,
    })),
    preview,
  };
}

export type VersionsData = Awaited<ReturnType<typeof loadVersions>>;

const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("save"), label: requiredText(120) }),
    z.object({ intent: z.literal("restore"), versionId: rowId }),
  ],
  { error: common.validation.invalidChoice },
);

/** The result a versions form shows: field errors, or what was done. */
export interface VersionsResult {
  errors: Partial<Record<string, string>> | null;
  done: string | null;
}

/** Saves or restores a version of the document for a user the route found to be at least membre. */
export async function versionsAction(context: AppLoadContext, request: Request, documentId: string, userId: string) {
  const parsed = parseForm(actionSchema, await request.formData());
  if (!parsed.ok) return Response.json({ errors: parsed.errors, done: null } satisfies VersionsResult, { status: 400 });
  if (parsed.data.intent === "save") {
    await context.collab.saveVersion(documentId, parsed.data.label, userId);
    return { errors: null, done: e.versions.saved } satisfies VersionsResult;
  }
  const version = await findDocumentVersion(context.db, documentId, parsed.data.versionId);
  if (!version) notFound();
  await context.collab.restoreVersion(documentId, version.id, userId);
  return { errors: null, done: e.versions.restored } satisfies VersionsResult;
}
