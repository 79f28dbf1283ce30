// Request bodies of the jwt-ws REST API.
import { z } from 'zod';

export const registerSchema = z.object({
  email: z.string().email().max(255),
  username: z.string().regex(/^[A-Za-z0-9_.-]{3,32}$/, 'username: 3-32 letters, digits, _ . -'),
  password: z.string().min(8).max(1024),
  display_name: z.string().min(1).max(100).optional(),
});

export const loginSchema = z.object({
  email: z.string().email().max(255),
  password: z.string().min(1).max(1024),
  device_id: z.string({ error: 'device_id is required' }).min(1, 'device_id is required').max(255),
  device_type: z.enum(['web', 'mobile', 'desktop']).optional(),
});

export const refreshSchema = z.object({ refresh_token: z.string().min(1).max(1024) });

export const createRoomSchema = z.object({
  name: z.string().trim().min(1).max(100),
  type: z.enum(['group', 'public', 'broadcast']).default('group'),
  description: z.string().max(500).optional(),
  member_ids: z.array(z.string().uuid()).max(500).optional(),
});

const content = z.string().max(5000, 'Message too long').refine((s) => s.trim().length > 0, 'Message cannot be empty');

export const sendMessageSchema = z.object({
  room_id: z.string().uuid(),
  content,
  type: z.enum(['text', 'image', 'file']).default('text'),
  reply_to_id: z.string().uuid().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const editMessageSchema = z.object({ content });

export const uuidParam = z.string().uuid();

export function formatZodError(err: z.ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Go's strconv-and-default handling of page/limit: garbage falls back, limit is capped at 100. */
export function pageParams(url: URL): { page: number; limit: number } {
  const int = (v: string | null, fallback: number): number => {
    const n = Number(v);
    return v !== null && /^\d{1,9}$/.test(v) && n > 0 ? n : fallback;
  };
  return { page: int(url.searchParams.get('page'), 1), limit: Math.min(int(url.searchParams.get('limit'), 50), 100) };
}
