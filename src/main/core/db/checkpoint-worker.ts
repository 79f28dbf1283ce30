// WAL checkpoints on a second connection in a worker thread. A PASSIVE checkpoint from another
// connection to the same WAL never blocks this connection's commits, so the core's main thread
// (every socket, the renderer's transport, live commits) no longer waits 23-201 ms for one
// (BENCHMARKS.md, session 7). The worker only checkpoints: no migrations, no writes.
//
// The worker's source is plain JS passed with `eval: true`, not a file of its own: the same code
// then runs from the built out/main/*.js (browser mode, the Electron core host) and from the
// TypeScript sources under vitest/tsx, with no extra build entry to locate at run time.
// better-sqlite3 is required by absolute path, resolved here, so the worker finds the same copy.
//
// Closing is synchronous, because the mirror's close is: the last connection to close copies the
// WAL back and deletes it, and only then does clean-close.ts mark the file as closed cleanly. So
// the worker's connection must be closed before the mirror's; the main thread waits for that on
// a shared flag (Atomics.wait), bounded, rather than on an event it could not receive meanwhile.
import { createRequire } from 'node:module';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { asError, type CheckpointOutcome, type CheckpointResult, type CheckpointRunner } from './checkpoint-runner';

/** state[0]: 0 while the worker holds its connection, 1 once it holds none (closed, or never opened). */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const state = new Int32Array(workerData.state);
const released = () => { Atomics.store(state, 0, 1); Atomics.notify(state, 0); };
let db = null;
try {
  const Database = require(workerData.betterSqlite3Path);
  db = new Database(workerData.file, Object.assign({ fileMustExist: true }, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}));
  db.pragma('busy_timeout = ' + Number(workerData.busyTimeoutMs));
  db.pragma('synchronous = NORMAL');
  const mode = db.pragma('journal_mode', { simple: true });
  if (mode !== 'wal') throw new Error('the mirror is not in WAL mode (' + mode + ')');
} catch (error) {
  try { if (db) db.close(); } finally { released(); }
  throw error;
}
parentPort.on('message', (message) => {
  if (message.type === 'close') {
    try { db.close(); } finally { released(); parentPort.close(); }
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, result: db.pragma('wal_checkpoint(PASSIVE)')[0] });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error && error.message || error), code: error && error.code } });
  }
});
`;

/** How long close() waits for the worker to close its connection (a checkpoint in flight finishes first). */
export const CLOSE_WAIT_MS = 5_000;

export interface WorkerCheckpointRunnerOptions {
  /** The mirror's file, already open and in WAL mode on the main connection. */
  file: string;
  /** A better-sqlite3 addon built for the running ABI (Electron); Node's default when omitted. */
  nativeBinding?: string;
  log?: (message: string) => void;
  busyTimeoutMs?: number;
  /** better-sqlite3's entry point; resolved from this module when omitted. */
  betterSqlite3Path?: string;
  /** Starts the worker; tests pass one that keeps it, to kill it. */
  spawn?: (source: string, options: WorkerOptions) => Worker;
}

export class WorkerCheckpointRunner implements CheckpointRunner {
  private readonly worker: Worker | null = null;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private pending: { id: number; done: (outcome: CheckpointOutcome) => void } | null = null;
  private nextId = 1;
  /** Why the worker can run no more checkpoints. */
  private lost: Error | null = null;
  private closed = false;

  constructor(private readonly options: WorkerCheckpointRunnerOptions) {
    try {
      const spawn = options.spawn ?? ((source, workerOptions) => new Worker(source, workerOptions));
      this.worker = spawn(WORKER_SOURCE, {
        eval: true,
        workerData: {
          state: this.state.buffer,
          file: options.file,
          nativeBinding: options.nativeBinding,
          busyTimeoutMs: options.busyTimeoutMs ?? 100,
          betterSqlite3Path: options.betterSqlite3Path ?? createRequire(__filename).resolve('better-sqlite3'),
        },
      });
    } catch (error) {
      this.lost = asError(error);
      this.state[0] = 1;
      return;
    }
    // A checkpointer must never keep the process alive.
    this.worker.unref();
    this.worker.on('message', (message: { id: number; result?: CheckpointResult; error?: { message: string; code?: string } }) => {
      const pending = this.pending;
      if (!pending || pending.id !== message.id) return;
      this.pending = null;
      if (message.result) pending.done({ kind: 'done', result: message.result });
      else pending.done({ kind: 'failed', error: Object.assign(new Error(message.error?.message ?? 'no answer'), message.error?.code ? { code: message.error.code } : {}) });
    });
    this.worker.on('error', (error) => {
      this.lost ??= asError(error);
    });
    this.worker.on('exit', (code) => {
      this.lost ??= new Error(`the worker exited with code ${code}`);
      // Our own close stops it on purpose; anything else is a death the checkpointer hears of.
      if (this.closed) return;
      const pending = this.pending;
      this.pending = null;
      pending?.done({ kind: 'lost', error: this.lost });
    });
  }

  run(done: (outcome: CheckpointOutcome) => void): void {
    if (this.closed) return;
    if (this.lost || !this.worker) return done({ kind: 'lost', error: this.lost ?? new Error('no worker') });
    if (this.pending) return done({ kind: 'failed', error: new Error('a checkpoint is already running') });
    this.pending = { id: this.nextId++, done };
    this.worker.postMessage({ type: 'checkpoint', id: this.pending.id });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = null;
    if (!this.worker) return;
    if (Atomics.load(this.state, 0) === 0 && !this.lost) {
      this.worker.postMessage({ type: 'close' });
      if (Atomics.wait(this.state, 0, 0, CLOSE_WAIT_MS) === 'timed-out') {
        this.options.log?.(`mirror: the WAL checkpoint worker did not close its connection within ${CLOSE_WAIT_MS} ms; the next start checks the file`);
      }
    }
    void this.worker.terminate();
  }
}
