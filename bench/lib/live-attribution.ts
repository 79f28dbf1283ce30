// What the slow samples of "one live message committed" were (bench: ingest). The p99 of 2,000
// samples is the 20th slowest, so a handful of rare events decide it; this records, per sample,
// what else ran inside its window: a WAL checkpoint (seen in the -shm file's backfill count), the
// search index's batch (MessageIndex.catchUp), a garbage collection (performance "gc" entries),
// another timer's callback, and how long the sample's own transaction took.
import { closeSync, openSync, readSync } from 'node:fs';
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import type { Timers } from '../../src/main/core/sync/timers';
import { round } from './report';

interface Span {
  start: number;
  end: number;
}

interface Window extends Span {
  ms: number;
  /** The -shm's backfill count before and after (frames copied into the database by checkpoints). */
  backfillBefore: number;
  backfillAfter: number;
  walFramesBefore: number;
  walFramesAfter: number;
}

/**
 * The WAL index (-shm) of a database in WAL mode: mxFrame is the header's u32 at 16, nBackfill
 * the checkpoint info's u32 at 96, both in the machine's byte order (sqlite.org/walformat.html).
 * Read outside the timed window: it is a syscall, not part of the commit.
 */
export class WalIndexReader {
  private readonly fd: number;
  private readonly buffer = Buffer.alloc(100);

  constructor(file: string) {
    this.fd = openSync(`${file}-shm`, 'r');
  }

