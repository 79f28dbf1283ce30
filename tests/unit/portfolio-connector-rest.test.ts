// The plan's portfolio connector, REST side (backends.md §1): the requests it makes for lists,
// history, replies, status and read marks, with and without the reference backend's extensions,
// and signing in and discovery. Answers come from a fake fetch passed to the constructor
// (tests/support/fake-fetch.ts); the real reference backend is covered by
// tests/integration/portfolio-sync.test.ts and portfolio-faults.test.ts.
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { PortfolioConnector, discoverPortfolio, signInPortfolio } from '../../src/main/core/connectors/portfolio/portfolio-connector';
import { fakeFetch, json, type FetchCall } from '../support/fake-fetch';

const BASE = 'https://chat.example.com';
const ok = (data: unknown) => json(200, { success: true, data });

function connector(answer: (call: FetchCall) => Response, extensions = true) {
  const f = fakeFetch(answer);
  const logged: string[] = [];
  const c = new PortfolioConnector({ baseUrl: BASE, pusher: { key: 'k', cluster: 'mt1' }, extensions, token: () => 'jwt', log: (m) => logged.push(m), fetch: f.fetch });
  return { c, calls: f.calls, logged };
}

const row = (id: number, extra: Record<string, unknown> = {}) => ({ id, status: 'active', createdAt: '2026-12-01T08:00:00.000Z', ...extra });
const page = (conversations: unknown[], page = 1, totalPages = 1) => ok({ conversations, pagination: { total: conversations.length, page, limit: 100, totalPages } });
const params = (call: FetchCall) => Object.fromEntries(call.url.searchParams);

describe('portfolio connector: the conversation list', () => {
  it('asks for every status, 100 a page, and since the watermark where the site can filter', async () => {
    const { c, calls } = connector(() => page([]));
    await c.listConversations({ since: null, page: null });
    await c.listConversations({ since: '2026-12-01T09:00:00.000Z', page: '3' });
    expect(calls.map((x) => [x.method, x.url.pathname])).toEqual([
      ['GET', '/api/chat/conversations'],
      ['GET', '/api/chat/conversations'],
    ]);
    expect(params(calls[0]!)).toEqual({ status: 'all', limit: '100', page: '1' });
    expect(params(calls[1]!)).toEqual({ status: 'all', limit: '100', page: '3', updatedSince: '2026-12-01T09:00:00.000Z' });
    expect(calls[0]!.headers.Authorization).toBe('Bearer jwt');
  });

  it('a site without the extensions is never asked to filter by time', async () => {
    const { c, calls } = connector(() => page([]), false);
    await c.listConversations({ since: '2026-12-01T09:00:00.000Z', page: null });
    expect(params(calls[0]!)).toEqual({ status: 'all', limit: '100', page: '1' });
  });

  it('pages on until the last, and keeps the newest change as the watermark', async () => {
    const { c } = connector((call) =>
      call.url.searchParams.get('page') === '1'
        ? page([row(1, { updatedAt: '2026-12-01T09:00:00.000Z' }), row(2, { lastMessageAt: '2026-12-01T11:00:00.000Z' }), row(3, { updatedAt: '2026-12-01T10:00:00.000Z' }), row(4)], 1, 2)
        : page([row(5, { updatedAt: '2026-12-01T07:00:00.000Z', lastMessageAt: '2026-12-01T12:00:00.000Z' })], 2, 2),
    );
    const first = await c.listConversations({ since: null, page: null });
    expect(first.items.map((x) => x.remoteId)).toEqual(['1', '2', '3', '4']);
    expect(first.next).toBe('2');
    expect(first.watermark).toBe('2026-12-01T11:00:00.000Z');
    const second = await c.listConversations({ since: null, page: first.next });
    expect(second.next).toBeNull();
    // updatedAt wins over lastMessageAt when both are given.
    expect(second.watermark).toBe('2026-12-01T07:00:00.000Z');
  });

  it('a list with no times has no watermark; a malformed row is skipped and logged', async () => {
    const { c, logged } = connector(() => page([row(1), { id: 2, status: 'archived', createdAt: 'x' }, row(3)]));
    const list = await c.listConversations({ since: null, page: null });
    expect(list.items.map((x) => [x.remoteId, x.serverStatus])).toEqual([
      ['1', 'active'],
      ['3', 'active'],
    ]);
    expect(list.watermark).toBeNull();
    expect(logged).toEqual(['portfolio: skipped a malformed conversation']);
  });
});

