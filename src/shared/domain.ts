// Domain types shared by main and renderer. Every type is derived from a zod schema so that
// anything crossing a process boundary can be checked at run time with the same definition.
import { z } from 'zod';

export const accountKinds = ['portfolio', 'django-chat', 'django-notifications', 'jwt-ws', 'openmanus'] as const;
export const AccountKind = z.enum(accountKinds);
export type AccountKind = z.infer<typeof AccountKind>;

/** The connection state machine every connector reports through. */
export const connectionStates = ['connecting', 'syncing', 'live', 'unavailable', 'offline', 'auth-expired'] as const;
export const ConnectionState = z.enum(connectionStates);
export type ConnectionState = z.infer<typeof ConnectionState>;

/** An account's connection state with its human-readable detail. */
export const ConnectionStatus = z.object({ state: ConnectionState, detail: z.string().nullable() });
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const conversationStatuses = ['active', 'resolved', 'closed'] as const;
export const ConversationStatus = z.enum(conversationStatuses);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const ConversationFilter = z.enum(['active', 'resolved', 'closed', 'all']);
export type ConversationFilter = z.infer<typeof ConversationFilter>;

/**
 * Who wrote a message: the visitor (or the student, the other room member, ...), the console's
 * owner ('admin'), the site's AI auto-responder ('ai', shown as "Assistant"), an agent and its
 * tools (OpenManus), another member of a room ('member', named by senderName), or the system.
 */
export const SenderType = z.enum(['visitor', 'admin', 'ai', 'agent', 'tool', 'member', 'system']);
export type SenderType = z.infer<typeof SenderType>;

/** 'text': a chat message; 'event': a structured step (agent step, tool call, ...) with a payload; 'system': a notice. */
export const MessageKind = z.enum(['text', 'event', 'system']);
export type MessageKind = z.infer<typeof MessageKind>;

/**
 * What a backend kind can and cannot do. The engine obeys it and the inbox hides what a kind
 * cannot do (status actions, typing, read ticks, the reply box of a feed).
 */
export const Capabilities = z.object({
  /** The backend keeps resolve/close itself; otherwise the status is kept on this computer. */
  serverStatus: z.boolean(),
  /** A repeated client id returns the same message: a resend can never double a reply. */
  idempotentSend: z.boolean(),
  /**
   * How a gap is filled: 'cursor' (fetch what changed after a cursor), 'page-back' (walk
   * history back to known ids), 'poll' (no account-wide realtime channel: the list is polled,
   * and conversations that matter get their own socket).
   */
  catchUp: z.enum(['cursor', 'page-back', 'poll']),
  /** Read receipts go both ways (the visitor sees ours, we see theirs). */
  readReceipts: z.boolean(),
  typing: z.boolean(),
  /** 'inbox': conversations with replies; 'feed': notifications only, nothing to reply to. */
  shape: z.enum(['inbox', 'feed']),
  /** The user can start a conversation from the console (agent backends); false when absent. */
  startConversations: z.boolean().optional(),
  /**
   * The backend keeps the owner's read state (a mark-read call) without read receipts to the
   * visitor (the portfolio site as deployed); false when absent.
   */
  serverReadState: z.boolean().optional(),
  /** The site has an AI auto-responder the owner can switch (accounts.aiReplies); false when absent. */
  aiReplies: z.boolean().optional(),
  /**
   * Reading a conversation's history on the site marks the visitor's messages read there (the
   * Django mentor chat): the account says so, since syncing reads history; false when absent.
   */
  historyReadMarksRead: z.boolean().optional(),
});
export type Capabilities = z.infer<typeof Capabilities>;

export const deliveryStates = ['pending', 'sent', 'read', 'failed'] as const;
export const DeliveryState = z.enum(deliveryStates);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const Availability = z.enum(['online', 'away', 'offline']);
export type Availability = z.infer<typeof Availability>;

/** Another person's presence where the backend tells these apart (jwt-ws room members). */
export const presenceStates = ['online', 'away', 'busy', 'offline'] as const;
export const Presence = z.enum(presenceStates);
export type Presence = z.infer<typeof Presence>;

/** Another member of a room (the owner is not listed), with their last known presence. */
export const RoomMember = z.object({ id: z.string(), name: z.string().nullable(), presence: Presence });
export type RoomMember = z.infer<typeof RoomMember>;

/** Local database ids are positive integers; remote ids are opaque strings. */
export const LocalId = z.number().int().positive();
export const Timestamp = z.number().int().nonnegative(); // epoch milliseconds

export const Account = z.object({
  id: LocalId,
  kind: AccountKind,
  name: z.string(),
  baseUrl: z.string(),
  connectionState: ConnectionState,
  /** Human-readable detail for the current state (last error, weaker guarantee in use). */
  stateDetail: z.string().nullable(),
  lastSyncedAt: Timestamp.nullable(),
  /** When the user must sign in again, where the sign-in cannot renew itself (a pasted cookie); null otherwise. */
  signInEndsAt: Timestamp.nullable().optional(),
  capabilities: Capabilities,
});
export type Account = z.infer<typeof Account>;

