// A mirror closed cleanly is not checked page by page at the next open (clean-close.ts); any
// write since, a leftover WAL, a crash (no mark) or a used mark means it is.
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markCleanClose, takeCleanCloseMark } from '../../src/main/core/db/clean-close';
import { openMirrorDatabase } from '../../src/main/core/db/recover';

const migrationsDir = join(__dirname, '../../migrations');
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-clean-close-'));
  file = join(dir, 'switchboard.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Returns a leaf page of saved_replies, for damage. */
function openAndClose(): number {
  const { database } = openMirrorDatabase({ file, migrationsDir });
  // Enough rows for a file of many pages, so a page in the middle holds data.
  const insert = database.sqlite.prepare('INSERT INTO saved_replies (title, content, created_at, updated_at) VALUES (?, ?, 1, 1)');
  database.sqlite.transaction(() => {
    for (let i = 0; i < 500; i++) insert.run(`${Math.random()}`, 'x'.repeat(200));
  })();
  const page = database.sqlite.prepare<[], number>("SELECT pageno FROM dbstat WHERE name = 'saved_replies' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 5").pluck().get()!;
  database.close();
  return page;
}

/** Rewrites one byte with the same value: the content, the size, everything but the write is unchanged. */
function touchByte(offset: number): void {
  const byte = readFileSync(file).subarray(offset, offset + 1);
  const fd = openSync(file, 'r+');
  writeSync(fd, byte, 0, 1, offset);
  closeSync(fd);
}

describe('clean close', () => {
  it('a clean close leaves a mark that the next open takes, once', () => {
    openAndClose();
    expect(existsSync(`${file}.closed`)).toBe(true);
    expect(takeCleanCloseMark(file)).toBe(true);
    expect(existsSync(`${file}.closed`)).toBe(false);
    expect(takeCleanCloseMark(file)).toBe(false);
  });

  it('a write after the close, even of the same byte at once, is seen', () => {
    openAndClose();
    const size = statSync(file).size;
    touchByte(Math.floor(size / 2));
    expect(statSync(file).size).toBe(size);
    expect(takeCleanCloseMark(file)).toBe(false);
  });

  it('a WAL beside the file, no mark (a crash) or an unreadable mark means the file is checked', () => {
    openAndClose();
    writeFileSync(`${file}-wal`, Buffer.alloc(0));
    expect(takeCleanCloseMark(file)).toBe(false);
    rmSync(`${file}-wal`);
    expect(takeCleanCloseMark(file)).toBe(false);
    openAndClose();
    writeFileSync(`${file}.closed`, 'not json');
    expect(takeCleanCloseMark(file)).toBe(false);
    expect(existsSync(`${file}.closed`)).toBe(false);
  });

  it('no mark is left while the file is open, and none for a file with a WAL left behind', () => {
    openAndClose();
    const { database } = openMirrorDatabase({ file, migrationsDir });
    expect(existsSync(`${file}.closed`)).toBe(false);
    database.close();
    expect(existsSync(`${file}.closed`)).toBe(true);
    rmSync(`${file}.closed`);
    writeFileSync(`${file}-wal`, Buffer.alloc(0));
    markCleanClose(file);
    expect(existsSync(`${file}.closed`)).toBe(false);
  });

  it('damage after a clean close is still found at the next open', () => {
    // A leaf page of a table scribbled over: only the page-by-page check finds it.
    const page = openAndClose();
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(3000, 0x5a), 0, 3000, (page - 1) * 4096 + 100);
    closeSync(fd);
    expect(statSync(file).size).toBe(size);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const { database, recovery } = openMirrorDatabase({ file, migrationsDir });
    database.close();
    expect(recovery?.reason).toBeTruthy();
  });
});
