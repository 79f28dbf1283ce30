// jwt-ws frames: several per WebSocket message split on "\n", each parsed alone, bad ones skipped
// with a reason, unknown types kept; 200 hostile payloads stay inert.
import { describe, expect, it } from 'vitest';
import { MAX_FRAME_CHARS, encodeClientFrame, isFrame, parseFrames } from '../../src/main/core/connectors/jwt-ws/frames';

const frame = (type: string, data: unknown) => JSON.stringify({ type, data, timestamp: '2026-12-01T10:00:00.000Z', id: '7d0c1d9e-1f43-4a64-8f6e-2b2f8e3b6a11' });
const msg = (id: string, content = 'hi') =>
  frame('message', { message_id: id, room_id: 'r1', user_id: 'u1', type: 'text', content, metadata: null, reply_to_id: null, created_at: '2026-12-01T10:00:00.000Z' });

describe('parseFrames', () => {
  it('splits one WebSocket message on "\\n" and keeps the order', () => {
    const { frames, skipped } = parseFrames([msg('a'), frame('typing_start', { room_id: 'r1', user_id: 'u2', username: 'ana' }), msg('b')].join('\n'));
    expect(skipped).toEqual([]);
    expect(frames.map((f) => f.type)).toEqual(['message', 'typing_start', 'message']);
    const first = frames[0]!;
    expect(isFrame(first, 'message') && first.data.message_id).toBe('a');
    expect(first).toMatchObject({ id: '7d0c1d9e-1f43-4a64-8f6e-2b2f8e3b6a11', timestamp: '2026-12-01T10:00:00.000Z' });
  });

  it('a bad line costs only itself: invalid JSON among valid ones is skipped with a reason', () => {
    const { frames, skipped } = parseFrames([msg('a'), '{"type":"message","data":', msg('b'), 'null', '[]', '"x"'].join('\n'));
    expect(frames.map((f) => (isFrame(f, 'message') ? f.data.message_id : f.type))).toEqual(['a', 'b']);
    expect(skipped.map((s) => s.reason)).toEqual(['invalid JSON', 'not a {type, data} frame', 'not a {type, data} frame', 'not a {type, data} frame']);
  });

  it('a known type with a malformed payload is skipped; unknown types are kept', () => {
    const { frames, skipped } = parseFrames([frame('message', { room_id: 'r1' }), frame('message_reaction', { emoji: '👍' }), frame('brand_new', 5)].join('\n'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.reason).toMatch(/^malformed message frame/);
    expect(frames).toEqual([
      { type: 'message_reaction', unknown: true, data: { emoji: '👍' } },
      { type: 'brand_new', unknown: true, data: 5 },
    ]);
  });

  it('a 1 MB frame is skipped unread; the frames around it survive; \\r\\n and empty lines are fine', () => {
    const huge = msg('big', 'x'.repeat(1024 * 1024));
    expect(huge.length).toBeGreaterThan(MAX_FRAME_CHARS);
    const { frames, skipped } = parseFrames(`${msg('a')}\r\n\n${huge}\n${msg('b')}\n`);
    expect(frames).toHaveLength(2);
    expect(skipped[0]!.reason).toMatch(/characters skipped/);
    expect(skipped[0]!.sample.length).toBeLessThanOrEqual(80);
  });

  it('extra fields are ignored; a bad date or an over-long id is refused', () => {
    const extra = JSON.parse(msg('a')) as { data: Record<string, unknown> };
    extra.data.surprise = { deep: true };
    expect(parseFrames(JSON.stringify(extra)).frames).toHaveLength(1);
    const badDate = msg('a').replace('2026-12-01T10:00:00.000Z', 'yesterday');
    expect(parseFrames(badDate).skipped).toHaveLength(1);
    expect(parseFrames(msg('x'.repeat(500))).skipped).toHaveLength(1);
  });

  it('200 hostile payloads never throw and never yield a frame that fails its schema', () => {
    const hostile: string[] = [];
    const values: unknown[] = [null, true, 0, -1, 1e308, 'x', '', [], {}, { __proto__: { polluted: 1 } }, '<script>alert(1)</script>', '\u0000', '😀'.repeat(1000)];
    const types = ['message', 'message_edit', 'message_delete', 'typing_start', 'user_status_change', 'auth', 'error', 'room_join', '__proto__', 'constructor', 'toString', 'x'.repeat(200)];
    let i = 0;
    while (hostile.length < 200) {
      const t = types[i % types.length]!;
      const v = values[i % values.length];
      const shape = i % 5;
      if (shape === 0) hostile.push(JSON.stringify({ type: t, data: v }));
      else if (shape === 1) hostile.push(JSON.stringify({ type: v, data: t }));
      else if (shape === 2) hostile.push(JSON.stringify({ type: t, data: { message_id: v, room_id: v, user_id: v, content: v, created_at: v, status: v } }));
      else if (shape === 3) hostile.push(`${JSON.stringify({ type: t, data: {} }).slice(0, 10 + (i % 20))}`);
      else hostile.push(JSON.stringify({ type: t, data: { room_id: 'r', message_id: 'm', user_id: 'u', content: String(v), created_at: '2026-12-01T00:00:00Z', status: 'online' } }));
      i++;
    }
    const { frames, skipped } = parseFrames(hostile.join('\n'));
    expect(frames.length + skipped.length).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const f of frames) {
      if ('unknown' in f) continue;
      // Known frames passed their schema: content, when present, is a string and ids are short strings.
      const d = f.data as Record<string, unknown> | null;
      if (d && 'content' in d) expect(typeof d.content).toBe('string');
      if (d && 'room_id' in d) expect(typeof d.room_id === 'string' && d.room_id.length <= 200).toBe(true);
    }
    expect(skipped.length).toBeGreaterThan(50);
  });
});

describe('encodeClientFrame', () => {
  it('encodes {type, data} and refuses anything over the server’s 512-byte limit', () => {
    expect(encodeClientFrame('typing_start', { room_id: 'r1' })).toBe('{"type":"typing_start","data":{"room_id":"r1"}}');
    expect(encodeClientFrame('ping', { pad: 'x'.repeat(479) })).toHaveLength(512);
    expect(encodeClientFrame('ping', { pad: 'x'.repeat(480) })).toBeNull();
    expect(encodeClientFrame('ping', { pad: 'x'.repeat(490) })).toBeNull();
    expect(encodeClientFrame('ping', { pad: 'é'.repeat(250) })).toBeNull();
  });
});
