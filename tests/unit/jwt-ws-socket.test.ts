// The jwt-ws socket against a loopback `ws` server in this process (tests/support/jwt-ws-loopback.ts,
// standing in for the deployed server's /ws) with vitest's fake timers for the backoff, the auth
// wait and the keep-alive: the token in the query, "up" only after `auth`, a refused token
// replaced, backoff and its reset, 429 at the upgrade, silence dropped, stop(). The real server is
// covered by tests/integration/jwt-ws-wire.test.ts.
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import type { InboundFrame } from '../../src/main/core/connectors/jwt-ws/frames';
import { JwtWsSocket, type SocketOptions } from '../../src/main/core/connectors/jwt-ws/socket';
import { LoopbackJwtWs, authFrame, until, type Dial } from '../support/jwt-ws-loopback';

const NOW = 1_800_000_000_000;
let server: LoopbackJwtWs;
const sockets: JwtWsSocket[] = [];

beforeEach(async () => {
  server = await LoopbackJwtWs.start();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.stop();
  vi.useRealTimers();
  await server.close();
});

function harness(over: Partial<SocketOptions> = {}) {
  const clock = { now: NOW };
  const log = { ups: [] as string[], downs: [] as [string, number][], frames: [] as InboundFrame[], warnings: [] as string[], authFailed: [] as string[], refused: [] as string[] };
  let n = 0;
  const s = new JwtWsSocket({
    url: server.url,
    token: async () => `tok ${++n}`,
    tokenRefused: (t) => void log.refused.push(t),
    events: {
      up: (u) => void log.ups.push(u),
      down: (r, ms) => void log.downs.push([r, ms]),
      authFailed: (m) => void log.authFailed.push(m),
      frames: (f) => void log.frames.push(...f),
      warn: (w) => void log.warnings.push(w),
    },
    random: () => 0,
    now: () => clock.now,
    ...over,
  });
  sockets.push(s);
  /** Time passes for the socket's timers and its clock alike. */
  const advance = (ms: number, clockMs = ms) => {
    clock.now += clockMs;
    vi.advanceTimersByTime(ms);
  };
  return { s, log, clock, advance };
}

/** Each new connection gets the next behaviour (the last one repeats). */
function onDials(...behaviours: ((d: Dial) => void)[]) {
  let i = 0;
  server.onDial = (d) => behaviours[Math.min(i++, behaviours.length - 1)]!(d);
}
const auth = (d: Dial) => d.ws.send(JSON.stringify(authFrame('u-self')));
const silent = () => undefined;
/** Proves the socket is open on the client's side too (its timers are armed by then). */
const notAuth = (d: Dial) => d.send('pong', {});
const closeWith = (code: number, reason = '') => (d: Dial) => d.ws.close(code, reason);
const frame = (type: string, data: unknown) => JSON.stringify({ type, data, timestamp: null, id: null });

