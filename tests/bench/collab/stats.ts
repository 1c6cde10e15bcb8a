/** Small numeric helpers for the collaboration benchmark. */

/** Microseconds on CLOCK_MONOTONIC: the same clock in every process of this machine. */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** Nearest-rank percentile; `Infinity` entries (undelivered updates) sort last. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

export interface LatencySummary {
  /** Updates that should have arrived at a measuring client during the window. */
  expected: number;
  received: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Latencies in µs; the updates that never arrived count as infinitely late. */
export function summarizeLatencies(latenciesUs: number[], expected: number): LatencySummary {
  const missing = Math.max(0, expected - latenciesUs.length);
  const all = latenciesUs.concat(Array.from({ length: missing }, () => Infinity)).sort((a, b) => a - b);
  const ms = (v: number) => v / 1000;
  return {
    expected,
    received: latenciesUs.length,
    p50Ms: ms(percentile(all, 50)),
    p95Ms: ms(percentile(all, 95)),
    p99Ms: ms(percentile(all, 99)),
    maxMs: ms(all.length ? all[all.length - 1]! : Number.NaN),
  };
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Resolves with the promise's value, or rejects after `ms` with a message naming what timed out. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${what} : pas de réponse en ${ms} ms`)), ms);
    }),
  ]);
}
