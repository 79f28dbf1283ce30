// The portfolio kind's REST client over a fake fetch (no network), its wire translations with
// payloads shaped like the seed's (backends.md §1), and the helpers every kind's REST client shares
// (http-json, read-capped, site-url). The answers here are ones a hostile or broken site could send.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestJson, transientFor } from '../../src/main/core/connectors/http-json';
import { MAX_BODY_BYTES, TooLarge, readCapped } from '../../src/main/core/connectors/read-capped';
import { RestClient, type RestClientOptions } from '../../src/main/core/connectors/portfolio/rest-client';
import { WireConversation, WireMessage, toRemoteConversation, toRemoteMessage } from '../../src/main/core/connectors/portfolio/wire';
import { assertTransportAllowed, normalizeSiteUrl, siteName } from '../../src/main/core/connectors/site-url';
import { connectorFailure as failure } from '../support/connector-failure';

const BASE = 'https://chat.example.com';
const NOW = Date.parse('2026-12-01T10:00:00Z');

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: (call: Call) => Response | Promise<Response>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fn = async (url: string | URL, init: RequestInit) => {
    const call = { url: String(url), init };
    calls.push(call);
    return answer(call);
  };
  return { fetch: fn as unknown as typeof fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function client(answer: (call: Call) => Response | Promise<Response>, over: Partial<RestClientOptions> = {}) {
  const f = fakeFetch(answer);
  const rest = new RestClient({ baseUrl: BASE, token: () => 'tok-1', fetch: f.fetch, clock: () => NOW, ...over });
  return { rest, calls: f.calls };
}

const headersOf = (c: Call) => c.init.headers as Record<string, string>;

describe('portfolio RestClient requests', () => {
  it('a GET carries the Bearer token and asks for JSON, with no body and no redirects followed', async () => {
    const { rest, calls } = client(() => json(200, { success: true, data: { n: 1 } }));
    expect(rest.baseUrl).toBe(BASE);
    expect(await rest.request('GET', '/api/admin/conversations?page=2', z.object({ n: z.number() }))).toEqual({ n: 1 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${BASE}/api/admin/conversations?page=2`);
    expect(calls[0]!.init.method).toBe('GET');
    expect(headersOf(calls[0]!)).toEqual({ Accept: 'application/json', Authorization: 'Bearer tok-1' });
    expect(calls[0]!.init.body).toBeNull();
    expect(calls[0]!.init.redirect).toBe('error');
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('a POST sends its body as JSON; the deployed flavour sends the token its own way', async () => {
    const { rest, calls } = client(() => json(201, { success: true, data: 'ok' }), { authHeaders: (t) => ({ Cookie: `admin_token=${t}` }) });
    await rest.request('POST', '/api/admin/conversations/7/messages', z.string(), { content: 'Halo', clientMessageId: 'c-1' });
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBe(JSON.stringify({ content: 'Halo', clientMessageId: 'c-1' }));
    expect(headersOf(calls[0]!)).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json', Cookie: 'admin_token=tok-1' });
  });

  it('without a token it refuses before sending; a request without auth needs none', async () => {
    const { rest, calls } = client(() => json(200, { success: true, data: { token: 'x' } }), { token: () => undefined });
    const error = await failure(rest.request('GET', '/api/admin/me', z.unknown()));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe('Not signed in.');
    expect(calls).toHaveLength(0);
    expect(await rest.request('POST', '/api/admin/login', z.object({ token: z.string() }), { email: 'a', password: 'b' }, false)).toEqual({ token: 'x' });
    expect(headersOf(calls[0]!).Authorization).toBeUndefined();
    expect(headersOf(calls[0]!).Cookie).toBeUndefined();
  });

  it('a request without auth sends no token even when there is one', async () => {
    const { rest, calls } = client(() => json(200, { success: true, data: 1 }));
    await rest.request('GET', '/api/config', z.number(), undefined, false);
    expect(headersOf(calls[0]!)).toEqual({ Accept: 'application/json' });
  });

  it('parses the data with the schema (ids as strings become numbers)', async () => {
    const { rest } = client(() => json(200, { success: true, data: { id: '42' } }));
    expect(await rest.request('GET', '/x', z.object({ id: z.string().transform(Number) }))).toEqual({ id: 42 });
  });
});

describe('portfolio RestClient errors', () => {
  const errorFor = async (res: () => Response, over: Partial<RestClientOptions> = {}) => failure(client(res, over).rest.request('GET', '/api/admin/conversations', z.unknown()));

  it('401 means sign in again, with the server’s reason when it gave one', async () => {
    const withReason = await errorFor(() => json(401, { success: false, error: 'Token expired' }));
    expect([withReason.kind, withReason.message]).toEqual(['auth', 'Token expired']);
    const bare = await errorFor(() => new Response('Unauthorized', { status: 401 }));
    expect([bare.kind, bare.message]).toEqual(['auth', 'HTTP 401']);
    const oddError = await errorFor(() => json(401, { error: { code: 1 } }));
    expect(oddError.message).toBe('HTTP 401');
  });

  it('429 and 5xx are transient, after the server’s Retry-After (seconds or a date on the injected clock)', async () => {
    const limited = await errorFor(() => json(429, { success: false, error: 'Too many requests' }, { 'Retry-After': '7' }));
    expect([limited.kind, limited.message, limited.retryAfterMs]).toEqual(['transient', 'Too many requests', 7000]);
    const down = await errorFor(() => json(503, {}, { 'Retry-After': new Date(NOW + 30_000).toUTCString() }));
    expect([down.kind, down.message, down.retryAfterMs]).toEqual(['transient', 'HTTP 503', 30_000]);
    const first5xx = await errorFor(() => new Response('', { status: 500 }));
    expect([first5xx.kind, first5xx.retryAfterMs]).toEqual(['transient', undefined]);
  });

  it('a 4xx without an envelope is rejected with its status; a 4xx never passes as data', async () => {
    const html = await errorFor(() => new Response('<h1>Not Found</h1>', { status: 404 }));
    expect([html.kind, html.message]).toEqual(['rejected', 'HTTP 404']);
    const odd = await errorFor(() => json(404, { success: true, data: { id: 1 } }));
    expect([odd.kind, odd.message]).toEqual(['rejected', 'HTTP 404']);
  });

  it('other 4xx are rejected for good with the server’s reason', async () => {
    for (const status of [400, 403, 404, 409, 422, 499]) {
      const error = await errorFor(() => json(status, { success: false, error: `refused ${status}` }));
      expect([error.kind, error.message]).toEqual(['rejected', `refused ${status}`]);
    }
  });

  it('a 2xx that is not the envelope, or a failure envelope, is rejected', async () => {
    for (const body of ['<html>hi</html>', JSON.stringify({ data: {} }), JSON.stringify({ success: 'true', data: {} }), JSON.stringify([1])]) {
      const error = await errorFor(() => new Response(body, { status: 200 }));
      expect(error.kind).toBe('rejected');
      expect(error.message).toBe('Unexpected answer from /api/admin/conversations: not a Switchboard-compatible backend.');
    }
    const failed = await errorFor(() => json(200, { success: false, error: 'Conversation is closed' }));
    expect([failed.kind, failed.message]).toEqual(['rejected', 'Conversation is closed']);
    const noError = await errorFor(() => json(200, { success: false }));
    expect(noError.message).toMatch(/not a Switchboard-compatible backend/);
  });

  it('data that fails the schema is rejected', async () => {
    const error = await failure(client(() => json(200, { success: true, data: { id: 'x' } })).rest.request('GET', '/y', z.object({ id: z.number() })));
    expect(error.message).toBe('Unexpected answer from /y: not a Switchboard-compatible backend.');
  });

  it('a network failure is transient and names the site', async () => {
    const refused = await errorFor(() => Promise.reject(new TypeError('fetch failed')) as never);
    expect([refused.kind, refused.message]).toEqual(['transient', `Could not reach ${BASE}: fetch failed`]);
    const odd = await errorFor(() => Promise.reject('socket hang up') as never);
    expect(odd.message).toBe(`Could not reach ${BASE}: socket hang up`);
  });

  it('an answer over the body cap is refused, naming the path without its query', async () => {
    const big = await errorFor(() => new Response(`{"success":true,"data":"${'a'.repeat(3 * 1024 * 1024)}"}`, { status: 200 }), { maxBodyBytes: 2 * 1024 * 1024 });
    expect([big.kind, big.message]).toEqual(['rejected', 'The answer from /api/admin/conversations is too large (over 2 MB); refused.']);
  });
});

describe('requestJson', () => {
  it('gives up after its timeout (default 15 s) as a transient failure', async () => {
    let seen: AbortSignal | undefined;
    const hang = (async (_url: string, init: RequestInit) => {
      seen = init.signal ?? undefined;
      return new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    }) as unknown as typeof fetch;
    const error = await failure(requestJson(hang, `${BASE}/a`, { method: 'GET', headers: {}, timeoutMs: 5 }, BASE));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/^Could not reach https:\/\/chat\.example\.com: .*(timeout|aborted)/i);
    // Without timeoutMs the default applies (the signal is there and not yet aborted).
    const quick = fakeFetch((c) => {
      seen = c.init.signal ?? undefined;
      return json(200, {});
    });
    await requestJson(quick.fetch, `${BASE}/b`, { method: 'GET', headers: {} }, BASE);
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen!.aborted).toBe(false);
  });

  it('reads JSON up to the default cap; an empty or non-JSON body is undefined, not an error', async () => {
    const ok = fakeFetch(() => json(200, { a: 1 }));
    expect((await requestJson(ok.fetch, `${BASE}/a`, { method: 'GET', headers: {} }, BASE)).json).toEqual({ a: 1 });
    const empty = fakeFetch(() => new Response(null, { status: 204 }));
    const r = await requestJson(empty.fetch, `${BASE}/a`, { method: 'DELETE', headers: {} }, BASE);
    expect(r.json).toBeUndefined();
    expect(r.res.status).toBe(204);
    const html = fakeFetch(() => new Response('<h1>502 Bad Gateway</h1>', { status: 502 }));
    expect((await requestJson(html.fetch, `${BASE}/a`, { method: 'GET', headers: {} }, BASE)).json).toBeUndefined();
  });

  it('transientFor: only 429 and 5xx', () => {
    const at = (status: number, retryAfter?: string) => transientFor(new Response(null, { status, headers: retryAfter ? { 'Retry-After': retryAfter } : {} }), 'm', NOW);
    expect(at(200)).toBeNull();
    expect(at(404)).toBeNull();
    expect(at(428)).toBeNull();
    expect(at(499)).toBeNull();
    expect(at(429, '3')).toMatchObject({ kind: 'transient', message: 'm', retryAfterMs: 3000 });
    expect(at(500)).toMatchObject({ kind: 'transient', retryAfterMs: undefined });
    expect(at(504, '1')).toMatchObject({ kind: 'transient', retryAfterMs: 1000 });
  });
});

describe('readCapped', () => {
  const stream = (parts: string[]) => {
    let cancelled = false;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled < parts.length) controller.enqueue(new TextEncoder().encode(parts[pulled++]));
        else controller.close();
      },
      cancel() {
        cancelled = true;
      },
    });
    return { body, cancelled: () => cancelled, pulled: () => pulled };
  };

  it('joins the chunks of a body within the limit (the limit itself included), multi-byte text intact', async () => {
    const s = stream(['{"a":', '"é', '"}']);
    expect(await readCapped(new Response(s.body), 11)).toBe('{"a":"é"}');
    expect(new TextEncoder().encode('{"a":"é"}').byteLength).toBe(10);
    expect(await readCapped(new Response('1234567890'), 10)).toBe('1234567890');
    expect(await readCapped(new Response(null), 10)).toBe('');
  });

  it('stops reading and cancels the body once it is over the limit', async () => {
    const s = stream(['12345', '67890', 'X', 'never read']);
    await expect(readCapped(new Response(s.body), 10)).rejects.toBeInstanceOf(TooLarge);
    expect(s.cancelled()).toBe(true);
    expect(s.pulled()).toBeLessThan(4);
  });

  it('a declared Content-Length over the limit is refused before reading; one within is read', async () => {
    const s = stream(['{}']);
    await expect(readCapped(new Response(s.body, { headers: { 'Content-Length': '11' } }), 10)).rejects.toBeInstanceOf(TooLarge);
    expect(s.pulled()).toBe(0);
    expect(s.cancelled()).toBe(true);
    expect(await readCapped(new Response('{}', { headers: { 'Content-Length': '10' } }), 10)).toBe('{}');
    expect(await readCapped(new Response('{}', { headers: { 'Content-Length': 'lots' } }), 10)).toBe('{}');
  });

  it('the cap is 32 MB', () => {
    expect(MAX_BODY_BYTES).toBe(32 * 1024 * 1024);
  });
});

describe('site-url', () => {
  it('makes the origin of what the user typed, https:// by default', () => {
    expect(normalizeSiteUrl('  chat.example.com/admin  ')).toBe('https://chat.example.com');
    expect(normalizeSiteUrl('HTTP://127.0.0.1:3000/x?y')).toBe('http://127.0.0.1:3000');
    expect(normalizeSiteUrl('https://Example.COM:8443/')).toBe('https://example.com:8443');
    expect(() => normalizeSiteUrl('http://')).toThrow('Enter the address of your site, like https://example.com.');
    expect(normalizeSiteUrl('  http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(normalizeSiteUrl('chat.example.com/login?next=https://chat.example.com/admin')).toBe('https://chat.example.com');
    expect(normalizeSiteUrl('localhost:3000')).toBe('https://localhost:3000');
    // Another scheme is refused, not taken for a host name (it once became https://ftp).
    for (const other of ['ftp://example.com', 'ws://chat.example.com', 'file:///etc/passwd']) {
      expect(() => normalizeSiteUrl(other), other).toThrow(/must start with https:\/\/ or http:\/\/|Enter the address/);
    }
    expect(() => normalizeSiteUrl('ftp://example.com')).toThrow('The site address must start with https:// or http://.');
    expect(siteName('https://chat.example.com:8443')).toBe('chat.example.com:8443');
  });

  it('refuses plain http:// to another computer unless confirmed; loopback and https are fine', () => {
    for (const ok of ['https://chat.example.com', 'http://localhost:3000', 'http://127.0.0.1:8000', 'http://127.10.0.3', 'http://[::1]:9000', 'LOCALHOST']) {
      expect(() => assertTransportAllowed(ok.startsWith('LOCAL') ? 'http://LOCALHOST' : ok, false)).not.toThrow();
    }
    for (const bad of ['http://chat.example.com', 'http://192.168.1.5:3000', 'http://localhost.example.com', 'http://notlocalhost:3000', 'http://127.0.0.1.nip.io', 'http://my127.0.0.1.example']) {
      expect(() => assertTransportAllowed(bad, false)).toThrow(/is not encrypted \(http:\/\/\)/);
      expect(() => assertTransportAllowed(bad, true)).not.toThrow();
    }
    try {
      assertTransportAllowed('http://chat.example.com:8080/path', false);
    } catch (error) {
      expect(error).toMatchObject({ code: 'insecure' });
      expect((error as Error).message.startsWith('chat.example.com:8080 is not encrypted')).toBe(true);
    }
  });
});

describe('portfolio wire', () => {
  const wireMessage = (over: Record<string, unknown> = {}) =>
    WireMessage.parse({ id: '101', conversationId: 7, content: 'Hi, is the course still open?', senderType: 'visitor', senderId: null, isRead: false, readAt: null, createdAt: '2026-12-01T09:00:00.000Z', ...over });

  it('a visitor message: string ids become numbers, the id is its order, unread', () => {
    expect(toRemoteMessage(wireMessage())).toEqual({
      remoteId: '101',
      clientId: null,
      seq: 101,
      senderType: 'visitor',
      senderId: null,
      content: 'Hi, is the course still open?',
      createdAt: Date.parse('2026-12-01T09:00:00.000Z'),
      readAt: null,
    });
  });

  it('the owner’s reply keeps its client id and sender; read time from readAt, else from isRead', () => {
    const reply = toRemoteMessage(wireMessage({ id: 102, senderType: 'admin', senderId: 3, clientMessageId: 'c-9', readAt: '2026-12-01T09:05:00.000Z', isRead: true }));
    expect(reply).toMatchObject({ remoteId: '102', seq: 102, clientId: 'c-9', senderType: 'admin', senderId: '3', readAt: Date.parse('2026-12-01T09:05:00.000Z') });
    expect(toRemoteMessage(wireMessage({ isRead: true })).readAt).toBe(Date.parse('2026-12-01T09:00:00.000Z'));
    expect(toRemoteMessage(wireMessage({ isRead: undefined, readAt: undefined })).readAt).toBeNull();
    expect(toRemoteMessage(wireMessage({ senderId: 'admin-1' })).senderId).toBe('admin-1');
    expect(toRemoteMessage(wireMessage({ senderId: undefined })).senderId).toBeNull();
  });

  it('refuses a message with a bad date, a bad id or an unknown sender', () => {
    expect(WireMessage.safeParse({ ...wireMessage(), createdAt: 'yesterday' }).success).toBe(false);
    expect(WireMessage.safeParse({ ...wireMessage(), readAt: 'soon' }).success).toBe(false);
    for (const id of ['abc', 'x12', '12x', '1234567890123456', '', -3, 1.5]) expect(WireMessage.safeParse({ ...wireMessage(), id }).success, String(id)).toBe(false);
    expect(WireMessage.parse({ ...wireMessage(), id: '123456789012345' }).id).toBe(123456789012345);
    expect(WireMessage.safeParse({ ...wireMessage(), senderType: 'bot' }).success).toBe(false);
  });

  const conversation = (over: Record<string, unknown> = {}) =>
    WireConversation.parse({
      id: 7,
      visitorName: 'Budi',
      visitorEmail: 'budi@example.com',
      status: 'active',
      lastMessage: { content: 'x'.repeat(250), createdAt: '2026-12-01T09:00:00.000Z' },
      unreadCount: 2,
      createdAt: '2026-11-30T08:00:00.000Z',
      updatedAt: '2026-12-01T09:00:00.000Z',
      ...over,
    });

  it('a conversation: preview cut at 200 characters, last activity from lastMessageAt or else the last message', () => {
    expect(toRemoteConversation(conversation())).toEqual({
      remoteId: '7',
      visitorName: 'Budi',
      visitorEmail: 'budi@example.com',
      serverStatus: 'active',
      createdAt: Date.parse('2026-11-30T08:00:00.000Z'),
      lastMessageAt: Date.parse('2026-12-01T09:00:00.000Z'),
      lastMessagePreview: 'x'.repeat(200),
    });
    expect(toRemoteConversation(conversation({ lastMessageAt: '2026-12-01T09:30:00.000Z' })).lastMessageAt).toBe(Date.parse('2026-12-01T09:30:00.000Z'));
    const empty = toRemoteConversation(conversation({ lastMessage: null, visitorName: null, visitorEmail: undefined, status: 'closed' }));
    expect(empty).toMatchObject({ lastMessageAt: null, lastMessagePreview: null, visitorName: null, visitorEmail: null, serverStatus: 'closed' });
    expect('visitorOnline' in empty).toBe(false);
    expect(toRemoteConversation(conversation({ visitorOnline: false })).visitorOnline).toBe(false);
    expect(toRemoteConversation(conversation({ visitorOnline: true })).visitorOnline).toBe(true);
  });
});