describe('portfolio connector: history', () => {
  const msg = (id: number) => ({ id, content: `m${id}`, senderType: 'visitor', createdAt: '2026-12-01T08:00:00.000Z' });

  it('after a cursor (extensions): from the start without one; the next cursor is the last id while there is more', async () => {
    let more = true;
    const { c, calls } = connector(() => ok({ messages: [msg(4), msg(5)], hasMore: more }));
    const a = await c.messagesAfter('7', null, 2);
    expect(params(calls[0]!)).toEqual({ conversationId: '7', limit: '2', after: '0' });
    expect(calls[0]!.url.pathname).toBe('/api/chat/messages');
    expect(a).toMatchObject({ next: '5' });
    more = false;
    const b = await c.messagesAfter('7', '5', 2);
    expect(params(calls[1]!)).toEqual({ conversationId: '7', limit: '2', after: '5' });
    expect(b.next).toBeNull();
  });

  it('an empty page after a cursor ends it even if the site says there is more', async () => {
    const { c } = connector(() => ok({ messages: [], hasMore: true }));
    expect(await c.messagesAfter('7', '5', 2)).toEqual({ items: [], next: null });
  });

  it('a site without the extensions cannot page forward', async () => {
    const { c, calls } = connector(() => ok({ messages: [], hasMore: false }), false);
    const error = await c.messagesAfter('7', null, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'rejected' });
    expect(calls).toHaveLength(0);
  });

  it('before a cursor: the newest page without one; next is the site\'s cursor while there is more', async () => {
    let answer: Record<string, unknown> = { messages: [msg(9)], hasMore: true, nextCursor: 9 };
    const { c, calls } = connector(() => ok(answer));
    expect((await c.messagesBefore('7', null, 50)).next).toBe('9');
    expect(params(calls[0]!)).toEqual({ conversationId: '7', limit: '50' });
    answer = { messages: [msg(8)], hasMore: true, nextCursor: null };
    expect((await c.messagesBefore('7', '9', 50)).next).toBeNull();
    expect(params(calls[1]!)).toEqual({ conversationId: '7', limit: '50', before: '9' });
    answer = { messages: [msg(8)], hasMore: false, nextCursor: 8 };
    expect((await c.messagesBefore('7', '9', 50)).next).toBeNull();
    answer = { messages: [msg(8)], hasMore: true };
    expect((await c.messagesBefore('7', '9', 50)).next).toBeNull();
  });
});

describe('portfolio connector: actions', () => {
  const sent = { messageId: 42, conversationId: 7, content: 'Hi', senderType: 'admin', createdAt: '2026-12-01T10:00:00.000Z' };

  it('a reply carries its idempotency key where the site keeps one, and comes back as our message', async () => {
    const { c, calls } = connector(() => ok({ ...sent, clientMessageId: 'c-1' }));
    const m = await c.sendReply('7', 'Hi', 'c-1');
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.url.pathname).toBe('/api/chat/send');
    expect(JSON.parse(calls[0]!.body!)).toEqual({ conversationId: 7, content: 'Hi', clientMessageId: 'c-1' });
    expect(m).toMatchObject({ remoteId: '42', clientId: 'c-1', seq: 42, senderType: 'admin', content: 'Hi', createdAt: Date.parse(sent.createdAt) });
  });

  it('without the extensions: no key is sent, and the reply keeps ours', async () => {
    const { c, calls } = connector(() => ok(sent), false);
    const m = await c.sendReply('7', 'Hi', 'c-2');
    expect(JSON.parse(calls[0]!.body!)).toEqual({ conversationId: 7, content: 'Hi' });
    expect(m.clientId).toBe('c-2');
  });

  it('a status change is a PATCH of the conversation', async () => {
    const { c, calls } = connector(() => ok({ status: 'resolved' }));
    await c.setStatus('7/x', 'resolved');
    expect(calls[0]!.method).toBe('PATCH');
    expect(calls[0]!.url.pathname).toBe('/api/chat/conversations/7%2Fx');
    expect(JSON.parse(calls[0]!.body!)).toEqual({ status: 'resolved' });
  });

  it('read marks go to the site with the extensions only, and never empty', async () => {
    const a = connector(() => ok({}));
    await a.c.markRead('7', []);
    await a.c.markRead('7', ['3', '4']);
    expect(a.calls.map((x) => [x.method, x.url.pathname, JSON.parse(x.body!)])).toEqual([['POST', '/api/chat/messages/read', { conversationId: 7, messageIds: [3, 4] }]]);
    const b = connector(() => ok({}), false);
    await b.c.markRead('7', ['3']);
    expect(b.calls).toHaveLength(0);
  });
});

describe('portfolio sign-in and discovery', () => {
  it('signs in with email and password, without a token, and reads the expiry when given', async () => {
    const f = fakeFetch(() => ok({ token: 'jwt-9', expiresAt: '2026-12-02T10:00:00.000Z' }));
    expect(await signInPortfolio(BASE, 'a@b.c', 'pw', f.fetch)).toEqual({ token: 'jwt-9', expiresAt: Date.parse('2026-12-02T10:00:00.000Z') });
    expect(f.calls[0]!.method).toBe('POST');
    expect(f.calls[0]!.url.href).toBe(`${BASE}/api/admin/login`);
    expect(JSON.parse(f.calls[0]!.body!)).toEqual({ email: 'a@b.c', password: 'pw' });
    expect(f.calls[0]!.headers).not.toHaveProperty('Authorization');
    const g = fakeFetch(() => ok({ token: 'jwt-9' }));
    expect(await signInPortfolio(BASE, 'a@b.c', 'pw', g.fetch)).toEqual({ token: 'jwt-9', expiresAt: null });
  });

  it('discovers the realtime settings where the site publishes them; none where it has no such endpoint', async () => {
    const pusher = { key: 'k', cluster: 'eu', wsHost: 'ws.example.com', wsPort: 443, forceTLS: true };
    const f = fakeFetch(() => ok({ pusher }));
    expect(await discoverPortfolio(BASE, f.fetch)).toEqual(pusher);
    expect([f.calls[0]!.method, f.calls[0]!.url.href]).toEqual(['GET', `${BASE}/api/chat/config`]);
    expect(f.calls[0]!.headers).not.toHaveProperty('Authorization');
    expect(await discoverPortfolio(BASE, fakeFetch(() => json(404, { success: false, error: 'Not found' })).fetch)).toBeNull();
  });

  it('a site that is down is not taken for one without discovery', async () => {
    const error = await discoverPortfolio(BASE, fakeFetch(() => json(503, {})).fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'transient' });
    await expect(discoverPortfolio(BASE, (async () => Promise.reject(new TypeError('boom'))) as typeof fetch)).rejects.toMatchObject({ kind: 'transient' });
  });
});
