// The edges of the openmanus timeline (pure functions): the fallbacks of each event's summary,
// payload caps, the sub-millisecond order of stored messages, the run state they imply, and the
// frame parser's limits. Payloads are shaped like the deployed backend's (backends.md §5).
import { describe, expect, it } from 'vitest';
import { FrameParser, MAX_FRAME_CHARS } from '../../src/main/core/connectors/openmanus/frames';
import { normalizeBaseUrl } from '../../src/main/core/connectors/openmanus/rest-client';
import { MAX_PAYLOAD, MAX_TEXT, keptPayload, messageItem, subMillisecond, summarize } from '../../src/main/core/connectors/openmanus/timeline';
import { WireMessage, parseEach } from '../../src/main/core/connectors/openmanus/wire';

const CONV = 'c0ffee00-0000-4000-8000-000000000001';
const stored = (over: Record<string, unknown>) =>
  WireMessage.parse({ id: 'm1', conversation_id: CONV, role: 'assistant', content: 'ok', tool_calls: null, tool_call_id: null, base64_image: null, created_at: '2026-12-01T10:00:00.123456Z', ...over });

describe('summarize fallbacks', () => {
  it('names what is missing', () => {
    expect(summarize('agent.thoughts.finish', {}).text).toBe('Thought');
    expect(summarize('agent.thoughts.finish', { content: null }).text).toBe('Thought');
    expect(summarize('agent.tools_prepared', {}).text).toBe('Using a tool…');
    expect(summarize('agent.tool_result', { result: { rows: 2 } }).text).toBe('Tool result: {"rows":2}');
    expect(summarize('agent.tool_error', {})).toEqual({ text: 'Tool failed: ', isError: true, runState: 'running' });
    expect(summarize('agent.error', { detail: 'rate limited' }).text).toBe('Agent error: rate limited');
    expect(summarize('agent.error', {}).text).toBe('Agent error: ');
    expect(summarize('agent.stuck', { detail: 'same answer 3 times' }).text).toBe('Agent stuck: same answer 3 times');
    expect(summarize('file.created', { file: '/workspace/report.md' }).text).toBe('File created: /workspace/report.md');
    expect(summarize('file.updated', { file: { path: '', name: 'n.txt' } }).text).toBe('File updated: n.txt');
    expect(summarize('agent.step', { step: 2 }).text).toBe('Step 2 of ');
  });

  it('cuts long text at 20,000 characters (with an ellipsis), and an unknown event at 500', () => {
    const long = 'a'.repeat(MAX_TEXT + 10);
    const cut = summarize('agent.thoughts.finish', { content: long }).text;
    expect(cut).toHaveLength(MAX_TEXT);
    expect(cut.endsWith('a…')).toBe(true);
    expect(summarize('agent.thoughts.finish', { content: 'b'.repeat(MAX_TEXT) }).text).toBe('b'.repeat(MAX_TEXT));
    const unknown = summarize('agent.usage', { note: 'z'.repeat(1000) });
    expect(unknown).toMatchObject({ isError: false, runState: null });
    expect(unknown.text).toHaveLength(500);
    expect(unknown.text.startsWith('agent.usage {"note":"zzz')).toBe(true);
  });
});

describe('keptPayload', () => {
  it('keeps small payloads whole, none as null, and refuses what JSON cannot hold', () => {
    expect(keptPayload(undefined)).toEqual({ payload: null, truncated: false });
    expect(keptPayload(null)).toEqual({ payload: null, truncated: false });
    expect(keptPayload({ a: 1 })).toEqual({ payload: { a: 1 }, truncated: false });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const refused = keptPayload(circular);
    expect(refused.truncated).toBe(true);
    expect(refused.payload).toMatchObject({ truncated: true });
    expect(String((refused.payload as { unencodable: string }).unencodable)).toMatch(/circular/i);
  });

  it('a payload at the cap is kept; over it, a preview of half the cap', () => {
    const at = 'x'.repeat(MAX_PAYLOAD - 2); // its JSON has the two quotes
    expect(keptPayload(at)).toEqual({ payload: at, truncated: false });
    const over = keptPayload('x'.repeat(MAX_PAYLOAD - 1));
    expect(over.truncated).toBe(true);
    const p = over.payload as { truncated: boolean; size: number; preview: string };
    expect(p.truncated).toBe(true);
    expect(p.size).toBe(MAX_PAYLOAD + 1);
    expect(p.preview).toHaveLength(MAX_PAYLOAD / 2 - 200);
    expect(p.preview.startsWith('"xxx')).toBe(true);
  });
});

