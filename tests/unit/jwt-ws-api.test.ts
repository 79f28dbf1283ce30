// The jwt-ws REST calls over a fake fetch playing the server in memory
// (tests/support/fake-jwt-ws-rest.ts; the real server is covered by
// tests/integration/jwt-ws-sync.test.ts): the paths, offset history pages, the page-back walk,
// history retried on 429 and network failures, and a reply looked for before it is sent again.
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { HISTORY_LIMIT, JwtWsApi } from '../../src/main/core/connectors/jwt-ws/api';
import { JwtWsRest } from '../../src/main/core/connectors/jwt-ws/rest-client';
import { connectorFailure as failure } from '../support/connector-failure';
import { FakeJwtWsRest } from '../support/fake-jwt-ws-rest';

const BASE = 'https://rooms.example.com';
const T0 = Date.parse('2026-12-01T12:00:00.000Z');

function api(opts: { maxWaitMs?: number; token?: () => Promise<string> } = {}) {
  const server = new FakeJwtWsRest();
  const sleeps: number[] = [];
  const rest = new JwtWsRest({ baseUrl: BASE, fetch: server.fetch, now: () => T0 }, { accessToken: opts.token ?? (async () => 'tok'), rejected: () => undefined });
  // Each wait is recorded and over at once.
  const timers = { setTimeout: (fn: () => void, ms: number) => (sleeps.push(ms), queueMicrotask(fn)), clearTimeout: () => {} };
  const a = new JwtWsApi(rest, { timers, random: () => 0.5, maxWaitMs: opts.maxWaitMs ?? 30_000 });
  return { server, sleeps, api: a };
}

/** `n` messages in room r1, oldest first, one second apart ending at T0. */
function fill(server: FakeJwtWsRest, n: number, sender = 'u2') {
  for (let i = 0; i < n; i++) server.add('r1', { sender_id: sender, created_at: new Date(T0 - (n - 1 - i) * 1000).toISOString() });
}

describe('JwtWsApi paths', () => {
  it('reads and writes where the server has them, ids encoded', async () => {
    const { server, api: a } = api();
    server.users.set('u 2', { id: 'u 2', username: 'ana' });
    server.rooms.set('r 1', { id: 'r 1', type: 'group', name: 'Dapur' });
    expect((await a.me()).id).toBe('u-self');
    expect((await a.user('u 2')).username).toBe('ana');
    expect((await a.myRooms()).map((r) => r.id)).toEqual(['r 1']);
    expect((await a.room('r 1')).name).toBe('Dapur');
    await a.markRead('m/1');
    expect((await a.directRoom('u 2')).id).toBe('direct-u 2');
    expect(server.requests).toEqual([
      'GET /api/v1/users/me',
      'GET /api/v1/users/u%202',
      'GET /api/v1/rooms/my-chats',
      'GET /api/v1/rooms/r%201',
      'POST /api/v1/messages/m%2F1/read',
      'POST /api/v1/rooms/direct/u%202',
    ]);
    expect(server.calls.every((c) => c.auth === 'Bearer tok')).toBe(true);
  });
});

