// The per-conversation socket's lifecycle with a fake opener and hand-driven timers.
import { describe, expect, it } from 'vitest';
import { ConversationSocket, type SocketHandlers, type SocketState } from '../../src/main/core/connectors/openmanus/conversation-socket';
import type { OpenManusCredentials } from '../../src/main/core/connectors/openmanus/rest-client';

function harness(initial: { credentials: OpenManusCredentials | undefined; base?: string } = { credentials: { token: 'tok 1' } }) {
  const attempts: { url: string; headers: Record<string, string>; h: SocketHandlers; closed: boolean }[] = [];
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const states: [SocketState, string | undefined][] = [];
  const opens: boolean[] = [];
  const frames: string[] = [];
  let credentials = initial.credentials;
  const socket = new ConversationSocket({
    conversationRemoteId: 'c-1',
    socketBaseUrl: initial.base ?? 'ws://127.0.0.1:1/ws',
    credentials: () => credentials,
    open: (url, headers, h) => {
      const a = { url, headers, h, closed: false };
      attempts.push(a);
      return { close: () => (a.closed = true) };
    },
    timers: {
      setTimeout: (fn, ms) => {
        const t = { fn, ms, cleared: false };
        timers.push(t);
        return t;
      },
      clearTimeout: (t) => ((t as { cleared: boolean }).cleared = true),
    },
    random: () => 0.5,
    onFrame: (f) => frames.push(f),
    onOpen: (reconnect) => opens.push(reconnect),
    onState: (s, d) => states.push([s, d]),
  });
  const fire = () => {
    const t = timers.filter((x) => !x.cleared).at(-1);
    if (!t) throw new Error('no timer');
    t.cleared = true;
    t.fn();
  };
  return { socket, attempts, timers, states, opens, frames, fire, setCredentials: (c: OpenManusCredentials | undefined) => (credentials = c) };
}

