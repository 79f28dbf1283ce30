// The portfolio site as deployed, REST side (backends.md §1 "As deployed"): the cookie on every
// request, the per-status lists, whole histories paged locally, replies without an idempotency
// key, mark-read, the AI switch, and renewing a site-secret session (ahead of its end, and once
// on a 401, shared by requests refused together). Answers come from a fake fetch passed to the
// constructor (tests/support/fake-fetch.ts); the real reference site as deployed is covered by
// tests/integration/portfolio-deployed.test.ts.
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { DeployedPortfolioConnector, type DeployedConnectorOptions } from '../../src/main/core/connectors/portfolio/deployed/deployed-connector';
import { fakeFetch, json, type FetchCall } from '../support/fake-fetch';

const BASE = 'https://site.example.com';
const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const HOUR = 3_600_000;

function setup(answer: (call: FetchCall) => Response | Promise<Response>, over: Partial<DeployedConnectorOptions> = {}) {
  const f = fakeFetch(answer);
  const logged: string[] = [];
  const state = { token: 'tok-1' as string | undefined, refreshes: 0 };
  const c = new DeployedPortfolioConnector({
    baseUrl: BASE,
    pusher: { key: 'k', cluster: 'mt1' },
    token: () => state.token,
    refresh: async () => {
      state.refreshes++;
      state.token = `tok-${state.refreshes + 1}`;
    },
    log: (m) => logged.push(m),
    fetch: f.fetch,
    clock: () => NOW,
    ...over,
  });
  return { c, calls: f.calls, logged, state };
}

const cookieOf = (call: FetchCall) => call.headers.Cookie;
const conv = (id: number, status: string, extra: Record<string, unknown> = {}) => ({ id, status, createdAt: '2026-12-01T08:00:00.000Z', updatedAt: '2026-12-01T09:00:00.000Z', ...extra });
const msg = (id: number, extra: Record<string, unknown> = {}) => ({ id, senderType: 'visitor', content: `m${id}`, createdAt: new Date(NOW - (100 - id) * 1000).toISOString(), ...extra });

describe('deployed: the conversation list', () => {
  it('one unpaged request per status with the session cookie, merged by id, malformed rows skipped and logged', async () => {
    const lists: Record<string, unknown[]> = {
      active: [conv(1, 'active', { visitorName: 'Ann', messages: [msg(5)] }), { id: 'x' }],
      resolved: [conv(2, 'resolved'), conv(1, 'resolved', { updatedAt: '2026-12-01T08:30:00.000Z' })],
      closed: [],
    };
    const { c, calls, logged } = setup((call) => json(200, { success: true, data: lists[call.url.searchParams.get('status')!] }));
    const page = await c.listConversations();
    expect(calls.map((x) => [x.method, x.url.pathname + x.url.search])).toEqual([
      ['GET', '/api/chat/conversations?status=active'],
      ['GET', '/api/chat/conversations?status=resolved'],
      ['GET', '/api/chat/conversations?status=closed'],
    ]);
    expect(calls.map(cookieOf)).toEqual(Array(3).fill('admin_session=tok-1'));
    expect(calls[0]!.headers).not.toHaveProperty('Authorization');
    expect(page.next).toBeNull();
    expect(page.watermark).toBeNull();
    expect(page.items.map((x) => [x.remoteId, x.serverStatus, x.visitorName, x.lastMessagePreview])).toEqual([
      ['1', 'active', 'Ann', 'm5'],
      ['2', 'resolved', null, null],
    ]);
    expect(logged).toEqual(['portfolio (deployed): skipped a malformed conversation']);
  });
});

