// Opens the mirror, and when the file is damaged (truncated, a page overwritten, a bad header,
// a broken WAL, 0 bytes) moves it aside with its -wal/-shm instead of refusing to start: a fresh
// mirror is made, the accounts and the outbox (replies not yet sent) are copied over from what
// can still be read, and the rest comes back from the sites on the next sync. The caller shows
// the user what happened and where the old file is.
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { MirrorRecovery } from '../../../shared/contract';
import { markCleanClose, takeCleanCloseMark } from './clean-close';
import { MigrationError } from './migrate';
import { openDatabase, type OpenDatabaseOptions, type OpenedDatabase } from './open';


/** SQLite's answers for a file that is not (or no longer) a well-formed database. */
const DAMAGED_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX', 'SQLITE_IOERR_SHORT_READ']);

class Damaged extends Error {}

const isDamage = (error: unknown): boolean =>
  error instanceof Damaged || (error instanceof Error && !(error instanceof MigrationError) && DAMAGED_CODES.has(String((error as { code?: unknown }).code)));

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * openDatabase with a health check. A newer schema, a locked or unreadable file and a full disk
 * are not damage: those still throw, because moving the file aside would lose data for nothing.
 */
export function openMirrorDatabase(options: OpenDatabaseOptions, clock: () => number = Date.now, log: (m: string) => void = () => {}): { database: OpenedDatabase; recovery: MirrorRecovery | null } {
  let reason: string;
  try {
    // Every mirror this app wrote has its schema in it: an empty file is a lost one, not a first run.
    if (existsSync(options.file) && statSync(options.file).size === 0) throw new Damaged('The file is empty (0 bytes).');
    // Taken before the open, which writes to the file (WAL, migrations).
    const closedCleanly = takeCleanCloseMark(options.file);
    const database = openDatabase(options);
    try {
      if (!closedCleanly) {
        const check = database.sqlite.pragma('quick_check', { simple: true }) as string;
        if (check !== 'ok') throw new Damaged(`The integrity check failed: ${check}`);
      }
    } catch (error) {
      database.close();
      throw error;
    }
    return { database: markedOnClose(database, options.file, log), recovery: null };
  } catch (error) {
    if (!isDamage(error)) throw error;
    reason = describe(error);
  }
  const at = clock();
  const movedTo = moveAside(options.file, at);
  log(`mirror: ${options.file} is damaged (${reason}); moved to ${movedTo}, starting a fresh one`);
  const salvaged = salvage(movedTo, options, log);
  const database = markedOnClose(openDatabase(options), options.file, log);
  const kept = restore(database, salvaged, log);
  return { database, recovery: { reason, movedTo, keptAccounts: kept.accounts, keptReplies: kept.outbox, lostReplies: salvaged.outboxLost + kept.outboxLost, at } };
}

/** A clean close leaves the mark that spares the next open its full check (clean-close.ts). */
function markedOnClose(database: OpenedDatabase, file: string, log: (m: string) => void): OpenedDatabase {
  return {
    ...database,
    close: () => {
      database.close();
      try {
        markCleanClose(file);
      } catch (error) {
        log(`mirror: could not mark ${file} as closed cleanly (${describe(error)}); the next start checks it page by page`);
      }
    },
  };
}

/** Renames the file and its -wal/-shm together, so the copy opens with the WAL it was written with. */
function moveAside(file: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
  const base = basename(file).replace(/\.sqlite$/, '');
  let target = join(dirname(file), `${base}.damaged-${stamp}.sqlite`);
  for (let n = 2; existsSync(target); n++) target = join(dirname(file), `${base}.damaged-${stamp}-${n}.sqlite`);
  for (const suffix of ['-wal', '-shm', '']) if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  return target;
}

type Row = Record<string, unknown>;

interface Salvaged {
  accounts: Row[];
  conversations: Row[];
  messages: Row[];
  outbox: Row[];
  outboxLost: number;
}

/** Whatever of the accounts and the outbox can still be read; every read may fail on its own. */
function salvage(file: string, options: OpenDatabaseOptions, log: (m: string) => void): Salvaged {
  const removeCopy = (copy: string) => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
  };
  const padded = readableCopy(file, log);
  try {
    const found = salvageFrom(padded ?? file, log);
    if (found.accounts.length > 0) return found;
    const transplanted = withFreshSchema(padded ?? file, options, log);
    if (!transplanted) return found;
    try {
      log('mirror: reading the damaged file again with the schema of a fresh mirror');
      const again = salvageFrom(transplanted, log);
      return again.accounts.length > 0 ? again : found;
    } finally {
      removeCopy(transplanted);
    }
  } finally {
    if (padded) removeCopy(padded);
  }
}

/**
 * When the schema pages themselves are damaged nothing can be read at all. The tables read back
 * here (accounts, conversations, messages, outbox) are made by the first migration on an empty
 * file, so their root pages are the same in every mirror: a copy whose schema pages come from a
 * fresh mirror reads them again. Rows read this way are checked before they are restored.
 */
