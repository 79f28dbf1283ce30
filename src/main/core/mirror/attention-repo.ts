// The few reads the tray badge and the notification rules need, kept apart from the inbox
// queries because they run on every change and must stay cheap.
import type BetterSqlite3 from 'better-sqlite3';

export interface WaitingConversation {
  conversationId: number;
  /** When the oldest unread visitor message arrived. */
  since: number;
}

export interface ConversationFacts {
  accountId: number;
  visitorName: string | null;
  muted: boolean;
  status: 'active' | 'resolved' | 'closed';
  unreadCount: number;
}

/** A message's stated agent run (`payload.run`, unchecked), for the run state of a conversation. */
export interface RunMark {
  id: number;
  createdAt: number;
  run: unknown;
}

export class AttentionRepo {
  private readonly unreadTotalStmt;
  private readonly waitingStmt;
  private readonly factsStmt;
  private readonly moreMessagesStmt;
  private readonly recentRunsStmt;

  constructor(sqlite: BetterSqlite3.Database) {
    this.unreadTotalStmt = sqlite.prepare<[], { total: number | null }>('SELECT sum(unread_count) AS total FROM conversations WHERE muted = 0 AND unread_count > 0');
    // Read but unanswered is not "waiting": once the owner has seen it, the repeat sound stops.
    this.waitingStmt = sqlite.prepare<[], { conversationId: number; since: number | null }>(
      `SELECT c.id AS conversationId,
              (SELECT min(m.created_at) FROM messages m
                WHERE m.conversation_id = c.id AND m.read_at IS NULL AND m.sender_type IN ('visitor', 'member') AND m.deleted_at IS NULL) AS since
         FROM conversations c
        WHERE c.unread_count > 0 AND c.muted = 0 AND c.status = 'active'`,
    );
    this.factsStmt = sqlite.prepare<[number], { accountId: number; visitorName: string | null; muted: number; status: string; unreadCount: number }>(
      'SELECT account_id AS accountId, visitor_name AS visitorName, muted, status, unread_count AS unreadCount FROM conversations WHERE id = ?',
    );
    // Walks at most n + 1 index entries: count(*) walked all of a long conversation's for every
    // page a catch-up brought it (20,000 rows: ~650 µs a page, this ~5-8 µs; 200 rows: 8 against
    // 5 µs), and a count from a LIMITed subquery paid a co-routine per row (15-20 µs).
    this.moreMessagesStmt = sqlite.prepare<[number, number], number>('SELECT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ? LIMIT 1 OFFSET ?)').pluck();
    // Three columns of the rows that state a run, not every column of the newest page as
    // messages: every agent conversation on the first inbox page asks this once.
    this.recentRunsStmt = sqlite.prepare<[number, number], RunMark>(
      `SELECT id, createdAt, run FROM (
         SELECT id, created_at AS createdAt, seq,
                CASE WHEN payload IS NOT NULL AND json_valid(payload) THEN json_extract(payload, '$.run') END AS run
           FROM messages
          WHERE conversation_id = ? AND deleted_at IS NULL
          ORDER BY created_at DESC, seq DESC, id DESC
          LIMIT ?)
        WHERE run IS NOT NULL
        ORDER BY createdAt DESC, seq DESC, id DESC`,
    );
  }

  unreadTotal(): number {
    return this.unreadTotalStmt.get()?.total ?? 0;
  }

  waiting(): WaitingConversation[] {
    return this.waitingStmt.all().map((r) => ({ conversationId: r.conversationId, since: r.since ?? 0 }));
  }

  facts(conversationId: number): ConversationFacts | null {
    const row = this.factsStmt.get(conversationId);
    if (!row) return null;
    return { accountId: row.accountId, visitorName: row.visitorName, muted: row.muted === 1, status: row.status as ConversationFacts['status'], unreadCount: row.unreadCount };
  }

  /** Of the conversation's newest `limit` messages (display order), those whose payload states a run, newest first. */
  recentRuns(conversationId: number, limit: number): RunMark[] {
    return this.recentRunsStmt.all(conversationId, limit);
  }

  /** Whether the conversation holds more than `n` messages (deleted ones too). */
  hasMoreMessagesThan(conversationId: number, n: number): boolean {
    return this.moreMessagesStmt.get(conversationId, n) === 1;
  }
}
