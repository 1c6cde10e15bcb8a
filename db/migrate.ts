import { Migrator, type Migration, type MigrationProvider } from "kysely";
import type { DB } from "./client";
import * as m0001 from "./migrations/0001_foundation";
import * as m0002 from "./migrations/0002_findings";
import * as m0003 from "./migrations/0003_findings_read_side";
import * as m0004 from "./migrations/0004_finding_links_counts";
import * as m0005 from "./migrations/0005_documents_search_by_rowid";
import * as m0006 from "./migrations/0006_synthesis";
import * as m0007 from "./migrations/0007_matrix_counts";

/**
 * Migrations are listed here rather than read from a folder at run time, so the same list
 * works from tsx, from tests and from any bundle. Append only.
 */
const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_findings": m0002,
  "0003_findings_read_side": m0003,
  "0004_finding_links_counts": m0004,
  "0005_documents_search_by_rowid": m0005,
  "0006_synthesis": m0006,
  "0007_matrix_counts": m0007,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: DB): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`La migration ${failed?.migrationName ?? ""} a échoué`, { cause: error });
  }
}