function withFreshSchema(file: string, options: OpenDatabaseOptions, log: (m: string) => void): string | null {
  const fresh = `${file}.schema`;
  const copy = `${file}.transplant`;
  try {
    const size = statSync(file).size;
    if (size === 0 || size % 4096 !== 0) return null;
    const database = openDatabase({ ...options, file: fresh });
    let pages: number[];
    try {
      database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      if (database.sqlite.pragma('page_size', { simple: true }) !== 4096) return null;
      pages = (database.sqlite.prepare("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'").all() as { pageno: number }[]).map((r) => r.pageno);
    } finally {
      database.close();
    }
    const schema = readFileSync(fresh);
    const target = readFileSync(file);
    for (const page of pages) schema.copy(target, (page - 1) * 4096, (page - 1) * 4096, page * 4096);
    // Page 1 carries the header: keep the fresh one, with this file's size and no freelist.
    target.writeUInt32BE(size / 4096, 28);
    target.writeUInt32BE(0, 32);
    target.writeUInt32BE(0, 36);
    writeFileSync(copy, target);
    // The WAL, if any, still holds the newest pages: it is read over the copy.
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    return copy;
  } catch (error) {
    log(`mirror: could not read the damaged file with a fresh schema: ${describe(error)}`);
    return null;
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(fresh + suffix, { force: true });
  }
}

/**
 * A copy SQLite can read again, or null when the file needs no help. A truncated file lists
 * tables whose root pages are past its end, and SQLite then refuses even its schema: the copy is
 * padded with empty pages to the size its header states. A file whose 100-byte header is
 * overwritten gets a plain one (4 KiB pages, this app's default), so the pages after it read.
 */
function readableCopy(file: string, log: (m: string) => void): string | null {
  try {
    const header = Buffer.alloc(100);
    const fd = openSync(file, 'r');
    const read = readSync(fd, header, 0, 100, 0);
    closeSync(fd);
    const fileSize = statSync(file).size;
    const copy = `${file}.salvage`;
    const walPages = fileSize === 0 ? pagesInWal(`${file}-wal`) : 0;
    if (walPages > 0) {
      // Emptied, but the WAL of a process that was killed still holds its last pages.
      writeFileSync(copy, Buffer.concat([plainHeader(walPages, true), Buffer.alloc(walPages * 4096 - 100)]));
      copyFileSync(`${file}-wal`, `${copy}-wal`);
      return copy;
    }
    if (read < 100) return null;
    if (header.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
      if (fileSize % 4096 !== 0) return null;
      copyFileSync(file, copy);
      if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
      const fresh = plainHeader(fileSize / 4096, existsSync(`${file}-wal`));
      const out = openSync(copy, 'r+');
      writeSync(out, fresh, 0, fresh.length, 0);
      closeSync(out);
      return copy;
    }
    const raw = header.readUInt16BE(16);
    const size = header.readUInt32BE(28) * (raw === 1 ? 65_536 : raw);
    if (size <= fileSize) return null;
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    truncateSync(copy, size);
    return copy;
  } catch (error) {
    log(`mirror: could not prepare the damaged file for reading: ${describe(error)}`);
    return null;
  }
}

/** The database size in 4 KiB pages the last commit in a WAL file states (sqlite.org/fileformat.html §4.1), or 0. */
function pagesInWal(wal: string): number {
  if (!existsSync(wal)) return 0;
  const bytes = readFileSync(wal);
  if (bytes.length < 32 + 24 + 4096 || bytes.readUInt32BE(8) !== 4096) return 0;
  let pages = 0;
  for (let at = 32; at + 24 + 4096 <= bytes.length; at += 24 + 4096) pages = Math.max(pages, bytes.readUInt32BE(at + 4));
  return pages;
}

/** The database header (sqlite.org/fileformat.html §1.3) of a file with `pages` 4 KiB pages and no freelist. */
function plainHeader(pages: number, wal: boolean): Buffer {
  const h = Buffer.alloc(100);
  h.write('SQLite format 3\0', 0, 'latin1');
  h.writeUInt16BE(4096, 16);
  h[18] = h[19] = wal ? 2 : 1;
  h[21] = 64;
  h[22] = 32;
  h[23] = 32;
  h.writeUInt32BE(1, 24); // change counter, equal to version-valid-for so the page count is trusted
  h.writeUInt32BE(pages, 28);
  h.writeUInt32BE(1, 40); // schema cookie
  h.writeUInt32BE(4, 44); // schema format
  h.writeUInt32BE(1, 56); // UTF-8
  h.writeUInt32BE(1, 92);
  h.writeUInt32BE(3_045_000, 96);
  return h;
}