describe('JwtWsApi history', () => {
  it('one page, newest first, with the total from meta; without meta a full page means "maybe more"', async () => {
    const { server, api: a } = api();
    fill(server, 5);
    const p1 = await a.historyPage('r1', 1, 2);
    expect(server.requests).toEqual(['GET /api/v1/rooms/r1/messages?page=1&limit=2']);
    expect(p1.messages.map((m) => m.id)).toEqual(['m5', 'm4']);
    expect([p1.totalPages, p1.total]).toEqual([3, 5]);
    expect((await a.historyPage('r1', 1)).messages).toHaveLength(5);
    expect(server.requests[1]).toBe(`GET /api/v1/rooms/r1/messages?page=1&limit=${HISTORY_LIMIT}`);
    server.meta = false;
    expect(await a.historyPage('r1', 2, 2)).toMatchObject({ totalPages: 3, total: null });
    expect(await a.historyPage('r1', 3, 2)).toMatchObject({ totalPages: 3, total: null });
    expect((await a.historyPage('r1', 1, 5)).totalPages).toBe(2);
  });

  it('a page is retried on 429 (the server’s wait) and network failures (backoff), then answers', async () => {
    const { server, sleeps, api: a } = api();
    fill(server, 3);
    server.failures.push(
      { match: /messages/, status: 429, headers: { 'X-RateLimit-Reset': String(T0 / 1000 + 7) } },
      { match: /messages/, status: 503 },
      { match: /messages/, status: 0, network: true },
    );
    const p = await a.historyPage('r1', 1, 50);
    expect(p.messages).toHaveLength(3);
    // 7 s asked; then equal jitter at 0.5 of 500 ms doubling: attempt 2 → 750, attempt 3 → 1500.
    expect(sleeps).toEqual([7000, 750, 1500]);
    expect(server.calls).toHaveLength(4);
  });

  it('gives up once maxWaitMs is spent, and never waits longer than what is left', async () => {
    const { server, sleeps, api: a } = api({ maxWaitMs: 1000 });
    for (let i = 0; i < 5; i++) server.failures.push({ match: /messages/, status: 503, body: { success: false, message: 'down' } });
    const error = await failure(a.historyPage('r1', 1));
    expect([error.kind, error.message]).toEqual(['transient', 'down']);
    expect(sleeps).toEqual([375, 625]);
    expect(server.calls).toHaveLength(3);
  });

  it('refusals, sign-in-again and other errors are not retried; rooms are not retried either', async () => {
    const { server, sleeps, api: a } = api();
    server.failures.push({ match: /messages/, status: 404 });
    expect((await failure(a.historyPage('r1', 1))).kind).toBe('rejected');
    server.failures.push({ match: /messages/, status: 401 }, { match: /messages/, status: 401 });
    expect((await failure(a.historyPage('r1', 1))).kind).toBe('auth');
    server.failures.push({ match: /rooms\/r1$/, status: 503 });
    expect((await failure(a.room('r1'))).kind).toBe('transient');
    expect(sleeps).toEqual([]);
    const broken = api({ token: async () => Promise.reject(new TypeError('no keyring')) });
    await expect(broken.api.historyPage('r1', 1)).rejects.toThrow('no keyring');
    expect(broken.sleeps).toEqual([]);
  });

  it('pageBack stops at a known message, at a short page, at the last page or at maxPages; each message once', async () => {
    const { server, api: a } = api();
    fill(server, 9);
    const known = await a.pageBack('r1', (m) => m.id === 'm5', 20, 3);
    expect(known.map((m) => m.id)).toEqual(['m9', 'm8', 'm7', 'm6', 'm5', 'm4']);
    expect(server.calls).toHaveLength(2);
    server.calls.length = 0;
    expect(await a.pageBack('r1', () => false, 20, 3)).toHaveLength(9);
    expect(server.calls).toHaveLength(3);
    server.calls.length = 0;
    expect(await a.pageBack('r1', () => false, 2, 3)).toHaveLength(6);
    expect(server.calls).toHaveLength(2);
    server.calls.length = 0;
    expect(await a.pageBack('r1', () => false, 20, 4)).toHaveLength(9);
    expect(server.calls).toHaveLength(3);
    // A message arriving between pages shifts them: the one pushed onto page 2 is kept once.
    server.calls.length = 0;
    server.afterPage = (_room, page) => void (page === 1 && server.add('r1', { sender_id: 'u2' }));
    const shifted = await a.pageBack('r1', () => false, 2, 3);
    expect(shifted.map((m) => m.id)).toEqual(['m9', 'm8', 'm7', 'm6', 'm5']);
    server.afterPage = () => undefined;
    server.meta = false;
    server.calls.length = 0;
    expect(await a.pageBack('r1', () => false)).toHaveLength(10);
    expect(server.calls).toHaveLength(1);
  });
});