  read(): { frames: number; backfill: number } {
    readSync(this.fd, this.buffer, 0, 100, 0);
    return { frames: this.buffer.readUInt32LE(16), backfill: this.buffer.readUInt32LE(96) };
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Timers that record when each callback ran, for what passes the bench's engine and mirror. */
export function recordingTimers(into: Span[]): Timers {
  return {
    setTimeout: (fn, ms) =>
      setTimeout(() => {
        const start = performance.now();
        try {
          fn();
        } finally {
          into.push({ start, end: performance.now() });
        }
      }, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

export class LiveAttribution {
  private readonly windows: Window[] = [];
  private readonly gc: (Span & { kind: number })[] = [];
  private readonly fts: (Span & { rows: number })[] = [];
  private readonly transactions: Span[] = [];
  /** Checkpoints the mirror ran from its timers (WalCheckpointer), with the frames the WAL held. */
  private readonly timedCheckpoints: (Span & { frames: number })[] = [];
  private readonly observer: PerformanceObserver;
  private readonly restore: (() => void)[] = [];
  private readonly wal: WalIndexReader;

  constructor(
    mirror: Mirror,
    file: string,
    /** Every timer callback of the engine and the mirror (recordingTimers). */
    private readonly timerRuns: Span[],
  ) {
    this.wal = new WalIndexReader(file);
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
        this.gc.push({ start: e.startTime, end: e.startTime + e.duration, kind: e.detail?.kind ?? 0 });
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
    // Wrapped on the instance, for this bench only: the product code is measured as it is.
    const index = mirror.messageIndex;
    const catchUp = index.catchUp.bind(index);
    index.catchUp = () => {
      const start = performance.now();
      const rows = catchUp();
      this.fts.push({ start, end: performance.now(), rows });
      return rows;
    };
    this.restore.push(() => (index.catchUp = catchUp));
    const transaction = mirror.transaction.bind(mirror);
    mirror.transaction = <T>(fn: () => T): T => {
      const start = performance.now();
      try {
        return transaction(fn);
      } finally {
        this.transactions.push({ start, end: performance.now() });
      }
    };
    this.restore.push(() => (mirror.transaction = transaction));
    // Looked up loosely: the same bench also measures a tree from before the checkpointer.
    // It answers at once (on this thread), or with a promise (a worker's connection runs it): the
    // span is this thread's time inside the call either way.
    type Answer = { log: number } | null;
    const checkpointer = (mirror as unknown as { checkpointer?: { checkpoint(): Answer | Promise<Answer> } | null }).checkpointer;
    if (checkpointer) {
      const checkpoint = checkpointer.checkpoint.bind(checkpointer);
      checkpointer.checkpoint = () => {
        const start = performance.now();
        const result = checkpoint();
        const entry = { start, end: performance.now(), frames: 0 };
        this.timedCheckpoints.push(entry);
        void Promise.resolve(result).then((answer) => (entry.frames = answer?.log ?? 0));
        return result;
      };
      this.restore.push(() => (checkpointer.checkpoint = checkpoint));
    }
  }

  /** Around one sample: call before its clock starts; the returned function after it stops. */
  begin(): (ms: number) => void {
    const before = this.wal.read();
    const start = performance.now();
    return (ms) => {
      const end = performance.now();
      const after = this.wal.read();
      this.windows.push({ start, end, ms, backfillBefore: before.backfill, backfillAfter: after.backfill, walFramesBefore: before.frames, walFramesAfter: after.frames });
    };
  }

  /** Stops recording and attributes the `slowest` samples (the ones that set the p99). */
  finish(slowest: number): AttributionReport {
    this.observer.disconnect();
    for (const r of this.restore) r();
    this.wal.close();
    const inside = <S extends Span>(spans: S[], w: Span) => spans.filter((s) => s.end > w.start && s.start < w.end);
    const sum = (spans: Span[]) => spans.reduce((a, s) => a + (s.end - s.start), 0);
    const attributed = this.windows.map((w) => {
      const gc = inside(this.gc, w);
      const fts = inside(this.fts, w);
      const ftsMs = sum(fts);
      const timed = inside(this.timedCheckpoints, w);
      // The search index's batch and the timed checkpoints run from timers too; "other timers" is what is left.
      const timerMs = Math.max(0, sum(inside(this.timerRuns, w)) - ftsMs - sum(timed));
      const checkpoint = checkpointedInside(w) || timed.length > 0;
      const causes: string[] = [];
      if (checkpoint) causes.push('checkpoint');
      if (fts.length) causes.push('fts');
      if (gc.length) causes.push('gc');
      if (timerMs > 0.05) causes.push('timer');
      return {
        ms: w.ms,
        transactionMs: sum(inside(this.transactions, w)),
        checkpointFrames: checkpoint ? Math.max(w.backfillAfter - w.backfillBefore, w.walFramesBefore - w.backfillBefore) : 0,
        walFrames: w.walFramesAfter,
        ftsMs,
        ftsRows: fts.reduce((a, s) => a + s.rows, 0),
        gcMs: sum(gc),
        timerMs,
        causes,
      };
    });
    const slow = [...attributed].sort((a, b) => b.ms - a.ms).slice(0, slowest);
    const byCause: Record<string, number> = {};
    for (const s of slow) {
      const key = s.causes.length ? s.causes.join('+') : 'none';
      byCause[key] = (byCause[key] ?? 0) + 1;
    }
    const everywhere = (cause: string) => attributed.filter((s) => s.causes.includes(cause)).length;
    return {
      slowest: slow.length,
      byCause,
      samplesWith: { checkpoint: everywhere('checkpoint'), fts: everywhere('fts'), gc: everywhere('gc'), timer: everywhere('timer') },
      checkpointsSeen: this.windows.length ? countCheckpoints(this.windows) : 0,
      maxWalFrames: Math.max(0, ...this.windows.map((w) => w.walFramesAfter)),
      timedCheckpoints: this.timedCheckpoints.map((c) => ({ ms: round(c.end - c.start), frames: c.frames })),
      slow: slow.map((s) => ({
        ms: round(s.ms),
        transactionMs: round(s.transactionMs),
        ...(s.checkpointFrames ? { checkpointFrames: s.checkpointFrames } : {}),
        ...(s.ftsMs ? { ftsMs: round(s.ftsMs), ftsRows: s.ftsRows } : {}),
        ...(s.gcMs ? { gcMs: round(s.gcMs) } : {}),
        ...(s.timerMs > 0.05 ? { timerMs: round(s.timerMs) } : {}),
      })),
    };
  }
}

/**
 * A checkpoint ran inside the window: more frames copied, or the WAL restarted from its start
 * (which a writer does only after a checkpoint copied every frame) while frames were left to copy.
 */
const checkpointedInside = (w: Window): boolean => w.backfillAfter > w.backfillBefore || (w.walFramesAfter < w.walFramesBefore && w.backfillBefore < w.walFramesBefore);

/** Checkpoints over the whole run, inside a sample or between samples. */
function countCheckpoints(windows: Window[]): number {
  let n = 0;
  let last = { backfill: windows[0]!.backfillBefore, frames: windows[0]!.walFramesBefore };
  for (const w of windows) {
    const between = { ...w, backfillBefore: last.backfill, walFramesBefore: last.frames, backfillAfter: w.backfillBefore, walFramesAfter: w.walFramesBefore };
    if (checkpointedInside(between)) n++;
    if (checkpointedInside(w)) n++;
    last = { backfill: w.backfillAfter, frames: w.walFramesAfter };
  }
  return n;
}

export interface AttributionReport {
  slowest: number;
  /** Of the slowest samples: how many had what inside them ("none": only the commit itself). */
  byCause: Record<string, number>;
  /** Of all samples. */
  samplesWith: Record<string, number>;
  checkpointsSeen: number;
  maxWalFrames: number;
  /** Checkpoints run off the commit path (main thread, between commits): how long each held it. */
  timedCheckpoints: { ms: number; frames: number }[];
  slow: Record<string, number>[];
}

/** One line for the log. */
export function describeAttribution(r: AttributionReport): string {
  const causes = Object.entries(r.byCause)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const all = Object.entries(r.samplesWith)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const timed = r.timedCheckpoints.length ? `, ${r.timedCheckpoints.length} of them off the commit path (${r.timedCheckpoints.map((c) => `${c.ms} ms/${c.frames} frames`).join(', ')})` : '';
  return `slowest ${r.slowest} live samples: ${causes}; of all samples, with ${all}; checkpoints seen ${r.checkpointsSeen}${timed}; WAL up to ${r.maxWalFrames} frames`;
}
