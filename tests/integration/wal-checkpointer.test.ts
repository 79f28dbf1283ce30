// The mirror's WAL checkpoints run from timers after commits, never inside one (bench: ingest,
// one live message committed). Real SQLite files; the timers are FakeTimers, so "writes paused"
// and "the max delay passed" are steps of the test. The WAL's state is read from its -shm index:
// mxFrame (frames in the WAL) and nBackfill (frames a checkpoint copied into the file).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { CHECKPOINT_IDLE_MS, CHECKPOINT_MAX_DELAY_MS, WalCheckpointer } from '../../src/main/core/db/wal-checkpointer';
import { Mirror } from '../../src/main/core/mirror/mirror';
import { FakeTimers } from '../support/fake-timers';
import { migrationsDir, tempDir, type TempDir } from '../support/temp-db';
import { liveMessage, seedConversation, walIndex } from '../support/wal-writes';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function start(): { temp: TempDir; mirror: Mirror; timers: FakeTimers; conversationId: number; commit(i: number): void } {
  const temp = tempDir('switchboard-wal-');
  const timers = new FakeTimers();
  const mirror = new Mirror(openDatabase({ file: temp.file, migrationsDir }), { timers });
  cleanups.push(() => {
    mirror.close();
    temp.cleanup();
  });
  const conversationId = seedConversation(mirror);
  return { temp, mirror, timers, conversationId, commit: (i) => mirror.transaction(() => mirror.messages.apply(conversationId, [liveMessage(i)])) };
}

describe('WAL checkpoints off the commit path', () => {
  it('no commit checkpoints, past the 4,000 frames where SQLite used to run one inside a commit', () => {
    const { temp, commit } = start();
    let i = 0;
    while (walIndex(temp.file).frames < 5_000) {
      const before = walIndex(temp.file);
      commit(++i);
      const after = walIndex(temp.file);
      // A checkpoint inside the commit would have copied frames, or let the WAL start over.
      expect(after.backfill, `commit ${i}`).toBe(before.backfill);
      expect(after.frames, `commit ${i}`).toBeGreaterThan(before.frames);
    }
    expect(i).toBeGreaterThan(100);
  });

  it('checkpoints every frame once writes pause; the next commit starts the WAL over', () => {
    const { temp, timers, commit } = start();
    for (let i = 1; i <= 50; i++) commit(i);
    const written = walIndex(temp.file);
    expect(written.backfill).toBe(0);
    timers.advance(CHECKPOINT_IDLE_MS - 1);
    expect(walIndex(temp.file).backfill).toBe(0);
    // The search index's batch (a commit of its own) comes first; the checkpoint follows once all is quiet.
    timers.advance(CHECKPOINT_IDLE_MS * 2);
    const checkpointed = walIndex(temp.file);
    expect(checkpointed.backfill).toBeGreaterThan(0);
    expect(checkpointed.backfill).toBe(checkpointed.frames);
    commit(51);
    expect(walIndex(temp.file).frames).toBeLessThan(written.frames / 10);
    expect(timers.count).toBeGreaterThan(0);
    timers.advance(CHECKPOINT_MAX_DELAY_MS);
    expect(timers.count).toBe(0);
  });

  it('writes that never pause are checkpointed within the max delay, so the WAL stays bounded', () => {
    const { temp, timers, commit } = start();
    const step = CHECKPOINT_IDLE_MS / 2;
    let sinceCopied = 0;
    let longest = 0;
    let checkpoints = 0;
    let last = walIndex(temp.file);
    for (let i = 1; i <= 200; i++) {
      commit(i);
      timers.advance(step);
      const now = walIndex(temp.file);
      if (now.backfill > last.backfill || now.frames < last.frames) {
        checkpoints++;
        sinceCopied = 0;
      } else sinceCopied += step;
      longest = Math.max(longest, sinceCopied);
      last = now;
    }
    expect(checkpoints).toBeGreaterThanOrEqual(Math.floor((200 * step) / CHECKPOINT_MAX_DELAY_MS) - 1);
    expect(longest).toBeLessThan(CHECKPOINT_MAX_DELAY_MS);
  });

  it('a failed checkpoint is logged, not thrown; without timers nothing is scheduled', () => {
    const logs: string[] = [];
    const timers = new FakeTimers();
    const broken = { inTransaction: false, pragma: (sql: string) => (sql.startsWith('wal_checkpoint') ? raise() : []) };
    const checkpointer = new WalCheckpointer(broken as never, { timers, log: (m) => logs.push(m) });
    checkpointer.committed();
    expect(timers.count).toBe(2);
    timers.advance(CHECKPOINT_IDLE_MS);
    expect(logs).toEqual(['mirror: WAL checkpoint failed: disk I/O error']);
    expect(timers.count).toBe(0);
    checkpointer.close();
    checkpointer.committed();
    expect(timers.count).toBe(0);
  });

  it('killed (SIGKILL) after 1,500 commits that no checkpoint copied: reopened, every row is there', () => {
    const temp = tempDir('switchboard-wal-crash-');
    cleanups.push(() => temp.cleanup());
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '../support/wal-writer-child.ts'), temp.file, '1500'], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stdout).toContain('committed 1500');
    expect(child.signal).toBe('SIGKILL');
    // The commits are in the WAL only: more than SQLite's old 4,000-frame threshold, none copied.
    expect(existsSync(`${temp.file}-wal`)).toBe(true);
    expect(walIndex(temp.file)).toMatchObject({ backfill: 0 });
    expect(walIndex(temp.file).frames).toBeGreaterThan(4_000);
    expect(statSync(`${temp.file}-wal`).size).toBeGreaterThan(4_000 * 4096);
    const database = openDatabase({ file: temp.file, migrationsDir });
    const mirror = new Mirror(database);
    cleanups.push(() => mirror.close());
    const rows = database.sqlite.prepare('SELECT count(*) AS n, max(seq) AS top FROM messages').get() as { n: number; top: number };
    expect(rows).toEqual({ n: 1500, top: 1500 });
    expect(database.sqlite.pragma('quick_check', { simple: true })).toBe('ok');
  });
});

function raise(): never {
  throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
}
