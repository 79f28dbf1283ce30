// What connectors hand to the mirror: the backend's view of a conversation or a message,
// already translated from the wire format of its kind.
import type { ConversationStatus, SenderType } from '../../../shared/domain';

export interface RemoteConversation {
  remoteId: string;
  visitorName?: string | null;
  visitorEmail?: string | null;
  /** Undefined: leave as is. Null: the backend has no server-side status. */
  serverStatus?: ConversationStatus | null;
  createdAt: number;
  lastMessageAt?: number | null;
  lastMessagePreview?: string | null;
  visitorOnline?: boolean;
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
}

export const PENDING_SEQ = Number.MAX_SAFE_INTEGER;
