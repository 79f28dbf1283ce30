// The deployed site's wire format (backends.md §1 "As deployed"), checked with zod before
// anything reaches the mirror. Unknown extra fields are ignored.
import { z } from 'zod';
import type { RemoteConversation, RemoteMessage } from '../../../mirror/types';

const Id = z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');

export const DeployedMessage = z.object({
  id: Id,
  conversationId: Id.optional(),
  senderId: z.union([z.number(), z.string()]).nullable().optional(),
  senderType: z.enum(['visitor', 'admin', 'ai']),
  content: z.string().max(100_000),
  isRead: z.boolean().optional(),
  createdAt: IsoTime,
});
export type DeployedMessage = z.infer<typeof DeployedMessage>;

export const DeployedConversation = z.object({
  id: Id,
  visitorId: z.string().max(1000).nullable().optional(),
  visitorName: z.string().max(1000).nullable().optional(),
  visitorEmail: z.string().max(1000).nullable().optional(),
  status: z.enum(['active', 'resolved', 'closed']),
  lastMessageAt: IsoTime.nullable().optional(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  unreadCount: z.number().int().nonnegative().optional(),
  messages: z.array(z.unknown()).optional(),
});
export type DeployedConversation = z.infer<typeof DeployedConversation>;

export const DeployedSendResult = z.object({ messageId: Id, conversationId: Id, aiResponse: z.unknown().optional() });
export const DeployedSettings = z.object({ id: Id, aiEnabled: z.boolean(), autoReplyDelay: z.number().optional() });

// Realtime payloads.
export const NewConversationEvent = z.object({ conversationId: Id, visitorName: z.string().nullable().optional(), createdAt: IsoTime });
export const ConversationUpdatedEvent = z.object({ conversationId: Id, unreadCount: z.number().int().nonnegative().optional() });
export const AiTypingEvent = z.object({ isTyping: z.boolean(), conversationId: Id.optional() });
export const AiSettingsChangedEvent = z.object({ aiEnabled: z.boolean(), changedBy: z.union([z.number(), z.string()]).nullable().optional() });
export const TypingEvent = z.object({ senderType: z.enum(['visitor', 'admin']), isTyping: z.boolean() });

/** The site's AI auto-responder is shown as "Assistant", never as the owner or the visitor. */
export const ASSISTANT_NAME = 'Assistant';

export const toRemoteMessage = (m: DeployedMessage): RemoteMessage => ({
  remoteId: String(m.id),
  clientId: null,
  seq: m.id,
  senderType: m.senderType,
  senderId: m.senderId == null ? null : String(m.senderId),
  ...(m.senderType === 'ai' ? { senderName: ASSISTANT_NAME } : {}),
  content: m.content,
  createdAt: Date.parse(m.createdAt),
  // Only visitor messages carry a read state (read by the owner); there are no read receipts.
  readAt: m.senderType === 'visitor' && m.isRead ? Date.parse(m.createdAt) : null,
});

export function toRemoteConversation(c: DeployedConversation): RemoteConversation {
  const last = DeployedMessage.safeParse(c.messages?.[0]);
  return {
    remoteId: String(c.id),
    visitorName: c.visitorName ?? null,
    visitorEmail: c.visitorEmail ?? null,
    serverStatus: c.status,
    createdAt: Date.parse(c.createdAt),
    lastMessageAt: c.lastMessageAt ? Date.parse(c.lastMessageAt) : last.success ? Date.parse(last.data.createdAt) : null,
    lastMessagePreview: last.success ? last.data.content.slice(0, 200) : null,
  };
}