describe('deployed: history', () => {
  const history = [msg(3), msg(1), msg(5, { senderType: 'ai' }), msg(2), msg(4, { senderType: 'admin' })];

  function withHistory(messages: unknown[] = history) {
    return setup((call) => json(200, { success: true, data: call.url.pathname === '/api/chat/messages' ? messages : [] }));
  }

  it('the whole history once, newest first, paged back locally; a new first page fetches again', async () => {
    const { c, calls } = withHistory();
    const first = await c.messagesBefore('7', null, 2);
    expect(calls[0]!.url.pathname + calls[0]!.url.search).toBe('/api/chat/messages?conversationId=7');
    expect(cookieOf(calls[0]!)).toBe('admin_session=tok-1');
    expect(first.items.map((m) => m.remoteId)).toEqual(['5', '4']);
    expect(first.items[0]).toMatchObject({ senderType: 'ai', senderName: 'Assistant' });
    expect(first.next).toBe('4');
    const second = await c.messagesBefore('7', first.next, 2);
    expect(second).toMatchObject({ next: '2' });
    expect(second.items.map((m) => m.remoteId)).toEqual(['3', '2']);
    const third = await c.messagesBefore('7', second.next, 2);
    expect(third.items.map((m) => m.remoteId)).toEqual(['1']);
    expect(third.next).toBeNull();
    expect(calls).toHaveLength(1);
    // The walk ended: its copy is dropped, so paging back again asks the site.
    await c.messagesBefore('7', '3', 2);
    expect(calls).toHaveLength(2);
    await c.messagesBefore('7', null, 10);
    expect(calls).toHaveLength(3);
  });

  it('a page that ends exactly at the oldest message has no next', async () => {
    const { c } = withHistory();
    const page = await c.messagesBefore('7', null, 5);
    expect(page.items).toHaveLength(5);
    expect(page.next).toBeNull();
  });

  it('before a message older than all: nothing', async () => {
    const { c } = withHistory();
    expect(await c.messagesBefore('7', '1', 5)).toEqual({ items: [], next: null });
    expect(await c.messagesBefore('7', '1', 10)).toEqual({ items: [], next: null });
  });

  it('a new first page mid-walk fetches again; next is the oldest of a longer page', async () => {
    const { c, calls } = withHistory();
    const first = await c.messagesBefore('7', null, 3);
    expect(first.next).toBe('3');
    await c.messagesBefore('7', null, 3);
    expect(calls).toHaveLength(2);
  });

  it('a conversation id is escaped; a malformed message is skipped and logged', async () => {
    const { c, calls, logged } = withHistory([msg(1), { id: 2, senderType: 'robot' }, msg(3)]);
    const page = await c.messagesBefore('a&b', null, 10);
    expect(calls[0]!.url.searchParams.get('conversationId')).toBe('a&b');
    expect(page.items.map((m) => m.remoteId)).toEqual(['3', '1']);
    expect(logged).toEqual(['portfolio (deployed): skipped a malformed message']);
  });

  it('after a cursor: the newer ones oldest first, at most the limit, next the last one given', async () => {
    const { c, calls } = withHistory();
    const a = await c.messagesAfter('7', '2', 2);
    expect(a.items.map((m) => m.remoteId)).toEqual(['3', '4']);
    expect(a.next).toBe('4');
    const b = await c.messagesAfter('7', null, 10);
    expect(b.items.map((m) => m.remoteId)).toEqual(['1', '2', '3', '4', '5']);
    expect(b.next).toBeNull();
    const d = await c.messagesAfter('7', '2', 3);
    expect(d.next).toBeNull();
    expect(calls).toHaveLength(3);
    // Each fetch of the whole history replaces a walk's copy.
    await c.messagesBefore('7', null, 1);
    await c.messagesAfter('7', '4', 1);
    await c.messagesBefore('7', '5', 1);
    expect(calls).toHaveLength(6);
  });
});