describe('stored messages', () => {
  it('order within a millisecond comes from the microseconds', () => {
    expect(subMillisecond('2026-12-01T10:00:00.123456Z')).toBe(456);
    expect(subMillisecond('2026-12-01T10:00:00.1234Z')).toBe(400);
    expect(subMillisecond('2026-12-01T10:00:00.123Z')).toBe(0);
    expect(subMillisecond('2026-12-01T10:00:00Z')).toBe(0);
    expect(messageItem(stored({}), CONV)).toMatchObject({ seq: 456, createdAt: Date.parse('2026-12-01T10:00:00.123456Z'), remoteId: 'm1', conversationRemoteId: CONV });
  });

  it('a tool call names its tools; terminate ends the run; a call without a name is "a tool"', () => {
    const call = messageItem(stored({ content: '', tool_calls: [{ id: 'c1', function: { name: 'browser_use' } }, { id: 'c2' }] }), CONV);
    expect(call).toMatchObject({ kind: 'event', text: 'Using browser_use, a tool…', runState: 'running', payloadTruncated: false });
    expect(call.payload).toEqual({ tool_calls: [{ id: 'c1', function: { name: 'browser_use' } }, { id: 'c2' }] });
    expect(messageItem(stored({ tool_calls: [{ function: { name: 'terminate' } }] }), CONV).runState).toBeNull();
    // An empty list is a plain answer.
    expect(messageItem(stored({ tool_calls: [] }), CONV)).toMatchObject({ kind: 'text', sender: 'agent', runState: 'finished' });
  });

  it('a tool result keeps its call id; only an "Error…" result is an error', () => {
    const result = messageItem(stored({ role: 'tool', content: 'Observed output: 3 rows', tool_call_id: 'c1' }), CONV);
    expect(result).toMatchObject({ sender: 'tool', event: 'message.tool', isError: false, runState: 'running', payload: { tool_call_id: 'c1' } });
    expect(messageItem(stored({ role: 'tool', content: null }), CONV)).toMatchObject({ text: '', payload: { tool_call_id: null }, isError: false });
    expect(messageItem(stored({ role: 'tool', content: 'error: boom' }), CONV).isError).toBe(true);
    expect(messageItem(stored({ role: 'tool', content: 'No errors' }), CONV).isError).toBe(false);
  });

  it('what a stored message says about the run', () => {
    expect(messageItem(stored({ role: 'system', content: 'Note: model switched' }), CONV)).toMatchObject({ sender: 'system', isError: false, runState: null });
    expect(messageItem(stored({ role: 'system', content: 'The agent got stuck in a loop' }), CONV)).toMatchObject({ isError: false, runState: 'stuck' });
    expect(messageItem(stored({ role: 'system', content: 'Errors are rare' }), CONV)).toMatchObject({ isError: false, runState: null });
    expect(messageItem(stored({ role: 'assistant', content: 'Error: none, all good' }), CONV)).toMatchObject({ isError: false, runState: 'finished' });
    expect(messageItem(stored({ role: 'user', content: null, base64_image: 'iVBOR' }), CONV).text).toBe('[image]');
    expect(messageItem(stored({ conversation_id: undefined }), 'fallback').conversationRemoteId).toBe('fallback');
  });
});

describe('frame parser limits', () => {
  it('refuses a frame over the limit; takes a Buffer; file events are the tool’s', () => {
    let n = 0;
    const p = new FrameParser({ conversationRemoteId: CONV, now: () => 1000, newId: () => `e${++n}` });
    const big = p.parse('x'.repeat(MAX_FRAME_CHARS + 1));
    expect(big).toEqual({ ok: false, reason: `frame of ${MAX_FRAME_CHARS + 1} characters is over the limit` });
    const file = p.parse(Buffer.from(JSON.stringify({ type: 'notify', event: 'file.created', payload: { file: { path: '/w/a' } } })));
    expect(file.ok && file.item).toMatchObject({ sender: 'tool', remoteId: 'e1', kind: 'event', payload: { file: { path: '/w/a' } } });
    const step = p.parse(JSON.stringify({ type: 'notify', event: 'agent.step', payload: null }));
    expect(step.ok && step.item).toMatchObject({ sender: 'agent', text: 'Step  of ', payload: {} });
  });

  it('events are stamped in the server clock learnt from stored messages, strictly increasing', () => {
    let now = 5000;
    const p = new FrameParser({ conversationRemoteId: CONV, now: () => now, newId: () => 'e' });
    const a = p.parse(JSON.stringify({ type: 'notify', event: 'agent.step', payload: {} }));
    expect(a.ok && a.item.createdAt).toBe(5000);
    p.observeServerTime(9000);
    now = 5001;
    const b = p.parse(JSON.stringify({ type: 'notify', event: 'agent.step', payload: {} }));
    expect(b.ok && b.item.createdAt).toBe(9001);
    p.observeServerTime(100);
    const c = p.parse(JSON.stringify({ type: 'notify', event: 'agent.step', payload: {} }));
    expect(c.ok && c.item.createdAt).toBe(9002);
  });
});

describe('openmanus wire helpers', () => {
  it('parseEach keeps the good items and reports each bad one by index', () => {
    const warnings: string[] = [];
    const ok = { id: 7, role: 'user', content: 'hi', created_at: '2026-12-01T10:00:00Z' };
    const out = parseEach(WireMessage, [ok, { id: 'x', role: 'robot', created_at: 'now' }, ok], (m) => warnings.push(m), 'message');
    expect(out.map((m) => m.id)).toEqual(['7', '7']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Skipped a malformed message \(#1\): .+/);
  });

  it('normalizeBaseUrl trims and drops trailing slashes; only http(s)', () => {
    expect(normalizeBaseUrl('  https://agents.example.com/api//  ')).toBe('https://agents.example.com/api');
    expect(() => normalizeBaseUrl('ftp://agents.example.com/api')).toThrow('The base URL must start with http:// or https://');
  });
});
