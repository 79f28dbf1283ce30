// jwt-ws frame parsing at its edges: the size limit is inclusive, lines of only whitespace are no
// frames, and a malformed known frame says which field was wrong (the log needs it).
import { describe, expect, it } from 'vitest';
import { MAX_FRAME_CHARS, parseFrames } from '../../src/main/core/connectors/jwt-ws/frames';

const message = (content: string) =>
  JSON.stringify({ type: 'message', data: { message_id: 'm1', room_id: 'r1', user_id: 'u1', content, created_at: '2026-12-01T10:00:00.000Z' } });

describe('parseFrames limits', () => {
  it('a line of exactly the limit is read; one character more is skipped', () => {
    // An unknown type: a message's own content limit (100,000) is below the line limit.
    const padded = (pad: string) => JSON.stringify({ type: 'attachment', data: { pad } });
    const base = padded('').length;
    const exact = padded('x'.repeat(MAX_FRAME_CHARS - base));
    expect(exact.length).toBe(MAX_FRAME_CHARS);
    expect(parseFrames(exact)).toMatchObject({ frames: [{ type: 'attachment', unknown: true }], skipped: [] });
    const over = parseFrames(padded('x'.repeat(MAX_FRAME_CHARS - base + 1)));
    expect(over.frames).toEqual([]);
    expect(over.skipped[0]!.reason).toBe(`frame of ${MAX_FRAME_CHARS + 1} characters skipped`);
  });

  it('lines of only spaces and tabs are not frames, and a frame padded with them is read', () => {
    expect(parseFrames(' \n\t\n  \r\n')).toEqual({ frames: [], skipped: [] });
    expect(parseFrames(`  ${message('a')}\t`).frames).toHaveLength(1);
  });

  it('a malformed known frame names the field’s problem', () => {
    const { skipped } = parseFrames(JSON.stringify({ type: 'typing_start', data: { room_id: 'r1' } }));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.reason).toMatch(/^malformed typing_start frame: .*expected string/i);
  });
});
