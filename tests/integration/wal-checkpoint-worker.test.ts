// The mirror's WAL checkpoints on a second connection in a worker thread (db/checkpoint-worker.ts):
// real SQLite files, a real worker_threads Worker with its own better-sqlite3 connection. When
// checkpoints run is the FakeTimers' (the scheduling is wal-checkpointer.test.ts's); what is
// checked here is that the worker copies every frame, that the main connection commits while it
// does, that a dead worker falls back to the main connection, and that close leaves the file as
// the clean-close mark requires. The WAL's state is read from its -shm index.
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerCheckpointRunner } from '../../src/main/core/db/checkpoint-worker';
import { cleanCloseMark } from '../../src/main/core/db/clean-close';
import { openDatabase, type OpenedDatabase } from '../../src/main/core/db/open';
import { openMirrorDatabase } from '../../src/main/core/db/recover';
import { CHECKPOINT_IDLE_MS, type CheckpointResult } from '../../src/main/core/db/wal-checkpointer';
import { Mirror } from '../../src/main/core/mirror/mirror';
import { FakeTimers } from '../support/fake-timers';
import { migrationsDir, tempDir, type TempDir } from '../support/temp-db';
import { liveMessage, seedConversation, walIndex } from '../support/wal-writes';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface Started {
  temp: TempDir;
  mirror: Mirror;
  database: OpenedDatabase;
  timers: FakeTimers;
  logs: string[];
  /** Checkpoints run on the main connection (the in-process runner, or the fallback). */
  mainCheckpoints: () => number;
  /** The worker, once spawned (a test kills it). */
  worker: () => Worker;
  commit(i: number): void;
}

function start(arrangement: 'worker' | 'in-process', runner: Partial<ConstructorParameters<typeof WorkerCheckpointRunner>[0]> = {}, temp = tempDir('switchboard-wal-worker-')): Started {
  const timers = new FakeTimers();
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const { database } = openMirrorDatabase({ file: temp.file, migrationsDir }, Date.now, log);
  // Counted on the instance: whether a checkpoint ran on this thread's connection.
  let onMain = 0;
  const pragma = database.sqlite.pragma.bind(database.sqlite);
  database.sqlite.pragma = ((source: string, options?: object) => {
    if (source.startsWith('wal_checkpoint')) onMain++;
    return pragma(source, options);
  }) as typeof database.sqlite.pragma;
  let spawned: Worker | null = null;
  const checkpointRunner =
    arrangement === 'worker'
      ? new WorkerCheckpointRunner({
          file: temp.file,
          log,
          spawn: (source: string, options: WorkerOptions) => (spawned = new Worker(source, options)),
          ...runner,
        })
      : undefined;
  const mirror = new Mirror(database, { timers, log, ...(checkpointRunner ? { checkpointRunner } : {}) });
  let closed = false;
  const originalClose = mirror.close.bind(mirror);
  mirror.close = () => {
    if (closed) return;
    closed = true;
    originalClose();
  };
  cleanups.push(() => {
    mirror.close();
    temp.cleanup();
  });
  const conversationId = seedConversation(mirror);
  return {
    temp,
    mirror,
    database,
    timers,
    logs,
    mainCheckpoints: () => onMain,
    worker: () => spawned ?? expect.fail('no worker was spawned'),
    commit: (i) => mirror.transaction(() => mirror.messages.apply(conversationId, [liveMessage(i)])),
  };
}

/** This process's open files whose path starts with `prefix` (Linux: /proc/self/fd). */
function openFilesUnder(prefix: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((path) => path.startsWith(prefix));
}

/** Polls a condition the worker brings about (its answers arrive as messages, between turns). */
async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Time this thread spends inside checkpoint() calls, and what they resolved with. */
async function timedCheckpoint(mirror: Mirror): Promise<{ mainMs: number; result: CheckpointResult | null }> {
  const begin = performance.now();
  const pending = mirror.checkpointer!.checkpoint();
  const mainMs = performance.now() - begin;
  return { mainMs, result: await pending };
}

