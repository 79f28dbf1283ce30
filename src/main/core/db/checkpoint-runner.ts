// How a WAL checkpoint is run, apart from when (wal-checkpointer.ts decides when). On the mirror's
// own connection it holds the main thread for as long as it copies and fsyncs (23-28 ms at load 5,
// 37-201 ms at load 22-29; BENCHMARKS.md, session 7); from a second connection in a worker thread
// (checkpoint-worker.ts) it does not, since a PASSIVE checkpoint never blocks another
// connection's commits. This one, on the main connection, is the fallback and what tests use.
import type BetterSqlite3 from 'better-sqlite3';

/** What `PRAGMA wal_checkpoint` answered: frames in the WAL, and how many are now in the file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export type CheckpointOutcome =
  | { kind: 'done'; result: CheckpointResult }
  /** This checkpoint failed; the next one may not. */
  | { kind: 'failed'; error: Error }
  /** Not now (the connection is inside a transaction): try again after the next commit. */
  | { kind: 'later' }
  /** The runner can run no more checkpoints (its worker died or never started). */
  | { kind: 'lost'; error: Error };

export interface CheckpointRunner {
  /** Starts one PASSIVE checkpoint; `done` is called once, now or later, unless close() came first. */
  run(done: (outcome: CheckpointOutcome) => void): void;
  /** Releases what it holds (a worker's connection) before the mirror's own close. */
  close(): void;
}

export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

export class InProcessCheckpointRunner implements CheckpointRunner {
  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  run(done: (outcome: CheckpointOutcome) => void): void {
    // Timers never fire inside a transaction here, but a checkpoint there would fail.
    if (this.sqlite.inTransaction) return done({ kind: 'later' });
    let result: CheckpointResult | undefined;
    try {
      result = (this.sqlite.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[])[0];
    } catch (error) {
      return done({ kind: 'failed', error: asError(error) });
    }
    done(result ? { kind: 'done', result } : { kind: 'failed', error: new Error('wal_checkpoint answered no row') });
  }

  close(): void {}
}
