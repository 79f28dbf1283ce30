// Notification feed entries (accounts of shape 'feed'). The server has no read state for them:
// read is kept here. Entries are searchable through feed_fts, written in the same transaction.
import type BetterSqlite3 from 'better-sqlite3';
import type { FeedEntry } from '../../../shared/domain';
import { decodeCursor, encodeCursor } from './rows';
import type { RemoteFeedEntry } from './types';

interface FeedRow {
  id: number;
  account_id: number;
  remote_id: string;
  type: string;
  title: string;
  body: string;
  payload: string | null;
  created_at: number;
  read_at: number | null;
}

const COLUMNS = 'id, account_id, remote_id, type, title, body, payload, created_at, read_at';

function toFeedEntry(row: FeedRow): FeedEntry {
  let payload: unknown = null;
  if (row.payload !== null) {
    try {
      payload = JSON.parse(row.payload) as unknown;
    } catch {
      payload = null;
    }
  }
  return { id: row.id, accountId: row.account_id, remoteId: row.remote_id, type: row.type, title: row.title, body: row.body, payload, createdAt: row.created_at, readAt: row.read_at };
}

export class FeedRepo {
  private readonly byRemote;
  private readonly insertStmt;
  private readonly ftsInsert;
  private readonly pageAll;
  private readonly pageAccount;
  private readonly unreadAll;
  private readonly unreadAccount;
  private readonly markReadStmt;
  private readonly byId;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    this.byRemote = sqlite.prepare<[number, string], FeedRow>(`SELECT ${COLUMNS} FROM feed_entries WHERE account_id = ? AND remote_id = ?`);
    this.byId = sqlite.prepare<[number], FeedRow>(`SELECT ${COLUMNS} FROM feed_entries WHERE id = ?`);
    this.insertStmt = sqlite.prepare(
      'INSERT INTO feed_entries (account_id, remote_id, type, title, body, payload, created_at) VALUES (@accountId, @remoteId, @type, @title, @body, @payload, @createdAt)',
    );
    this.ftsInsert = sqlite.prepare('INSERT INTO feed_fts (rowid, title, body) VALUES (?, ?, ?)');
    this.pageAll = sqlite.prepare<{ t: number; id: number; limit: number }, FeedRow>(
      `SELECT ${COLUMNS} FROM feed_entries WHERE (created_at, id) < (@t, @id) ORDER BY created_at DESC, id DESC LIMIT @limit`,
    );
    this.pageAccount = sqlite.prepare<{ accountId: number; t: number; id: number; limit: number }, FeedRow>(
      `SELECT ${COLUMNS} FROM feed_entries WHERE account_id = @accountId AND (created_at, id) < (@t, @id) ORDER BY created_at DESC, id DESC LIMIT @limit`,
    );
    this.unreadAll = sqlite.prepare<[], number>('SELECT count(*) FROM feed_entries WHERE read_at IS NULL').pluck();
    this.unreadAccount = sqlite.prepare<[number], number>('SELECT count(*) FROM feed_entries WHERE account_id = ? AND read_at IS NULL').pluck();
    this.markReadStmt = sqlite.prepare('UPDATE feed_entries SET read_at = ? WHERE id = ? AND read_at IS NULL');
  }

  /** Adds entries not seen before (by remote id); returns the added ones. Call inside a transaction. */
  add(accountId: number, entries: RemoteFeedEntry[]): FeedEntry[] {
    const added: FeedEntry[] = [];
    for (const e of entries) {
      if (this.byRemote.get(accountId, e.remoteId)) continue;
      const payload = e.payload === undefined || e.payload === null ? null : JSON.stringify(e.payload);
      const id = Number(this.insertStmt.run({ accountId, remoteId: e.remoteId, type: e.type, title: e.title, body: e.body, payload, createdAt: e.createdAt }).lastInsertRowid);
      this.ftsInsert.run(id, e.title, e.body);
      added.push({ id, accountId, remoteId: e.remoteId, type: e.type, title: e.title, body: e.body, payload: e.payload ?? null, createdAt: e.createdAt, readAt: null });
    }
    return added;
  }

  get(id: number): FeedEntry | undefined {
    const row = this.byId.get(id);
    return row && toFeedEntry(row);
  }

  /** Newest first. */
  page(limit: number, cursor?: string, accountId?: number): { items: FeedEntry[]; nextCursor: string | null } {
    const [t = Number.MAX_SAFE_INTEGER, id = Number.MAX_SAFE_INTEGER] = (cursor && decodeCursor(cursor, 2)) || [];
    const rows = accountId === undefined ? this.pageAll.all({ t, id, limit: limit + 1 }) : this.pageAccount.all({ accountId, t, id, limit: limit + 1 });
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(toFeedEntry);
    const last = items.at(-1);
    return { items, nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
  }

  unread(accountId?: number): number {
    return accountId === undefined ? this.unreadAll.get()! : this.unreadAccount.get(accountId)!;
  }

  /** Returns the entries that changed. */
  markRead(ids: number[], at: number): FeedEntry[] {
    const changed: FeedEntry[] = [];
    for (const id of ids) {
      if (this.markReadStmt.run(at, id).changes > 0) changed.push(this.get(id)!);
    }
    return changed;
  }

  markAllRead(at: number, accountId?: number): FeedEntry[] {
    const rows = (
      accountId === undefined
        ? this.sqlite.prepare<[number], FeedRow>(`UPDATE feed_entries SET read_at = ? WHERE read_at IS NULL RETURNING ${COLUMNS}`).all(at)
        : this.sqlite.prepare<[number, number], FeedRow>(`UPDATE feed_entries SET read_at = ? WHERE read_at IS NULL AND account_id = ? RETURNING ${COLUMNS}`).all(at, accountId)
    );
    return rows.map(toFeedEntry);
  }
}
