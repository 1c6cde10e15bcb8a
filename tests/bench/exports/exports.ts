import type { AppLoadContext } from "@remix-run/node";
import { strToU8, zipSync } from "fflate";
import { type DocumentFormat, reportDownload, synthesisDownload } from "../../../app/exports/documents.server";
import { findingsCsvDownload, findingsXlsxDownload, qdcDownload, qdpxDownload } from "../../../app/exports/study-downloads.server";
import { findMeetingReport, findStudySynthesis } from "../../../db/queries/documents";
import { findMeeting } from "../../../db/queries/meetings";
import { findStudyById } from "../../../db/queries/studies";

/**
 * The exports the bench times, each called as its route's loader calls it once the request is
 * authorized (requireUser + requireStudyRole, left out: the same for every route): the same
 * reads from `context.db`, the same renderer, the same `downloadResponse`. The bench reads the
 * response body to the end, so streamed exports are timed until their last byte.
 *
 * Adding an export is one entry of EXPORTS.
 */

/** Where an export reads from: the study (ids as the URL gives them). */
export interface ExportTarget {
  context: AppLoadContext;
  studyId: string;
  meetingId: string;
  origin: string;
}

/** What an export's reference floor covers: the whole study, the synthesis, or one report. */
export type Scope = "étude" | "synthèse" | "compte rendu";

export interface ExportSpec {
  name: string;
  scope: Scope;
  run: (target: ExportTarget) => Promise<Response>;
}

async function requireStudy({ context, studyId }: ExportTarget) {
  const study = await findStudyById(context.db, studyId);
  if (!study) throw new Error(`Étude ${studyId} introuvable`);
  return study;
}

/** As app/exports/documents.server.ts `exportSynthesis` after requireSynthesis (its synthesis exists, so no template is written). */
const synthesisExport = (format: DocumentFormat) => async (target: ExportTarget) => {
  const study = await requireStudy(target);
  const synthesis = await findStudySynthesis(target.context.db, study.id);
  if (!synthesis) throw new Error("Synthèse absente");
  return synthesisDownload(target.context, { study, synthesis, origin: target.origin }, format);
};

/** As `exportReport` after requireMeetingReport. */
const reportExport = (format: DocumentFormat) => async (target: ExportTarget) => {
  const study = await requireStudy(target);
  const meeting = await findMeeting(target.context.db, study.id, target.meetingId);
  const report = meeting && (await findMeetingReport(target.context.db, meeting.id));
  if (!meeting || !report) throw new Error("Compte rendu absent");
  return reportDownload(target.context, { study, meeting, report, origin: target.origin }, format);
};

export const EXPORTS: ExportSpec[] = [
  { name: "projet REFI-QDA .qdpx", scope: "étude", run: async (target) => qdpxDownload(target.context, await requireStudy(target)) },
  { name: "grille .qdc", scope: "étude", run: async (target) => qdcDownload(target.context, await requireStudy(target)) },
  {
    name: "enseignements .csv",
    scope: "étude",
    run: async (target) => findingsCsvDownload(target.context, await requireStudy(target), {}, target.origin),
  },
  {
    name: "enseignements .xlsx",
    scope: "étude",
    run: async (target) => findingsXlsxDownload(target.context, await requireStudy(target), {}, target.origin),
  },
  { name: "synthèse .docx", scope: "synthèse", run: synthesisExport("docx") },
  { name: "synthèse .md", scope: "synthèse", run: synthesisExport("markdown") },
  { name: "compte rendu .docx", scope: "compte rendu", run: reportExport("docx") },
  { name: "compte rendu .md", scope: "compte rendu", run: reportExport("markdown") },
];

/**
 * The reference of a scope, measured in the same run: what any export of those documents pays at
 * the least. Reads their derived JSON and plain text from SQLite, then zips the plain texts with
 * fflate's zipSync (deflate, level 6 as the .qdpx); returns the zip, to be counted like a body.
 */
export async function floor(context: AppLoadContext, studyId: string, documentIds: readonly string[] | null): Promise<Uint8Array> {
  let query = context.db.selectFrom("documents").select(["id", "json", "plain_text"]).where("study_id", "=", studyId);
  if (documentIds) query = query.where("id", "in", documentIds);
  const rows = await query.execute();
  return zipSync(Object.fromEntries(rows.map((row) => [`sources/${row.id}.txt`, strToU8(row.plain_text ?? "")])), { level: 6 });
}
