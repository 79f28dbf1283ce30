// Row → domain mapping, in one place for every repository.
import { Presence, type ConversationStatus, type ConversationSummary, type DeliveryState, type Message, type MessageKind, type SenderType } from '../../../shared/domain';
import type { Placeholder } from 'drizzle-orm';
import type { conversations, messages } from '../db/schema';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

export const toConversation = (row: ConversationRow): ConversationSummary => ({
  id: row.id,
  accountId: row.accountId,
  remoteId: row.remoteId,
  visitorName: row.visitorName,
  visitorEmail: row.visitorEmail,
  visitorUsername: row.visitorUsername,
  status: row.status as ConversationStatus,
  statusIsLocal: row.serverStatus === null,
  lastMessageAt: row.lastMessageAt,
  lastMessagePreview: row.lastMessagePreview,
  unreadCount: row.unreadCount,
  muted: row.muted,
  visitorOnline: row.visitorOnline,
  visitorPresence: row.visitorPresence === null ? null : (Presence.safeParse(row.visitorPresence).data ?? null),
  createdAt: row.createdAt,
});

export const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  conversationId: row.conversationId,
  remoteId: row.remoteId,
  clientId: row.clientId,
  senderType: row.senderType as SenderType,
  senderId: row.senderId,
  senderName: row.senderName,
  content: row.content,
  createdAt: row.createdAt,
  readAt: row.readAt,
  delivery: row.delivery as DeliveryState,
  failureReason: row.failureReason,
  kind: row.kind as MessageKind,
  payload: parsePayload(row.payload),
  editedAt: row.editedAt,
});

/** Payloads are stored as the JSON they came as; an unreadable one reads as null, never throws. */
export function parsePayload(payload: string | null): unknown {
  if (payload === null) return null;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return null;
  }
}

/** Keyset cursors are opaque to the renderer: "<time>:<seq>:<id>" in base36. */
export const encodeCursor = (...parts: number[]): string => parts.map((p) => p.toString(36)).join(':');
export function decodeCursor(cursor: string, size: number): number[] | null {
  const parts = cursor.split(':').map((p) => Number.parseInt(p, 36));
  return parts.length === size && parts.every((p) => Number.isSafeInteger(p) && p >= 0) ? parts : null;
}

/**
 * An update's SET clause made of placeholders, for a statement prepared once. drizzle binds them
 * through each column's encoder (booleans become 0/1) but its types only admit values there.
 */
export const placeholderSet = <Row>(set: Record<string, Placeholder | null>): Partial<Row> => set as Partial<Row>;
