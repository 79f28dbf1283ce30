// Socket frames of one conversation → timeline items. `message.created` carries a stored message
// (its id dedupes it against REST catch-up); every other event becomes an 'event' item with a
// local id, since the backend neither numbers nor replays them. Events are stamped in the
// server's clock, estimated from the stored messages, so they sort between the messages around them.
import { keptPayload, messageItem, summarize, type TimelineItem } from './timeline';
import { NotifyFrame, WireMessage } from './wire';

export type FrameResult = { ok: true; item: TimelineItem } | { ok: false; reason: string };

export const MAX_FRAME_CHARS = 8 * 1024 * 1024;

export interface FrameParserOptions {
  conversationRemoteId: string;
  now: () => number;
  /** A unique id for an event item (tests pass a counter). */
  newId: () => string;
}

export class FrameParser {
  /** server clock − local clock, learnt from `message.created`. */
  private offsetMs = 0;
  private lastStamp = 0;

  constructor(private readonly options: FrameParserOptions) {}

  /** Learn the server clock from a stored message (a frame or a REST page). */
  observeServerTime(createdAt: number): void {
    if (!Number.isFinite(createdAt)) return;
    this.offsetMs = createdAt - this.options.now();
    this.lastStamp = Math.max(this.lastStamp, createdAt);
  }

  parse(raw: string | Buffer): FrameResult {
    const text = typeof raw === 'string' ? raw : raw.toString('utf8');
    if (text.length > MAX_FRAME_CHARS) return { ok: false, reason: `frame of ${text.length} characters is over the limit` };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'frame is not JSON' };
    }
    const frame = NotifyFrame.safeParse(json);
    if (!frame.success) return { ok: false, reason: `not a notify frame: ${frame.error.issues[0]?.message ?? 'invalid'}` };
    const { event } = frame.data;
    const payload = frame.data.payload ?? {};
    if (event === 'message.created') {
      const message = WireMessage.safeParse(payload.message);
      if (!message.success) return { ok: false, reason: `message.created without a valid message: ${message.error.issues[0]?.message ?? 'invalid'}` };
      const item = messageItem(message.data, this.options.conversationRemoteId);
      if (item.conversationRemoteId !== this.options.conversationRemoteId) return { ok: false, reason: 'message of another conversation' };
      this.observeServerTime(item.createdAt);
      return { ok: true, item };
    }
    const summary = summarize(event, payload);
    const kept = keptPayload(payload);
    return {
      ok: true,
      item: {
        remoteId: this.options.newId(),
        conversationRemoteId: this.options.conversationRemoteId,
        kind: 'event',
        sender: event.startsWith('file.') ? 'tool' : 'agent',
        event,
        text: summary.text,
        payload: kept.payload,
        payloadTruncated: kept.truncated,
        isError: summary.isError,
        runState: summary.runState,
        createdAt: this.stamp(),
      },
    };
  }

  /** Estimated server time, strictly after the previous stamp so arrival order is kept. */
  private stamp(): number {
    this.lastStamp = Math.max(this.options.now() + this.offsetMs, this.lastStamp + 1);
    return this.lastStamp;
  }
}
