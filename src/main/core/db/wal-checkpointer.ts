// WAL checkpoints off the commit path. SQLite's auto-checkpoint runs inside the commit that
// crosses its threshold, synchronously on the committing connection: at 4,000 pages that was a
// commit of ~25 ms about once in 285 live messages: 7 of the 21 slowest of 2,000 in a run at
// load 5 (bench: ingest, one live message committed, p99 ≤ 1 ms). Here the mirror says when it committed, and a PASSIVE
// checkpoint runs on a timer instead: once writes have paused, and at the latest a bounded delay
// after the first commit it has not copied, so the WAL stays small while writes never pause.
// Crash safety is the WAL's and does not depend on when checkpoints run: a commit is in the WAL
// before it returns; a checkpoint only copies committed pages into the main file.
import type BetterSqlite3 from 'better-sqlite3';
import type { Timers } from '../sync/timers';

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
}

/** What `PRAGMA wal_checkpoint` answered: frames in the WAL, and how many are now in the file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export class WalCheckpointer {
  private idle: unknown = null;
  private due: unknown = null;
  private closed = false;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly options: WalCheckpointerOptions,
  ) {
    sqlite.pragma(`wal_autocheckpoint = ${WAL_CEILING_PAGES}`);
  }

  /** A write transaction committed: checkpoint once writes pause, or within the max delay. */
  committed(): void {
    if (this.closed) return;
    const { timers } = this.options;
    if (this.idle !== null) timers.clearTimeout(this.idle);
    this.idle = timers.setTimeout(() => this.checkpoint(), this.options.idleMs ?? CHECKPOINT_IDLE_MS);
    this.due ??= timers.setTimeout(() => this.checkpoint(), this.options.maxDelayMs ?? CHECKPOINT_MAX_DELAY_MS);
  }

  /**
   * Copies the committed pages into the database file (PASSIVE: never waits for a reader or
   * writer; what it could not copy goes with the next one). A failure is logged, never thrown:
   * the WAL keeps every commit, and the next commit arms the timers again.
   */
  checkpoint(): CheckpointResult | null {
    this.clearTimers();
    if (this.closed) return null;
    // Timers never fire inside a transaction here, but a checkpoint there would fail: try later.
    if (this.sqlite.inTransaction) {
      this.committed();
      return null;
    }
    try {
      return (this.sqlite.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[])[0] ?? null;
    } catch (error) {
      this.options.log?.(`mirror: WAL checkpoint failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  /** Before the connection closes (which checkpoints everything itself). */
  close(): void {
    this.closed = true;
    this.clearTimers();
  }

  private clearTimers(): void {
    const { timers } = this.options;
    if (this.idle !== null) timers.clearTimeout(this.idle);
    if (this.due !== null) timers.clearTimeout(this.due);
    this.idle = null;
    this.due = null;
  }
}
