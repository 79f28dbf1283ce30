// A page of portfolio messages checked and converted in one plain pass: the same rules as
// WireMessage (wire.ts) followed by toRemoteMessage, without zod's copy of every message and
// with each time parsed once. zod and the conversion were 30-40 ms of CPU in a catch-up of
// 10,000 messages (bench: catch-up, floorCpuMs.wire); this pass is a fraction of that.
// It answers null for anything it is not sure of (any message WireMessage would refuse, and
// nothing more): the caller then takes the zod path, which names and skips the bad message.
// tests/unit/portfolio-message-page-check.test.ts holds it to WireMessage on every field.
import type { RemoteMessage } from '../../mirror/types';

/** WireMessage's Id: a positive safe integer, or 1-15 digits as text (then a number). */
function id(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return null;
}

/** z.string().max(max): zod counts code points (a surrogate pair once), not UTF-16 units. */
const within = (s: string, max: number): boolean => s.length <= max || [...s].length <= max;

/** WireMessage's IsoTime, as milliseconds; NaN when it is not one. */
const time = (value: unknown): number => (typeof value === 'string' ? Date.parse(value) : Number.NaN);

function message(raw: unknown): RemoteMessage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  const messageId = id(m.id);
  if (messageId === null) return null;
  if (m.conversationId !== undefined && id(m.conversationId) === null) return null;
  const { content, senderType, senderId, isRead, readAt, clientMessageId } = m;
  if (typeof content !== 'string') return null;
  if (senderType !== 'visitor' && senderType !== 'admin') return null;
  if (senderId !== undefined && senderId !== null && typeof senderId !== 'string' && !(typeof senderId === 'number' && Number.isFinite(senderId))) return null;
  if (isRead !== undefined && typeof isRead !== 'boolean') return null;
  if (clientMessageId !== undefined && clientMessageId !== null && !(typeof clientMessageId === 'string' && within(clientMessageId, 100))) return null;
  const createdAt = time(m.createdAt);
  if (Number.isNaN(createdAt)) return null;
  let read: number | null = null;
  if (readAt !== undefined && readAt !== null) {
    read = time(readAt);
    if (Number.isNaN(read)) return null;
  } else if (isRead) read = createdAt;
  return {
    remoteId: String(messageId),
    clientId: (clientMessageId as string | null | undefined) ?? null,
    seq: messageId,
    senderType,
    senderId: senderId == null ? null : String(senderId),
    content,
    createdAt,
    readAt: read,
  };
}

/** The page as toRemoteMessage makes it from WireMessage's output; null when any message would fail WireMessage. */
export function checkMessagePage(raw: readonly unknown[]): RemoteMessage[] | null {
  const items: RemoteMessage[] = new Array<RemoteMessage>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const m = message(raw[i]);
    if (m === null) return null;
    items[i] = m;
  }
  return items;
}
