// The mirror's schema. drizzle-kit generates the migrations in /migrations from this file;
// the FTS5 tables live in a custom migration because drizzle cannot describe virtual tables.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  baseUrl: text('base_url').notNull(),
  /** Kind-specific, non-secret connection settings as JSON (secrets live in the secret store). */
  config: text('config').notNull().default('{}'),
  lastSyncedAt: integer('last_synced_at'),
  createdAt: integer('created_at').notNull(),
});

export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    remoteId: text('remote_id').notNull(),
    visitorName: text('visitor_name'),
    visitorEmail: text('visitor_email'),
    /** The visitor's account name on the site, where it has one besides the display name (django-chat). */
    visitorUsername: text('visitor_username'),
    /** Status as the server reports it; null for backends without server-side status. */
    serverStatus: text('server_status'),
    /** Triage status kept only on this machine (django-chat and other status-less kinds). */
    localStatus: text('local_status'),
    /** The effective status, derived once here so list filters can use an index. */
    status: text('status')
      .notNull()
      .generatedAlwaysAs(sql`coalesce(server_status, local_status, 'active')`, { mode: 'virtual' }),
    /** Creation time until the first message; never null, so keyset paging stays simple. */
    lastMessageAt: integer('last_message_at').notNull(),
    lastMessagePreview: text('last_message_preview'),
    unreadCount: integer('unread_count').notNull().default(0),
    muted: integer('muted', { mode: 'boolean' }).notNull().default(false),
    visitorOnline: integer('visitor_online', { mode: 'boolean' }).notNull().default(false),
    /** online | away | busy | offline where the kind tells them apart (a jwt-ws direct room's other member); null otherwise. */
    visitorPresence: text('visitor_presence'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('conversations_account_remote').on(t.accountId, t.remoteId),
    index('conversations_recent').on(t.lastMessageAt, t.id),
    index('conversations_inbox').on(t.status, t.lastMessageAt, t.id),
    index('conversations_account_inbox').on(t.accountId, t.status, t.lastMessageAt, t.id),
    // The visitor details pane finds the same visitor's other conversations by email.
    index('conversations_account_visitor_email').on(t.accountId, sql`lower(${t.visitorEmail})`),
  ],
);

/** The other members of a room (jwt-ws), owner excluded, with their last known presence. */
export const conversationMembers = sqliteTable(
  'conversation_members',
  {
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    memberId: text('member_id').notNull(),
    name: text('name'),
    /** online | away | busy | offline */
    presence: text('presence').notNull().default('offline'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.memberId] })],
);

/**
 * Every change of a conversation's effective status as this computer saw it, for the details pane.
 * source: 'initial' (the status when recording began: the conversation first appeared here, or
 * the database was upgraded), 'local' (changed in this app, undo included), 'server' (a live
 * event from the site), 'sync' (found while catching up; `changed_at` is when it was found).
 */
export const conversationStatusHistory = sqliteTable(
  'conversation_status_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    source: text('source').notNull(),
    changedAt: integer('changed_at').notNull(),
  },
  (t) => [index('conversation_status_history_order').on(t.conversationId, t.changedAt, t.id)],
);

