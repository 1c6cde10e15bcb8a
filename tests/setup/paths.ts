import { resolve } from "node:path";

/**
 * One folder per vitest run (the global setup exports it to the workers), so two runs on one
 * machine never delete each other's databases.
 */
export const TMP_DIR = process.env.TERRAIN_TEST_TMP ?? resolve("tests/.tmp", `run-${process.pid}`);
/** Migrated, empty: most tests start here and add what they need with factories. */
export const EMPTY_TEMPLATE = resolve(TMP_DIR, "template-empty.sqlite");
/** Migrated with the demo study loaded, as a newcomer's first start would leave it. */
export const DEMO_TEMPLATE = resolve(TMP_DIR, "template-demo.sqlite");