describe('JwtWsApi replies', () => {
  it('a first attempt posts the text; the message it made is not matched again', async () => {
    const { server, api: a } = api();
    const sent = await a.sendReply('r1', 'hai', 'u-self');
    expect(server.calls.map((c) => [c.method, c.path, c.body])).toEqual([['POST', '/api/v1/messages', { room_id: 'r1', content: 'hai', type: 'text' }]]);
    // A second, equal reply that may have arrived: the first one's message is claimed, so it is sent.
    const again = await a.sendReply('r1', 'hai', 'u-self', { roomId: 'r1', content: 'hai', firstAttemptAt: T0 });
    expect(again.id).not.toBe(sent.id);
    expect(server.requests.filter((r) => r.startsWith('POST'))).toHaveLength(2);
  });

  it('a reply that may have arrived is looked for first: ours, same text, not deleted, not older than 5 minutes before the first attempt', async () => {
    const { server, api: a } = api();
    const first = T0;
    server.add('r1', { sender_id: 'u2', content: 'ok', created_at: new Date(first).toISOString() });
    server.add('r1', { sender_id: 'u-self', content: 'ok', is_deleted: true, created_at: new Date(first).toISOString() });
    server.add('r1', { sender_id: 'u-self', content: 'ok!', created_at: new Date(first).toISOString() });
    server.add('r1', { sender_id: 'u-self', content: 'ok', created_at: new Date(first - 300_001).toISOString() });
    const none = await a.sendReply('r1', 'ok', 'u-self', { roomId: 'r1', content: 'ok', firstAttemptAt: first });
    expect(server.requests).toEqual(['GET /api/v1/rooms/r1/messages?page=1&limit=50', 'POST /api/v1/messages']);
    server.calls.length = 0;
    const edge = server.add('r1', { sender_id: 'u-self', content: 'later', created_at: new Date(first - 300_000).toISOString() });
    const found = await a.sendReply('r1', 'later', 'u-self', { roomId: 'r1', content: 'later', firstAttemptAt: first });
    expect(found.id).toBe(edge.id);
    expect(server.requests).toEqual(['GET /api/v1/rooms/r1/messages?page=1&limit=50']);
    expect(none.id).not.toBe(edge.id);
  });

  it('the search walks back up to 5 full pages, and stops at a page older than the window', async () => {
    const { server, api: a } = api();
    const mine = server.add('r1', { sender_id: 'u-self', content: 'deep', created_at: new Date(T0 - 1000).toISOString() });
    fill(server, 4 * HISTORY_LIMIT + 10);
    const found = await a.sendReply('r1', 'deep', 'u-self', { roomId: 'r1', content: 'deep', firstAttemptAt: T0 });
    expect(found.id).toBe(mine.id);
    expect(server.calls).toHaveLength(5);
    server.calls.length = 0;
    fill(server, HISTORY_LIMIT);
    await a.sendReply('r1', 'deep', 'u-self', { roomId: 'r1', content: 'deep', firstAttemptAt: T0 });
    expect(server.requests.filter((r) => r.startsWith('GET'))).toHaveLength(5);
    expect(server.requests.at(-1)).toBe('POST /api/v1/messages');
    // Every message of page 1 older than the window: no page 2.
    const old = api();
    for (let i = 0; i < HISTORY_LIMIT; i++) old.server.add('r1', { sender_id: 'u2', created_at: new Date(T0 - 600_000 - i).toISOString() });
    await old.api.sendReply('r1', 'x', 'u-self', { roomId: 'r1', content: 'x', firstAttemptAt: T0 });
    expect(old.server.requests).toEqual(['GET /api/v1/rooms/r1/messages?page=1&limit=50', 'POST /api/v1/messages']);
  });

  it('the search stops after a page whose oldest message is older than the window, not one at its edge', async () => {
    const from = T0 - 300_000;
    const walk = (oldestAt: number) => {
      const t = api();
      t.server.add('r1', { sender_id: 'u2', created_at: new Date(oldestAt).toISOString() });
      for (let i = 1; i < HISTORY_LIMIT; i++) t.server.add('r1', { sender_id: 'u2', created_at: new Date(T0).toISOString() });
      return t;
    };
    const past = walk(from - 1);
    await past.api.sendReply('r1', 'x', 'u-self', { roomId: 'r1', content: 'x', firstAttemptAt: T0 });
    expect(past.server.requests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
    const edge = walk(from);
    await edge.api.sendReply('r1', 'x', 'u-self', { roomId: 'r1', content: 'x', firstAttemptAt: T0 });
    expect(edge.server.requests.filter((r) => r.startsWith('GET'))).toHaveLength(2);
  });

  it('a failed post is thrown', async () => {
    const { server, api: a } = api();
    server.failures.push({ match: /POST/, status: 400, body: { success: false, message: 'content required' } });
    const error = await failure(a.sendReply('r1', '', 'u-self'));
    expect(error).toBeInstanceOf(ConnectorError);
    expect([error.kind, error.message]).toEqual(['rejected', 'content required']);
  });
});
