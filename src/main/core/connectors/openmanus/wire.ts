// The OpenManus backend's wire format (backends.md §5, as deployed), checked with zod before
// anything reaches the mirror. Unknown extra fields are ignored; unknown roles and events are not
// errors (the backend grows), but malformed shapes are.
import { z } from 'zod';

const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const Text = (max: number) => z.string().max(max);

export const Role = z.enum(['user', 'assistant', 'tool', 'system']);
export type Role = z.infer<typeof Role>;

export const WireToolCall = z.object({
  id: Text(200).optional(),
  type: Text(50).optional(),
  function: z.object({ name: Text(200), arguments: z.unknown().optional() }).optional(),
});

export const WireMessage = z.object({
  id: z.union([Text(100).min(1), z.number().int()]).transform(String),
  conversation_id: z.union([Text(100), z.number().int()]).transform(String).optional(),
  role: Role,
  content: Text(5_000_000).nullable().optional(),
  tool_calls: z.array(WireToolCall).max(100).nullable().optional(),
  tool_call_id: Text(200).nullable().optional(),
  base64_image: z.string().nullable().optional(),
  created_at: IsoTime,
  updated_at: IsoTime.optional(),
});
export type WireMessage = z.infer<typeof WireMessage>;

export const WireConversation = z.object({
  id: Text(100).min(1),
  title: Text(10_000).nullable().optional(),
  llm_model: Text(500).nullable().optional(),
});
export type WireConversation = z.infer<typeof WireConversation>;

export const ConversationList = z.array(z.unknown());

export const ConversationDetail = z.object({
  conversation: WireConversation.extend({ created_at: IsoTime.optional(), updated_at: IsoTime.optional() }),
  messages: z.array(z.unknown()),
  message_count: z.number().int().nonnegative().optional(),
  total_cost: z.number().optional(),
  first_initiate: z.boolean().optional(),
});
export type ConversationDetail = z.infer<typeof ConversationDetail>;

export const MessageList = z.array(z.unknown());

export const SendResult = z.object({
  message: z.unknown().optional(),
  message_id: z.union([Text(100).min(1), z.number().int()]).transform(String),
  attachments_count: z.number().int().nonnegative().optional(),
});

/** A socket frame. `payload` is checked per event by the frame parser. */
export const NotifyFrame = z.object({
  type: z.literal('notify'),
  event: Text(200).min(1),
  payload: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type NotifyFrame = z.infer<typeof NotifyFrame>;

/** Parses a list of unknown items one by one: a bad item is reported and skipped, not fatal. */
export function parseEach<T extends z.ZodType>(schema: T, items: unknown[], warn: (message: string) => void, what: string): z.output<T>[] {
  const out: z.output<T>[] = [];
  for (const [i, item] of items.entries()) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else warn(`Skipped a malformed ${what} (#${i}): ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return out;
}