/** The owner's saved replies (canned answers), inserted from the composer; titles are unique. */
export const savedReplies = sqliteTable(
  'saved_replies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    content: text('content').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('saved_replies_title').on(t.title)],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** Null until the server acknowledges the message. */
    remoteId: text('remote_id'),
    /** Our UUID for messages we send: matches the server's echo, makes retries idempotent. */
    clientId: text('client_id'),
    /**
     * Server order where the backend has one (monotonic numeric ids) to break createdAt ties;
     * 0 where it has none, and MAX_SAFE_INTEGER for our own message until the server acknowledges it.
     */
    seq: integer('seq').notNull().default(0),
    senderType: text('sender_type').notNull(),
    senderId: text('sender_id'),
    senderName: text('sender_name'),
    content: text('content').notNull(),
    createdAt: integer('created_at').notNull(),
    readAt: integer('read_at'),
    delivery: text('delivery').notNull().default('sent'),
    failureReason: text('failure_reason'),
    /** text | event (a structured step: agent step, tool call, ...) | system */
    kind: text('kind').notNull().default('text'),
    /** The event's structured data as JSON, as the backend sent it; null for plain text. */
    payload: text('payload'),
    editedAt: integer('edited_at'),
    /** Deleted on the server: kept here, hidden from every list, preview, search and count. */
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    uniqueIndex('messages_conversation_remote').on(t.conversationId, t.remoteId),
    // Per conversation: the same site connected as two accounts echoes one reply into both.
    uniqueIndex('messages_conversation_client_id').on(t.conversationId, t.clientId),
    index('messages_conversation_order').on(t.conversationId, t.createdAt, t.seq, t.id),
    // Unread counts are derived from this index: messages of the people the owner answers (the
    // visitor, or another member of a room) not yet read. The same condition as UNREAD_SENDERS.
    index('messages_unread')
      .on(t.conversationId)
      .where(sql`read_at IS NULL AND sender_type IN ('visitor', 'member')`),
  ],
);

/** Notification feeds (accounts of shape 'feed'): invites, accepted/declined challenges, ... */
export const feedEntries = sqliteTable(
  'feed_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    remoteId: text('remote_id').notNull(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    payload: text('payload'),
    createdAt: integer('created_at').notNull(),
    /** Read on this computer (feeds have no read state on the server). */
    readAt: integer('read_at'),
  },
  (t) => [
    uniqueIndex('feed_entries_account_remote').on(t.accountId, t.remoteId),
    index('feed_entries_recent').on(t.createdAt, t.id),
    index('feed_entries_account_recent').on(t.accountId, t.createdAt, t.id),
    index('feed_entries_unread').on(t.accountId).where(sql`read_at IS NULL`),
  ],
);

/**
 * The whole text of a message longer than the mirror keeps in `messages.content` (which holds
 * its beginning and a marker, so lists, search and the UI stay fast); read only on request.
 */
export const messageBodies = sqliteTable('message_bodies', {
  messageId: integer('message_id')
    .primaryKey()
    .references(() => messages.id, { onDelete: 'cascade' }),
  content: text('content').notNull(),
});

/**
 * How far each deferred search index has been brought. `messages`: every message with
 * id <= indexed_up_to is in messages_fts (unless deleted); later ones are added in batches after
 * their transaction commits (mirror/message-index.ts), so a crash leaves them to be indexed on
 * the next start, never lost and never indexed twice.
 */
export const searchIndexProgress = sqliteTable('search_index_progress', {
  name: text('name').primaryKey(),
  indexedUpTo: integer('indexed_up_to').notNull(),
});

export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** reply | status | read */
    kind: text('kind').notNull(),
    payload: text('payload').notNull(),
    clientId: text('client_id').notNull(),
    /** queued | in-flight | failed */
    state: text('state').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('outbox_due').on(t.state, t.nextAttemptAt), uniqueIndex('outbox_client_id').on(t.clientId)],
);

export const syncCursors = sqliteTable(
  'sync_cursors',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** 'account' for the account-wide cursor, or 'conversation:<local id>'. */
    scope: text('scope').notNull(),
    value: text('value').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.scope] })],
);

export const presence = sqliteTable(
  'presence',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** visitor | admin */
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    online: integer('online', { mode: 'boolean' }).notNull(),
    info: text('info').notNull().default('{}'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.subjectType, t.subjectId] })],
);

/**
 * Every word (token of messages_fts's tokenizer) that the message index holds, added in the same
 * transaction as the index batch that holds it (mirror/search-terms.ts). Search expands the
 * prefix of the last word typed into the whole words that start with it: FTS5 answers an OR of
 * whole words newest first and stops at the limit, while a prefix query merges every matching
 * word's postings first. WITHOUT ROWID (added to the generated migration; drizzle cannot say it):
 * the key is the whole row.
 */
export const searchTerms = sqliteTable('search_terms', {
  term: text('term').primaryKey(),
});