describe('JwtWsSocket: up and frames', () => {
  it('dials with the token in the query and is up only after the auth frame; frames pass in order', async () => {
    onDials(silent);
    const { s, log } = harness({ url: `${server.url}?v=2` });
    s.start();
    s.start();
    const d = await until(() => server.dials[0], 'a connection');
    expect(d.url).toBe('/ws?v=2&token=tok%201');
    expect(d.token).toBe('tok 1');
    d.ws.send(frame('typing_start', { room_id: 'r1', user_id: 'u2' }));
    await until(() => log.frames.length === 1, 'the first frame');
    expect(s.current).toBe('connecting');
    expect(log.ups).toEqual([]);
    expect(s.send('typing_start', { room_id: 'r1' })).toBe(false);
    d.ws.send([JSON.stringify(authFrame('u-7')), frame('typing_stop', { room_id: 'r1', user_id: 'u2' })].join('\n'));
    await until(() => log.ups.length === 1, 'up');
    expect(log.ups).toEqual(['u-7']);
    expect(s.current).toBe('up');
    expect(s.stats.connects).toBe(1);
    expect(log.frames.map((f) => f.type)).toEqual(['typing_start', 'auth', 'typing_stop']);
    // A second auth frame on the same socket is only a frame.
    d.ws.send(JSON.stringify(authFrame('u-7')));
    await until(() => log.frames.length === 4, 'the second auth frame');
    expect(log.ups).toHaveLength(1);
    s.start();
    expect(s.send('typing_start', { room_id: 'r1' })).toBe(true);
    await until(() => d.received.length === 1, 'the typing frame');
    expect(d.received).toEqual([{ type: 'typing_start', data: { room_id: 'r1' } }]);
    expect(server.dials).toHaveLength(1);
    expect(log.downs).toEqual([]);
  });

  it('a frame over 512 bytes is not sent (the server would close) and is warned; bad lines are warned, binary is text', async () => {
    const { s, log } = harness({ url: server.url });
    s.start();
    await until(() => log.ups.length === 1, 'up');
    expect(s.send('ping', { pad: 'x'.repeat(600) })).toBe(false);
    expect(log.warnings).toEqual(['jwt-ws: ping frame over 512 bytes not sent (the server would close the socket)']);
    server.last.ws.send(Buffer.from(`not json\n${frame('room_leave', { room_id: 'r9' })}`));
    await until(() => log.frames.length === 2, 'the binary frame');
    expect(log.frames[1]).toMatchObject({ type: 'room_leave', data: { room_id: 'r9' } });
    expect(log.warnings[1]).toBe('jwt-ws: skipped a frame (invalid JSON)');
    server.last.ws.send('\n \n');
    server.last.ws.send('garbage');
    await until(() => log.warnings.length === 3, 'the next warning');
    expect(log.frames).toHaveLength(2);
  });
});