/**
 * What an agent is doing in a conversation (agent kinds): the `run` of its newest message that
 * carries one in its payload (`payload.run`), see src/main/core/agents.
 */
export const AgentRun = z.enum(['running', 'finished', 'failed', 'stuck']);
export type AgentRun = z.infer<typeof AgentRun>;

export const ConversationSummary = z.object({
  id: LocalId,
  accountId: LocalId,
  remoteId: z.string(),
  visitorName: z.string().nullable(),
  visitorEmail: z.string().nullable(),
  /** The visitor's account name on the site, where it has one besides the display name (django-chat). */
  visitorUsername: z.string().nullable().optional(),
  status: ConversationStatus,
  /** True when the status is kept only on this machine (the backend has none). */
  statusIsLocal: z.boolean(),
  lastMessageAt: Timestamp.nullable(),
  lastMessagePreview: z.string().nullable(),
  unreadCount: z.number().int().nonnegative(),
  muted: z.boolean(),
  visitorOnline: z.boolean(),
  /** The other person's presence where the kind tells away and busy apart (a direct room); null or absent otherwise. */
  visitorPresence: Presence.nullable().optional(),
  /** When the conversation started, as the backend reports it. */
  createdAt: Timestamp,
  /** Agent kinds: the state of the conversation's agent run; absent or null elsewhere. */
  agentRun: AgentRun.nullable().optional(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

/**
 * How a status change reached this computer: 'initial' (the status when recording began: the
 * conversation first appeared here, or the app was upgraded), 'local' (changed in this app),
 * 'server' (a live event from the site), 'sync' (found while catching up after being away).
 */
export const statusSources = ['initial', 'local', 'server', 'sync'] as const;
export const StatusSource = z.enum(statusSources);
export type StatusSource = z.infer<typeof StatusSource>;

export const StatusChange = z.object({ status: ConversationStatus, at: Timestamp, source: StatusSource });
export type StatusChange = z.infer<typeof StatusChange>;

/** The visitor details pane: the visitor across conversations, and this conversation's status history. */
export const ConversationDetails = z.object({
  conversationId: LocalId,
  /** When this visitor's earliest conversation in the account started. */
  firstSeenAt: Timestamp,
  /** Conversations of this visitor in the account (matched by email; 1 without an email). */
  conversationCount: z.number().int().positive(),
  /** Newest first, at most 100. */
  statusHistory: z.array(StatusChange),
  /** The room's other members (kinds with rooms), most present first; absent or empty otherwise. */
  members: z.array(RoomMember).optional(),
});
export type ConversationDetails = z.infer<typeof ConversationDetails>;

export const Message = z.object({
  id: LocalId,
  conversationId: LocalId,
  remoteId: z.string().nullable(),
  clientId: z.string().nullable(),
  senderType: SenderType,
  senderId: z.string().nullable(),
  senderName: z.string().nullable(),
  content: z.string(),
  createdAt: Timestamp,
  readAt: Timestamp.nullable(),
  delivery: DeliveryState,
  failureReason: z.string().nullable(),
  kind: MessageKind,
  /** Structured data of an event (an agent step, a tool call and its result), as the backend sent it. */
  payload: z.unknown().nullable(),
  editedAt: Timestamp.nullable(),
});
export type Message = z.infer<typeof Message>;

/** One entry of a notification feed (shape 'feed'): an invite, an accepted or declined challenge, ... */
export const FeedEntry = z.object({
  id: LocalId,
  accountId: LocalId,
  remoteId: z.string(),
  /** The backend's event type, e.g. new_challenge_invite. */
  type: z.string(),
  title: z.string(),
  body: z.string(),
  payload: z.unknown().nullable(),
  createdAt: Timestamp,
  readAt: Timestamp.nullable(),
});
export type FeedEntry = z.infer<typeof FeedEntry>;

export const StatusCounts = z.object({
  active: z.number().int().nonnegative(),
  resolved: z.number().int().nonnegative(),
  closed: z.number().int().nonnegative(),
  all: z.number().int().nonnegative(),
});
export type StatusCounts = z.infer<typeof StatusCounts>;

export const SearchHit = z.object({
  /** The conversation of a message or visitor hit; null for a notification feed entry. */
  conversationId: LocalId.nullable(),
  /** A notification feed entry (shape 'feed'): the search opens the Notifications view. */
  feedEntryId: LocalId.optional(),
  messageId: LocalId.nullable(),
  visitorName: z.string().nullable(),
  /** Matched text split into plain and highlighted parts: rendered as text, never HTML. */
  snippet: z.array(z.object({ text: z.string(), match: z.boolean() })),
  createdAt: Timestamp.nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;
