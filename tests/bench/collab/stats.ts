/** Small numeric helpers for the collaboration benchmark. */
import { percentile } from "../shared/stats";

export { median, percentile } from "../shared/stats";

/** Microseconds on CLOCK_MONOTONIC: the same clock in every process of this machine. */
export const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

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