describe('JwtWsSocket: drops and tokens', () => {
  it('a close before auth refuses the token and the next dial takes a fresh one; a restart (1001, 1012) is no refusal', async () => {
    onDials(closeWith(1008, 'invalid token'), closeWith(1012, 'restart'), closeWith(1001), auth);
    const { s, log, advance } = harness();
    s.start();
    await until(() => log.downs.length === 1, 'the first drop');
    expect(log.downs[0]).toEqual(['closed 1008 invalid token', 500]);
    expect(log.refused).toEqual(['tok 1']);
    expect(s.stats.refusedTokens).toBe(1);
    expect(s.current).toBe('down');
    advance(499);
    expect(server.dials).toHaveLength(1);
    advance(1);
    await until(() => log.downs.length === 2, 'the second drop');
    expect(server.dials[1]!.token).toBe('tok 2');
    expect(log.downs[1]).toEqual(['closed 1012 restart', 1000]);
    advance(1000);
    await until(() => log.downs.length === 3, 'the third drop');
    expect(log.downs[2]).toEqual(['closed 1001', 2000]);
    expect(log.refused).toEqual(['tok 1']);
    advance(2000);
    await until(() => log.ups.length === 1, 'up');
    expect(s.stats.refusedTokens).toBe(1);
  });

  it('backoff doubles up to the cap and starts again after an auth; a drop after auth is no refusal', async () => {
    const long = 'y'.repeat(120);
    onDials(closeWith(1011), closeWith(1011), closeWith(1011), closeWith(1011), auth);
    const { s, log, advance } = harness({ maxBackoffMs: 3000 });
    s.start();
    for (const [i, ms] of [500, 1000, 1500, 1500].entries()) {
      await until(() => log.downs.length === i + 1, `drop ${i + 1}`);
      expect(log.downs[i]![1]).toBe(ms);
      advance(ms);
    }
    await until(() => log.ups.length === 1, 'up');
    const refusedBefore = log.refused.length;
    server.last.ws.close(1011, long);
    await until(() => log.downs.length === 5, 'the drop after auth');
    expect(log.downs[4]).toEqual([`closed 1011 ${'y'.repeat(100)}`, 500]);
    expect(log.refused).toHaveLength(refusedBefore);
  });

  it('timers of a dropped socket stop: no pings and no silence drop while it waits to retry', async () => {
    const { s, log, advance } = harness({ pingIntervalMs: 100, pongTimeoutMs: 100 });
    s.start();
    await until(() => log.ups.length === 1, 'up');
    server.last.ws.close(1011);
    await until(() => log.downs.length === 1, 'the drop');
    const pings = s.stats.pingsSent;
    advance(450);
    expect(s.stats.pingsSent).toBe(pings);
    expect(s.stats.silentDrops).toBe(0);
    expect(log.warnings).toEqual([]);
    advance(50);
    await until(() => log.ups.length === 2, 'up again');
  });

  it('HTTP 401 or 403 at the upgrade refuses the token; another status does not', async () => {
    server.upgradeAnswers.push({ status: 401 }, { status: 403 }, { status: 500 });
    const { s, log, advance } = harness();
    s.start();
    await until(() => log.downs.length === 1, 'the 401');
    expect(log.downs[0]![0]).toBe('HTTP 401 at the upgrade');
    expect(log.refused).toEqual(['tok 1']);
    advance(500);
    await until(() => log.downs.length === 2, 'the 403');
    expect(log.downs[1]![0]).toBe('HTTP 403 at the upgrade');
    expect(log.refused).toEqual(['tok 1', 'tok 2']);
    advance(1000);
    await until(() => log.downs.length === 3, 'the 500');
    expect(log.downs[2]![0]).toBe('HTTP 500 at the upgrade');
    expect(log.refused).toHaveLength(2);
    expect(s.stats.rateLimited).toBe(0);
    expect(server.refusedUpgrades.map((r) => r.token)).toEqual(['tok 1', 'tok 2', 'tok 3']);
  });

  it('429 at the upgrade waits until X-RateLimit-Reset (at least 1 s, else 60 s) plus jitter, and a failure meanwhile waits out the rest', async () => {
    server.upgradeAnswers.push(
      { status: 429, headers: { 'X-RateLimit-Reset': String(NOW / 1000 - 100) } },
      { status: 429, headers: { 'X-RateLimit-Reset': String(NOW / 1000 + 30) } },
      { status: 429, headers: { 'X-RateLimit-Reset': 'soon' } },
      { status: 429, headers: { 'X-RateLimit-Reset': '0' } },
      { status: 429, headers: { 'X-RateLimit-Reset': String(NOW / 1000 + 1000) } },
    );
    onDials(closeWith(1011));
    const { s, log, clock, advance } = harness({ random: () => 0.5 });
    s.start();
    await until(() => log.downs.length === 1, 'the first 429');
    // backoff 750; the server's 1 s minimum + 500 of jitter.
    expect(log.downs[0]).toEqual(['HTTP 429 at the upgrade', 1500]);
    advance(1500);
    await until(() => log.downs.length === 2, 'the second 429');
    // The reset is 30 s after NOW and 1.5 s have passed.
    expect(log.downs[1]![1]).toBe(28_500 + 500);
    advance(29_000);
    await until(() => log.downs.length === 3, 'the third 429');
    expect(log.downs[2]![1]).toBe(60_500);
    advance(60_500);
    await until(() => log.downs.length === 4, 'the 429 with a zero reset');
    expect(log.downs[3]![1]).toBe(60_500);
    advance(60_500);
    await until(() => log.downs.length === 5, 'the fifth 429');
    const start = clock.now;
    expect(log.downs[4]![1]).toBe(1000 * 1000 - (start - NOW) + 500);
    // The retry fires, yet this clock says 600 s of the window are left: the next failure waits them out.
    advance(log.downs[4]![1], 400_000);
    await until(() => log.downs.length === 6, 'a drop inside the window');
    expect(log.downs[5]).toEqual(['closed 1011', NOW + 1_000_000 - clock.now]);
    expect(s.stats.rateLimited).toBe(5);
    expect(log.refused).toEqual(['tok 6']);
  });

  it('a message over 8 MB is refused (the socket closes) and the socket is redialled', async () => {
    const { s, log } = harness();
    s.start();
    await until(() => log.ups.length === 1, 'up');
    server.last.ws.send('x'.repeat(9 * 1024 * 1024));
    await until(() => log.downs.length === 1, 'the drop');
    // The client sends 1009 and stops reading, so the server's answer is never seen: 1006 here.
    expect(log.downs[0]![0]).toBe('closed 1006');
    expect(log.warnings).toEqual(['jwt-ws socket: Max payload size exceeded']);
    expect(log.frames.map((f) => f.type)).toEqual(['auth']);
    await until(() => server.dials[0]!.closedWith !== null, 'the server to see the close');
    expect(server.dials[0]!.closedWith).toBe(1009);
  });

  it('an unreachable server is warned and retried', async () => {
    const gone = await LoopbackJwtWs.start();
    await gone.close();
    const { s, log } = harness({ url: gone.url });
    s.start();
    await until(() => log.downs.length === 1, 'the drop');
    expect(log.downs[0]).toEqual(['closed 1006', 500]);
    expect(log.warnings.some((w) => w.startsWith('jwt-ws socket: ') && w.includes('ECONNREFUSED'))).toBe(true);
    expect(log.refused).toEqual([]);
  });
});

