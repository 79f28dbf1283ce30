// ConsoleApi: the one contract between the core (main process, or Node in browser mode) and
// the renderer. Invoke methods take one argument and return one value; events are pushed.
// Both directions are described by zod schemas so every transport can check what it carries.
import { z } from 'zod';
import {
  Account,
  ConnectionState,
  ConversationDetails,
  ConversationFilter,
  ConversationStatus,
  ConversationSummary,
  FeedEntry,
  LocalId,
  Message,
  SearchHit,
  StatusCounts,
  Timestamp,
} from './domain';
import { BadgeState, NotificationDecision, ShownNotification } from './attention';
import type { InvokeResult } from './errors';
import { Settings, SettingsPatch } from './settings';
import { SavedReply, SavedReplyInput, MAX_SAVED_REPLIES } from './saved-replies';
import { EXPORT_CHUNK, ExportFormat } from './export';
import { Stats, StatsQuery } from './stats';
import { ConnectInput, SignInInput } from './kinds';

export { PusherSettings } from './kinds';

/** Opaque pagination cursor produced by the core; the renderer only passes it back. */
export const Cursor = z.string().max(200);

export const OutboxCounts = z.object({ accountId: LocalId, pending: z.number().int(), failed: z.number().int() });

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const NoInput = z.undefined().or(z.object({}).strict()).optional();

// Saved replies (issue 14): kept together so this block merges as one piece.
const savedReplyMethods = {
  'savedReplies.list': method(NoInput, z.array(SavedReply)),
  /** Without id: a new reply; with id: that reply edited. Titles are unique. */
  'savedReplies.save': method(SavedReplyInput.extend({ id: LocalId.optional() }).strict(), SavedReply),
  'savedReplies.remove': method(z.object({ id: LocalId }).strict(), z.null()),
  /** From an exported file: a title already here gets the file's text. */
  'savedReplies.import': method(
    z.object({ replies: z.array(SavedReplyInput).max(MAX_SAVED_REPLIES) }).strict(),
    z.object({ added: z.number().int(), updated: z.number().int() }),
  ),
} as const;
// Export (issue 14): also one block.
const exportMethods = {
  /** The conversations an export covers: those in a filter (and account), or a search's. */
  'export.ids': method(
    z.union([z.object({ filter: ConversationFilter, accountId: LocalId.optional() }).strict(), z.object({ query: z.string().trim().min(1).max(200) }).strict()]),
    z.object({ ids: z.array(LocalId) }),
  ),
  /** The text of a few conversations; `first` adds the file's start, `last` its end. */
  'export.chunk': method(
    z.object({ format: ExportFormat, conversationIds: z.array(LocalId).min(1).max(EXPORT_CHUNK), first: z.boolean(), last: z.boolean() }).strict(),
    z.object({ text: z.string() }),
  ),
} as const;
// Stats (issue 14): one method.
const statsMethods = {
  /** Conversations and replies per day, busiest hours, first-response times, from the mirror. */
  'stats.get': method(StatsQuery, Stats),
} as const;
const savedReplyEvents = {
  'savedReplies.changed': z.object({ count: z.number().int() }),
} as const;
/** The mirror was found damaged at start, moved aside and rebuilt (the user is told once per start). */
export const MirrorRecovery = z.object({
  reason: z.string(),
  movedTo: z.string(),
  keptAccounts: z.number().int(),
  keptReplies: z.number().int(),
  lostReplies: z.number().int(),
  at: Timestamp,
});
export type MirrorRecovery = z.infer<typeof MirrorRecovery>;

