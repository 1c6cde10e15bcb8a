import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type DatabaseHandle } from "../../../db/client";
import { migrateToLatest } from "../../../db/migrate";
import { cpuPressure, machine, writeResults } from "./report";

/** What a bench says about its run besides its figures: the figures mean little without it. */
export interface BenchRun {
  /** Prints the machine's load at start and now, and how long tasks waited for a CPU. */
  printLoad(): void;
  /** Writes `bench-results/<name>-<date>.json` with the run's date, machine and duration, and says where. */
  save(results: Record<string, unknown>): void;
}

function benchRun(name: string): BenchRun {
  const startedAt = Date.now();
  const loadAtStart = loadavg();
  const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(", ");
  return {
    printLoad() {
      console.log(
        `\nCharge de la machine (1, 5, 15 min) : début ${loads(loadAtStart)} ; fin ${loads(loadavg())} ; ` +
          `attente CPU (PSI some, 60 s) ${cpuPressure() ?? "?"} %`,
      );
    },
    save(results) {
      const file = writeResults(name, {
        date: new Date().toISOString(),
        machine: { ...machine(), loadAverageAtStart: loadAtStart },
        durationS: (Date.now() - startedAt) / 1000,
        ...results,
      });
      console.log(`\nRésultats : ${file} (durée ${((Date.now() - startedAt) / 60_000).toFixed(1)} min)`);
    },
  };
}

/**
 * Runs a bench on a migrated database of its own, in a scratch folder removed afterwards unless
 * `keep` (to look at the data the figures came from).
 */
export async function runOnScratchDatabase(
  name: string,
  keep: boolean,
  bench: (scratch: { handle: DatabaseHandle; dir: string; run: BenchRun }) => Promise<void>,
): Promise<void> {
  const run = benchRun(name);
  const dir = mkdtempSync(join(tmpdir(), `terrain-bench-${name}-`));
  const handle = openDatabase(join(dir, `${name}.sqlite`));
  try {
    await migrateToLatest(handle.db);
    await bench({ handle, dir, run });
  } finally {
    await handle.close();
    if (keep) console.log(`Base conservée : ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