function salvageFrom(file: string, log: (m: string) => void): Salvaged {
  const out: Salvaged = { accounts: [], conversations: [], messages: [], outbox: [], outboxLost: 0 };
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    log(`mirror: the damaged file cannot be opened to salvage it: ${describe(error)}`);
    return out;
  }
  const rows = (sql: string, ...params: unknown[]): Row[] => {
    try {
      return db.prepare(sql).all(...params) as Row[];
    } catch (error) {
      log(`mirror: could not read back "${sql}": ${describe(error)}`);
      return [];
    }
  };
  /**
   * A whole table, or row by row where a damaged page breaks the scan. Never through an index:
   * the table's own pages may have survived (or be in the WAL) where its indexes' did not.
   */
  const table = (name: string, where: string): Row[] => {
    try {
      return db.prepare(`SELECT * FROM ${name} NOT INDEXED WHERE ${where} ORDER BY id`).all() as Row[];
    } catch {
      const ids = rows(`SELECT id FROM ${name} NOT INDEXED WHERE ${where}`).map((r) => r.id);
      return ids.flatMap((id) => rows(`SELECT * FROM ${name} NOT INDEXED WHERE id = ?`, id));
    }
  };
  try {
    out.accounts = table('accounts', '1');
    const accountIds = new Set(out.accounts.map((a) => a.id));
    const conversationIds = new Set<unknown>();
    for (const item of table('outbox', "state IN ('queued', 'in-flight', 'failed')")) {
      const conversation = conversationIds.has(item.conversation_id) ? [] : rows('SELECT * FROM conversations WHERE id = ?', item.conversation_id);
      if (!accountIds.has(item.account_id) || (!conversationIds.has(item.conversation_id) && conversation.length === 0)) {
        out.outboxLost++;
        continue;
      }
      if (conversation.length) {
        conversationIds.add(item.conversation_id);
        out.conversations.push(...conversation);
      }
      if (item.kind === 'reply') {
        let messageId: unknown;
        try {
          messageId = (JSON.parse(String(item.payload)) as { messageId?: unknown }).messageId;
        } catch {
          messageId = undefined;
        }
        out.messages.push(...rows('SELECT * FROM messages WHERE id = ?', messageId));
      }
      out.outbox.push(item);
    }
  } finally {
    db.close();
  }
  return out;
}

/** Copies the salvaged rows, with their ids (the secret store keys tokens by account id). */
function restore(database: OpenedDatabase, s: Salvaged, log: (m: string) => void): { accounts: number; outbox: number; outboxLost: number } {
  const { sqlite } = database;
  return sqlite.transaction(() => restoreRows(sqlite, s, log))();
}

const id = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;
const str = (v: unknown) => typeof v === 'string';
const json = (v: unknown) => {
  try {
    JSON.parse(String(v));
    return str(v);
  } catch {
    return false;
  }
};
/** A page misread (see withFreshSchema) must not restore garbage: each row is checked first. */
const checks = {
  accounts: (r: Row) => id(r.id) && str(r.kind) && str(r.name) && /^https?:\/\//.test(String(r.base_url)) && json(r.config),
  conversations: (r: Row) => id(r.id) && id(r.account_id) && str(r.remote_id),
  messages: (r: Row) => id(r.id) && id(r.conversation_id) && str(r.content) && str(r.client_id),
  outbox: (r: Row) => id(r.id) && id(r.account_id) && id(r.conversation_id) && ['reply', 'status', 'read'].includes(String(r.kind)) && json(r.payload) && str(r.client_id),
};

function restoreRows(sqlite: Database.Database, s: Salvaged, log: (m: string) => void): { accounts: number; outbox: number; outboxLost: number } {
  const columns = (table: string) => new Set((sqlite.pragma(`table_xinfo(${table})`) as { name: string; hidden: number }[]).filter((c) => c.hidden === 0).map((c) => c.name));
  const insert = (table: keyof typeof checks, row: Row) => {
    if (!checks[table](row)) throw new Error('its fields do not read back as this table\'s');
    const known = columns(table);
    const names = Object.keys(row).filter((k) => known.has(k));
    sqlite.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => row[n]));
  };
  let accounts = 0;
  let outbox = 0;
  let outboxLost = 0;
  for (const row of s.accounts) {
    try {
      // Synced again from the start: the conversations are gone.
      insert('accounts', { ...row, last_synced_at: null });
      accounts++;
    } catch (error) {
      log(`mirror: account ${String(row.id)} could not be restored: ${describe(error)}`);
    }
  }
  for (const row of s.conversations) {
    try {
      insert('conversations', { ...row, unread_count: 0 });
    } catch (error) {
      log(`mirror: conversation ${String(row.id)} could not be restored: ${describe(error)}`);
    }
  }
  for (const row of s.messages) {
    try {
      // Searchable once the mirror opens: the fresh file's search index starts below every row.
      insert('messages', row);
    } catch (error) {
      log(`mirror: message ${String(row.id)} could not be restored: ${describe(error)}`);
    }
  }
  for (const row of s.outbox) {
    try {
      insert('outbox', row);
      outbox++;
    } catch (error) {
      outboxLost++;
      log(`mirror: outbox item ${String(row.id)} could not be restored: ${describe(error)}`);
    }
  }
  return { accounts, outbox, outboxLost };
}