export const methods = {
  'app.info': method(
    NoInput,
    z.object({
      version: z.string(),
      mode: z.enum(['electron', 'web']),
      secretsEncrypted: z.boolean(),
      dataDir: z.string(),
    }),
  ),
  'accounts.list': method(NoInput, z.array(Account)),
  /** Adds an account of any registered kind (src/shared/kinds): signs in, then starts syncing. */
  'accounts.connect': method(ConnectInput, Account),
  'accounts.signIn': method(SignInInput, Account),
  /** The site's AI auto-reply switch (accounts whose capabilities have aiReplies). */
  'accounts.aiReplies': method(z.object({ accountId: LocalId }).strict(), z.object({ enabled: z.boolean() })),
  'accounts.setAiReplies': method(z.object({ accountId: LocalId, enabled: z.boolean() }).strict(), z.object({ enabled: z.boolean() })),
  /** Starts the reference backend on loopback with demo data and simulated visitors, and connects to it. */
  'demo.start': method(NoInput, z.object({ account: Account, visitorUrl: z.string() })),
  'demo.status': method(NoInput, z.object({ visitorUrl: z.string().nullable() })),
  'accounts.remove': method(z.object({ accountId: LocalId }).strict(), z.null()),
  'conversations.page': method(
    z
      .object({
        accountId: LocalId.optional(),
        filter: ConversationFilter,
        cursor: Cursor.optional(),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    z.object({ items: z.array(ConversationSummary), nextCursor: Cursor.nullable(), counts: StatusCounts }),
  ),
  'conversations.get': method(z.object({ conversationId: LocalId }).strict(), ConversationSummary.nullable()),
  /** The visitor details pane: first seen, conversation count, status history. */
  'conversations.details': method(z.object({ conversationId: LocalId }).strict(), ConversationDetails),
  'conversations.setStatus': method(
    z.object({ conversationId: LocalId, status: ConversationStatus }).strict(),
    ConversationSummary,
  ),
  'conversations.markRead': method(z.object({ conversationId: LocalId }).strict(), ConversationSummary),
  'messages.page': method(
    z
      .object({
        conversationId: LocalId,
        before: Cursor.optional(),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    z.object({ items: z.array(Message), nextCursor: Cursor.nullable() }),
  ),
  'messages.send': method(
    z
      .object({
        conversationId: LocalId,
        content: z.string().trim().min(1).max(2000),
        clientId: z.uuid(),
      })
      .strict(),
    Message,
  ),
  /** The conversations open on screen: their typing and read events are subscribed. */
  'conversations.watch': method(z.object({ conversationIds: z.array(LocalId).max(20) }).strict(), z.null()),
  'typing.send': method(z.object({ conversationId: LocalId, isTyping: z.boolean() }).strict(), z.null()),
  'outbox.retry': method(z.object({ messageId: LocalId }).strict(), Message),
  'outbox.discard': method(z.object({ messageId: LocalId }).strict(), z.null()),
  'outbox.counts': method(NoInput, z.array(OutboxCounts)),
  search: method(
    z.object({ query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    z.array(SearchHit),
  ),
  /** The conversation on screen and whether the window has focus; drives notification rules. */
  'app.focus': method(z.object({ focused: z.boolean(), conversationId: LocalId.nullable() }).strict(), z.null()),
  'app.badge': method(NoInput, BadgeState),
  'conversations.setMuted': method(z.object({ conversationId: LocalId, muted: z.boolean() }).strict(), ConversationSummary),
  'notifications.log': method(z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict().optional(), z.array(NotificationDecision)),
  'notifications.clearLog': method(NoInput, z.null()),
  /** Runs a test notification through the same rules; the decision says what happened. */
  'notifications.test': method(NoInput, NotificationDecision),
  /** Notification feeds (accounts of shape 'feed'), newest first, over every account or one. */
  'feed.page': method(
    z.object({ accountId: LocalId.optional(), cursor: Cursor.optional(), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    z.object({ items: z.array(FeedEntry), nextCursor: Cursor.nullable(), unread: z.number().int().nonnegative() }),
  ),
  'feed.markRead': method(z.object({ entryIds: z.array(LocalId).min(1).max(500) }).strict(), z.null()),
  'feed.markAllRead': method(z.object({ accountId: LocalId.optional() }).strict(), z.null()),
  'settings.get': method(NoInput, Settings),
  'settings.update': method(SettingsPatch, Settings),
  ...savedReplyMethods,
  ...exportMethods,
  ...statsMethods,
  /** The whole text of a message the mirror keeps shortened (over 100,000 characters). */
  'messages.fullText': method(z.object({ messageId: LocalId }).strict(), z.string()),
  /** What happened to a damaged mirror at this start, or null. */
  'mirror.recovery': method(NoInput, MirrorRecovery.nullable()),
} as const;

export const events = {
  'conversations.changed': z.object({ accountId: LocalId, conversationIds: z.array(LocalId) }),
  'messages.added': z.object({ conversationId: LocalId, messages: z.array(Message) }),
  'messages.updated': z.object({ conversationId: LocalId, messages: z.array(Message) }),
  /** Rows deleted from the mirror (a fetched copy merged into our pending reply, a discarded reply): drop them from view. */
  'messages.removed': z.object({ conversationId: LocalId, messageIds: z.array(LocalId) }),
  'connection.state': z.object({
    accountId: LocalId,
    state: ConnectionState,
    detail: z.string().nullable(),
    lastSyncedAt: Timestamp.nullable(),
  }),
  'sync.progress': z.object({ accountId: LocalId, done: z.number().int(), total: z.number().int().nullable() }),
  presence: z.object({ accountId: LocalId, conversationId: LocalId.nullable(), who: z.string(), online: z.boolean() }),
  typing: z.object({ conversationId: LocalId, who: z.enum(['visitor', 'admin', 'ai']), isTyping: z.boolean() }),
  /** The site's AI auto-reply was switched (here or on the site). */
  'ai.changed': z.object({ accountId: LocalId, enabled: z.boolean() }),
  'settings.changed': Settings,
  /** New or changed feed entries (read state included). */
  'feed.changed': z.object({ accountId: LocalId, entries: z.array(FeedEntry) }),
  'outbox.counts': OutboxCounts,
  'app.badge': BadgeState,
  /** Open this conversation (a notification or the tray was clicked, or a switchboard:// link). */
  'app.openConversation': z.object({ conversationId: LocalId }),
  /** Open the Notifications view with this feed entry selected (its OS notification was clicked). */
  'app.openFeedEntry': z.object({ feedEntryId: LocalId }),
  'notifications.show': ShownNotification,
  'notifications.close': z.object({ key: z.string().max(100) }),
  'notifications.sound': z.object({ sound: z.string().max(40), volume: z.number().min(0).max(1) }),
  'notifications.decision': NotificationDecision,
  ...savedReplyEvents,
  'mirror.recovered': MirrorRecovery,
} as const;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<(typeof methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<(typeof methods)[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

/** What the core implements. Main declares its handlers with `satisfies ConsoleApiHandlers`. */
export type ConsoleApiHandlers = {
  [M in MethodName]: (input: ParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export type Unsubscribe = () => void;

type InvokeArgs<M extends MethodName> = undefined extends MethodInput<M> ? [MethodInput<M>?] : [MethodInput<M>];

/** What the inbox calls (src/renderer/src/api.ts): a failed call rejects with a ConsoleError and its code. */
export interface ConsoleApi {
  invoke<M extends MethodName>(method: M, ...input: InvokeArgs<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
}

/**
 * What the preload (Electron) or the web bridge (browser mode) installs as `window.switchboard`.
 * invoke never rejects: it resolves to an InvokeResult, the same in both transports, because a
 * rejection crossing Electron's contextBridge keeps only the message. The renderer turns a failed
 * result back into a ConsoleError.
 */
export interface ConsoleTransport {
  invoke<M extends MethodName>(method: M, ...input: InvokeArgs<M>): Promise<InvokeResult<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
  /** Whether the transport reaches the core, now and on every change (browser mode's socket can drop; IPC cannot). */
  onConnection?(listener: (connected: boolean) => void): Unsubscribe;
}

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.hasOwn(methods, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.hasOwn(events, name);

/** The error shape every transport returns for a rejected call. */
export const ApiError = z.object({ code: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

export { ConsoleError, consoleErrorCodes, isConsoleErrorCode, isInvokeResult, type ConsoleErrorCode, type InvokeResult } from './errors';

export { wire } from './wire';

/** Messages of the WebSocket transport (browser mode); the IPC transport carries the same values. */
export const WireRequest = z.object({ type: z.literal('invoke'), id: z.number().int(), method: z.string(), input: z.unknown().optional() });
export type WireRequest = z.infer<typeof WireRequest>;
export type WireResponse =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiError }
  | { type: 'event'; name: EventName; payload: unknown };
