// The interface every backend kind implements. The sync engine drives it; the connector only
// translates between its backend's wire format and the mirror's RemoteConversation/RemoteMessage.
//
// It fits all five kinds in ../shared/protocols/backends.md:
//   portfolio             REST + one Pusher socket for everything       (capabilities: all)
//   django-chat           REST + one WebSocket per open conversation    (serverStatus: false)
//   django-notifications  a notification-only feed                      (shape: 'feed')
//   jwt-ws                one WebSocket + REST login                     (catchUp: 'page-back')
//   openmanus             REST + one WebSocket per conversation          (serverStatus: false)
import type { Availability, Capabilities, ConnectionState, ConversationStatus } from '../../../shared/domain';
import type { RemoteConversation, RemoteEdit, RemoteFeedEntry, RemoteMessage } from '../mirror/types';

/** What a kind can do; the engine and the inbox obey it (src/shared/domain.ts). */
export type ConnectorCapabilities = Capabilities;

/** Why a call failed, which decides what the engine and the outbox do next. */
export type ConnectorErrorKind =
  | 'auth' // sign in again; keep everything queued
  | 'transient' // network, 5xx, 429, timeouts: retry with backoff
  | 'rejected'; // the server refused this item for good (4xx): fail it with the reason

export class ConnectorError extends Error {
  override name = 'ConnectorError';
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** What a live event changes on a known conversation (presence: members' and the other side's). */
export type ConversationPatch = Pick<RemoteConversation, 'serverStatus' | 'visitorOnline' | 'visitorPresence' | 'members'> & { serverStatus?: ConversationStatus };

/** What a connector reports to the engine. Everything is keyed by the backend's ids. */
export interface ConnectorSink {
  /** Realtime link state; 'live' only ever comes from the engine after a catch-up. */
  link(state: Extract<ConnectionState, 'connecting' | 'unavailable' | 'offline' | 'auth-expired'> | 'connected', detail?: string): void;
  /** Realtime (re)connected or resubscribed: whatever happened meanwhile must be fetched. */
  gap(reason: string): void;
  conversation(conversation: RemoteConversation): void;
  /** A change to a known conversation; unknown ones are fetched. */
  patch(conversationRemoteId: string, patch: ConversationPatch): void;
  /** Something changed in this conversation that the event did not carry: fetch what is new. */
  stale(conversationRemoteId: string): void;
  messages(conversationRemoteId: string, messages: RemoteMessage[]): void;
  /** A known message's text changed (jwt-ws message_edit). Unknown ids are fetched. */
  edited(conversationRemoteId: string, edits: RemoteEdit[]): void;
  /** Messages the backend deleted: hidden everywhere, kept in the file. */
  deleted(conversationRemoteId: string, messageRemoteIds: string[], deletedAt: number): void;
  /** Entries of a notification feed (shape 'feed'). */
  feed(entries: RemoteFeedEntry[]): void;
  read(conversationRemoteId: string, messageRemoteIds: string[], readAt: number, reader: 'visitor' | 'admin'): void;
  /** 'ai': the site's auto-responder is writing (the portfolio site as deployed). */
  typing(conversationRemoteId: string, who: 'visitor' | 'admin' | 'ai', isTyping: boolean): void;
  visitorOnline(conversationRemoteId: string, online: boolean): void;
  /** Something malformed arrived and was skipped. */
  warn(message: string): void;
  /** The site's AI auto-reply was switched (capability aiReplies). */
  aiReplies?(enabled: boolean): void;
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; null at the end. */
  next: string | null;
}

export interface Connector {
  readonly capabilities: ConnectorCapabilities;
  /**
   * catchUp 'poll' kinds that watch their list themselves, cheaper than a full catch-up (reading
   * only the newest page until one is unchanged), and report what moved through the sink: the
   * engine then runs no poller of its own for them.
   */
  readonly pollsItself?: boolean;
  /** Opens the realtime link; reports through the sink until disconnect(). */
  connect(sink: ConnectorSink): Promise<void>;
  disconnect(): Promise<void>;
  /** Conversations changed since `since` (a value from a previous page's `watermark`), or all. */
  listConversations(options: { since: string | null; page: string | null }): Promise<Page<RemoteConversation> & { watermark: string | null }>;
  /** Messages oldest first after a known remote id (cursor catch-up), or from the start. */
  messagesAfter(conversationRemoteId: string, afterRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>>;
  /** Messages newest first before a remote id (history, and page-back catch-up). */
  messagesBefore(conversationRemoteId: string, beforeRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>>;
  sendReply(conversationRemoteId: string, content: string, clientId: string): Promise<RemoteMessage>;
  setStatus(conversationRemoteId: string, status: ConversationStatus): Promise<void>;
  markRead(conversationRemoteId: string, messageRemoteIds: string[]): Promise<void>;
  sendTyping(conversationRemoteId: string, isTyping: boolean): void;
  setAvailability(availability: Availability): Promise<void>;
  /** The conversations the user has open: connectors subscribe to their per-conversation channels. */
  watch(conversationRemoteIds: string[]): void;
  /** Feed kinds: entries newest first, for catch-up after a reconnect. */
  listFeed?(options: { page: string | null }): Promise<Page<RemoteFeedEntry>>;
  /** Kinds with aiReplies: read and switch the site's AI auto-reply. */
  aiReplies?(): Promise<boolean>;
  setAiReplies?(enabled: boolean): Promise<boolean>;
  /**
   * Kinds with startConversations: starts one (an agent run) and returns it. The connector also
   * announces it to its sink (`conversation` + `stale`), so the engine mirrors it the usual way.
   */
  startConversation?(input: { content: string; model?: string }): Promise<{ conversation: RemoteConversation; messages: RemoteMessage[] }>;
  /** Kinds with startConversations: the models this account has used (newest first), for "New conversation". */
  knownModels?(): string[];
}
