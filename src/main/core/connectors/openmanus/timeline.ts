// What the console keeps of an OpenManus conversation: its messages and the agent's events as
// one timeline. Each item has the text search indexes and, for events, the payload kept whole
// (as JSON text, never interpreted as markup). Pure functions: no I/O, no clock.
import type { WireMessage } from './wire';

export type TimelineSender = 'user' | 'agent' | 'tool' | 'system';
/** What the agent is doing, as far as one item tells. */
export type RunState = 'running' | 'finished' | 'failed' | 'stuck';

export interface TimelineItem {
  remoteId: string;
  conversationRemoteId: string;
  /** 'text': a message to show as a message; 'event': a step row (tool call, result, step…). */
  kind: 'text' | 'event';
  sender: TimelineSender;
  /** The event name (`agent.step`, …), or `message.tool_call` / `message.tool` for stored messages. */
  event: string | null;
  /** Searchable text: the message, or a short summary of the event and its main text. */
  text: string;
  /** The event's payload (or the stored message's extra fields), capped at MAX_PAYLOAD as JSON. */
  payload: unknown;
  payloadTruncated: boolean;
  isError: boolean;
  runState: RunState | null;
  /**
   * The order within one millisecond: the stored time's microseconds past the millisecond. The
   * mirror orders by (createdAt in ms, seq); an agent writes a tool call and its result within
   * the same millisecond, and without this the two could show swapped.
   */
  seq?: number;
  createdAt: number;
}

export const MAX_TEXT = 20_000;
export const MAX_PAYLOAD = 256 * 1024;

const clip = (s: string, max = MAX_TEXT) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** A payload to keep: itself when its JSON is small enough, else a notice with a preview of it. */
export function keptPayload(value: unknown): { payload: unknown; truncated: boolean } {
  if (value === undefined || value === null) return { payload: null, truncated: false };
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    return { payload: { truncated: true, unencodable: String(error) }, truncated: true };
  }
  if (json.length <= MAX_PAYLOAD) return { payload: value, truncated: false };
  // The preview is JSON text inside JSON: escaping can double it, so half the cap keeps the whole under it.
  return { payload: { truncated: true, size: json.length, preview: json.slice(0, MAX_PAYLOAD / 2 - 200) }, truncated: true };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v) ?? '');

/** A one-line summary plus the event's main text, for search and for the step row. */
export function summarize(event: string, payload: Record<string, unknown>): { text: string; isError: boolean; runState: RunState | null } {
  const p = payload;
  switch (event) {
    case 'agent.step':
      return { text: `Step ${str(p.step)} of ${str(p.max_steps)}`, isError: false, runState: 'running' };
    case 'agent.thoughts.start':
      return { text: 'Thinking…', isError: false, runState: 'running' };
    case 'agent.thoughts.finish':
      return { text: clip(str(p.content)) || 'Thought', isError: false, runState: 'running' };
    case 'agent.tools_prepared':
      return { text: `Using ${str(p.tool_name) || 'a tool'}…`, isError: false, runState: 'running' };
    case 'agent.tool_result':
      return { text: clip(`${str(p.tool_name) || 'Tool'} result: ${str(p.result)}`), isError: false, runState: 'running' };
    case 'agent.tool_error':
      return { text: clip(`${str(p.tool) || 'Tool'} failed: ${str(p.error)}`), isError: true, runState: 'running' };
    case 'agent.finished':
      return { text: 'Agent finished', isError: false, runState: 'finished' };
    case 'agent.error':
      return { text: clip(`Agent error: ${[str(p.type), str(p.detail)].filter(Boolean).join(': ')}`), isError: true, runState: 'failed' };
    case 'agent.stuck':
      return { text: clip(`Agent stuck${p.detail ? `: ${str(p.detail)}` : ''}`), isError: true, runState: 'stuck' };
    case 'file.created':
    case 'file.updated': {
      const file = (p.file && typeof p.file === 'object' ? p.file : {}) as Record<string, unknown>;
      const name = str(file.path) || str(file.name) || str(p.file);
      return { text: clip(`File ${event === 'file.created' ? 'created' : 'updated'}: ${name}`), isError: false, runState: null };
    }
    default:
      return { text: clip(`${event} ${JSON.stringify(keptPayload(payload).payload) ?? ''}`, 500), isError: false, runState: null };
  }
}

/**
 * What a stored message says about the run, for a client that missed the live events: a user
 * message starts a run, an assistant answer ends it, and the backend's system notes say
 * "Error: …" or "Agent stuck: …".
 */
function storedRunState(role: WireMessage['role'], content: string): RunState | null {
  if (role === 'user') return 'running';
  if (role === 'assistant') return 'finished';
  if (role === 'system' && /^error\b/i.test(content)) return 'failed';
  if (role === 'system' && /\bstuck\b/i.test(content)) return 'stuck';
  return null;
}

/** The microseconds past the millisecond of an ISO time ("…:38.123456Z" → 456); 0 without them. */
export function subMillisecond(iso: string): number {
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  return fraction.length > 3 ? Number(fraction.slice(3, 6).padEnd(3, '0')) : 0;
}

/** A stored message as a timeline item: assistant tool calls and tool results are step rows. */
export function messageItem(m: WireMessage, conversationRemoteId: string): TimelineItem {
  const createdAt = Date.parse(m.created_at);
  const content = m.content ?? '';
  const base = { remoteId: m.id, conversationRemoteId: m.conversation_id ?? conversationRemoteId, createdAt, seq: subMillisecond(m.created_at), payloadTruncated: false };
  if (m.role === 'assistant' && m.tool_calls && m.tool_calls.length > 0) {
    const names = m.tool_calls.map((c) => c.function?.name ?? 'a tool').join(', ');
    const p = keptPayload({ tool_calls: m.tool_calls });
    const running: TimelineItem['runState'] = m.tool_calls.some((c) => c.function?.name === 'terminate') ? null : 'running';
    return { ...base, kind: 'event', sender: 'agent', event: 'message.tool_call', text: clip(`Using ${names}…${content ? ` ${content}` : ''}`), payload: p.payload, payloadTruncated: p.truncated, isError: false, runState: running };
  }
  if (m.role === 'tool') {
    const p = keptPayload({ tool_call_id: m.tool_call_id ?? null });
    return { ...base, kind: 'event', sender: 'tool', event: 'message.tool', text: clip(content), payload: p.payload, payloadTruncated: p.truncated, isError: /^error\b/i.test(content), runState: 'running' };
  }
  const sender: TimelineSender = m.role === 'user' ? 'user' : m.role === 'assistant' ? 'agent' : 'system';
  const text = clip(m.base64_image ? `${content}${content ? ' ' : ''}[image]` : content);
  return { ...base, kind: 'text', sender, event: null, text, payload: null, isError: sender === 'system' && /^error\b/i.test(content), runState: storedRunState(m.role, content) };
}
