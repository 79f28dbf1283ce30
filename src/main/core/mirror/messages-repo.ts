import type BetterSqlite3 from 'better-sqlite3';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DeliveryState, Message, SenderType } from '../../../shared/domain';
import type { Db } from '../db/open';
import { messageBodies, messages } from '../db/schema';
import type { MessageIndex } from './message-index';
import { decodeCursor, encodeCursor, parsePayload, placeholderSet, toMessage, type MessageRow } from './rows';
import { PENDING_SEQ, type RemoteEdit, type RemoteMessage } from './types';

/** The JSON text a payload is stored as; null for none. */
const payloadText = (payload: unknown): string | null => (payload === undefined || payload === null ? null : JSON.stringify(payload));

const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

/** The people the owner answers: their unread messages are counted, notified and marked read (index messages_unread). */
export const UNREAD_SENDERS: SenderType[] = ['visitor', 'member'];

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
  private readonly insertNewStmt;
  private readonly updateFetchedStmt;
  private readonly ftsInsert;
  private readonly ftsDelete;
  private readonly editStmt;
  private readonly deleteStmt;

  constructor(
    private readonly db: Db,
    sqlite: BetterSqlite3.Database,
    private readonly index: MessageIndex,
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
      .where(
        and(
          eq(messages.conversationId, sql.placeholder('conversationId')),
          sql`(${messages.createdAt}, ${messages.seq}, ${messages.id}) < (${t}, ${s}, ${id})`,
          isNull(messages.deletedAt),
        ),
      )
      .orderBy(desc(messages.createdAt), desc(messages.seq), desc(messages.id))
      .limit(sql.placeholder('limit'))
      .prepare();
    // Prepared once, without RETURNING, and in plain SQL with positional parameters: building the
    // statement per message, then reading the row back, cost more than the insert and its FTS row
    // together (bench: ingest ran at 0.1x the raw insert rate), and drizzle's filling of named
    // placeholders was still a sixth of a catch-up's time. The row is made from the values inserted.
    const p = sql.placeholder;
    this.insertStmt = sqlite.prepare<[number, string | null, string | null, number, string, string | null, string | null, string, number, number | null, string, string, string | null, number | null, number | null]>(
      'INSERT INTO messages (conversation_id, remote_id, client_id, seq, sender_type, sender_id, sender_name, content, created_at, read_at, delivery, kind, payload, edited_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // The same insert for a fetched message, which does nothing where the row exists (its remote
    // id, or its client id, is already in the conversation): the unique indexes' own look-up says
    // whether it is new, instead of a query per page for the ids it already has (bench: catch-up).
    this.insertNewStmt = sqlite.prepare<[number, string | null, string | null, number, string, string | null, string | null, string, number, number | null, string, string, string | null, number | null, number | null]>(
      'INSERT INTO messages (conversation_id, remote_id, client_id, seq, sender_type, sender_id, sender_name, content, created_at, read_at, delivery, kind, payload, edited_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.editStmt = db
      .update(messages)
      .set(placeholderSet<typeof messages.$inferInsert>({ content: p('content'), editedAt: p('editedAt'), payload: p('payload') }))
      .where(eq(messages.id, p('id')))
      .returning()
      .prepare();
    this.deleteStmt = db
      .update(messages)
      .set(placeholderSet<typeof messages.$inferInsert>({ deletedAt: p('deletedAt') }))
      .where(eq(messages.id, p('id')))
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

  /** The newest local row id (0 when empty): rows inserted later have higher ids. */
  maxId(): number {
    return this.db.select({ max: sql<number | null>`max(${messages.id})` }).from(messages).get()?.max ?? 0;
  }

  /** Conversations holding a message stored after local id `id`. */
  conversationsWithMessagesAbove(id: number): number[] {
    return this.db
      .selectDistinct({ conversationId: messages.conversationId })
      .from(messages)
      .where(sql`${messages.id} > ${id}`)
      .all()
      .map((r) => r.conversationId);
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
    // Most of a fetched page is new: each is inserted straight away. A message known here (by
    // remote or client id), or met twice in the page, is not inserted (a unique index holds it)
    // and takes the careful path below, whose lookups see everything written so far.
    for (const m of remote) {
      if (this.insertRemote(conversationId, m, result, this.insertNewStmt)) continue;
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
        if (known.deletedAt !== null) continue; // deleted stays deleted, whatever a later page says
        if (m.deletedAt) {
          this.hide(known, m.deletedAt);
          mergeApplied(result, { added: [], updated: [], removed: [known.id] });
          continue;
        }
        const edited = this.applyEdit(known, m);
        const readAt = m.readAt ?? known.readAt;
        const delivery: DeliveryState = known.senderType === 'admin' ? (readAt ? 'read' : 'sent') : (known.delivery as DeliveryState);
        if (known.remoteId === m.remoteId && known.readAt === readAt && known.delivery === delivery) {
          if (edited) result.updated.push(toMessage(edited));
          continue;
        }
        const row = this.updateFetchedStmt.get({ id: known.id, remoteId: m.remoteId, seq: m.seq ?? 0, createdAt: m.createdAt, readAt, delivery })!;
        result.updated.push(toMessage(row));
        continue;
      }
      this.insertRemote(conversationId, m, result, this.insertStmt);
    }
    return result;
  }

  /**
   * A message new here; false when `insert` did nothing (insertNewStmt, the row exists). The
   * event's Message is made straight from the values (no row object in between: bench, ingest).
   */
  private insertRemote(conversationId: number, m: RemoteMessage, result: AppliedMessages, insert: typeof this.insertStmt): boolean {
    const content = shortened(m.content);
    const payload = payloadText(m.payload);
    const readAt = m.readAt ?? null;
    const delivery: DeliveryState = m.senderType === 'admin' && m.readAt ? 'read' : 'sent';
    const kind = m.kind ?? 'text';
    const remoteId = m.remoteId;
    const clientId = m.clientId ?? null;
    const senderId = m.senderId ?? null;
    const senderName = m.senderName ?? null;
    const editedAt = m.editedAt ?? null;
    const deletedAt = m.deletedAt ?? null;
    const inserted = insert.run(conversationId, remoteId, clientId, m.seq ?? 0, m.senderType, senderId, senderName, content, m.createdAt, readAt, delivery, kind, payload, editedAt, deletedAt);
    if (inserted.changes === 0) return false;
    const id = Number(inserted.lastInsertRowid);
    this.afterInsert(id, content, m.content);
    // A message first seen already deleted is kept (the history is complete) but never shown.
    if (deletedAt !== null) return true;
    result.added.push({
      id,
      conversationId,
      remoteId,
      clientId,
      senderType: m.senderType,
      senderId,
      senderName,
      content,
      createdAt: m.createdAt,
      readAt,
      delivery,
      failureReason: null,
      kind,
      payload: parsePayload(payload),
      editedAt,
    });
    return true;
  }

  /** A fetched copy whose text differs from ours: the backend edited it. Re-indexes the text. */
  private applyEdit(known: MessageRow, m: RemoteMessage): MessageRow | null {
    if (known.content === shortened(m.content) && (m.payload === undefined || payloadText(m.payload) === known.payload)) return null;
    if (known.delivery === 'pending') return null; // our own text, not yet acknowledged
    return this.setContent(known, m.content, m.editedAt ?? known.editedAt, m.payload === undefined ? known.payload : payloadText(m.payload));
  }

  /** Replaces a message's text (an edit): its search entry, and its whole text where it is too long for the row. */
  private setContent(known: MessageRow, full: string, editedAt: number | null, payload: string | null): MessageRow {
    const content = shortened(full);
    // A row not yet indexed is indexed with its new text when its turn comes.
    if (this.index.covers(known.id)) {
      this.ftsDelete.run(known.id, known.content);
      this.ftsInsert.run(known.id, content);
      this.index.terms.addText(content);
    }
    this.db.delete(messageBodies).where(eq(messageBodies.messageId, known.id)).run();
    if (content !== full) this.db.insert(messageBodies).values({ messageId: known.id, content: full }).run();
    return this.editStmt.get({ id: known.id, content, editedAt, payload })!;
  }

  /** Live edits (the event carries only the new text). Returns the rows changed; unknown ids are left out. */
  edit(conversationId: number, edits: RemoteEdit[]): { updated: Message[]; unknown: string[] } {
    const updated: Message[] = [];
    const unknown: string[] = [];
    for (const e of edits) {
      const known = this.byRemote.get({ conversationId, remoteId: e.remoteId });
      if (!known) unknown.push(e.remoteId);
      else if (known.deletedAt === null && known.content !== shortened(e.content)) updated.push(toMessage(this.setContent(known, e.content, e.editedAt, known.payload)));
    }
    return { updated, unknown };
  }

  /** Deleted on the server: hidden everywhere and out of search. Returns the local ids hidden. */
  markDeleted(conversationId: number, remoteIds: string[], at: number): number[] {
    const hidden: number[] = [];
    for (const remoteId of remoteIds) {
      const known = this.byRemote.get({ conversationId, remoteId });
      if (known && known.deletedAt === null) {
        this.hide(known, at);
        hidden.push(known.id);
      }
    }
    return hidden;
  }

  private hide(known: MessageRow, at: number): void {
    if (this.index.covers(known.id)) this.ftsDelete.run(known.id, known.content);
    this.deleteStmt.run({ id: known.id, deletedAt: at });
  }

  /** Our own reply, shown at once as pending until the server acknowledges it. */
  insertPending(input: { conversationId: number; clientId: string; senderType: SenderType; senderName: string | null; content: string; createdAt: number }): Message {
    return toMessage(this.insert({ ...input, remoteId: null, senderId: null, seq: PENDING_SEQ, readAt: null, delivery: 'pending', kind: 'text', payload: null, editedAt: null, deletedAt: null }));
  }

  /** Inserts a message (its FTS row follows, see MessageIndex); the returned row is what a SELECT would read back. */
  private insert(input: Omit<MessageRow, 'id' | 'failureReason'>): MessageRow {
    const content = shortened(input.content);
    const v = input;
    const id = Number(
      this.insertStmt.run(v.conversationId, v.remoteId, v.clientId, v.seq, v.senderType, v.senderId, v.senderName, content, v.createdAt, v.readAt, v.delivery, v.kind, v.payload, v.editedAt, v.deletedAt)
        .lastInsertRowid,
    );
    this.afterInsert(id, content, input.content);
    return { ...input, content, id, failureReason: null };
  }

  /** A new row: indexed for search after the commit; the whole text kept apart when it was shortened. */
  private afterInsert(id: number, content: string, full: string): void {
    this.index.added(id);
    if (content !== full) this.db.insert(messageBodies).values({ messageId: id, content: full }).run();
  }

  setDelivery(id: number, delivery: DeliveryState, failureReason: string | null = null): Message | undefined {
    const row = this.db.update(messages).set({ delivery, failureReason }).where(eq(messages.id, id)).returning().get();
    return row && toMessage(row);
  }

  /** Deletes a row and its search entry; false when there was none. */
  remove(id: number): boolean {
    const row = this.byId.get({ id });
    if (!row) return false;
    if (row.deletedAt === null && this.index.covers(row.id)) this.ftsDelete.run(row.id, row.content);
    this.db.delete(messages).where(eq(messages.id, id)).run();
    return true;
  }

  /** Marks every unread message of the given sender types as read; returns the rows changed. */
  markRead(conversationId: number, senderTypes: readonly SenderType[], at: number): Message[] {
    return this.db
      .update(messages)
      .set({ readAt: at })
      .where(and(eq(messages.conversationId, conversationId), isNull(messages.readAt), inArray(messages.senderType, [...senderTypes])))
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
      .where(and(eq(messages.conversationId, conversationId), isNull(messages.readAt), inArray(messages.senderType, UNREAD_SENDERS), isNotNull(messages.remoteId), isNull(messages.deletedAt)))
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
      .where(and(eq(messages.conversationId, conversationId), isNull(messages.deletedAt)))
      .orderBy(asc(messages.createdAt), asc(messages.seq), asc(messages.id))
      .all()
      .map(toMessage);
  }
}
