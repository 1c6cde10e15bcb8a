import SQLite from "better-sqlite3";

/**
 * A consistent copy of a live database through SQLite's online backup API: pages are copied in
 * steps while the server keeps reading and writing, and the copy is one point in time. Then the
 * copy is opened and checked, so a backup that would not restore is known now, not on the bad
 * day. SQLite-specific, so it lives here rather than behind Kysely.
 */
export async function backupDatabase(source: SQLite.Database, destination: string): Promise<{ pages: number }> {
  const { totalPages } = await source.backup(destination);
  const copy = new SQLite(destination, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new Error(`La copie ${destination} est corrompue : ${String(check)}`);
  } finally {
    copy.close();
  }
  return { pages: totalPages };
}