describe('deployed: actions', () => {
  it('a reply is sent without an idempotency key and is ours until the history has the site\'s time', async () => {
    const { c, calls } = setup(() => json(200, { success: true, data: { messageId: 42, conversationId: 7, aiResponse: null } }));
    expect(await c.sendReply('7', 'Hello', 'client-1')).toEqual({ remoteId: '42', clientId: 'client-1', seq: 42, senderType: 'admin', content: 'Hello', createdAt: NOW, readAt: null });
    expect([calls[0]!.method, calls[0]!.url.pathname, JSON.parse(calls[0]!.body!)]).toEqual(['POST', '/api/chat/send', { conversationId: 7, content: 'Hello' }]);
  });

  it('status is a PATCH; mark-read marks the whole conversation, and is skipped with nothing to mark', async () => {
    const { c, calls } = setup(() => json(200, { success: true, data: { status: 'closed' } }));
    await c.setStatus('7 8', 'closed');
    await c.markRead('7', []);
    await c.markRead('7', ['3', '4']);
    expect(calls.map((x) => [x.method, x.url.pathname, JSON.parse(x.body!)])).toEqual([
      ['PATCH', '/api/chat/conversations/7%208', { status: 'closed' }],
      ['POST', '/api/chat/messages/mark-read', { conversationId: 7 }],
    ]);
  });

  it('the AI switch: read, set, and remembered as the last known state', async () => {
    let enabled = true;
    const { c, calls } = setup((call) => {
      if (call.method === 'PATCH') enabled = (JSON.parse(call.body!) as { aiEnabled: boolean }).aiEnabled;
      return json(200, { success: true, data: { id: 1, aiEnabled: enabled, autoReplyDelay: 3 } });
    });
    expect(c.knownAiEnabled()).toBeNull();
    expect(await c.aiReplies()).toBe(true);
    expect(c.knownAiEnabled()).toBe(true);
    expect(await c.setAiReplies(false)).toBe(false);
    expect(c.knownAiEnabled()).toBe(false);
    expect(await c.aiSettings()).toEqual({ aiEnabled: false });
    expect(await c.setAiEnabled(true)).toEqual({ aiEnabled: true });
    expect(c.knownAiEnabled()).toBe(true);
    expect(calls.map((x) => [x.method, x.url.pathname, x.body === null ? null : JSON.parse(x.body)])).toEqual([
      ['GET', '/api/chat/settings', null],
      ['PATCH', '/api/chat/settings', { aiEnabled: false }],
      ['GET', '/api/chat/settings', null],
      ['PATCH', '/api/chat/settings', { aiEnabled: true }],
    ]);
  });
});

