import { insertDynamicType } from "../queries/dynamics";
import type { Executor } from "../queries/executor";
import { insertGrid } from "../queries/grid";
// No `with { type: "json" }` here: the administration page bundles this module, and the Remix
// compiler's esbuild does not parse import attributes (tsx and vitest load JSON without them).
import codebook from "./demo/codebook.json";
import dynamicsData from "./demo/dynamics.json";

/**
 * The demo's typology of dynamics and analysis grid, written into a study as an editable
 * starting point: the demo study and every study an administrator creates begin with them.
 * Returns the new type ids by key.
 */
export async function insertStartingPoint(db: Executor, studyId: string): Promise<Map<string, string>> {
  const typeIds = new Map<string, string>();
  for (const [position, t] of dynamicsData.types.entries()) {
    const row = await insertDynamicType(db, { study_id: studyId, key: t.key, label: t.label, definition: t.definition, position });
    typeIds.set(t.key, row.id);
  }
  await insertGrid(db, studyId, codebook);
  return typeIds;
}