describe('JwtWsSocket: no token', () => {
  it('a transient failure retries (at least the wait it asks for); "sign in again" stops the socket', async () => {
    const answers: (() => Promise<string>)[] = [
      async () => Promise.reject(new ConnectorError('transient', 'busy', 5000)),
      async () => Promise.reject(new Error('disk')),
      async () => Promise.reject(new ConnectorError('rejected', 'odd', 10)),
      async () => Promise.reject(new ConnectorError('auth', 'Sign in again.')),
    ];
    let i = 0;
    const { s, log, advance } = harness({ token: () => answers[i++]!(), random: () => 0.5 });
    s.start();
    await until(() => log.downs.length === 1, 'the first failure');
    expect(log.downs[0]).toEqual(['no token: busy', 5000]);
    advance(5000);
    await until(() => log.downs.length === 2, 'the second failure');
    expect(log.downs[1]).toEqual(['no token: disk', 1500]);
    advance(1500);
    await until(() => log.downs.length === 3, 'the third failure');
    expect(log.downs[2]).toEqual(['no token: odd', 3000]);
    advance(3000);
    await until(() => log.authFailed.length === 1, 'auth failed');
    expect(log.authFailed).toEqual(['Sign in again.']);
    expect(s.current).toBe('stopped');
    advance(60_000);
    expect(i).toBe(4);
    expect(log.downs).toHaveLength(3);
    expect(server.dials).toEqual([]);
  });

  it('a token that arrives after stop() opens nothing', async () => {
    let give: (t: string) => void = () => undefined;
    const created: string[] = [];
    const { s } = harness({
      token: () => new Promise<string>((r) => (give = r)),
      createSocket: (url) => (created.push(url), new WebSocket(url)),
    });
    s.start();
    s.stop();
    give('late');
    await Promise.resolve();
    await Promise.resolve();
    expect(created).toEqual([]);
    expect(s.current).toBe('stopped');
  });

  it('a refusal that arrives after stop() reports nothing', async () => {
    let refuse: (e: Error) => void = () => undefined;
    const { s, log } = harness({ token: () => new Promise<string>((_r, j) => (refuse = j)) });
    s.start();
    s.stop();
    refuse(new ConnectorError('auth', 'Sign in again.'));
    refuse(new Error('x'));
    await Promise.resolve();
    await Promise.resolve();
    expect(log.authFailed).toEqual([]);
    expect(log.downs).toEqual([]);
  });
});

