import { resolve } from "node:path";

export const TMP_DIR = resolve("tests/.tmp");
/** Migrated, empty: most tests start here and add what they need with factories. */
export const EMPTY_TEMPLATE = resolve(TMP_DIR, "template-empty.sqlite");
/** Migrated with the demo study loaded, as a newcomer's first start would leave it. */
export const DEMO_TEMPLATE = resolve(TMP_DIR, "template-demo.sqlite");
