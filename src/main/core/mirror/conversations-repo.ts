import type BetterSqlite3 from 'better-sqlite3';
import { and, desc, eq, sql, type Placeholder } from 'drizzle-orm';
import type { ConversationDetails, ConversationFilter, ConversationStatus, ConversationSummary, StatusCounts, StatusSource } from '../../../shared/domain';
import type { Db } from '../db/open';
import { conversations, conversationStatusHistory } from '../db/schema';
import { MembersRepo } from './members-repo';
import { decodeCursor, encodeCursor, placeholderSet, toConversation, type ConversationRow } from './rows';
import type { RemoteConversation } from './types';

const FAR_FUTURE = Number.MAX_SAFE_INTEGER;
/** The details pane shows this many status changes, newest first. */
export const STATUS_HISTORY_LIMIT = 100;

/** How the backend's view reached the mirror: a live event, or a fetch while catching up. */
export type RemoteSource = 'server' | 'sync';

type ConversationInsert = typeof conversations.$inferInsert;
/** What an upsert may change on a known conversation. */
type Patch = Partial<Pick<ConversationInsert, 'visitorName' | 'visitorEmail' | 'visitorUsername' | 'serverStatus' | 'visitorOnline' | 'visitorPresence' | 'lastMessageAt' | 'lastMessagePreview' | 'createdAt'>>;

export interface ConversationPage {
  items: ConversationSummary[];
  nextCursor: string | null;
}

export class ConversationsRepo {
  private readonly byRemote;
  private readonly byId;
  private readonly pages;
  private readonly recountUnread;
  private readonly insertStmt;
  private readonly touchStmt;
  private readonly countsAll;
  private readonly countsForAccount;
  /**
   * Status counts by account ('all' for every account). Counting 100,000 conversations takes
   * 5-10 ms and the inbox asks on every page (bench: inbox page), yet counts change only when a
   * conversation is added or removed or its status changes: every write that adds or changes
   * one moves its counts along, removals clear them, and so does a rolled-back transaction
   * (Mirror.transaction).
   */
  private readonly countsCache = new Map<number | 'all', StatusCounts>();
  /** Prepared updates by the set of columns a patch changes (at most 2^6 shapes, usually 2 or 3). */
  private readonly updates = new Map<string, ReturnType<ConversationsRepo['prepareUpdate']>>();
  private readonly ftsInsert;
  private readonly ftsDelete;
  private readonly historyInsert;
  private readonly historyPage;
  private readonly sameVisitor;
  private readonly newestMessage;
  /** The rooms' other members, written with their conversation. */
  readonly members: MembersRepo;

