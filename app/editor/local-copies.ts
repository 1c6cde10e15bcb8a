/** Prefix of every IndexedDB database holding an offline copy of a document (see use-collab-provider). */
export const LOCAL_COPY_PREFIX = "terrain:";

function deleteDatabase(name: string): Promise<void> {
  return new Promise((done) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => done();
    request.onerror = () => done();
    // An editor still open in this tab holds the database: the deletion stays queued and
    // completes as soon as the page leaves the editor, so logging out need not wait for it.
    request.onblocked = () => done();
  });
}

/**
 * Deletes this browser's offline copies of documents, so that the next person on a shared computer
 * finds nothing. Browser only; never throws (logging out must not depend on it).
 */
export async function clearLocalCopies(): Promise<void> {
  try {
    if (typeof indexedDB === "undefined" || typeof indexedDB.databases !== "function") return;
    const databases = await indexedDB.databases();
    await Promise.all(
      databases.flatMap(({ name }) => (name?.startsWith(LOCAL_COPY_PREFIX) ? [deleteDatabase(name)] : [])),
    );
  } catch {
    // A browser refusing IndexedDB (private mode) has no copies to delete.
  }
}
