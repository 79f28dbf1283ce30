// The jwt-ws kind's REST client over a fake fetch (no network): the one retry after a 401, how
// every answer maps to what the engine does next, the 429 wait; and the room titles of its wire
// format, with payloads shaped like the deployed server's (backends.md §4).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JwtWsRest, callJson, errorFor, rateLimitWaitMs, serverMessage, unwrap, type RawAnswer } from '../../src/main/core/connectors/jwt-ws/rest-client';
import { WireRoom, roomTitle } from '../../src/main/core/connectors/jwt-ws/wire';
import { connectorFailure as failure } from '../support/connector-failure';

const BASE = 'https://rooms.example.com';
const NOW = 1_800_000_000_000;

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(answers: ((call: Call) => Response | Promise<Response>)[]) {
  const calls: Call[] = [];
  const fn = (async (url: string | URL, init: RequestInit) => {
    const call = { url: String(url), init };
    calls.push(call);
    return answers[Math.min(calls.length - 1, answers.length - 1)]!(call);
  }) as unknown as typeof fetch;
  return { fetch: fn, calls };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const answer = (status: number, body: unknown, headers: Record<string, string> = {}): RawAnswer => ({ status, headers: new Headers(headers), json: body });

describe('callJson', () => {
  it('sends JSON with the Bearer token, refuses redirects, and reads the answer', async () => {
    const f = fakeFetch([json(201, { success: true, data: { id: 'm1' } })]);
    const a = await callJson({ baseUrl: BASE, fetch: f.fetch }, 'POST', '/api/v1/rooms/r1/messages', { content: 'hai' }, 'acc');
    expect(a.status).toBe(201);
    expect(a.json).toEqual({ success: true, data: { id: 'm1' } });
    expect(f.calls[0]!.url).toBe(`${BASE}/api/v1/rooms/r1/messages`);
    expect(f.calls[0]!.init).toMatchObject({ method: 'POST', body: '{"content":"hai"}', redirect: 'error' });
    expect(f.calls[0]!.init.headers).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json', Authorization: 'Bearer acc' });
    expect(f.calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
    const plain = fakeFetch([json(200, {})]);
    await callJson({ baseUrl: BASE, fetch: plain.fetch }, 'GET', '/api/v1/health');
    expect(plain.calls[0]!.init.headers).toEqual({ Accept: 'application/json' });
    expect(plain.calls[0]!.init.body).toBeNull();
  });

  it('a non-JSON body is undefined; a network failure is transient and names the site', async () => {
    const html = fakeFetch([() => new Response('<h1>Bad Gateway</h1>', { status: 502 })]);
    expect((await callJson({ baseUrl: BASE, fetch: html.fetch }, 'GET', '/x')).json).toBeUndefined();
    const down = fakeFetch([() => Promise.reject(new TypeError('fetch failed')) as never]);
    const error = await failure(callJson({ baseUrl: BASE, fetch: down.fetch }, 'GET', '/x'));
    expect([error.kind, error.message]).toEqual(['transient', `Could not reach ${BASE}: fetch failed`]);
    const odd = fakeFetch([() => Promise.reject('EPIPE') as never]);
    expect((await failure(callJson({ baseUrl: BASE, fetch: odd.fetch }, 'GET', '/x'))).message).toBe(`Could not reach ${BASE}: EPIPE`);
  });

  it('an answer over 32 MB (declared) is refused, naming the path without its query', async () => {
    const big = fakeFetch([() => new Response('{}', { status: 200, headers: { 'Content-Length': String(33 * 1024 * 1024) } })]);
    const error = await failure(callJson({ baseUrl: BASE, fetch: big.fetch }, 'GET', '/api/v1/rooms?page=1&limit=50'));
    expect([error.kind, error.message]).toEqual(['rejected', 'The answer from /api/v1/rooms is too large (over 32 MB); refused.']);
  });

  it('times out (default 15 s) as a transient failure', async () => {
    const hang = (async (_u: string, init: RequestInit) =>
      new Promise<Response>((_r, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)))) as unknown as typeof fetch;
    const error = await failure(callJson({ baseUrl: BASE, fetch: hang, timeoutMs: 5 }, 'GET', '/x'));
    expect(error.kind).toBe('transient');
    let signal: AbortSignal | undefined;
    const quick = fakeFetch([(c) => ((signal = c.init.signal ?? undefined), new Response('{}'))]);
    await callJson({ baseUrl: BASE, fetch: quick.fetch }, 'GET', '/x');
    expect(signal!.aborted).toBe(false);
  });
});

describe('jwt-ws answers', () => {
  it('rateLimitWaitMs: until X-RateLimit-Reset (1 s to 2 min), else Retry-After (at most 2 min), else 60 s', () => {
    const reset = (s: number) => new Headers({ 'X-RateLimit-Reset': String(s) });
    expect(rateLimitWaitMs(reset(NOW / 1000 + 30), NOW)).toBe(30_000);
    expect(rateLimitWaitMs(reset(NOW / 1000 + 0.2), NOW)).toBe(1000);
    expect(rateLimitWaitMs(reset(NOW / 1000 - 50), NOW)).toBe(1000);
    expect(rateLimitWaitMs(reset(NOW / 1000 + 3600), NOW)).toBe(120_000);
    expect(rateLimitWaitMs(new Headers({ 'X-RateLimit-Reset': '0', 'Retry-After': '9' }), NOW)).toBe(9000);
    expect(rateLimitWaitMs(new Headers({ 'X-RateLimit-Reset': 'soon', 'Retry-After': '900' }), NOW)).toBe(120_000);
    expect(rateLimitWaitMs(new Headers({ 'Retry-After': '-3' }), NOW)).toBe(60_000);
    expect(rateLimitWaitMs(new Headers(), NOW)).toBe(60_000);
  });

  it('serverMessage: the message, else the error (cut at 500), else the status', () => {
    expect(serverMessage(answer(400, { success: false, message: 'Validation failed', error: 'content required' }))).toBe('Validation failed');
    expect(serverMessage(answer(400, { success: false, message: '', error: 'content required' }))).toBe('content required');
    expect(serverMessage(answer(400, { message: 5, error: 'e'.repeat(600) }))).toBe('e'.repeat(500));
    expect(serverMessage(answer(400, { message: 'm'.repeat(600) }))).toBe('m'.repeat(500));
    expect(serverMessage(answer(418, { error: '' }))).toBe('HTTP 418');
    expect(serverMessage(answer(502, undefined))).toBe('HTTP 502');
  });

  it('errorFor: 401 auth, 429 transient with its wait, 5xx and 408 transient, other 4xx rejected', () => {
    expect(errorFor(answer(401, { message: 'Token expired' }), NOW)).toMatchObject({ kind: 'auth', message: 'Token expired' });
    const limited = errorFor(answer(429, { message: 'Too many' }, { 'X-RateLimit-Reset': String(NOW / 1000 + 5) }), NOW);
    expect(limited).toMatchObject({ kind: 'transient', message: 'Rate limited: Too many', retryAfterMs: 5000 });
    for (const status of [500, 503, 408]) expect(errorFor(answer(status, {}), NOW)).toMatchObject({ kind: 'transient', message: `HTTP ${status}`, retryAfterMs: undefined });
    for (const status of [400, 403, 404, 409, 499]) expect(errorFor(answer(status, { message: 'no' }), NOW)).toMatchObject({ kind: 'rejected', message: 'no' });
  });

  it('unwrap: the data of a success envelope, with its page meta when there is one', () => {
    const rooms = z.array(z.object({ id: z.string() }));
    expect(unwrap(answer(200, { success: true, message: 'ok', data: [{ id: 'r1' }] }), rooms, '/api/v1/rooms')).toEqual({ data: [{ id: 'r1' }] });
    const meta = { page: 2, limit: 50, total: 51, total_pages: 2 };
    expect(unwrap(answer(200, { success: true, data: [], meta }), rooms, '/api/v1/rooms')).toEqual({ data: [], meta });
    for (const body of [{ success: false, data: [] }, { success: true, data: 'x' }, undefined, { success: true, data: [], meta: { page: 1 } }]) {
      expect(() => unwrap(answer(200, body), rooms, '/api/v1/rooms')).toThrow('Unexpected answer from /api/v1/rooms: not a jwt-ws chat server.');
    }
  });
});

describe('JwtWsRest', () => {
  function rest(answers: ((call: Call) => Response | Promise<Response>)[], tokens = ['t1', 't2', 't3']) {
    const f = fakeFetch(answers);
    const rejected: string[] = [];
    let i = 0;
    const client = new JwtWsRest({ baseUrl: BASE, fetch: f.fetch, now: () => NOW }, { accessToken: async () => tokens[Math.min(i++, tokens.length - 1)]!, rejected: (t) => rejected.push(t) });
    return { client, calls: f.calls, rejected };
  }
  const bearer = (c: Call) => (c.init.headers as Record<string, string>).Authorization;

  it('a 2xx is unwrapped', async () => {
    for (const status of [200, 201, 299]) {
      const { client } = rest([json(status, { success: true, data: { id: 'u1' } })]);
      expect(await client.request('GET', '/api/v1/users/me', z.object({ id: z.string() }))).toEqual({ data: { id: 'u1' } });
    }
  });

  it('a 401 rejects the token and retries once with a new one; a second 401 is auth', async () => {
    const once = rest([json(401, { message: 'Token expired' }), json(200, { success: true, data: 1 })]);
    expect(await once.client.request('GET', '/x', z.number())).toEqual({ data: 1 });
    expect(once.calls.map(bearer)).toEqual(['Bearer t1', 'Bearer t2']);
    expect(once.rejected).toEqual(['t1']);
    const twice = rest([json(401, { message: 'Token expired' }), json(401, { message: 'Invalid token' })]);
    const error = await failure(twice.client.request('GET', '/x', z.number()));
    expect([error.kind, error.message]).toEqual(['auth', 'Invalid token']);
    expect(twice.calls).toHaveLength(2);
    expect(twice.rejected).toEqual(['t1']);
  });

  it('other failures are not retried: 3xx, 4xx, 429, 5xx', async () => {
    const cases: [() => Response, string][] = [
      [() => new Response(null, { status: 304 }), 'rejected'],
      [json(404, { message: 'm' }), 'rejected'],
      [json(429, { message: 'm' }), 'transient'],
      [json(500, { message: 'm' }), 'transient'],
    ];
    for (const [reply, kind] of cases) {
      const { client, calls, rejected } = rest([reply]);
      const error = await failure(client.request('GET', '/x', z.unknown()));
      expect(error.kind).toBe(kind);
      expect(calls).toHaveLength(1);
      expect(rejected).toEqual([]);
    }
  });

  it('a 429 waits until the server’s reset, on the injected clock', async () => {
    const { client } = rest([json(429, { message: 'Slow down' }, { 'X-RateLimit-Reset': String(NOW / 1000 + 20) })]);
    const error = await failure(client.request('GET', '/x', z.unknown()));
    expect([error.kind, error.message, error.retryAfterMs]).toEqual(['transient', 'Rate limited: Slow down', 20_000]);
  });
});

describe('jwt-ws roomTitle', () => {
  const member = (id: string, username: string, display_name?: string | null) => ({ user_id: id, username, display_name });
  const room = (over: Record<string, unknown>) => WireRoom.parse({ id: 'r1', type: 'group', ...over });

  it('a named room is its name; unknown room types count as groups', () => {
    expect(roomTitle(room({ name: '  Tim Dapur  ' }), 'me')).toBe('Tim Dapur');
    expect(room({ type: 'channel' }).type).toBe('group');
    expect(room({ type: 'broadcast' }).type).toBe('broadcast');
  });

  it('a room without a name is called after the other members (three, then +n)', () => {
    const members = [member('me', 'saya'), member('u2', 'andi', ' Andi P. '), member('u3', 'bela', ''), member('u4', 'cici', null), member('u5', 'dodi'), member('u6', 'eka')];
    expect(roomTitle(room({ name: '', type: 'direct', members: members.slice(0, 2) }), 'me')).toBe('Andi P.');
    expect(roomTitle(room({ name: ' ', members: members.slice(0, 4) }), 'me')).toBe('Andi P., bela, cici');
    expect(roomTitle(room({ name: null, members }), 'me')).toBe('Andi P., bela, cici +2');
    expect(roomTitle(room({ members: members.slice(0, 5) }), 'me')).toBe('Andi P., bela, cici +1');
    expect(roomTitle(room({ members: members.slice(0, 2) }), null)).toBe('saya, Andi P.');
  });

  it('with nobody else: "Direct chat" or "Room"', () => {
    expect(roomTitle(room({ type: 'direct', members: [member('me', 'saya')] }), 'me')).toBe('Direct chat');
    expect(roomTitle(room({ type: 'public' }), 'me')).toBe('Room');
    expect(roomTitle(room({ type: 'group', members: [member('u2', '')] }), 'me')).toBe('Room');
  });
});

describe('JwtWsRest edges', () => {
  it('a 300 is not a success', async () => {
    const f = fakeFetch([() => new Response(JSON.stringify({ success: true, data: 1 }), { status: 300 })]);
    const client = new JwtWsRest({ baseUrl: BASE, fetch: f.fetch, now: () => NOW }, { accessToken: async () => 't', rejected: () => {} });
    const error = await failure(client.request('GET', '/x', z.number()));
    expect([error.kind, error.message]).toEqual(['rejected', 'HTTP 300']);
  });
});