  constructor(
    private readonly db: Db,
    private readonly sqlite: BetterSqlite3.Database,
  ) {
    this.members = new MembersRepo(sqlite);
    this.byRemote = db
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, sql.placeholder('accountId')), eq(conversations.remoteId, sql.placeholder('remoteId'))))
      .prepare();
    this.byId = db.select().from(conversations).where(eq(conversations.id, sql.placeholder('id'))).prepare();
    // One prepared statement per filter shape; a missing cursor is "from the far future". The
    // keyset is a row value, which SQLite seeks to in the index; the equivalent OR of
    // comparisons scanned every row above the cursor (bench: an inbox page 50,000 rows down
    // took 4 ms instead of 0.5 ms).
    const page = (withStatus: boolean, withAccount: boolean) => {
      const t = sql.placeholder('t');
      const id = sql.placeholder('id');
      return db
        .select()
        .from(conversations)
        .where(
          and(
            withStatus ? eq(conversations.status, sql.placeholder('status')) : undefined,
            withAccount ? eq(conversations.accountId, sql.placeholder('accountId')) : undefined,
            sql`(${conversations.lastMessageAt}, ${conversations.id}) < (${t}, ${id})`,
          ),
        )
        .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
        .limit(sql.placeholder('limit'))
        .prepare();
    };
    this.pages = {
      all: page(false, false),
      allForAccount: page(false, true),
      status: page(true, false),
      statusForAccount: page(true, true),
    };
    // Prepared once: building and preparing these per call was most of the time of a catch-up
    // (bench: ingest, ORM overhead).
    const p = sql.placeholder;
    this.insertStmt = db
      .insert(conversations)
      .values({
        accountId: p('accountId'),
        remoteId: p('remoteId'),
        visitorName: p('visitorName'),
        visitorEmail: p('visitorEmail'),
        visitorUsername: p('visitorUsername'),
        serverStatus: p('serverStatus'),
        lastMessageAt: p('lastMessageAt'),
        lastMessagePreview: p('lastMessagePreview'),
        visitorOnline: p('visitorOnline'),
        visitorPresence: p('visitorPresence'),
        createdAt: p('createdAt'),
        updatedAt: p('updatedAt'),
      })
      .returning()
      .prepare();
    // Every applied page moves the preview: plain SQL, no placeholders to fill per call.
    this.touchStmt = sqlite.prepare<[number, string, number, number, number]>(
      'UPDATE conversations SET last_message_at = ?, last_message_preview = ?, updated_at = ? WHERE id = ? AND last_message_at <= ?',
    );
    const counts = (withAccount: boolean) =>
      db
        .select({ status: conversations.status, n: sql<number>`count(*)` })
        .from(conversations)
        .where(withAccount ? eq(conversations.accountId, p('accountId')) : undefined)
        .groupBy(conversations.status)
        .prepare();
    this.countsAll = counts(false);
    this.countsForAccount = counts(true);
    this.recountUnread = sqlite.prepare(
      "UPDATE conversations SET unread_count = (SELECT count(*) FROM messages WHERE conversation_id = @id AND read_at IS NULL AND sender_type IN ('visitor', 'member') AND deleted_at IS NULL) WHERE id = @id",
    );
    this.ftsInsert = sqlite.prepare('INSERT INTO conversations_fts (rowid, visitor_name, visitor_email) VALUES (?, ?, ?)');
    this.ftsDelete = sqlite.prepare(
      "INSERT INTO conversations_fts (conversations_fts, rowid, visitor_name, visitor_email) VALUES ('delete', ?, ?, ?)",
    );
    this.historyInsert = sqlite.prepare<{ conversationId: number; status: string; source: StatusSource; changedAt: number }>(
      'INSERT INTO conversation_status_history (conversation_id, status, source, changed_at) VALUES (@conversationId, @status, @source, @changedAt)',
    );
    this.historyPage = db
      .select({ status: conversationStatusHistory.status, at: conversationStatusHistory.changedAt, source: conversationStatusHistory.source })
      .from(conversationStatusHistory)
      .where(eq(conversationStatusHistory.conversationId, sql.placeholder('conversationId')))
      .orderBy(desc(conversationStatusHistory.changedAt), desc(conversationStatusHistory.id))
      .limit(STATUS_HISTORY_LIMIT)
      .prepare();
    this.newestMessage = sqlite.prepare<{ id: number }, { createdAt: number; content: string }>(
      'SELECT created_at AS createdAt, content FROM messages WHERE conversation_id = @id AND deleted_at IS NULL ORDER BY created_at DESC, seq DESC, id DESC LIMIT 1',
    );
    // Same expression as the conversations_account_visitor_email index, so the lookup uses it.
    this.sameVisitor = sqlite.prepare<{ accountId: number; email: string }, { firstSeenAt: number; count: number }>(
      'SELECT min(created_at) AS firstSeenAt, count(*) AS count FROM conversations WHERE account_id = @accountId AND lower(visitor_email) = lower(@email)',
    );
  }

  /** Records a change of the effective status; nothing when it did not change. Inside the caller's transaction. */
  private recordStatus(before: ConversationStatus | null, after: ConversationRow, source: StatusSource, now: number): void {
    if (before === after.status) return;
    this.historyInsert.run({ conversationId: after.id, status: after.status, source, changedAt: now });
  }

  /** The details pane: the visitor across this account's conversations, and this one's status history. */
  details(id: number): ConversationDetails | undefined {
    const row = this.byId.get({ id });
    if (!row) return undefined;
    const visitor = row.visitorEmail ? this.sameVisitor.get({ accountId: row.accountId, email: row.visitorEmail }) : undefined;
    return {
      conversationId: row.id,
      firstSeenAt: visitor && visitor.count > 0 ? Math.min(visitor.firstSeenAt, row.createdAt) : row.createdAt,
      conversationCount: visitor && visitor.count > 0 ? visitor.count : 1,
      statusHistory: this.historyPage.all({ conversationId: id }).map((h) => ({
        status: h.status as ConversationStatus,
        at: h.at,
        source: h.source as StatusSource,
      })),
      members: this.members.list(id),
    };
  }

  get(id: number): ConversationSummary | undefined {
    const row = this.byId.get({ id });
    return row && toConversation(row);
  }

  getRow(id: number): ConversationRow | undefined {
    return this.byId.get({ id });
  }

  findByRemote(accountId: number, remoteId: string): ConversationRow | undefined {
    return this.byRemote.get({ accountId, remoteId });
  }

  /**
   * Inserts or updates from the backend's view; returns the local row. A new conversation, or a
   * change of its effective status, is written to the status history as `source` says (a new one
   * as 'initial'). Call inside a transaction.
   */
  upsert(accountId: number, remote: RemoteConversation, now: number, source: RemoteSource = 'sync'): { row: ConversationRow; created: boolean } {
    const existing = this.findByRemote(accountId, remote.remoteId);
    if (!existing) {
      const row = this.insertStmt.get({
        accountId,
        remoteId: remote.remoteId,
        visitorName: remote.visitorName ?? null,
        visitorEmail: remote.visitorEmail ?? null,
        visitorUsername: remote.visitorUsername ?? null,
        serverStatus: remote.serverStatus === undefined ? 'active' : remote.serverStatus,
        lastMessageAt: remote.lastMessageAt ?? remote.createdAt,
        lastMessagePreview: remote.lastMessagePreview ?? null,
        visitorOnline: remote.visitorOnline ?? false,
        visitorPresence: remote.visitorPresence ?? null,
        createdAt: remote.createdAt,
        updatedAt: now,
      })!;
      if (remote.members) this.members.replace(row.id, remote.members, now);
      this.ftsInsert.run(row.id, row.visitorName ?? '', row.visitorEmail ?? '');
      this.recordStatus(null, row, 'initial', now);
      this.moveCounts(accountId, null, row.status);
      return { row, created: true };
    }
    const patch: Patch = {};
    if (remote.visitorName !== undefined && remote.visitorName !== existing.visitorName) patch.visitorName = remote.visitorName;
    if (remote.visitorEmail !== undefined && remote.visitorEmail !== existing.visitorEmail) patch.visitorEmail = remote.visitorEmail;
    if (remote.visitorUsername !== undefined && remote.visitorUsername !== existing.visitorUsername) patch.visitorUsername = remote.visitorUsername;
    if (remote.serverStatus !== undefined && remote.serverStatus !== existing.serverStatus) patch.serverStatus = remote.serverStatus;
    if (remote.visitorOnline !== undefined && remote.visitorOnline !== existing.visitorOnline) patch.visitorOnline = remote.visitorOnline;
    if (remote.visitorPresence !== undefined && remote.visitorPresence !== existing.visitorPresence) patch.visitorPresence = remote.visitorPresence;
    if (remote.members) this.members.replace(existing.id, remote.members, now);
    // A placeholder (created from a message before the conversation itself was fetched) holds a
    // guessed start time; the backend's own creation time is earlier and replaces it.
    if (Number.isFinite(remote.createdAt) && remote.createdAt < existing.createdAt) patch.createdAt = remote.createdAt;
    if (remote.lastMessageAt != null && remote.lastMessageAt > existing.lastMessageAt) {
      patch.lastMessageAt = remote.lastMessageAt;
      if (remote.lastMessagePreview !== undefined) patch.lastMessagePreview = remote.lastMessagePreview;
    }
    const columns = Object.keys(patch) as (keyof Patch)[];
    if (columns.length === 0) return { row: existing, created: false };
    const shape = columns.sort().join(',');
    let update = this.updates.get(shape);
    if (!update) this.updates.set(shape, (update = this.prepareUpdate(columns)));
    const row = update.get({ ...patch, updatedAt: now, id: existing.id })!;
    if (row.status !== existing.status) this.moveCounts(accountId, existing.status, row.status);
    if (patch.visitorName !== undefined || patch.visitorEmail !== undefined) {
      this.ftsDelete.run(existing.id, existing.visitorName ?? '', existing.visitorEmail ?? '');
      this.ftsInsert.run(row.id, row.visitorName ?? '', row.visitorEmail ?? '');
    }
    this.recordStatus(existing.status as ConversationStatus, row, source, now);
    return { row, created: false };
  }

  private prepareUpdate(columns: (keyof Patch)[]) {
    const set: Record<string, Placeholder> = { updatedAt: sql.placeholder('updatedAt') };
    for (const column of columns) set[column] = sql.placeholder(column);
    return this.db.update(conversations).set(placeholderSet<ConversationInsert>(set)).where(eq(conversations.id, sql.placeholder('id'))).returning().prepare();
  }

  /** Moves lastMessageAt/preview forward only; an older message never changes the preview. */
  touch(id: number, at: number, preview: string, now: number): void {
    this.touchStmt.run(at, preview, now, id, at);
  }

  /**
   * A message was deleted (a discarded reply, or deleted on the server) or edited: if the list's preview showed it, the preview and
   * last activity go back to the newest message left. Call inside the deleting transaction.
   */
  forgetPreviewOf(id: number, removed: { createdAt: number; content: string }, now: number): void {
    const row = this.byId.get({ id });
    if (!row || row.lastMessageAt !== removed.createdAt || row.lastMessagePreview !== removed.content.slice(0, 200)) return;
    const newest = this.newestMessage.get({ id });
    this.db
      .update(conversations)
      .set({ lastMessageAt: newest?.createdAt ?? row.createdAt, lastMessagePreview: newest ? newest.content.slice(0, 200) : null, updatedAt: now })
      .where(eq(conversations.id, id))
      .run();
  }

  /** After a server-side edit or delete: the preview and last activity follow the newest visible message. */
  refreshPreview(id: number, now: number): void {
    const row = this.byId.get({ id });
    if (!row) return;
    const newest = this.newestMessage.get({ id });
    const preview = newest ? newest.content.slice(0, 200) : null;
    const at = newest?.createdAt ?? row.createdAt;
    if (row.lastMessagePreview === preview && row.lastMessageAt === at) return;
    this.db.update(conversations).set({ lastMessageAt: at, lastMessagePreview: preview, updatedAt: now }).where(eq(conversations.id, id)).run();
  }

  /** The one place unread counts are derived: visitor messages not yet read. */
  recountUnreadFor(id: number): void {
    this.recountUnread.run({ id });
  }

  /**
   * The owner changed the status in this app (undo included): stored as the server's status
   * (sent through the outbox) or as a local one, and written to the history as 'local'.
   * Call inside a transaction.
   */
  setStatus(id: number, status: ConversationStatus, where: 'server' | 'local', now: number): void {
    const before = this.byId.get({ id });
    if (!before) return;
    const row = this.db
      .update(conversations)
      .set(where === 'server' ? { serverStatus: status, updatedAt: now } : { localStatus: status, updatedAt: now })
      .where(eq(conversations.id, id))
      .returning()
      .get();
    this.recordStatus(before.status as ConversationStatus, row, 'local', now);
    if (row.status !== before.status) this.moveCounts(before.accountId, before.status, row.status);
  }

  /** A kind without server status: a visitor's new message makes a resolved or closed conversation active again. */
  reopenLocally(id: number, source: RemoteSource, now: number): void {
    const before = this.byId.get({ id });
    if (!before || before.serverStatus !== null || before.localStatus === null || before.localStatus === 'active') return;
    const row = this.db.update(conversations).set({ localStatus: 'active', updatedAt: now }).where(eq(conversations.id, id)).returning().get();
    this.recordStatus(before.status as ConversationStatus, row, source, now);
    if (row.status !== before.status) this.moveCounts(before.accountId, before.status, row.status);
  }

  /**
   * Deletes a conversation the site turned out not to have (a placeholder from a realtime event),
   * unless something was written to it here. Call inside a transaction.
   */
  removeGhost(id: number): boolean {
    const row = this.byId.get({ id });
    if (!row) return false;
    const used = this.sqlite.prepare('SELECT (SELECT count(*) FROM messages WHERE conversation_id = @id) + (SELECT count(*) FROM outbox WHERE conversation_id = @id) AS n').get({ id }) as { n: number };
    if (used.n > 0) return false;
    this.ftsDelete.run(row.id, row.visitorName ?? '', row.visitorEmail ?? '');
    this.db.delete(conversations).where(eq(conversations.id, id)).run();
    this.forgetCounts();
    return true;
  }

  /** Remembered counts are no longer known (conversations removed, a transaction rolled back). */
  forgetCounts(): void {
    this.countsCache.clear();
  }

  /** One conversation of the account left status `from` (null: it is new) for status `to`. */
  private moveCounts(accountId: number, from: string | null, to: string): void {
    for (const key of ['all', accountId] as const) {
      const counts = this.countsCache.get(key);
      if (!counts) continue;
      if (from === null) counts.all++;
      if (from === 'active' || from === 'resolved' || from === 'closed') counts[from]--;
      if (to === 'active' || to === 'resolved' || to === 'closed') counts[to]++;
    }
  }

  setMuted(id: number, muted: boolean, now: number): void {
    this.db.update(conversations).set({ muted, updatedAt: now }).where(eq(conversations.id, id)).run();
  }

  page(filter: ConversationFilter, limit: number, cursor?: string, accountId?: number): ConversationPage {
    const [t, id] = (cursor && decodeCursor(cursor, 2)) || [FAR_FUTURE, FAR_FUTURE];
    const params = { t, id, limit: limit + 1 };
    let rows: ConversationRow[];
    if (filter === 'all') {
      rows = accountId === undefined ? this.pages.all.all(params) : this.pages.allForAccount.all({ ...params, accountId });
    } else {
      rows =
        accountId === undefined
          ? this.pages.status.all({ ...params, status: filter })
          : this.pages.statusForAccount.all({ ...params, status: filter, accountId });
    }
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(toConversation);
    const last = items.at(-1);
    return { items, nextCursor: more && last ? encodeCursor(last.lastMessageAt ?? 0, last.id) : null };
  }

  counts(accountId?: number): StatusCounts {
    const key = accountId ?? 'all';
    const cached = this.countsCache.get(key);
    if (cached) return { ...cached };
    const rows = accountId === undefined ? this.countsAll.all() : this.countsForAccount.all({ accountId });
    const counts: StatusCounts = { active: 0, resolved: 0, closed: 0, all: 0 };
    for (const { status, n } of rows) {
      if (status === 'active' || status === 'resolved' || status === 'closed') counts[status] = n;
      counts.all += n;
    }
    // Inside a transaction the rows may yet be rolled back: do not remember them.
    if (!this.sqlite.inTransaction) this.countsCache.set(key, { ...counts });
    return counts;
  }
}
