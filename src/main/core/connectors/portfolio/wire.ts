// The portfolio backend's wire format (seed §6 plus the extensions in backends.md §1), checked
// with zod before anything reaches the mirror. Unknown extra fields are ignored.
import { z } from 'zod';
import type { RemoteConversation, RemoteMessage } from '../../mirror/types';

const Id = z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const Status = z.enum(['active', 'resolved', 'closed']);

export const WireMessage = z.object({
  id: Id,
  conversationId: Id.optional(),
  // Any length (the REST answer is capped as a whole): the mirror keeps a long text's beginning
  // in the row and the whole of it aside, instead of this message being skipped for good.
  content: z.string(),
  senderType: z.enum(['visitor', 'admin']),
  senderId: z.union([z.number(), z.string()]).nullable().optional(),
  isRead: z.boolean().optional(),
  readAt: IsoTime.nullable().optional(),
  clientMessageId: z.string().max(100).nullable().optional(),
  createdAt: IsoTime,
});
export type WireMessage = z.infer<typeof WireMessage>;

export const WireConversation = z.object({
  id: Id,
  visitorName: z.string().max(1000).nullable().optional(),
  visitorEmail: z.string().max(1000).nullable().optional(),
  status: Status,
  lastMessage: z.object({ content: z.string(), createdAt: IsoTime }).nullable().optional(),
  unreadCount: z.number().int().nonnegative().optional(),
  createdAt: IsoTime,
  updatedAt: IsoTime.optional(),
  lastMessageAt: IsoTime.nullable().optional(),
  visitorOnline: z.boolean().optional(),
});

const envelopeOf = <T extends z.ZodType>(data: T) =>
  z.union([z.object({ success: z.literal(true), data }), z.object({ success: z.literal(false), error: z.string() })]);
const envelopes = new WeakMap<z.ZodType, unknown>();
/**
 * The {success, data} envelope around a schema, built once per schema: zod compiles each new
 * object schema on its first parse, which cost more than parsing the page (bench: catch-up).
 */
export const Envelope = <T extends z.ZodType>(data: T): ReturnType<typeof envelopeOf<T>> => {
  let envelope = envelopes.get(data) as ReturnType<typeof envelopeOf<T>> | undefined;
  if (!envelope) envelopes.set(data, (envelope = envelopeOf(data)));
  return envelope;
};

export const LoginResult = z.object({ token: z.string().min(1), expiresAt: IsoTime.optional(), admin: z.object({ id: z.union([z.number(), z.string()]), name: z.string() }).optional() });
export const ConfigResult = z.object({
  pusher: z.object({
    key: z.string().min(1),
    cluster: z.string().min(1),
    wsHost: z.string().optional(),
    wsPort: z.number().int().optional(),
    forceTLS: z.boolean().optional(),
  }),
});
/** A page of messages in one pass; a page that fails it is checked message by message (see PortfolioConnector.messages). */
export const WireMessages = z.array(WireMessage);
export const MessagesResult = z.object({ messages: z.array(z.unknown()), hasMore: z.boolean(), nextCursor: Id.nullable().optional() });
export const ConversationsResult = z.object({
  conversations: z.array(z.unknown()),
  pagination: z.object({ total: z.number(), page: z.number(), limit: z.number(), totalPages: z.number() }),
});
export const SendResult = WireMessage.extend({ id: Id.optional(), messageId: Id, conversationId: Id });

// Realtime payloads.
export const NewConversationEvent = z.object({ conversationId: Id, visitorName: z.string().max(1000).nullable().optional(), firstMessage: z.string().optional(), createdAt: IsoTime });
/** The preview (the text's first 50 characters) tells which message an alert is for; one that is not text is ignored, as before. */
export const MessageAlertEvent = z.object({ conversationId: Id, messagePreview: z.string().optional().catch(undefined) });
export const ConversationUpdatedEvent = z.object({ conversationId: Id, status: Status, updatedAt: IsoTime.optional() });
export const VisitorOnlineEvent = z.object({ conversationId: Id, online: z.boolean() });
export const MessageReadEvent = z.object({ messageIds: z.array(Id).max(10_000), readAt: IsoTime, readerType: z.enum(['visitor', 'admin']).optional() });
export const TypingEvent = z.object({ senderType: z.enum(['visitor', 'admin']), isTyping: z.boolean() });

export const toRemoteMessage = (m: WireMessage): RemoteMessage => ({
  remoteId: String(m.id),
  clientId: m.clientMessageId ?? null,
  seq: m.id,
  senderType: m.senderType,
  senderId: m.senderId == null ? null : String(m.senderId),
  content: m.content,
  createdAt: Date.parse(m.createdAt),
  readAt: m.readAt ? Date.parse(m.readAt) : m.isRead ? Date.parse(m.createdAt) : null,
});

export const toRemoteConversation = (c: z.infer<typeof WireConversation>): RemoteConversation => ({
  remoteId: String(c.id),
  visitorName: c.visitorName ?? null,
  visitorEmail: c.visitorEmail ?? null,
  serverStatus: c.status,
  createdAt: Date.parse(c.createdAt),
  lastMessageAt: c.lastMessageAt ? Date.parse(c.lastMessageAt) : c.lastMessage ? Date.parse(c.lastMessage.createdAt) : null,
  lastMessagePreview: c.lastMessage?.content.slice(0, 200) ?? null,
  ...(c.visitorOnline === undefined ? {} : { visitorOnline: c.visitorOnline }),
});