describe('ConversationSocket', () => {
  it('opens with ?token=, passes frames, reconnects after a drop with backoff and reports the reconnect', () => {
    const t = harness();
    t.socket.start();
    expect(t.attempts[0]!.url).toBe('ws://127.0.0.1:1/ws/conversations/c-1/?token=tok%201');
    t.attempts[0]!.h.open();
    t.attempts[0]!.h.message('{"a":1}');
    expect(t.frames).toEqual(['{"a":1}']);
    t.attempts[0]!.h.close(1006, '');
    t.attempts[0]!.h.error(new Error('late error after close is ignored'));
    expect(t.socket.status).toBe('retrying');
    expect(t.timers).toHaveLength(1);
    expect(t.timers[0]!.ms).toBe(375); // equal jitter of 500 ms at random 0.5
    t.fire();
    t.attempts[1]!.h.error(new Error('ECONNREFUSED'));
    expect(t.timers[1]!.ms).toBe(750);
    t.fire();
    t.attempts[2]!.h.open();
    expect(t.opens).toEqual([false, true]);
    t.attempts[2]!.h.close(1011, 'server restart');
    expect(t.timers[2]!.ms).toBe(375); // backoff reset after a successful open
  });

  it('an auth close or a refused handshake waits for fresh credentials instead of retrying', () => {
    const t = harness();
    t.socket.start();
    t.attempts[0]!.h.open();
    t.attempts[0]!.h.close(4401, '');
    expect(t.socket.status).toBe('auth');
    expect(t.timers).toHaveLength(0);
    t.setCredentials({ token: 'fresh' });
    t.socket.resume();
    expect(t.attempts[1]!.url).toContain('?token=fresh');
    t.attempts[1]!.h.rejected(403);
    expect(t.socket.status).toBe('auth');
    expect(t.states.at(-1)![1]).toContain('HTTP 403');
    t.socket.resume();
    t.attempts[2]!.h.open();
    expect(t.opens).toEqual([false, true]);
  });

  it('uses the session cookie header, waits without credentials, and stop() closes and ignores late events', () => {
    const t = harness({ credentials: undefined });
    t.socket.start();
    expect(t.socket.status).toBe('auth');
    expect(t.attempts).toHaveLength(0);
    t.setCredentials({ sessionid: 'abc' });
    t.socket.resume();
    expect(t.attempts[0]!.url).toBe('ws://127.0.0.1:1/ws/conversations/c-1/');
    expect(t.attempts[0]!.headers).toEqual({ Cookie: 'sessionid=abc' });
    t.attempts[0]!.h.open();
    t.socket.stop();
    expect(t.attempts[0]!.closed).toBe(true);
    t.attempts[0]!.h.message('late');
    t.attempts[0]!.h.close(1006, '');
    expect(t.frames).toEqual([]);
    expect(t.socket.status).toBe('stopped');
    expect(t.timers).toHaveLength(0);
  });

  it('a retry pending at stop() never fires a connection', () => {
    const t = harness();
    t.socket.start();
    t.attempts[0]!.h.close(1006, '');
    t.socket.stop();
    expect(t.timers[0]!.cleared).toBe(true);
    expect(t.attempts).toHaveLength(1);
  });

  it('start() on a socket already under way opens nothing more; resume() while open changes nothing', () => {
    const t = harness({ credentials: { token: 't' }, base: 'ws://h/ws//' });
    t.socket.start();
    t.socket.start();
    expect(t.attempts.map((a) => a.url)).toEqual(['ws://h/ws/conversations/c-1/?token=t']);
    t.attempts[0]!.h.open();
    t.socket.resume();
    expect(t.attempts).toHaveLength(1);
    expect(t.socket.status).toBe('open');
  });

  it('resume() while a retry waits connects at once and forgets the failures', () => {
    const t = harness();
    t.socket.start();
    t.attempts[0]!.h.close(1006, '');
    t.socket.resume();
    expect(t.timers[0]!.cleared).toBe(true);
    expect(t.attempts).toHaveLength(2);
    t.attempts[1]!.h.error(new Error('ECONNREFUSED'));
    expect(t.timers[1]!.ms).toBe(375);
  });

  it('the events of a socket that was stopped stay ignored after a restart', () => {
    const t = harness();
    t.socket.start();
    t.socket.stop();
    t.socket.start();
    t.attempts[0]!.h.open();
    t.attempts[0]!.h.message('old');
    t.attempts[0]!.h.close(1006, '');
    expect([t.opens, t.frames, t.socket.status]).toEqual([[], [], 'connecting']);
    t.attempts[1]!.h.open();
    t.attempts[1]!.h.message('new');
    expect([t.opens, t.frames, t.socket.status]).toEqual([[false], ['new'], 'open']);
  });

  it('says why it waits or retries', () => {
    const t = harness({ credentials: undefined });
    t.socket.start();
    expect(t.states).toEqual([['auth', 'No token: paste a fresh token for this account.']]);
    t.setCredentials({ token: 't' });
    t.socket.resume();
    t.attempts[0]!.h.close(4401, 'expired');
    expect(t.states.at(-1)).toEqual(['auth', 'The backend closed the socket (4401 expired): the token expired.']);
    t.socket.resume();
    t.attempts[1]!.h.close(4003, '');
    expect(t.states.at(-1)).toEqual(['auth', 'The backend closed the socket (4003): the token expired.']);
    t.socket.resume();
    t.attempts[2]!.h.close(1011, 'restart');
    expect(t.states.at(-1)).toEqual(['retrying', 'closed (1011 restart); retrying in 0.4 s']);
    t.fire();
    t.attempts[3]!.h.close(1006, '');
    expect(t.states.at(-1)).toEqual(['retrying', 'closed (1006); retrying in 0.8 s']);
    t.fire();
    t.attempts[4]!.h.rejected(502);
    expect(t.states.at(-1)).toEqual(['retrying', 'refused (HTTP 502); retrying in 1.5 s']);
    t.fire();
    t.attempts[5]!.h.rejected(401);
    expect(t.states.at(-1)).toEqual(['auth', 'The backend refused the socket (HTTP 401): paste a fresh token.']);
  });

  it('backs off up to 30 s between retries', () => {
    const t = harness();
    t.socket.start();
    for (let i = 0; i < 10; i++) {
      t.attempts.at(-1)!.h.error(new Error('down'));
      t.fire();
    }
    expect(t.timers.map((x) => x.ms).slice(-3)).toEqual([22_500, 22_500, 22_500]);
    expect(t.states.filter(([s]) => s === 'retrying').at(-1)![1]).toBe('down; retrying in 22.5 s');
  });
});
