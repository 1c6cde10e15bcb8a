import { existsSync, mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { openDatabase } from "../../db/client";
import { migrateToLatest } from "../../db/migrate";
import { loadDemo } from "../../server/demo";
import { DEMO_TEMPLATE, EMPTY_TEMPLATE, TMP_DIR } from "./paths";

/** Migrates the template databases once per run; each test copies one (see helpers/server.ts). */
export default async function setup() {
  if (!existsSync(resolve("build/index.js"))) {
    throw new Error("Le build Remix manque : lancez `npm run build` (ou `npm run validate`) avant les tests.");
  }
  process.env.TERRAIN_TEST_TMP = TMP_DIR;
  rmSync(TMP_DIR, { recursive: true, force: true });
  mkdirSync(TMP_DIR, { recursive: true });
  for (const [path, demo] of [
    [EMPTY_TEMPLATE, false],
    [DEMO_TEMPLATE, true],
  ] as const) {
    const handle = openDatabase(path);
    await migrateToLatest(handle.db);
    if (demo) await loadDemo(handle.db);
    handle.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    await handle.close();
  }
  return () => rmSync(TMP_DIR, { recursive: true, force: true });
}
