// What a benchmark reports: figures beside their limits, where the limit is either the issue's
// absolute target or derived from a baseline measured in the same run on the same machine.
import { hrtime } from 'node:process';

export type Scale = 'quick' | 'full';

export interface Figure {
  /** Stable key, e.g. "search.p99". */
  id: string;
  name: string;
  value: number;
  unit: string;
  /** Null: reported for context only (a baseline, a breakdown). */
  limit: number | null;
  /** max: the value must stay at or under the limit; min: at or over it. */
  direction: 'max' | 'min';
  /** How the limit came about when it is not a plain target ("0.45 × raw 52,000 msg/s"). */
  limitNote?: string;
  /** value / limit; null where there is no limit or the limit is 0. */
  ratio: number | null;
  pass: boolean | null;
}

export interface BenchReport {
  bench: string;
  title: string;
  scale: Scale;
  startedAt: string;
  durationMs: number;
  /** 1-minute load average before and after: the machine is shared, this shows how noisy it was. */
  loadBefore: number;
  loadAfter: number;
  figures: Figure[];
  /** Sizes, counts and breakdowns that explain the figures. */
  info: Record<string, unknown>;
  error?: string;
}

export function figure(input: { id: string; name: string; value: number; unit: string; limit?: number | null; direction?: 'max' | 'min'; limitNote?: string }): Figure {
  const limit = input.limit ?? null;
  const direction = input.direction ?? 'max';
  const pass = limit === null ? null : direction === 'max' ? input.value <= limit : input.value >= limit;
  return {
    id: input.id,
    name: input.name,
    value: input.value,
    unit: input.unit,
    limit,
    direction,
    ...(input.limitNote ? { limitNote: input.limitNote } : {}),
    ratio: limit === null || limit === 0 ? null : input.value / limit,
    pass,
  };
}

/** Monotonic milliseconds (CLOCK_MONOTONIC: comparable between processes on one machine). */
export const nowMs = (): number => Number(hrtime.bigint()) / 1e6;

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const round = (value: number, digits = 3): number => Number(value.toPrecision(digits));

export function summary(samples: readonly number[]): { n: number; p50: number; p95: number; p99: number; max: number; mean: number } {
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return {
    n: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    max: round(Math.max(...samples)),
    mean: round(mean),
  };
}

/** Runs fn `count` times and returns each duration in ms. */
export function timeEach(count: number, fn: (i: number) => void): number[] {
  const out: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const start = nowMs();
    fn(i);
    out[i] = nowMs() - start;
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs: number, what: string, intervalMs = 20): Promise<T> {
  const start = nowMs();
  for (;;) {
    const value = fn();
    if (value !== undefined && value !== null && value !== false) return value;
    if (nowMs() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * Event-loop lag from Node's monitorEventLoopDelay: it records the time between its timer's
 * runs, resolution included, so the lag is what is left after the resolution.
 */
export function lagOf(h: { percentile(p: number): number; max: number; count: number }, resolutionMs: number): { p50: number; p99: number; max: number; samples: number } {
  const lag = (ns: number) => round(Math.max(0, ns / 1e6 - resolutionMs));
  return { p50: lag(h.percentile(50)), p99: lag(h.percentile(99)), max: lag(h.max), samples: h.count };
}
