// REST payloads of a jwt-ws server (backends.md §4, as deployed), checked with zod before anything
// reaches the mirror. Unknown extra fields are ignored; unknown room types are kept as 'group'.
import { z } from 'zod';

const Id = z.string().min(1).max(200);
const Time = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const Name = z.string().max(1000);

/** `{success, message, data, meta?}`; failures carry `message` (and often `error`). */
export const Envelope = <T extends z.ZodType>(data: T) =>
  z.object({
    success: z.literal(true),
    message: z.string().max(2000).optional(),
    data,
    meta: z.object({ page: z.number(), limit: z.number(), total: z.number(), total_pages: z.number() }).optional(),
  });

export const WireUser = z.object({
  id: Id,
  email: z.string().max(1000).optional(),
  username: Name,
  display_name: Name.nullable().optional(),
  status: z.string().max(50).optional(),
});
export type WireUser = z.infer<typeof WireUser>;

export const WireMember = z.object({
  user_id: Id,
  username: Name,
  display_name: Name.nullable().optional(),
  role: z.string().max(50).optional(),
  status: z.string().max(50).optional(),
  is_online: z.boolean().optional(),
});
export type WireMember = z.infer<typeof WireMember>;

export const WireMessage = z.object({
  id: Id,
  room_id: Id,
  sender_id: Id,
  reply_to_id: Id.nullable().optional(),
  type: z.string().max(50).optional(),
  content: z.string().max(100_000),
  metadata: z.unknown().optional(),
  is_edited: z.boolean().optional(),
  edited_at: Time.nullable().optional(),
  is_deleted: z.boolean().optional(),
  created_at: Time,
});
export type WireMessage = z.infer<typeof WireMessage>;

export const roomTypes = ['direct', 'group', 'public', 'broadcast'] as const;
export const WireRoom = z.object({
  id: Id,
  name: Name.nullable().optional(),
  type: z.string().max(50).transform((t) => ((roomTypes as readonly string[]).includes(t) ? (t as (typeof roomTypes)[number]) : 'group')),
  description: z.string().max(10_000).nullable().optional(),
  created_at: Time.optional(),
  updated_at: Time.optional(),
  members: z.array(WireMember).max(10_000).optional(),
  member_count: z.number().int().nonnegative().optional(),
  last_message: WireMessage.nullable().optional(),
  unread_count: z.number().int().nonnegative().optional(),
});
export type WireRoom = z.infer<typeof WireRoom>;

export const TokenPair = z.object({
  user: WireUser,
  access_token: z.string().min(1).max(10_000),
  refresh_token: z.string().min(1).max(10_000),
  expires_at: Time.optional(),
  session_id: z.string().max(200).optional(),
});
export type TokenPair = z.infer<typeof TokenPair>;

/** How a room is called in the inbox: its name, or for a direct room (name "") the other member. */
export function roomTitle(room: WireRoom, selfId: string | null): string {
  const name = room.name?.trim();
  if (name) return name;
  const others = (room.members ?? []).filter((m) => m.user_id !== selfId);
  const names = others.map((m) => m.display_name?.trim() || m.username).filter(Boolean);
  if (names.length > 0) return names.slice(0, 3).join(', ') + (names.length > 3 ? ` +${names.length - 3}` : '');
  return room.type === 'direct' ? 'Direct chat' : 'Room';
}
