import type BetterSqlite3 from 'better-sqlite3';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DeliveryState, Message, SenderType } from '../../../shared/domain';
import type { Db } from '../db/open';
import { messageBodies, messages } from '../db/schema';
import { decodeCursor, encodeCursor, placeholderSet, toMessage, type MessageRow } from './rows';
import { PENDING_SEQ, type RemoteMessage } from './types';

const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

/**
 * The longest text kept in a message row. A longer one (any backend, REST or realtime) keeps its
 * beginning here with a marker, and its whole text in message_bodies, read only on request: one
 * 100,000-character message froze the UI for seconds, and dropping it lost it for good.
 */
export const MAX_MESSAGE_CHARS = 100_000;

/** The row's text for `content`: itself, or its beginning and a marker saying how long it is. */
export function shortened(content: string): string {
  if (content.length <= MAX_MESSAGE_CHARS) return content;
  // Never cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(content[MAX_MESSAGE_CHARS - 1]!) ? MAX_MESSAGE_CHARS - 1 : MAX_MESSAGE_CHARS;
  return `${content.slice(0, end)}\n\n[Message shortened: ${content.length.toLocaleString('en')} characters in all. The whole text is kept.]`;
}

export interface AppliedMessages {
  added: Message[];
  updated: Message[];
  /** Rows deleted while applying (a stored copy of our own reply merged into its pending row). */
  removed: number[];
}

/**
 * Adds `next` to what a transaction did so far, as the renderer should hear it: a row removed
 * after it was added within the same changes was never shown, so it is neither added nor removed.
 */
export function mergeApplied(into: AppliedMessages, next: AppliedMessages): AppliedMessages {
  if (next.removed.length) {
    const removed = new Set(next.removed);
    const addedHere = new Set(into.added.map((m) => m.id));
    into.added = into.added.filter((m) => !removed.has(m.id));
    into.updated = into.updated.filter((m) => !removed.has(m.id));
    into.removed.push(...next.removed.filter((id) => !addedHere.has(id)));
  }
  into.added.push(...next.added);
  into.updated.push(...next.updated);
  return into;
}

export class MessagesRepo {
  private readonly byRemote;
  private readonly byClient;
  private readonly byId;
  private readonly pageStmt;
  private readonly insertStmt;
  private readonly updateFetchedStmt;
  private readonly ftsInsert;
  private readonly ftsDelete;

