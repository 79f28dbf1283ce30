// The Django mentor chat's wire format as deployed (backends.md §2), checked with zod before
// anything reaches the mirror. Unknown extra fields are ignored.
import { z } from 'zod';
import type { RemoteConversation, RemoteMessage } from '../../mirror/types';

const Id = z.union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const Text = (max: number) => z.string().max(max);

export const WireProfile = z.object({
  user_id: Id.optional(),
  full_name: Text(1000).nullable().optional(),
  username: Text(1000).nullable().optional(),
  email: Text(1000).nullable().optional(),
  role: Text(100).nullable().optional(),
});
export type WireProfile = z.infer<typeof WireProfile>;

export const WireMessage = z.object({
  id: Id,
  sender: Id,
  sender_profile: WireProfile.nullable().optional(),
  content: z.string().max(100_000),
  timestamp: IsoTime,
  is_read: z.boolean().optional(),
  is_own_message: z.boolean(),
});
export type WireMessage = z.infer<typeof WireMessage>;

export const WireConversation = z.object({
  id: Id,
  student_profile: WireProfile.nullable().optional(),
  teacher_profile: WireProfile.nullable().optional(),
  created_at: IsoTime,
  updated_at: IsoTime.optional(),
  last_message: z.unknown().optional(),
  unread_message_count_for_user: z.number().int().nonnegative().optional(),
});
export type WireConversation = z.infer<typeof WireConversation>;

/** DRF's page-number envelope; rows are checked one by one so one bad row is skipped, not fatal. */
export const WirePage = z.object({
  count: z.number().int().nonnegative(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
  results: z.array(z.unknown()),
});

export const LoginResult = z.object({
  access: z.string().min(1),
  refresh: z.string().min(1),
  user: z.object({ id: Id, username: z.string().optional(), role: z.string().nullable().optional() }).passthrough(),
});
export const RefreshResult = z.object({ access: z.string().min(1), refresh: z.string().min(1).optional() });

// Socket frames.
export const ConnectionEstablished = z.object({ type: z.literal('connection_established'), conversation_id: z.union([z.string(), z.number()]) });
export const NewMessageFrame = z.object({ type: z.literal('new_message'), message: WireMessage });
export const ErrorFrame = z.object({ error: z.string() });

const name = (p: WireProfile | null | undefined): string | null => p?.full_name?.trim() || p?.username?.trim() || null;

/** The console user is the teacher: `is_own_message` (as the server saw it for us) says who wrote. */
export const toRemoteMessage = (m: WireMessage): RemoteMessage => ({
  remoteId: String(m.id),
  seq: m.id,
  senderType: m.is_own_message ? 'admin' : 'visitor',
  senderId: String(m.sender),
  senderName: name(m.sender_profile),
  content: m.content,
  createdAt: Date.parse(m.timestamp),
  // The server marks the student's messages read whenever the teacher reads history or opens a
  // socket, so its is_read says nothing about the teacher: only ours carry a read receipt
  // (the student read it). Unread is kept on this computer.
  readAt: m.is_own_message && m.is_read ? Date.parse(m.timestamp) : null,
});

export function toRemoteConversation(c: WireConversation, log: (m: string) => void): RemoteConversation {
  const last = c.last_message == null ? null : WireMessage.safeParse(c.last_message);
  if (last && !last.success) log('django-chat: a conversation’s last message was malformed; ignored');
  const lastMessage = last?.success ? last.data : null;
  const student = c.student_profile;
  return {
    remoteId: String(c.id),
    visitorName: name(student),
    visitorEmail: student?.email ?? null,
    visitorUsername: student?.username?.trim() || null,
    serverStatus: null,
    createdAt: Date.parse(c.created_at),
    lastMessageAt: lastMessage ? Date.parse(lastMessage.timestamp) : null,
    lastMessagePreview: lastMessage ? lastMessage.content.slice(0, 200) : null,
  };
}
