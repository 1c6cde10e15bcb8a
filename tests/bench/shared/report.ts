import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";

/** Output helpers shared by the benchmarks: flags, number formatting, the table, the JSON file. */

/** `--name=value` and bare `--flag` (value "true"). */
export function parseArgs(argv: string[] = process.argv.slice(2)): Map<string, string> {
  return new Map(
    argv.map((a) => {
      const [key, value] = a.replace(/^--/, "").split("=");
      return [key!, value ?? "true"] as const;
    }),
  );
}

/** Three significant figures or so; `—` for a missing figure, `perdu` for an infinite one. */
export const fmt = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? "—" : !Number.isFinite(v) ? "perdu" : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(Math.abs(v) >= 10 ? 1 : 2);

/**
 * Prints rows as aligned columns (the first row is the header). A row of a single cell is a note,
 * printed indented on its own and left out of the column widths.
 */
export function printTable(rows: string[][]): void {
  const table = rows.filter((r) => r.length > 1);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
  console.log("\n" + rows.map((r) => (r.length === 1 ? `  ${r[0]}` : r.map((c, i) => c.padEnd(widths[i]!)).join("  "))).join("\n"));
}

/**
 * Share of the last minute during which some runnable task waited for a CPU (Linux PSI), in %;
 * null where the kernel does not say.
 */
export function cpuPressure(): number | null {
  try {
    return Number(/^some avg10=[\d.]+ avg60=([\d.]+)/m.exec(readFileSync("/proc/pressure/cpu", "utf8"))?.[1] ?? Number.NaN);
  } catch {
    return null;
  }
}

/** The machine, and what else runs on it: the figures mean little without it. */
export function machine() {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverage: loadavg(), cpuPressureSome60: cpuPressure() };
}

/** Writes `bench-results/<name>-<date>.json` (git-ignored); infinite figures become strings. */
export function writeResults(name: string, results: unknown): string {
  mkdirSync("bench-results", { recursive: true });
  const file = join("bench-results", `${name}-${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}.json`);
  writeFileSync(
    file,
    JSON.stringify(results, (_key, value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? String(value) : value), 2),
  );
  return file;
}
