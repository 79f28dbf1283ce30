// What connectors hand to the mirror: the backend's view of a conversation or a message,
// already translated from the wire format of its kind.
import type { ConversationStatus, MessageKind, Presence, SenderType } from '../../../shared/domain';

export interface RemoteConversation {
  remoteId: string;
  visitorName?: string | null;
  visitorEmail?: string | null;
  /** The visitor's account name on the site, besides the display name (undefined: leave as is). */
  visitorUsername?: string | null;
  /** Undefined: leave as is. Null: the backend has no server-side status. */
  serverStatus?: ConversationStatus | null;
  createdAt: number;
  lastMessageAt?: number | null;
  lastMessagePreview?: string | null;
  /** The newest message's remote id where the list says it: page-back catch-up walks when we lack it. */
  lastMessageRemoteId?: string | null;
  visitorOnline?: boolean;
  /** Where the kind tells away and busy apart (a jwt-ws direct room's other member). Undefined: leave as is. */
  visitorPresence?: Presence | null;
  /** The room's other members (the owner not among them). Undefined: leave as is; a list replaces the stored one. */
  members?: RemoteMember[];
}

/** Another member of a room, as its connector knows them. */
export interface RemoteMember {
  remoteId: string;
  name: string | null;
  presence: Presence;
}

export interface RemoteMessage {
  remoteId: string;
  clientId?: string | null;
  /** Server order where the backend has monotonic ids; 0 otherwise. */
  seq?: number;
  senderType: SenderType;
  senderId?: string | null;
  senderName?: string | null;
  content: string;
  createdAt: number;
  readAt?: number | null;
  /** 'text' when omitted. */
  kind?: MessageKind;
  /** Structured data of an event (kept as JSON, searchable through `content`). */
  payload?: unknown;
  /** Set when the backend reports the message was edited; the content is the edited text. */
  editedAt?: number | null;
  /** Set when the backend deleted it: the row is kept but hidden everywhere (list, preview, search, unread). */
  deletedAt?: number | null;
}

/** An edit of a known message, from a live event that carries only the new text. */
export interface RemoteEdit {
  remoteId: string;
  content: string;
  editedAt: number;
}

/** One entry of a notification feed, translated from its kind's wire format. */
export interface RemoteFeedEntry {
  remoteId: string;
  type: string;
  /** One line for the list and the OS notification. */
  title: string;
  body: string;
  payload?: unknown;
  createdAt: number;
}

export const PENDING_SEQ = Number.MAX_SAFE_INTEGER;
