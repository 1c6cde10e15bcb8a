import { rmSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { percentile } from "./stats";

/** Ten commits a second: a sample of the disk every 100 ms, a few percent of Terrain's own fsyncs. */
const COMMIT_INTERVAL_MS = 100;

/**
 * A commit slower than this during a run means the disk stalled: on a quiet disk the probe's commits
 * take under 3 ms (docs/benchmarks.md run H).
 */
export const DISK_STALL_MS = 20;

export interface DiskProbe {
  /** Stops probing; the commits' p50, p99 and slowest, in ms. */
  stop(): Promise<Record<string, number>>;
}

/**
 * The disk's own durable commit, timed all through a run: the commit of one of Terrain's turns (one
 * small row and its index entry, WAL, synchronous=FULL) in a scratch database beside the run's, on
 * a thread of its own. A server that fsyncs before relaying cannot have a better tail than its
 * disk: when the probe saw a stall, Terrain's p99 shows it too, and the run says so.
 */
export function startDiskProbe(dir: string): DiskProbe {
  const path = join(dir, "disk-probe.sqlite");
  const worker = new Worker(new URL("./disk-worker.js", import.meta.url), {
    workerData: { path, intervalMs: COMMIT_INTERVAL_MS },
    execArgv: [],
  });
  return {
    async stop() {
      const answer = once(worker, "message");
      worker.postMessage("stop");
      const [durations] = (await answer) as [number[]];
      await worker.terminate();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
      durations.sort((a, b) => a - b);
      return {
        diskCommitP50Ms: percentile(durations, 50),
        diskCommitP99Ms: percentile(durations, 99),
        diskCommitMaxMs: durations.at(-1) ?? Number.NaN,
      };
    },
  };
}
