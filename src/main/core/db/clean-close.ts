// The page-by-page health check at open (PRAGMA quick_check, recover.ts) reads the whole file:
// about a second for a mirror of 1,000,000 messages (287 MB), more for a bigger one, before the
// first inbox page (bench: coldstart 1,290 ms against 300). A file this app closed cleanly, and
// that nothing has written to since, is not checked again.
//
// "Nothing has written to it since": at a clean close the file's modification time is set two
// seconds before its last write and recorded with its size in `<file>.closed`. Any later write
// sets the time to "now" (even with the kernel's coarse timestamps), so it no longer matches.
// The mark is taken (deleted) at open, so a process that crashes leaves none and the next start
// checks.
import { existsSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';

const STAMP_BACK_MS = 2000;

interface Mark {
  size: number;
  mtimeMs: number;
}

/** The mark beside a database file (a bench removes it to time the start after a crash). */
export const cleanCloseMark = (file: string) => `${file}.closed`;

/** After the last connection closed: records that the file is whole. Throws on a file system error. */
export function markCleanClose(file: string): void {
  // A WAL left behind means the close did not checkpoint: the next open must check.
  if (!existsSync(file) || existsSync(`${file}-wal`)) return;
  const before = statSync(file);
  // Before the last write: a later write can only set a later time.
  const stamped = new Date(before.mtimeMs - STAMP_BACK_MS);
  utimesSync(file, before.atime, stamped);
  const after = statSync(file);
  const mark: Mark = { size: after.size, mtimeMs: after.mtimeMs };
  writeFileSync(`${cleanCloseMark(file)}.tmp`, JSON.stringify(mark));
  renameSync(`${cleanCloseMark(file)}.tmp`, cleanCloseMark(file));
}

/** Whether the file is as this app closed it; the mark is used up either way. */
export function takeCleanCloseMark(file: string): boolean {
  const path = cleanCloseMark(file);
  if (!existsSync(path)) return false;
  let mark: Partial<Mark> | null;
  try {
    mark = JSON.parse(readFileSync(path, 'utf8')) as Partial<Mark>;
  } catch {
    // An unreadable mark is no mark: the file is checked.
    mark = null;
  } finally {
    rmSync(path, { force: true });
  }
  if (!mark) return false;
  if (!existsSync(file) || existsSync(`${file}-wal`)) return false;
  const now = statSync(file);
  return now.size === mark.size && now.mtimeMs === mark.mtimeMs;
}
