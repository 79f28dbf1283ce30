// WAL checkpoints off the commit path. SQLite's auto-checkpoint runs inside the commit that
// crosses its threshold, synchronously on the committing connection: at 4,000 pages that was a
// commit of ~25 ms about once in 285 live messages: 7 of the 21 slowest of 2,000 in a run at
// load 5 (bench: ingest, one live message committed, p99 ≤ 1 ms). Here the mirror says when it committed, and a PASSIVE
// checkpoint runs on a timer instead: once writes have paused, and at the latest a bounded delay
// after the first commit it has not copied, so the WAL stays small while writes never pause.
// Crash safety is the WAL's and does not depend on when checkpoints run: a commit is in the WAL
// before it returns; a checkpoint only copies committed pages into the main file.
// How a checkpoint runs (on this connection, or on a worker's: checkpoint-worker.ts) is the
// runner's; this decides only when, and falls back to this connection if the worker is lost.
import type BetterSqlite3 from 'better-sqlite3';
import type { Timers } from '../sync/timers';
import { InProcessCheckpointRunner, type CheckpointOutcome, type CheckpointResult, type CheckpointRunner } from './checkpoint-runner';

export type { CheckpointResult } from './checkpoint-runner';

/** A checkpoint runs once no commit came for this long. */
export const CHECKPOINT_IDLE_MS = 200;
/** …and at the latest this long after the first commit not yet checkpointed. */
export const CHECKPOINT_MAX_DELAY_MS = 1000;
/**
 * SQLite's own auto-checkpoint, kept as a ceiling only: writes the mirror is not told of (or a
 * stretch where the timers cannot run) still leave the WAL bounded, at 64 MB of pages.
 */
export const WAL_CEILING_PAGES = 16_000;

export interface WalCheckpointerOptions {
  timers: Timers;
  log?: (message: string) => void;
  idleMs?: number;
  maxDelayMs?: number;
  /** How checkpoints run; on `sqlite` itself when omitted. The checkpointer closes it. */
  runner?: CheckpointRunner;
}

export class WalCheckpointer {
  private idle: unknown = null;
  private due: unknown = null;
  private closed = false;
  private runner: CheckpointRunner;
  private readonly fallback: CheckpointRunner;
  /** The checkpoint running now (at most one), and whether a timer asked for another meanwhile. */
  private inFlight: Promise<CheckpointResult | null> | null = null;
  private again = false;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly options: WalCheckpointerOptions,
  ) {
    sqlite.pragma(`wal_autocheckpoint = ${WAL_CEILING_PAGES}`);
    this.fallback = new InProcessCheckpointRunner(sqlite);
    this.runner = options.runner ?? this.fallback;
  }

  /** A write transaction committed: checkpoint once writes pause, or within the max delay. */
  committed(): void {
    if (this.closed) return;
    // Committed while a checkpoint runs on another connection: the WAL can start over only once a
    // checkpoint has copied every frame, so the next one runs as soon as this one answers. Left
    // to the timers, a stream that never paused let the WAL grow to the ceiling, where SQLite
    // copied 2,800-7,500 frames inside a commit (40-53 ms; bench: ingest, one live message).
    if (this.inFlight) this.again = true;
    const { timers } = this.options;
    if (this.idle !== null) timers.clearTimeout(this.idle);
    this.idle = timers.setTimeout(() => void this.checkpoint(), this.options.idleMs ?? CHECKPOINT_IDLE_MS);
    this.due ??= timers.setTimeout(() => void this.checkpoint(), this.options.maxDelayMs ?? CHECKPOINT_MAX_DELAY_MS);
  }

  /**
   * Copies the committed pages into the database file (PASSIVE: never waits for a reader or
   * writer; what it could not copy goes with the next one). Resolves with SQLite's answer, or
   * null when it did not run or failed: a failure is logged, never thrown, since the WAL keeps
   * every commit and the next commit arms the timers again. While one runs, a second call (or a
   * commit) makes the next one run right after it: its frames came after the first one's snapshot.
   */
  checkpoint(): Promise<CheckpointResult | null> {
    this.clearTimers();
    if (this.closed) return Promise.resolve(null);
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    let settle!: (result: CheckpointResult | null) => void;
    const promise = new Promise<CheckpointResult | null>((resolve) => (settle = resolve));
    this.inFlight = promise;
    this.start((result) => {
      this.inFlight = null;
      settle(result);
      if (this.again && !this.closed) {
        this.again = false;
        void this.checkpoint();
      }
    });
    return promise;
  }

  /** Before the connection closes (which checkpoints everything itself): stops the runner first. */
  close(): void {
    this.closed = true;
    this.clearTimers();
    this.runner.close();
  }

  private start(finish: (result: CheckpointResult | null) => void): void {
    this.runner.run((outcome: CheckpointOutcome) => {
      if (this.closed) return finish(null);
      switch (outcome.kind) {
        case 'done':
          return finish(outcome.result);
        case 'later':
          this.committed();
          return finish(null);
        case 'failed':
          this.options.log?.(`mirror: WAL checkpoint failed: ${outcome.error.message}`);
          return finish(null);
        case 'lost':
          // Logged once: from here on the fallback runs them, and it is never lost.
          this.options.log?.(`mirror: the WAL checkpoint worker stopped (${outcome.error.message}); checkpoints run on the main thread from now on`);
          this.runner.close();
          this.runner = this.fallback;
          return this.start(finish);
      }
    });
  }

  private clearTimers(): void {
    const { timers } = this.options;
    if (this.idle !== null) timers.clearTimeout(this.idle);
    if (this.due !== null) timers.clearTimeout(this.due);
    this.idle = null;
    this.due = null;
  }
}
