// Issue 16, item 19: the start token works once and for a few minutes; a used or expired one
// is answered as such, and the host gets a fresh one to print (at most one per lifetime).
import { describe, expect, it } from 'vitest';
import { START_TOKEN_TTL_MS, StartToken } from '../../src/main/web/start-token';

function token() {
  let now = 1_000_000;
  const renewed: string[] = [];
  const t = new StartToken({ now: () => now, onRenewed: (next) => renewed.push(next) });
  return { t, renewed, advance: (ms: number) => (now += ms) };
}

describe('StartToken', () => {
  it('exchanges once; the next token is handed to the host', () => {
    const { t, renewed } = token();
    const first = t.current;
    expect(t.exchange(first)).toBe('ok');
    expect(t.exchange(first)).toBe('used-or-expired');
    expect(renewed).toEqual([t.current]);
    expect(t.current).not.toBe(first);
    expect(t.exchange(t.current)).toBe('ok');
  });

  it('expires after its lifetime, and is renewed once for whoever waits with the dead link', () => {
    const { t, renewed, advance } = token();
    const first = t.current;
    advance(START_TOKEN_TTL_MS - 1);
    expect(t.exchange('wrong')).toBe('wrong');
    advance(2);
    expect(t.exchange(first)).toBe('used-or-expired');
    expect(renewed).toHaveLength(1);
    // A page hammering the port cannot make it print link after link.
    for (let i = 0; i < 100; i++) t.exchange('guess');
    expect(renewed).toHaveLength(1);
    expect(t.exchange(renewed[0]!)).toBe('ok');
  });

  it('refuses anything else as wrong', () => {
    const { t } = token();
    for (const guess of ['', 'x', t.current.slice(1), `${t.current}x`, t.current.toUpperCase()]) expect(t.exchange(guess)).toBe('wrong');
    expect(t.exchange(t.current)).toBe('ok');
  });
});
