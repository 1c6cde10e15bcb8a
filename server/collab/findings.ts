import { z } from "zod";
import { findingQuote } from "../../app/editor/findings";
import type { PlainTextWithFindings } from "../../app/editor/plain-text";
import { isUuid } from "../../app/models/access.server";
import type { Executor } from "../../db/queries/executor";
import {
  deleteDocumentFindings,
  findDocumentStudyId,
  findFindingsElsewhere,
  insertFinding,
  listDocumentFindings,
  loadFindingGrid,
  updateFinding,
  type DocumentFinding,
  type FindingGrid,
  type FindingWrite,
} from "../../db/queries/findings";

/**
 * Findings: from the Yjs document (marks + `findings` map) to SQLite. The document is the source
 * of truth; SQLite holds the validated copy that the browser, matrix and search query.
 */

/** Who wrote each map entry since the last derive, known from the connection (not the entry). */
export type FindingWriters = Map<string, string | null>;

// Each field falls back on its own: a malformed list of factors must not lose the finding.
const entrySchema = z.object({
  kind: z.string(),
  factors: z.array(z.string()).catch([]),
  dynamics: z.array(z.string()).catch([]),
  audience: z.string().nullable().catch(null),
  comment: z.string().catch(""),
  createdBy: z.string().nullable().catch(null),
  createdAt: z.string().nullable().catch(null),
});

export interface ValidFinding {
  kind: string;
  audience: string | null;
  comment: string;
  factors: string[];
  dynamics: string[];
  createdBy: string | null;
  createdAt: string | null;
}

/** A factor merged into another stands for its target; unknown and foreign ids stand for nothing. */
function resolveFactor(grid: FindingGrid, id: string): string | null {
  const seen = new Set<string>();
  for (let current = id; grid.factors.has(current) && !seen.has(current); ) {
    seen.add(current);
    const target = grid.factors.get(current);
    if (!target) return current;
    current = target;
  }
  return null;
}

const sortedUnique = (ids: (string | null)[]) => [...new Set(ids.filter((id): id is string => id !== null))].sort();

/**
 * A map entry checked against the study's grid: null when its kind is unknown (the entry is not
 * copied); unknown or foreign factors and dynamics are dropped; archived factors stay valid; the
 * audience is kept only for a kind that has one.
 */
export function validateFinding(value: unknown, grid: FindingGrid): ValidFinding | null {
  const parsed = entrySchema.safeParse(value);
  if (!parsed.success) return null;
  const entry = parsed.data;
  const hasAudience = grid.kinds.get(entry.kind);
  if (hasAudience === undefined) return null;
  return {
    kind: entry.kind,
    audience: hasAudience && entry.audience !== null && grid.audiences.has(entry.audience) ? entry.audience : null,
    comment: entry.comment,
    factors: sortedUnique(entry.factors.map((id) => resolveFactor(grid, id))),
    dynamics: sortedUnique(entry.dynamics.map((id) => (grid.dynamics.has(id) ? id : null))),
    createdBy: entry.createdBy !== null && grid.members.has(entry.createdBy) ? entry.createdBy : null,
    createdAt: entry.createdAt !== null && !Number.isNaN(Date.parse(entry.createdAt)) ? new Date(entry.createdAt).toISOString() : null,
  };
}

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

function differs(before: DocumentFinding, after: FindingWrite): boolean {
  return (
    before.kind !== after.kind ||
    before.audience !== after.audience ||
    before.comment !== after.comment ||
    before.quote !== after.quote ||
    before.orphaned_at !== after.orphanedAt ||
    !sameIds(before.factors, after.factors) ||
    !sameIds(before.dynamics, after.dynamics)
  );
}

/**
 * What the document's findings rows are computed from (tags and quotes). Equal fingerprints give
 * equal rows, so a derive after typing outside every finding skips the database altogether.
 */
export function findingsFingerprint(content: PlainTextWithFindings, entries: Record<string, unknown>): string {
  const quotes = [...content.passages].map(([id, passages]) => [id, findingQuote(content.text, passages)]);
  return JSON.stringify([entries, quotes]);
}

/**
 * Brings the document's findings rows in line with its content, inside the caller's transaction.
 * A finding whose marks are all gone keeps its row and last quote, flagged orphaned; its marks
 * coming back (undo, restore) clear the flag. Several passages of one id (a pasted copy) stay ONE
 * finding whose quote joins them. A map key deleted deletes the row; marks without a map entry
 * are ignored. Rows are only written when something in them changed.
 */
export async function syncFindings(
  trx: Executor,
  documentId: string,
  content: PlainTextWithFindings,
  entries: Record<string, unknown>,
  who: { writers: FindingWriters; lastEditor: string | null },
  now: string,
): Promise<void> {
  const existing = new Map((await listDocumentFindings(trx, documentId)).map((f) => [f.id, f]));
  const keys = Object.keys(entries);
  const gone = [...existing.keys()].filter((id) => !Object.hasOwn(entries, id));
  await deleteDocumentFindings(trx, documentId, gone);
  if (keys.length === 0) return;

  const studyId = await findDocumentStudyId(trx, documentId);
  if (!studyId) return;
  const grid = await loadFindingGrid(trx, studyId);
  const ids = keys.filter((id) => isUuid(id));
  const elsewhere = await findFindingsElsewhere(trx, documentId, ids.filter((id) => !existing.has(id)));
  // Only entries written since the last derive are reported: the same bad entry must not be logged every few seconds.
  const warn = (id: string, why: string) => {
    if (who.writers.has(id)) console.warn(`Enseignements : entrée « ${id} » de ${documentId} ignorée (${why})`);
  };
  for (const id of keys) {
    if (!isUuid(id)) warn(id, "identifiant invalide");
    else if (elsewhere.has(id)) warn(id, "identifiant d'un enseignement d'un autre document");
  }

  for (const id of ids) {
    if (elsewhere.has(id)) continue;
    const valid = validateFinding(entries[id], grid);
    if (!valid) {
      warn(id, "type inconnu ou entrée malformée");
      continue;
    }
    const before = existing.get(id);
    const passages = content.passages.get(id);
    const writer = who.writers.get(id) ?? null;
    const row: FindingWrite = {
      id,
      kind: valid.kind,
      audience: valid.audience,
      comment: valid.comment,
      factors: valid.factors,
      dynamics: valid.dynamics,
      quote: passages ? findingQuote(content.text, passages) : (before?.quote ?? ""),
      orphanedAt: passages ? null : (before?.orphaned_at ?? now),
      updatedAt: now,
      updatedBy: writer ?? who.lastEditor ?? before?.updated_by ?? null,
    };
    if (!before) {
      await insertFinding(trx, {
        ...row,
        studyId,
        documentId,
        createdBy: writer ?? valid.createdBy,
        createdAt: valid.createdAt ?? now,
      });
    } else if (differs(before, row)) {
      const links = !sameIds(before.factors, row.factors) || !sameIds(before.dynamics, row.dynamics);
      await updateFinding(trx, documentId, row, links);
    }
  }
}
