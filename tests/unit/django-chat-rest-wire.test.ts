// The Django mentor chat's REST client over a fake fetch (no network): when the access token is
// renewed, how answers map to what the engine does next; and its wire translations, with payloads
// shaped like the deployed site's (backends.md §2).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import type { Credentials, CredentialsPort } from '../../src/main/core/connectors/credentials';
import { DjangoRest } from '../../src/main/core/connectors/django-chat/rest-client';
import { WireConversation, WireMessage, toRemoteConversation, toRemoteMessage } from '../../src/main/core/connectors/django-chat/wire';
import { connectorFailure as failure } from '../support/connector-failure';

const BASE = 'https://mentor.example.com';
const NOW = 1_800_000_000_000;

interface Call {
  url: string;
  init: RequestInit;
}

function setup(answers: ((call: Call) => Response | Promise<Response>)[], creds: Credentials | undefined, renewTo: (() => Promise<Credentials>) | null = null) {
  const calls: Call[] = [];
  let refreshes = 0;
  let current = creds;
  const credentials: CredentialsPort = {
    current: () => current,
    refresh: async () => {
      refreshes++;
      if (!renewTo) throw new ConnectorError('auth', 'Sign in again.');
      current = await renewTo();
      return current;
    },
  };
  const fetchFn = (async (url: string | URL, init: RequestInit) => {
    const call = { url: String(url), init };
    calls.push(call);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return answer(call);
  }) as unknown as typeof fetch;
  const rest = new DjangoRest({ baseUrl: BASE, credentials, fetch: fetchFn, clock: () => NOW });
  return { rest, calls, refreshes: () => refreshes };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const bearer = (c: Call) => (c.init.headers as Record<string, string>).Authorization;
const fresh = { access: 'a1', refresh: 'r1', expiresAt: NOW + 300_000, issuedAt: NOW - 60_000 };

describe('DjangoRest tokens', () => {
  it('uses a fresh access token as it is, with JSON headers and manual redirects', async () => {
    const { rest, calls, refreshes } = setup([json(200, { ok: 1 })], fresh);
    expect(await rest.request('GET', '/api/chat/conversations/', z.object({ ok: z.number() }))).toEqual({ ok: 1 });
    expect(refreshes()).toBe(0);
    expect(calls[0]!.url).toBe(`${BASE}/api/chat/conversations/`);
    expect(calls[0]!.init.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer a1' });
    expect(calls[0]!.init.body).toBeNull();
    expect(calls[0]!.init.redirect).toBe('manual');
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('a POST sends JSON', async () => {
    const { rest, calls } = setup([json(201, { id: 5 })], fresh);
    await rest.request('POST', '/api/chat/conversations/3/messages/', z.unknown(), { content: 'Selamat pagi' });
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBe('{"content":"Selamat pagi"}');
    expect((calls[0]!.init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('renews shortly before expiry: within 30 s, or a quarter of a short lifetime', async () => {
    const renew = async () => ({ access: 'a2', refresh: 'r2', expiresAt: NOW + 600_000, issuedAt: NOW });
    // 20 s left of a 5 min token: inside the 30 s margin.
    const soon = setup([json(200, {})], { ...fresh, expiresAt: NOW + 20_000 }, renew);
    await soon.rest.request('GET', '/x', z.unknown());
    expect([soon.refreshes(), bearer(soon.calls[0]!)]).toEqual([1, 'Bearer a2']);
    // 40 s left of a 5 min token: outside it.
    const later = setup([json(200, {})], { ...fresh, expiresAt: NOW + 40_000 }, renew);
    await later.rest.request('GET', '/x', z.unknown());
    expect([later.refreshes(), bearer(later.calls[0]!)]).toEqual([0, 'Bearer a1']);
    // A 60 s token with 20 s left: the margin is 15 s, so it is still used.
    const short = setup([json(200, {})], { access: 'a1', expiresAt: NOW + 20_000, issuedAt: NOW - 40_000 }, renew);
    await short.rest.request('GET', '/x', z.unknown());
    expect(short.refreshes()).toBe(0);
    // ...and with 10 s left it is renewed.
    const shortSoon = setup([json(200, {})], { access: 'a1', expiresAt: NOW + 10_000, issuedAt: NOW - 50_000 }, renew);
    await shortSoon.rest.request('GET', '/x', z.unknown());
    expect(shortSoon.refreshes()).toBe(1);
    // Exactly at the margin counts as due.
    const edge = setup([json(200, {})], { access: 'a1', expiresAt: NOW + 30_000 }, renew);
    await edge.rest.request('GET', '/x', z.unknown());
    expect(edge.refreshes()).toBe(1);
    // No issue time: the 30 s margin, whatever the lifetime.
    const noIssue = setup([json(200, {})], { access: 'a1', expiresAt: NOW + 31_000 }, renew);
    await noIssue.rest.request('GET', '/x', z.unknown());
    expect(noIssue.refreshes()).toBe(0);
    // No expiry known: used until the server refuses it.
    const unknown = setup([json(200, {})], { access: 'a1' }, renew);
    await unknown.rest.request('GET', '/x', z.unknown());
    expect(unknown.refreshes()).toBe(0);
  });

  it('no access token: renewed first; nothing to renew with is auth', async () => {
    const renewed = setup([json(200, {})], { refresh: 'r1' }, async () => ({ access: 'a9' }));
    await renewed.rest.request('GET', '/x', z.unknown());
    expect(bearer(renewed.calls[0]!)).toBe('Bearer a9');
    const empty = setup([json(200, {})], { refresh: 'r1' }, async () => ({ refresh: 'r2' }));
    const error = await failure(empty.rest.request('GET', '/x', z.unknown()));
    expect([error.kind, error.message]).toEqual(['auth', 'Not signed in.']);
    expect(empty.calls).toHaveLength(0);
  });

  it('a 401 renews once and retries; a second 401 is auth with the server’s detail', async () => {
    const ok = setup([json(401, { detail: 'Given token not valid for any token type' }), json(200, { n: 2 })], fresh, async () => ({ access: 'a2' }));
    expect(await ok.rest.request('GET', '/x', z.object({ n: z.number() }))).toEqual({ n: 2 });
    expect(ok.calls.map(bearer)).toEqual(['Bearer a1', 'Bearer a2']);
    expect(ok.refreshes()).toBe(1);

    const twice = setup([json(401, { detail: 'expired' }), json(401, { detail: 'User is inactive' })], fresh, async () => ({ access: 'a2' }));
    const error = await failure(twice.rest.request('GET', '/x', z.unknown()));
    expect([error.kind, error.message]).toEqual(['auth', 'User is inactive']);
    expect(twice.calls).toHaveLength(2);

    const gone = setup([json(401, {})], fresh, async () => ({ refresh: 'r' }));
    const noAccess = await failure(gone.rest.request('GET', '/x', z.unknown()));
    expect([noAccess.kind, noAccess.message]).toEqual(['auth', 'Not signed in.']);
    expect(gone.calls).toHaveLength(1);
  });
});

describe('DjangoRest errors', () => {
  const errorOf = async (answer: (call: Call) => Response | Promise<Response>) => failure(setup([answer], fresh).rest.request('GET', '/api/chat/x/', z.unknown()));

  it('429 and 5xx are transient, after Retry-After', async () => {
    const limited = await errorOf(json(429, { detail: 'Request was throttled. Expected available in 12 seconds.' }, { 'Retry-After': '12' }));
    expect([limited.kind, limited.message, limited.retryAfterMs]).toEqual(['transient', 'Request was throttled. Expected available in 12 seconds.', 12_000]);
    const down = await errorOf(() => new Response('<h1>Server Error (500)</h1>', { status: 500 }));
    expect([down.kind, down.message, down.retryAfterMs]).toEqual(['transient', 'HTTP 500', undefined]);
    const dateWait = await errorOf(json(503, {}, { 'Retry-After': new Date(NOW + 5000).toUTCString() }));
    expect(dateWait.retryAfterMs).toBe(5000);
  });

  it('a redirect (a login page, another site) is rejected, not followed', async () => {
    for (const status of [301, 302, 399]) {
      const error = await errorOf(() => new Response(null, { status, headers: { Location: '/accounts/login/' } }));
      expect(error.kind).toBe('rejected');
      expect(error.message).toBe(`/api/chat/x/ redirected (${status}); the site's API is not where a Django mentor chat keeps it.`);
    }
  });

  it('other 4xx are rejected with DRF’s detail, or the first field error', async () => {
    const notFound = await errorOf(json(404, { detail: 'Not found.' }));
    expect([notFound.kind, notFound.message]).toEqual(['rejected', 'Not found.']);
    const field = await errorOf(json(400, { status: 'bad', content: ['This field may not be blank.'], other: ['second'] }));
    expect(field.message).toBe('This field may not be blank.');
    const numbers = await errorOf(json(400, { content: [1, 2] }));
    expect(numbers.message).toBe('HTTP 400');
    const list = await errorOf(json(403, ['nope']));
    expect(list.message).toBe('HTTP 403');
    const html = await errorOf(() => new Response('<p>Forbidden</p>', { status: 403 }));
    expect(html.message).toBe('HTTP 403');
  });

  it('a 2xx the schema refuses is rejected', async () => {
    const error = await failure(setup([json(200, { results: 'x' })], fresh).rest.request('GET', '/api/chat/conversations/', z.object({ results: z.array(z.unknown()) })));
    expect([error.kind, error.message]).toEqual(['rejected', 'Unexpected answer from /api/chat/conversations/: not a Django mentor chat site.']);
  });

  it('a network failure is transient and names the site', async () => {
    const error = await errorOf(() => Promise.reject(new TypeError('fetch failed')) as never);
    expect([error.kind, error.message]).toEqual(['transient', `Could not reach ${BASE}: fetch failed`]);
    const odd = await errorOf(() => Promise.reject('reset') as never);
    expect(odd.message).toBe(`Could not reach ${BASE}: reset`);
  });
});

describe('DjangoRest sessionValid', () => {
  it('a GET with only the session cookie; true only for a 2xx', async () => {
    const ok = setup([json(200, {})], { ...fresh, sessionid: 's-1' });
    expect(await ok.rest.sessionValid('/api/profile/')).toBe(true);
    expect(ok.calls[0]!.init).toMatchObject({ method: 'GET', headers: { Accept: 'application/json', Cookie: 'sessionid=s-1' }, redirect: 'manual' });
    const expired = setup([() => new Response(null, { status: 302 })], { ...fresh, sessionid: 's-1' });
    expect(await expired.rest.sessionValid('/api/profile/')).toBe(false);
    const none = setup([json(200, {})], fresh);
    expect(await none.rest.sessionValid('/api/profile/')).toBe(false);
    expect(none.calls).toHaveLength(0);
  });
});

describe('django-chat wire', () => {
  const student = { user_id: 12, full_name: '  Siti Rahma ', username: 'siti', email: 'siti@example.com', role: 'student' };
  const message = (over: Record<string, unknown> = {}) =>
    WireMessage.parse({ id: 301, sender: 12, sender_profile: student, content: 'Pak, tugas 3 sudah saya kirim', timestamp: '2026-12-01T08:00:00.123456Z', is_read: true, is_own_message: false, ...over });

  it('the student’s message: visitor, named by full name, never read-receipted (unread is local)', () => {
    expect(toRemoteMessage(message())).toEqual({
      remoteId: '301',
      seq: 301,
      senderType: 'visitor',
      senderId: '12',
      senderName: 'Siti Rahma',
      content: 'Pak, tugas 3 sudah saya kirim',
      createdAt: Date.parse('2026-12-01T08:00:00.123456Z'),
      readAt: null,
    });
  });

  it('the teacher’s own message carries the student’s read receipt', () => {
    const own = toRemoteMessage(message({ id: '302', sender: 3, sender_profile: { full_name: '', username: ' pak_budi ' }, is_own_message: true }));
    expect(own).toMatchObject({ remoteId: '302', seq: 302, senderType: 'admin', senderId: '3', senderName: 'pak_budi', readAt: Date.parse('2026-12-01T08:00:00.123456Z') });
    expect(toRemoteMessage(message({ is_own_message: true, is_read: false })).readAt).toBeNull();
    expect(toRemoteMessage(message({ sender_profile: null })).senderName).toBeNull();
    expect(toRemoteMessage(message({ sender_profile: { full_name: ' ', username: ' ' } })).senderName).toBeNull();
  });

  it('refuses a message with a bad time, no own flag or an over-long text', () => {
    expect(WireMessage.safeParse({ ...message(), timestamp: 'tomorrow' }).success).toBe(false);
    expect(WireMessage.safeParse({ ...message(), is_own_message: undefined }).success).toBe(false);
    expect(WireMessage.safeParse({ ...message(), content: 'x'.repeat(100_001) }).success).toBe(false);
  });

  const conversation = (over: Record<string, unknown> = {}) =>
    WireConversation.parse({
      id: '3',
      student_profile: student,
      teacher_profile: { user_id: 3, full_name: 'Budi', username: 'pak_budi' },
      created_at: '2026-11-01T00:00:00Z',
      last_message: { id: 301, sender: 12, content: 'y'.repeat(300), timestamp: '2026-12-01T08:00:00Z', is_own_message: false },
      unread_message_count_for_user: 1,
      ...over,
    });

  it('a conversation is the student’s: name, email, username; the last message is its preview', () => {
    const logs: string[] = [];
    expect(toRemoteConversation(conversation(), (m) => logs.push(m))).toEqual({
      remoteId: '3',
      visitorName: 'Siti Rahma',
      visitorEmail: 'siti@example.com',
      visitorUsername: 'siti',
      serverStatus: null,
      createdAt: Date.parse('2026-11-01T00:00:00Z'),
      lastMessageAt: Date.parse('2026-12-01T08:00:00Z'),
      lastMessagePreview: 'y'.repeat(200),
    });
    expect(logs).toEqual([]);
  });

  it('a malformed last message is logged and ignored; none at all is no preview', () => {
    const logs: string[] = [];
    const bad = toRemoteConversation(conversation({ last_message: { id: 'x', content: 1 } }), (m) => logs.push(m));
    expect([bad.lastMessageAt, bad.lastMessagePreview]).toEqual([null, null]);
    expect(logs).toEqual(['django-chat: a conversation’s last message was malformed; ignored']);
    const none = toRemoteConversation(conversation({ last_message: null, student_profile: null }), (m) => logs.push(m));
    expect(none).toMatchObject({ lastMessageAt: null, lastMessagePreview: null, visitorName: null, visitorEmail: null, visitorUsername: null });
    expect(logs).toHaveLength(1);
    const blank = toRemoteConversation(conversation({ student_profile: { username: '  ', email: null } }), () => {});
    expect([blank.visitorUsername, blank.visitorEmail]).toEqual([null, null]);
  });
});

describe('DjangoRest edges', () => {
  it('a 300 is a redirect too; a 4xx with a null body is rejected with its status', async () => {
    const multiple = await failure(setup([() => new Response(null, { status: 300 })], fresh).rest.request('GET', '/api/chat/x/', z.unknown()));
    expect(multiple.message).toBe("/api/chat/x/ redirected (300); the site's API is not where a Django mentor chat keeps it.");
    const nullBody = await failure(setup([() => new Response('null', { status: 400 })], fresh).rest.request('GET', '/api/chat/x/', z.unknown()));
    expect([nullBody.kind, nullBody.message]).toEqual(['rejected', 'HTTP 400']);
  });
});
