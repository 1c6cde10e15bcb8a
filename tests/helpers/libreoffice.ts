import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What LibreOffice saves a file as: HTML keeps a document's footnotes; the CSV filter options ask for UTF-8. */
const TARGETS = {
  html: { filter: "html", extension: "html" },
  csv: { filter: "csv:Text - txt - csv (StarCalc):44,34,76", extension: "csv" },
} as const;

/**
 * Opens an exported file in LibreOffice (headless, installed by .ci/run) and saves it in another
 * format, returned as text: LibreOffice reading the file is the proof that it opens. A file it
 * cannot load leaves no output, and reading that output rejects.
 */
export async function openInLibreOffice(bytes: Uint8Array, extension: string, as: keyof typeof TARGETS): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "terrain-libreoffice-"));
  try {
    const input = join(dir, `export.${extension}`);
    await writeFile(input, bytes);
    // A profile of its own: two test files converting at once would fight over the default one.
    const profile = `-env:UserInstallation=file://${join(dir, "profile")}`;
    await run("soffice", [profile, "--headless", "--convert-to", TARGETS[as].filter, "--outdir", dir, input], { timeout: 120_000 });
    return await readFile(join(dir, `export.${TARGETS[as].extension}`), "utf8");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