describe('WAL checkpoints on a worker thread', () => {
  it('copies every frame once writes pause, on the worker connection, not this one', async () => {
    const { temp, mirror, timers, logs, mainCheckpoints, commit } = start('worker');
    for (let i = 1; i <= 300; i++) commit(i);
    mirror.messageIndex.catchUp();
    const written = walIndex(temp.file);
    expect(written.frames).toBeGreaterThan(1_000);
    expect(written.backfill).toBe(0);
    // The timer starts it; the answer comes back from the worker.
    timers.advance(CHECKPOINT_IDLE_MS);
    const { result } = await timedCheckpoint(mirror);
    expect(result).toEqual({ busy: 0, log: written.frames, checkpointed: written.frames });
    expect(walIndex(temp.file)).toEqual({ frames: written.frames, backfill: written.frames });
    expect(mainCheckpoints()).toBe(0);
    expect(logs).toEqual([]);
  });

  it('the main connection keeps committing while the worker checkpoints; checkpoint() holds this thread ~0', async () => {
    const once = async (arrangement: 'worker' | 'in-process') => {
      const { temp, mirror, commit } = start(arrangement);
      let i = 0;
      while (walIndex(temp.file).frames < 4_000) commit(++i);
      const before = walIndex(temp.file);
      let settled = false;
      let duringCheckpoint = 0;
      const timed = timedCheckpoint(mirror).finally(() => (settled = true));
      // A stream of commits, each a turn of the event loop, until the answer arrives.
      while (!settled) {
        commit(++i);
        duringCheckpoint++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const { mainMs, result } = await timed;
      // Every frame there when it started went into the file, whatever came in meanwhile.
      expect(result?.checkpointed, arrangement).toBeGreaterThanOrEqual(before.frames);
      return { mainMs, duringCheckpoint };
    };
    // Three of each, each on a fresh mirror; the least of each is compared, so a GC pause or a
    // busy machine inside one call does not decide it.
    const runs = { 'in-process': [] as { mainMs: number; duringCheckpoint: number }[], worker: [] as { mainMs: number; duringCheckpoint: number }[] };
    for (let round = 0; round < 3; round++) for (const arrangement of ['in-process', 'worker'] as const) runs[arrangement].push(await once(arrangement));
    const least = (arrangement: 'in-process' | 'worker') => Math.min(...runs[arrangement].map((r) => r.mainMs));
    // On this thread the checkpoint ran inside the call: nothing could commit before it answered
    // but the one commit of the first turn.
    expect(runs['in-process'].map((r) => r.duringCheckpoint)).toEqual([1, 1, 1]);
    // On the worker the call only asks: this thread's share is a message, not the copy and its
    // fsyncs (how many commits fit before the answer depends on the machine: it is printed).
    expect(least('worker')).toBeLessThan(least('in-process') / 4);
    const show = (arrangement: 'in-process' | 'worker') => runs[arrangement].map((r) => r.mainMs.toFixed(3)).join(', ');
    console.info(
      `checkpoints of ~4,000 frames, this thread's time inside checkpoint(): in-process ${show('in-process')} ms; worker ${show('worker')} ms, ${runs.worker.map((r) => r.duringCheckpoint).join(', ')} commits meanwhile`,
    );
  });

  it('commits during a checkpoint: the next runs as soon as it answers, so the WAL starts over without a pause', async () => {
    const { temp, mirror, timers, commit } = start('worker');
    let i = 0;
    while (walIndex(temp.file).frames < 3_000) commit(++i);
    // Frames after the worker's snapshot: with the timers alone (never advanced here) they would
    // wait for a 200 ms pause, and the WAL could not start over until then. (Tried again in the
    // unlikely case that the worker answered before any commit came after its snapshot.)
    let behindBy = 0;
    for (let attempt = 0; attempt < 5 && behindBy === 0; attempt++) {
      let settled = false;
      const pass = mirror.checkpointer!.checkpoint().finally(() => (settled = true));
      while (!settled) {
        commit(++i);
        await new Promise((resolve) => setImmediate(resolve));
      }
      behindBy = walIndex(temp.file).frames - (await pass)!.log;
    }
    expect(behindBy).toBeGreaterThan(0);
    await waitFor(() => {
      const now = walIndex(temp.file);
      return now.backfill === now.frames;
    });
    commit(i + 1);
    expect(walIndex(temp.file).frames).toBeLessThan(100);
    expect(timers.now).toBe(0);
  });

  it('a worker that dies: logged once, and the checkpoints run on the main connection from then on', async () => {
    const { temp, mirror, logs, mainCheckpoints, worker, commit } = start('worker');
    for (let i = 1; i <= 50; i++) commit(i);
    expect((await timedCheckpoint(mirror)).result?.checkpointed).toBeGreaterThan(0);
    expect(mainCheckpoints()).toBe(0);
    await worker().terminate();
    for (let i = 51; i <= 100; i++) commit(i);
    const copied = await timedCheckpoint(mirror);
    expect(copied.result?.checkpointed).toBe(walIndex(temp.file).frames);
    expect(mainCheckpoints()).toBe(1);
    commit(101);
    await timedCheckpoint(mirror);
    expect(mainCheckpoints()).toBe(2);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^mirror: the WAL checkpoint worker stopped \(.+\); checkpoints run on the main thread from now on$/);
  });

  it('a worker that cannot start: logged once, checkpoints on the main connection', async () => {
    const { temp, mirror, logs, mainCheckpoints, commit } = start('worker', { betterSqlite3Path: '/nonexistent/better-sqlite3' });
    for (let i = 1; i <= 20; i++) commit(i);
    const { result } = await timedCheckpoint(mirror);
    expect(result?.checkpointed).toBe(walIndex(temp.file).frames);
    expect(mainCheckpoints()).toBe(1);
    commit(21);
    await timedCheckpoint(mirror);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('/nonexistent/better-sqlite3');
  });

  it('close stops the worker and closes its connection first: the WAL is gone, the file marked clean, every row there', async () => {
    const { temp, mirror, worker, commit } = start('worker');
    cleanups.push(() => temp.cleanup());
    for (let i = 1; i <= 400; i++) commit(i);
    const exited = new Promise<number>((resolve) => worker().once('exit', resolve));
    // One in flight as it closes: close waits for the worker to let go of the file.
    void mirror.checkpointer!.checkpoint();
    for (let i = 401; i <= 450; i++) commit(i);
    mirror.close();
    // When close returns, no connection of this process (the worker's included) has the file open.
    if (process.platform === 'linux') expect(openFilesUnder(temp.file)).toEqual([]);
    // Only the last connection to close deletes the WAL, and only then is the file marked.
    expect(existsSync(`${temp.file}-wal`)).toBe(false);
    expect(existsSync(cleanCloseMark(temp.file))).toBe(true);
    await exited;
    const database = openDatabase({ file: temp.file, migrationsDir });
    cleanups.push(() => database.close());
    expect(database.sqlite.prepare('SELECT count(*) AS n, max(seq) AS top FROM messages').get()).toEqual({ n: 450, top: 450 });
    expect(database.sqlite.pragma('quick_check', { simple: true })).toBe('ok');
  });
});
