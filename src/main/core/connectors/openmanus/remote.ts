// Timeline items and conversations as the mirror's RemoteMessage / RemoteConversation.
import type { SenderType } from '../../../../shared/domain';
import type { RemoteConversation, RemoteMessage } from '../../mirror/types';
import type { TimelineItem, TimelineSender } from './timeline';
import type { ConversationDetail, WireConversation } from './wire';

// The console user is the one asking: their messages are the "ours" side (admin), like replies.
const SENDERS: Record<TimelineSender, SenderType> = { user: 'admin', agent: 'agent', tool: 'tool', system: 'system' };

/** What an event row keeps beside its text: the event, how it reads, and the backend's payload. */
export interface OpenManusEventPayload {
  event: string | null;
  error: boolean;
  run: TimelineItem['runState'];
  truncated: boolean;
  data: unknown;
}

export function toRemoteMessage(item: TimelineItem, clientId: string | null = null): RemoteMessage {
  const base = { remoteId: item.remoteId, clientId, seq: item.seq ?? 0, senderType: SENDERS[item.sender], content: item.text, createdAt: item.createdAt };
  if (item.kind === 'event') {
    const payload: OpenManusEventPayload = { event: item.event, error: item.isError, run: item.runState, truncated: item.payloadTruncated, data: item.payload };
    return { ...base, kind: 'event', payload };
  }
  // A message that starts or ends a run says so too (the console derives "running" from it, see
  // src/main/core/agents): a user message starts one, an answer or a system note ends it.
  const kind = item.sender === 'system' ? 'system' : 'text';
  return item.runState ? { ...base, kind, payload: { run: item.runState } } : { ...base, kind };
}

/** The list gives id, title and model only; the detail adds the times and the messages. */
export function toRemoteConversation(c: WireConversation, detail: ConversationDetail | null, items: TimelineItem[], now: number): RemoteConversation {
  const last = items.at(-1);
  const created = detail?.conversation.created_at ? Date.parse(detail.conversation.created_at) : (items[0]?.createdAt ?? now);
  return {
    remoteId: c.id,
    visitorName: c.title?.trim() ? c.title.trim().slice(0, 200) : (c.llm_model ?? null),
    visitorEmail: null,
    serverStatus: null,
    createdAt: created,
    ...(last ? { lastMessageAt: last.createdAt, lastMessagePreview: last.text.slice(0, 200) } : {}),
  };
}