describe('JwtWsSocket: keep-alive and waits', () => {
  it('a ping frame every interval; frames and protocol pings re-arm the silence limit; silence drops and redials', async () => {
    server.answerPings = false;
    const { s, log, advance } = harness({ pingIntervalMs: 1000, pongTimeoutMs: 500 });
    s.start();
    await until(() => log.ups.length === 1, 'up');
    advance(1000);
    await until(() => server.last.received.length === 1, 'a ping');
    expect(server.last.received[0]).toEqual({ type: 'ping', data: {} });
    expect(s.stats.pingsSent).toBe(1);
    server.last.send('pong', {});
    await until(() => log.frames.length === 2, 'the pong');
    advance(1499);
    expect(s.stats.silentDrops).toBe(0);
    let ponged = false;
    server.last.ws.once('pong', () => (ponged = true));
    server.last.ws.ping();
    await until(() => ponged, 'the client to answer a protocol ping');
    advance(1499);
    expect(s.stats.silentDrops).toBe(0);
    expect(s.current).toBe('up');
    advance(1);
    expect(s.stats.silentDrops).toBe(1);
    expect(log.warnings).toEqual(['jwt-ws: no answer to keep-alive pings; reconnecting']);
    await until(() => log.downs.length === 1, 'the drop');
    expect(log.downs[0]![0]).toBe('closed 1006');
    expect(log.refused).toEqual([]);
    advance(log.downs[0]![1]);
    await until(() => log.ups.length === 2, 'up again');
    expect(server.dials[1]!.token).toBe('tok 2');
  });

  it('the silence limit is the ping interval plus the pong wait (defaults 25 s + 10 s)', async () => {
    server.answerPings = false;
    const { s, advance } = harness();
    s.start();
    await until(() => s.current === 'up', 'up');
    advance(25_000);
    await until(() => server.last.received.length === 1, 'a ping at 25 s');
    advance(9_999);
    expect(s.stats.silentDrops).toBe(0);
    advance(1);
    expect(s.stats.silentDrops).toBe(1);
  });

  it('no auth frame within authTimeoutMs: dropped, the token counted refused, redialled', async () => {
    onDials(notAuth, auth);
    const { s, log, advance } = harness({ authTimeoutMs: 2000 });
    s.start();
    await until(() => log.frames.length === 1, 'a frame that is not auth');
    expect(s.current).toBe('connecting');
    advance(1999);
    expect(log.downs).toEqual([]);
    advance(1);
    await until(() => log.downs.length === 1, 'the drop');
    expect(log.refused).toEqual(['tok 1']);
    advance(500);
    await until(() => log.ups.length === 1, 'up');
    // The wait for auth ends with it.
    advance(5000);
    expect(server.dials).toHaveLength(2);
    expect(log.downs).toHaveLength(1);
  });

  it('the default auth wait is 10 s', async () => {
    onDials(notAuth);
    const { log, advance, s } = harness();
    s.start();
    await until(() => log.frames.length === 1, 'a frame that is not auth');
    advance(9999);
    expect(log.downs).toEqual([]);
    advance(1);
    await until(() => log.downs.length === 1, 'the drop');
  });
});

describe('JwtWsSocket: stop', () => {
  it('closes an open socket with 1000 and reports nothing after', async () => {
    const { s, log, advance } = harness();
    s.start();
    await until(() => log.ups.length === 1, 'up');
    s.stop();
    expect(s.current).toBe('stopped');
    expect(s.send('typing_start', { room_id: 'r1' })).toBe(false);
    await until(() => server.last.closedWith !== null, 'the close');
    expect(server.last.closedWith).toBe(1000);
    advance(120_000);
    expect(s.stats).toMatchObject({ pingsSent: 0, silentDrops: 0 });
    expect(log.warnings).toEqual([]);
    expect(log.downs).toEqual([]);
  });

  it('a retry pending at stop() never dials; start() after stop() dials again', async () => {
    onDials(closeWith(1011), auth);
    const { s, log, advance } = harness();
    s.start();
    await until(() => log.downs.length === 1, 'the drop');
    s.stop();
    advance(60_000);
    expect(server.dials).toHaveLength(1);
    s.start();
    await until(() => log.ups.length === 1, 'up after start');
    expect(server.dials).toHaveLength(2);
  });

  it('a socket still connecting is terminated', async () => {
    const created: WebSocket[] = [];
    const { s, log } = harness({ createSocket: (url) => (created.push(new WebSocket(url)), created.at(-1)!) });
    s.start();
    // The dial follows the token in a microtask; the connection cannot be open by then.
    for (let i = 0; i < 10 && created.length === 0; i++) await Promise.resolve();
    expect(created).toHaveLength(1);
    s.stop();
    expect(created[0]!.readyState).toBe(WebSocket.CLOSING);
    expect(log.warnings).toEqual([]);
    expect(log.downs).toEqual([]);
  });
});