  constructor(
    private readonly db: Db,
    sqlite: BetterSqlite3.Database,
  ) {
    this.byRemote = db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, sql.placeholder('conversationId')), eq(messages.remoteId, sql.placeholder('remoteId'))))
      .prepare();
    this.byClient = db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, sql.placeholder('conversationId')), eq(messages.clientId, sql.placeholder('clientId'))))
      .prepare();
    this.byId = db.select().from(messages).where(eq(messages.id, sql.placeholder('id'))).prepare();
    const t = sql.placeholder('t');
    const s = sql.placeholder('s');
    const id = sql.placeholder('id');
    this.pageStmt = db
      .select()
      .from(messages)
      // A row value, which SQLite seeks to in messages_conversation_order; the equivalent OR of
      // comparisons scanned every newer message of the conversation (bench: ORM, open).
      .where(and(eq(messages.conversationId, sql.placeholder('conversationId')), sql`(${messages.createdAt}, ${messages.seq}, ${messages.id}) < (${t}, ${s}, ${id})`))
      .orderBy(desc(messages.createdAt), desc(messages.seq), desc(messages.id))
      .limit(sql.placeholder('limit'))
      .prepare();
    // Prepared once, and without RETURNING: building and preparing the statement per message, then
    // reading the row back, cost more than the insert and its FTS row together (bench: ingest
    // ran at 0.1x the raw insert rate). The row is made from the values inserted instead.
    const p = sql.placeholder;
    this.insertStmt = db
      .insert(messages)
      .values({
        conversationId: p('conversationId'),
        remoteId: p('remoteId'),
        clientId: p('clientId'),
        seq: p('seq'),
        senderType: p('senderType'),
        senderId: p('senderId'),
        senderName: p('senderName'),
        content: p('content'),
        createdAt: p('createdAt'),
        readAt: p('readAt'),
        delivery: p('delivery'),
      })
      .prepare();
    this.updateFetchedStmt = db
      .update(messages)
      .set(placeholderSet<typeof messages.$inferInsert>({ remoteId: p('remoteId'), seq: p('seq'), createdAt: p('createdAt'), readAt: p('readAt'), delivery: p('delivery'), failureReason: null }))
      .where(eq(messages.id, p('id')))
      .returning()
      .prepare();
    this.ftsInsert = sqlite.prepare('INSERT INTO messages_fts (rowid, content) VALUES (?, ?)');
    this.ftsDelete = sqlite.prepare("INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', ?, ?)");
  }

  get(id: number): Message | undefined {
    const row = this.byId.get({ id });
    return row && toMessage(row);
  }

  findByRemote(conversationId: number, remoteId: string): MessageRow | undefined {
    return this.byRemote.get({ conversationId, remoteId });
  }

  findByClientId(conversationId: number, clientId: string): MessageRow | undefined {
    return this.byClient.get({ conversationId, clientId });
  }

  /** The whole text of a message (longer than MAX_MESSAGE_CHARS, or its row's content). */
  fullText(id: number): string | undefined {
    const body = this.db.select({ content: messageBodies.content }).from(messageBodies).where(eq(messageBodies.messageId, id)).get();
    return body?.content ?? this.byId.get({ id })?.content;
  }

  /**
   * Applies messages from the backend idempotently: a known remote id is updated, the echo of
   * our own message is matched by client id, anything else is inserted. Call inside a transaction.
   */
  apply(conversationId: number, remote: RemoteMessage[]): AppliedMessages {
    const result: AppliedMessages = { added: [], updated: [], removed: [] };
    for (const m of remote) {
      const byRemote = this.byRemote.get({ conversationId, remoteId: m.remoteId });
      const byClient = m.clientId ? this.byClient.get({ conversationId, clientId: m.clientId }) : undefined;
      let known = byRemote ?? byClient;
      if (byRemote && byClient && byRemote.id !== byClient.id && byClient.remoteId === null) {
        // A backend without clientMessageId: a fetch stored our own reply before its send returned.
        // Keep the pending row (the one the user sees) and drop the copy, or the reply shows twice
        // and the pending one never settles.
        this.remove(byRemote.id);
        mergeApplied(result, { added: [], updated: [], removed: [byRemote.id] });
        known = byClient;
      }
      if (known) {
        const readAt = m.readAt ?? known.readAt;
        const delivery: DeliveryState = known.senderType === 'admin' ? (readAt ? 'read' : 'sent') : (known.delivery as DeliveryState);
        if (known.remoteId === m.remoteId && known.readAt === readAt && known.delivery === delivery) continue;
        const row = this.updateFetchedStmt.get({ id: known.id, remoteId: m.remoteId, seq: m.seq ?? 0, createdAt: m.createdAt, readAt, delivery })!;
        result.updated.push(toMessage(row));
        continue;
      }
      const row = this.insert({
        conversationId,
        remoteId: m.remoteId,
        clientId: m.clientId ?? null,
        seq: m.seq ?? 0,
        senderType: m.senderType,
        senderId: m.senderId ?? null,
        senderName: m.senderName ?? null,
        content: m.content,
        createdAt: m.createdAt,
        readAt: m.readAt ?? null,
        delivery: m.senderType === 'admin' && m.readAt ? 'read' : 'sent',
      });
      result.added.push(toMessage(row));
    }
    return result;
  }

  /** Our own reply, shown at once as pending until the server acknowledges it. */
  insertPending(input: { conversationId: number; clientId: string; senderType: SenderType; senderName: string | null; content: string; createdAt: number }): Message {
    return toMessage(this.insert({ ...input, remoteId: null, senderId: null, seq: PENDING_SEQ, readAt: null, delivery: 'pending' }));
  }

  /** Inserts a message and its FTS row; the returned row is what a SELECT would read back. */
  private insert(input: Omit<MessageRow, 'id' | 'failureReason'>): MessageRow {
    const values = { ...input, content: shortened(input.content) };
    const id = Number(this.insertStmt.run(values).lastInsertRowid);
    this.ftsInsert.run(id, values.content);
    if (values.content !== input.content) this.db.insert(messageBodies).values({ messageId: id, content: input.content }).run();
    return { ...values, id, failureReason: null };
  }

  setDelivery(id: number, delivery: DeliveryState, failureReason: string | null = null): Message | undefined {
    const row = this.db.update(messages).set({ delivery, failureReason }).where(eq(messages.id, id)).returning().get();
    return row && toMessage(row);
  }

  /** Deletes a row and its search entry; false when there was none. */
  remove(id: number): boolean {
    const row = this.byId.get({ id });
    if (!row) return false;
    this.ftsDelete.run(row.id, row.content);
    this.db.delete(messages).where(eq(messages.id, id)).run();
    return true;
  }

  /** Marks every unread message of one sender type as read; returns the rows changed. */
  markRead(conversationId: number, senderType: SenderType, at: number): Message[] {
    return this.db
      .update(messages)
      .set({ readAt: at })
      .where(and(eq(messages.conversationId, conversationId), isNull(messages.readAt), eq(messages.senderType, senderType)))
      .returning()
      .all()
      .map(toMessage);
  }

  /** Read receipts by remote id: our replies become 'read', the visitor's stop counting as unread. */
  markReadByRemoteIds(conversationId: number, remoteIds: string[], at: number): Message[] {
    if (remoteIds.length === 0) return [];
    return this.db
      .update(messages)
      .set({ readAt: sql`coalesce(${messages.readAt}, ${at})`, delivery: sql`CASE WHEN ${messages.senderType} = 'admin' THEN 'read' ELSE ${messages.delivery} END` })
      .where(and(eq(messages.conversationId, conversationId), inArray(messages.remoteId, remoteIds), isNull(messages.readAt)))
      .returning()
      .all()
      .map(toMessage);
  }

  /** Remote ids of the visitor's messages that are unread here (to send as a read receipt). */
  unreadRemoteIds(conversationId: number): string[] {
    return this.db
      .select({ remoteId: messages.remoteId })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), isNull(messages.readAt), eq(messages.senderType, 'visitor'), isNotNull(messages.remoteId)))
      .all()
      .map((r) => r.remoteId!);
  }

  /** Newest page first; items come back oldest → newest for display. */
  page(conversationId: number, limit: number, before?: string): { items: Message[]; nextCursor: string | null } {
    const [t, s, id] = (before && decodeCursor(before, 3)) || [FAR_FUTURE, FAR_FUTURE, FAR_FUTURE];
    const rows = this.pageStmt.all({ conversationId, t, s, id, limit: limit + 1 });
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const oldest = page.at(-1);
    return {
      items: page.reverse().map(toMessage),
      nextCursor: more && oldest ? encodeCursor(oldest.createdAt, oldest.seq, oldest.id) : null,
    };
  }

  /** Every message of a conversation in display order (tests and exports). */
  all(conversationId: number): Message[] {
    return this.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId))
      .orderBy(asc(messages.createdAt), asc(messages.seq), asc(messages.id))
      .all()
      .map(toMessage);
  }
}
