import type BetterSqlite3 from 'better-sqlite3';
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { ConversationDetails, ConversationFilter, ConversationStatus, ConversationSummary, StatusCounts, StatusSource } from '../../../shared/domain';
import type { Db } from '../db/open';
import { conversations, conversationStatusHistory } from '../db/schema';
import { decodeCursor, encodeCursor, toConversation, type ConversationRow } from './rows';
import type { RemoteConversation } from './types';

const FAR_FUTURE = Number.MAX_SAFE_INTEGER;
/** The details pane shows this many status changes, newest first. */
export const STATUS_HISTORY_LIMIT = 100;

/** How the backend's view reached the mirror: a live event, or a fetch while catching up. */
export type RemoteSource = 'server' | 'sync';

export interface ConversationPage {
  items: ConversationSummary[];
  nextCursor: string | null;
}

export class ConversationsRepo {
  private readonly byRemote;
  private readonly byId;
  private readonly pages;
  private readonly recountUnread;
  private readonly ftsInsert;
  private readonly ftsDelete;
  private readonly historyInsert;
  private readonly historyPage;
  private readonly sameVisitor;
  private readonly newestMessage;

  constructor(
    private readonly db: Db,
    sqlite: BetterSqlite3.Database,
  ) {
    this.byRemote = db
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, sql.placeholder('accountId')), eq(conversations.remoteId, sql.placeholder('remoteId'))))
      .prepare();
    this.byId = db.select().from(conversations).where(eq(conversations.id, sql.placeholder('id'))).prepare();
    // One prepared statement per filter shape; a missing cursor is "from the far future".
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
            or(lt(conversations.lastMessageAt, t), and(eq(conversations.lastMessageAt, t), lt(conversations.id, id))),
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
    this.recountUnread = sqlite.prepare(
      "UPDATE conversations SET unread_count = (SELECT count(*) FROM messages WHERE conversation_id = @id AND read_at IS NULL AND sender_type = 'visitor') WHERE id = @id",
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
      'SELECT created_at AS createdAt, content FROM messages WHERE conversation_id = @id ORDER BY created_at DESC, seq DESC, id DESC LIMIT 1',
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
      const row = this.db
        .insert(conversations)
        .values({
          accountId,
          remoteId: remote.remoteId,
          visitorName: remote.visitorName ?? null,
          visitorEmail: remote.visitorEmail ?? null,
          serverStatus: remote.serverStatus === undefined ? 'active' : remote.serverStatus,
          lastMessageAt: remote.lastMessageAt ?? remote.createdAt,
          lastMessagePreview: remote.lastMessagePreview ?? null,
          visitorOnline: remote.visitorOnline ?? false,
          createdAt: remote.createdAt,
          updatedAt: now,
        })
        .returning()
        .get();
      this.ftsInsert.run(row.id, row.visitorName ?? '', row.visitorEmail ?? '');
      this.recordStatus(null, row, 'initial', now);
      return { row, created: true };
    }
    const patch: Partial<typeof conversations.$inferInsert> = {};
    if (remote.visitorName !== undefined && remote.visitorName !== existing.visitorName) patch.visitorName = remote.visitorName;
    if (remote.visitorEmail !== undefined && remote.visitorEmail !== existing.visitorEmail) patch.visitorEmail = remote.visitorEmail;
    if (remote.serverStatus !== undefined && remote.serverStatus !== existing.serverStatus) patch.serverStatus = remote.serverStatus;
    if (remote.visitorOnline !== undefined && remote.visitorOnline !== existing.visitorOnline) patch.visitorOnline = remote.visitorOnline;
    // A placeholder (created from a message before the conversation itself was fetched) holds a
    // guessed start time; the backend's own creation time is earlier and replaces it.
    if (Number.isFinite(remote.createdAt) && remote.createdAt < existing.createdAt) patch.createdAt = remote.createdAt;
    if (remote.lastMessageAt != null && remote.lastMessageAt > existing.lastMessageAt) {
      patch.lastMessageAt = remote.lastMessageAt;
      if (remote.lastMessagePreview !== undefined) patch.lastMessagePreview = remote.lastMessagePreview;
    }
    if (Object.keys(patch).length === 0) return { row: existing, created: false };
    const row = this.db
      .update(conversations)
      .set({ ...patch, updatedAt: now })
      .where(eq(conversations.id, existing.id))
      .returning()
      .get();
    if (patch.visitorName !== undefined || patch.visitorEmail !== undefined) {
      this.ftsDelete.run(existing.id, existing.visitorName ?? '', existing.visitorEmail ?? '');
      this.ftsInsert.run(row.id, row.visitorName ?? '', row.visitorEmail ?? '');
    }
    this.recordStatus(existing.status as ConversationStatus, row, source, now);
    return { row, created: false };
  }

  /** Moves lastMessageAt/preview forward only; an older message never changes the preview. */
  touch(id: number, at: number, preview: string, now: number): void {
    this.db
      .update(conversations)
      .set({ lastMessageAt: at, lastMessagePreview: preview, updatedAt: now })
      .where(and(eq(conversations.id, id), sql`${conversations.lastMessageAt} <= ${at}`))
      .run();
  }

  /**
   * A message was deleted (a discarded reply): if the list's preview showed it, the preview and
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
    const rows = this.db
      .select({ status: conversations.status, n: sql<number>`count(*)` })
      .from(conversations)
      .where(accountId === undefined ? undefined : eq(conversations.accountId, accountId))
      .groupBy(conversations.status)
      .all();
    const counts: StatusCounts = { active: 0, resolved: 0, closed: 0, all: 0 };
    for (const { status, n } of rows) {
      if (status === 'active' || status === 'resolved' || status === 'closed') counts[status] = n;
      counts.all += n;
    }
    return counts;
  }
}
