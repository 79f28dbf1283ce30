// Input validation: the seed's §9.2 schemas (sendMessageSchema, createSessionSchema), widened only
// where the seed's own widget needs it (conversationId: null for a new conversation, a null
// stored token), plus the extensions' schemas.
import { z } from 'zod';

export const sendMessageSchema = z.object({
  conversationId: z.number().int().positive().nullable().optional(),
  content: z.string().min(1, 'Message cannot be empty').max(2000, 'Message too long'),
  visitorName: z.string().max(100).nullable().optional(),
  visitorEmail: z.string().email().max(255).nullable().optional(),
  /** Extension: idempotency key (UUID). */
  clientMessageId: z.string().uuid().optional(),
});

export const createSessionSchema = z.object({
  sessionToken: z.string().uuid().nullable().optional(),
});

export const updateConversationSchema = z.object({
  status: z.enum(['active', 'resolved', 'closed']),
});

export const markReadSchema = z.object({
  conversationId: z.number().int().positive(),
  messageIds: z.array(z.number().int().positive()).min(1).max(500),
});

export const adminLoginSchema = z.object({
  email: z.string().email().max(255),
  password: z.string().min(1).max(1024),
});

const positiveIntString = z.string().regex(/^\d{1,15}$/, 'must be a positive integer').transform(Number);

export const messagesQuerySchema = z.object({
  conversationId: positiveIntString,
  limit: positiveIntString.pipe(z.number().int().min(1).max(100)).optional(),
  before: positiveIntString.optional(),
  after: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a non-negative integer')
    .transform(Number)
    .optional(),
});

export const conversationsQuerySchema = z.object({
  status: z.enum(['active', 'resolved', 'closed', 'all']).optional(),
  limit: positiveIntString.pipe(z.number().int().min(1).max(100)).optional(),
  page: positiveIntString.pipe(z.number().int().min(1)).optional(),
  updatedSince: z.string().datetime({ offset: true }).optional(),
});

export function formatZodError(err: z.ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