describe('deployed: an ended session', () => {
  const cookieAnswers = (valid: () => string) => (call: FetchCall) =>
    cookieOf(call) === `admin_session=${valid()}` ? json(200, { success: true, data: [] }) : json(401, { success: false, error: 'Unauthorized' });

  it('a 401 renews the session once and the request is tried again with the new cookie', async () => {
    const { c, calls, state } = setup(cookieAnswers(() => 'tok-2'));
    await c.markRead('7', ['1']);
    expect(state.refreshes).toBe(1);
    expect(calls.map(cookieOf)).toEqual(['admin_session=tok-1', 'admin_session=tok-2']);
  });

  it('still refused after renewing: signed out, and the error says so', async () => {
    const { c, state } = setup(() => json(401, { success: false, error: 'Unauthorized' }));
    await expect(c.markRead('7', ['1'])).rejects.toMatchObject({ kind: 'auth' });
    expect(state.refreshes).toBe(1);
  });

  it('a renewal that fails (a pasted cookie) is the error', async () => {
    const { c, calls } = setup(() => json(401, {}), { refresh: () => Promise.reject(new ConnectorError('auth', 'paste a new cookie')) });
    await expect(c.markRead('7', ['1'])).rejects.toThrow('paste a new cookie');
    expect(calls).toHaveLength(1);
  });

  it('requests refused together share one renewal; one refused after another renewed just tries again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const state = { token: 'tok-1', refreshes: 0, asked: 0 };
    const f = fakeFetch(cookieAnswers(() => 'tok-2'));
    const c = new DeployedPortfolioConnector({
      baseUrl: BASE,
      pusher: { key: 'k', cluster: 'mt1' },
      token: () => {
        state.asked++;
        return state.token;
      },
      refresh: async () => {
        state.refreshes++;
        await gate;
        state.token = 'tok-2';
      },
      fetch: f.fetch,
    });
    const both = Promise.all([c.markRead('1', ['1']), c.markRead('2', ['1'])]);
    // Each request reads the token to send it and, after its 401, to see whether it changed
    // meanwhile: six reads mean both 401s were taken in before the renewal ends.
    while (state.asked < 6) await new Promise((r) => setImmediate(r));
    release();
    await both;
    expect(state.refreshes).toBe(1);
    expect(f.calls.map(cookieOf)).toEqual(['admin_session=tok-1', 'admin_session=tok-1', 'admin_session=tok-2', 'admin_session=tok-2']);
    // Later 401s renew again (the shared renewal is over).
    state.token = 'tok-1';
    await c.markRead('1', ['1']).catch(() => {});
    expect(state.refreshes).toBe(2);
  });

  it('a request refused after another one renewed just tries again with the new cookie', async () => {
    let releaseSecond!: () => void;
    const second = new Promise<void>((r) => (releaseSecond = r));
    const { c, calls, state } = setup(async (call) => {
      if (JSON.parse(call.body!).conversationId === 2 && cookieOf(call) === 'admin_session=tok-1') await second;
      return cookieOf(call) === 'admin_session=tok-2' ? json(200, { success: true, data: [] }) : json(401, {});
    });
    const late = c.markRead('2', ['1']);
    await c.markRead('1', ['1']);
    expect(state.refreshes).toBe(1);
    releaseSecond();
    await late;
    expect(state.refreshes).toBe(1);
    expect(calls.map(cookieOf)).toEqual(['admin_session=tok-1', 'admin_session=tok-1', 'admin_session=tok-2', 'admin_session=tok-2']);
  });

  it('a refusal that is not about the session is not renewed', async () => {
    const { c, state } = setup(() => json(403, { success: false, error: 'Forbidden' }));
    await expect(c.markRead('7', ['1'])).rejects.toMatchObject({ kind: 'rejected' });
    const down = setup(() => json(503, {}));
    await expect(down.c.markRead('7', ['1'])).rejects.toMatchObject({ kind: 'transient' });
    expect(state.refreshes + down.state.refreshes).toBe(0);
  });

  it('a site-secret session is renewed in its last hour before asking; a pasted one is not', async () => {
    const answer = () => json(200, { success: true, data: [] });
    const ending = setup(answer, { renewable: () => true, expiresAt: () => NOW + HOUR / 2 });
    await ending.c.markRead('7', ['1']);
    expect(ending.state.refreshes).toBe(1);
    expect(ending.calls.map(cookieOf)).toEqual(['admin_session=tok-2']);
    const fresh = setup(answer, { renewable: () => true, expiresAt: () => NOW + 2 * HOUR });
    await fresh.c.markRead('7', ['1']);
    const pasted = setup(answer, { renewable: () => false, expiresAt: () => NOW + HOUR / 2 });
    await pasted.c.markRead('7', ['1']);
    const unknown = setup(answer, { expiresAt: () => NOW + HOUR / 2 });
    await unknown.c.markRead('7', ['1']);
    expect(fresh.state.refreshes + pasted.state.refreshes + unknown.state.refreshes).toBe(0);
  });

  it('an early renewal that fails is logged, and the request still goes out', async () => {
    const { c, calls, logged } = setup(() => json(200, { success: true, data: [] }), {
      renewable: () => true,
      expiresAt: () => NOW + 60_000,
      refresh: () => Promise.reject(new Error('secret store locked')),
    });
    await c.markRead('7', ['1']);
    expect(calls).toHaveLength(1);
    expect(logged).toEqual(['portfolio (deployed): early renewal failed: Error: secret store locked']);
  });
});
