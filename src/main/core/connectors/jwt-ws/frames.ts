// Socket frames of a jwt-ws server (backends.md §4, as deployed). One WebSocket message can hold
// several `{type, data, timestamp, id}` frames separated by "\n"; each line is parsed on its own,
// so one bad line costs only itself. Known types are checked with zod; unknown types are kept
// (and logged by the caller), never fatal.
import { z } from 'zod';

/** A line longer than this is skipped unread (the server's own frames are a few hundred bytes). */
export const MAX_FRAME_CHARS = 256 * 1024;
/** The server closes the socket (1009) on any inbound message over 512 bytes. */
export const MAX_OUTBOUND_BYTES = 512;

const Id = z.string().min(1).max(200);
const Time = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), 'not a date');
const Content = z.string().max(100_000);

const MessageData = z.object({
  message_id: Id,
  room_id: Id,
  user_id: Id,
  type: z.string().max(50).optional(),
  content: Content,
  metadata: z.unknown().optional(),
  reply_to_id: Id.nullable().optional(),
  created_at: Time,
});
const EditData = z.object({ message_id: Id, room_id: Id, user_id: Id.optional(), content: Content, edited_at: Time.nullable().optional() });
const DeleteData = z.object({ message_id: Id, room_id: Id, user_id: Id.optional(), deleted_at: Time.nullable().optional() });
const TypingData = z.object({ room_id: Id, user_id: Id, username: z.string().max(200).optional() });
const StatusData = z.object({ user_id: Id, username: z.string().max(200).optional(), status: z.string().max(50) });
const MemberData = z.object({ room_id: Id, user_id: Id, username: z.string().max(200).optional() });
const RoomRef = z.object({ room_id: Id });

/** Frames the connector acts on, by type. */
export const frameSchemas = {
  auth: z.object({ status: z.string().max(50), user_id: Id }),
  pong: z.unknown(),
  error: z.object({ message: z.string().max(2000) }).partial(),
  message: MessageData,
  message_edit: EditData,
  message_delete: DeleteData,
  typing_start: TypingData,
  typing_stop: TypingData,
  user_status_change: StatusData,
  user_join: MemberData,
  user_leave: MemberData,
  room_join: RoomRef,
  room_leave: RoomRef,
} as const;

export type KnownFrameType = keyof typeof frameSchemas;
export type KnownFrame = { [K in KnownFrameType]: { type: K; data: z.output<(typeof frameSchemas)[K]>; id: string | null; timestamp: string | null } }[KnownFrameType];
export interface UnknownFrame {
  type: string;
  unknown: true;
  data: unknown;
}
export type InboundFrame = KnownFrame | UnknownFrame;
/** Narrows a parsed frame to one known type. */
export function isFrame<K extends KnownFrameType>(f: InboundFrame, type: K): f is Extract<KnownFrame, { type: K }> {
  return f.type === type && !('unknown' in f);
}

export type MessageFrameData = z.output<typeof MessageData>;

export interface SkippedLine {
  reason: string;
  /** The start of the line, for the log (never rendered). */
  sample: string;
}

const Envelope = z.object({
  type: z.string().min(1).max(100),
  data: z.unknown().optional(),
  timestamp: z.string().max(64).nullable().optional(),
  id: z.string().max(200).nullable().optional(),
});

const isKnown = (t: string): t is KnownFrameType => Object.prototype.hasOwnProperty.call(frameSchemas, t);

function parseLine(line: string): InboundFrame | SkippedLine {
  const sample = line.slice(0, 80);
  if (line.length > MAX_FRAME_CHARS) return { reason: `frame of ${line.length} characters skipped`, sample };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { reason: 'invalid JSON', sample };
  }
  const env = Envelope.safeParse(json);
  if (!env.success) return { reason: 'not a {type, data} frame', sample };
  const { type, data } = env.data;
  if (!isKnown(type)) return { type, unknown: true, data };
  const parsed = frameSchemas[type].safeParse(data);
  if (!parsed.success) return { reason: `malformed ${type} frame: ${parsed.error.issues[0]?.message ?? 'invalid'}`, sample };
  return { type, data: parsed.data, id: env.data.id ?? null, timestamp: env.data.timestamp ?? null } as KnownFrame;
}

/** Splits one WebSocket message on "\n" and parses every non-empty line alone. */
export function parseFrames(message: string): { frames: InboundFrame[]; skipped: SkippedLine[] } {
  const frames: InboundFrame[] = [];
  const skipped: SkippedLine[] = [];
  for (const raw of message.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const r = parseLine(line);
    if ('reason' in r) skipped.push(r);
    else frames.push(r);
  }
  return { frames, skipped };
}

/** A client frame, or null when it would be over the server's 512-byte limit (it would close the socket). */
export function encodeClientFrame(type: string, data: unknown): string | null {
  const text = JSON.stringify({ type, data });
  return Buffer.byteLength(text, 'utf8') <= MAX_OUTBOUND_BYTES ? text : null;
}
