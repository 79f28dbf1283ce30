// The portfolio site as deployed, realtime side (backends.md §1 "As deployed"): channel auth
// with the session cookie through fetch (and a renewal on 401), the admin channel's events,
// conversations followed for a while after activity so the site's AI reply is seen, the list
// re-read after bare status changes, the AI's typing, presence and our typing. pusher-js, fetch
// and the timers are fakes passed to the constructor (tests/support/fake-pusher.ts,
// fake-fetch.ts, fake-timers.ts); the real SDK against the reference site as deployed and its
// Pusher-protocol server is covered by tests/integration/portfolio-deployed.test.ts.
import { describe, expect, it } from 'vitest';
import { ADMIN_CHANNEL, DeployedPortfolioConnector, PRESENCE_CHANNEL, type DeployedConnectorOptions } from '../../src/main/core/connectors/portfolio/deployed/deployed-connector';
import { FakeTimers } from '../support/fake-timers';
import { fakeFetch, json, type FetchCall } from '../support/fake-fetch';
import { fakePusherFactory } from '../support/fake-pusher';
import { recordingSink } from '../support/recording-sink';

const BASE = 'https://site.example.com';
const T = '2026-12-01T10:00:00.000Z';
const conv = (id: string) => `private-conversation-${id}`;
const FOLLOW_MS = 30_000;
const LIST_REFRESH_MS = 5000;

function setup(answer: (call: FetchCall) => Response | Promise<Response> = () => json(200, { auth: 'k:sig' }), over: Partial<DeployedConnectorOptions> = {}) {
  const timers = new FakeTimers(Date.parse(T));
  const pushers = fakePusherFactory();
  const f = fakeFetch(answer);
  const logged: string[] = [];
  const state = { token: 'tok-1' as string | undefined, refreshes: 0 };
  const c = new DeployedPortfolioConnector({
    baseUrl: BASE,
    pusher: { key: 'app-key', cluster: 'mt1', wsHost: '127.0.0.1', wsPort: 6001, forceTLS: false },
    token: () => state.token,
    refresh: async () => {
      state.refreshes++;
      state.token = `tok-${state.refreshes + 1}`;
    },
    log: (m) => logged.push(m),
    fetch: f.fetch,
    createPusher: pushers.create,
    timers,
    clock: () => timers.now,
    random: () => 1,
    ...over,
  });
  return { c, pushers, timers, requests: f.calls, logged, state, ...recordingSink() };
}

async function live(answer?: (call: FetchCall) => Response | Promise<Response>, over: Partial<DeployedConnectorOptions> = {}) {
  const s = setup(answer, over);
  await s.c.connect(s.sink);
  const fake = s.pushers.last();
  fake.connection.to('connected');
  fake.ch(ADMIN_CHANNEL).succeed();
  s.clear();
  return { ...s, fake };
}

const waitUntil = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

/** Channel auth is asynchronous: waits until the fake's customHandler has answered once. */
async function authorized(fake: { nextAuth: () => Promise<void> }, subscribe: () => void): Promise<void> {
  const done = fake.nextAuth();
  subscribe();
  await done;
}

describe('deployed: channel auth', () => {
  it('the settings typed in go to pusher-js; auth is a form POST with the session cookie', async () => {
    const { c, pushers, sink, requests } = setup();
    await c.setAvailability('offline');
    await c.connect(sink);
    const fake = pushers.last();
    expect(fake.key).toBe('app-key');
    expect(fake.options).toMatchObject({ cluster: 'mt1', wsHost: '127.0.0.1', wsPort: 6001, forceTLS: false });
    await authorized(fake, () => fake.connection.to('connected'));
    const call = requests[0]!;
    expect([call.method, call.url.href]).toEqual(['POST', `${BASE}/api/pusher/auth`]);
    expect(call.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded', Cookie: 'admin_session=tok-1' });
    expect(Object.fromEntries(new URLSearchParams(call.body!))).toEqual({ socket_id: '123.456', channel_name: ADMIN_CHANNEL });
    expect(call.init.redirect).toBe('error');
    expect(call.init.signal).toBeInstanceOf(AbortSignal);
    expect(fake.ch(ADMIN_CHANNEL).auth).toEqual({ auth: 'k:sig' });
  });

  it('without a session no cookie is sent', async () => {
    const { c, pushers, sink, requests, state } = setup();
    state.token = undefined;
    await c.setAvailability('offline');
    await c.connect(sink);
    const fake = pushers.last();
    await authorized(fake, () => fake.connection.to('connected'));
    expect(requests[0]!.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' });
  });

  it('a 401 renews the session and asks again with the new cookie', async () => {
    const { c, pushers, sink, requests, state, of } = setup((call) => (call.headers.Cookie === 'admin_session=tok-2' ? json(200, { auth: 'k:new' }) : json(401, {})));
    await c.setAvailability('offline');
    await c.connect(sink);
    const fake = pushers.last();
    await authorized(fake, () => fake.connection.to('connected'));
    expect(state.refreshes).toBe(1);
    expect(requests.slice(0, 2).map((x) => x.headers.Cookie)).toEqual(['admin_session=tok-1', 'admin_session=tok-2']);
    expect(fake.ch(ADMIN_CHANNEL).auth).toEqual({ auth: 'k:new' });
    expect(of('link').filter(([s]) => s === 'auth-expired')).toEqual([]);
  });

  it('a 403 that renewing cannot fix: sign in again, and the channel is refused', async () => {
    const { c, pushers, sink, requests, state, of } = setup(() => json(403, {}));
    await c.setAvailability('offline');
    await c.connect(sink);
    const fake = pushers.last();
    await authorized(fake, () => fake.connection.to('connected'));
    expect(state.refreshes).toBe(1);
    expect(requests).toHaveLength(2);
    expect(of('link')).toContainEqual(['auth-expired', 'The site refused the realtime sign-in; sign in again.']);
    expect(fake.ch(ADMIN_CHANNEL).subscriptionPending).toBe(false);
  });

  it('a renewal that fails (a pasted cookie): sign in again, without asking the site a second time', async () => {
    const { c, pushers, sink, requests, of } = setup(() => json(401, {}), { refresh: () => Promise.reject(new Error('no secret')) });
    await c.setAvailability('offline');
    await c.connect(sink);
    const fake = pushers.last();
    await authorized(fake, () => fake.connection.to('connected'));
    expect(requests).toHaveLength(1);
    expect(of('link')).toEqual([['connected'], ['auth-expired', 'The site refused the realtime sign-in; sign in again.']]);
  });

  it('still 401 after renewing: sign in again', async () => {
    const { c, pushers, sink, requests, state, of } = setup(() => json(401, {}));
    await c.setAvailability('offline');
    await c.connect(sink);
    const fake = pushers.last();
    await authorized(fake, () => fake.connection.to('connected'));
    expect([state.refreshes, requests.length]).toEqual([1, 2]);
    expect(of('link')).toEqual([['connected'], ['auth-expired', 'The site refused the realtime sign-in; sign in again.']]);
  });

  it('a site error is a refused channel, not a sign-in', async () => {
    const { c, pushers, sink, state, of } = setup(() => json(500, {}));
    await c.setAvailability('offline');
    await c.connect(sink);
    const fake = pushers.last();
    const errors: unknown[] = [];
    fake.ch(ADMIN_CHANNEL).bind('pusher:subscription_error', (e) => errors.push(e));
    await authorized(fake, () => fake.connection.to('connected'));
    expect(state.refreshes).toBe(0);
    expect(of('link')).toEqual([['connected']]);
    expect(errors).toEqual([{ type: 'AuthError', error: 'channel auth answered 500' }]);
  });
});

describe('deployed: admin notifications', () => {
  it('subscribes the admin and presence channels; not presence when away', async () => {
    const a = setup();
    await a.c.connect(a.sink);
    expect([...a.pushers.last().channels.keys()]).toEqual([ADMIN_CHANNEL, PRESENCE_CHANNEL]);
    const b = setup();
    await b.c.setAvailability('offline');
    await b.c.connect(b.sink);
    expect([...b.pushers.last().channels.keys()]).toEqual([ADMIN_CHANNEL]);
  });

  it('the admin subscription reports the gap; the AI switch made on the site reaches the account', async () => {
    const { c, pushers, sink, calls, clear } = setup();
    await c.connect(sink);
    const fake = pushers.last();
    clear();
    const admin = fake.ch(ADMIN_CHANNEL);
    admin.succeed();
    admin.emit('ai-settings-changed', { aiEnabled: false, changedBy: 1 });
    admin.emit('ai-settings-changed', { aiEnabled: 'no' });
    expect(calls).toEqual([['gap', 'subscribed to admin notifications'], ['aiReplies', false], ['warn', `Skipped a malformed "ai-settings-changed" event on ${ADMIN_CHANNEL}.`]]);
    expect(c.knownAiEnabled()).toBe(false);
  });

  it('a new conversation is announced and followed for 30 s, so the AI\'s reply on its channel is seen', async () => {
    const { fake, timers, calls } = await live();
    fake.ch(ADMIN_CHANNEL).emit('new-conversation', { conversationId: 5, visitorName: 'Ann', createdAt: T });
    fake.ch(ADMIN_CHANNEL).emit('new-conversation', { conversationId: 6, createdAt: T });
    expect(calls.slice(0, 2)).toEqual([
      ['conversation', { remoteId: '5', visitorName: 'Ann', createdAt: Date.parse(T) }],
      ['conversation', { remoteId: '6', visitorName: null, createdAt: Date.parse(T) }],
    ]);
    const ch = fake.ch(conv('5'));
    ch.succeed();
    ch.emit('new-message', { id: 9, senderType: 'ai', content: 'Hello! How can I help?', createdAt: T });
    expect(calls.slice(2)).toEqual([
      ['stale', '5'],
      ['messages', '5', [{ remoteId: '9', clientId: null, seq: 9, senderType: 'ai', senderId: null, senderName: 'Assistant', content: 'Hello! How can I help?', createdAt: Date.parse(T), readAt: null }]],
    ]);
    timers.advance(FOLLOW_MS - 1);
    expect(fake.unsubscribed).toEqual([]);
    timers.advance(1);
    expect(fake.unsubscribed).toEqual([conv('5'), conv('6')]);
  });

  it('more activity follows it longer; an open conversation is not left when its follow ends', async () => {
    const { c, fake, timers } = await live();
    const admin = fake.ch(ADMIN_CHANNEL);
    admin.emit('conversation-updated', { conversationId: 5 });
    timers.advance(20_000);
    admin.emit('conversation-updated', { conversationId: 5, unreadCount: 2 });
    timers.advance(20_000);
    expect(fake.unsubscribed).toEqual([]);
    timers.advance(10_000);
    expect(fake.unsubscribed).toEqual([conv('5')]);
    admin.emit('conversation-updated', { conversationId: 6 });
    c.watch(['6']);
    timers.advance(FOLLOW_MS);
    expect(fake.unsubscribed).toEqual([conv('5')]);
    // Open and followed, then closed: left when the follow ends.
    admin.emit('conversation-updated', { conversationId: 7 });
    c.watch(['7']);
    expect(fake.unsubscribed).toEqual([conv('5'), conv('6')]);
    c.watch([]);
    expect(fake.unsubscribed).toEqual([conv('5'), conv('6')]);
    timers.advance(FOLLOW_MS);
    expect(fake.unsubscribed).toEqual([conv('5'), conv('6'), conv('7')]);
  });

  it('activity on a conversation whose channel is still subscribing, or was refused, is fetched now', async () => {
    const { fake, of } = await live(() => new Promise<Response>(() => {}));
    const admin = fake.ch(ADMIN_CHANNEL);
    admin.emit('conversation-updated', { conversationId: 5 });
    expect(of('stale')).toEqual([]);
    admin.emit('conversation-updated', { conversationId: 5 });
    expect(of('stale')).toEqual([['5']]);
  });

  it('with the AI off, or not connected, activity is fetched at once and nothing is followed', async () => {
    const { fake, of } = await live();
    const admin = fake.ch(ADMIN_CHANNEL);
    admin.emit('ai-settings-changed', { aiEnabled: false });
    admin.emit('conversation-updated', { conversationId: 5 });
    expect(of('stale')).toEqual([['5']]);
    expect(fake.channels.has(conv('5'))).toBe(false);
    admin.emit('ai-settings-changed', { aiEnabled: true });
    admin.emit('conversation-updated', { conversationId: 5 });
    expect(fake.channels.has(conv('5'))).toBe(true);
  });

  it('a followed conversation already subscribed is not fetched again, nor subscribed twice when opened', async () => {
    const { c, fake, of } = await live();
    const admin = fake.ch(ADMIN_CHANNEL);
    admin.emit('conversation-updated', { conversationId: 5 });
    fake.ch(conv('5')).succeed();
    admin.emit('conversation-updated', { conversationId: 5 });
    expect(of('stale')).toEqual([['5']]);
    c.watch(['5']);
    fake.ch(conv('5')).emit('new-message', { id: 1, senderType: 'visitor', content: 'x', createdAt: T });
    expect(of('messages')).toHaveLength(1);
  });

  it('an open, subscribed conversation needs nothing: its channel carries the messages', async () => {
    const { c, fake, of, timers } = await live();
    c.watch(['5']);
    fake.ch(conv('5')).succeed();
    fake.ch(ADMIN_CHANNEL).emit('conversation-updated', { conversationId: 5 });
    expect(of('stale')).toEqual([['5']]);
    timers.advance(FOLLOW_MS);
    expect(fake.unsubscribed).toEqual([]);
  });

  it('bare status changes re-read the list after 5 s, once for a burst; only changed or new rows are reported', async () => {
    const rows = new Map<number, string>([
      [1, 'active'],
      [2, 'active'],
    ]);
    let fail = false;
    const { c, fake, timers, requests, of, clear, logged } = await live((call) => {
      if (call.url.pathname === '/api/pusher/auth') return json(200, { auth: 'k:sig' });
      if (fail) return json(500, { success: false, error: 'down' });
      const status = call.url.searchParams.get('status');
      const data = [...rows].filter(([, s]) => s === status).map(([id, s]) => ({ id, status: s, createdAt: T, updatedAt: T }));
      return json(200, { success: true, data });
    });
    const lists = () => requests.filter((x) => x.url.pathname === '/api/chat/conversations').length;
    await c.listConversations();
    clear();
    rows.set(1, 'resolved');
    rows.set(3, 'active');
    const admin = fake.ch(ADMIN_CHANNEL);
    admin.emit('conversation-updated', { conversationId: 1 });
    admin.emit('conversation-updated', { conversationId: 2 });
    timers.advance(LIST_REFRESH_MS - 1);
    expect(lists()).toBe(3);
    timers.advance(1);
    await waitUntil(() => of('conversation').length === 2);
    expect(lists()).toBe(6);
    expect(of('conversation').map(([x]) => [(x as { remoteId: string }).remoteId, (x as { serverStatus: string }).serverStatus])).toEqual([
      ['3', 'active'],
      ['1', 'resolved'],
    ]);
    fail = true;
    admin.emit('conversation-updated', { conversationId: 2 });
    timers.advance(LIST_REFRESH_MS);
    await waitUntil(() => logged.length > 0);
    expect(logged).toEqual(['portfolio (deployed): list refresh failed: ConnectorError: down']);
  });
});

describe('deployed: open conversations', () => {
  it('subscribes the ones open, once each, and leaves the ones closed', async () => {
    const { c, fake } = await live();
    c.watch(['7', '8']);
    c.watch(['7', '8']);
    expect([...fake.channels.keys()]).toEqual([ADMIN_CHANNEL, PRESENCE_CHANNEL, conv('7'), conv('8')]);
    c.watch(['8']);
    expect(fake.unsubscribed).toEqual([conv('7')]);
  });

  it('opened before connecting: subscribed on connect, and again after a reconnect', async () => {
    const { c, sink, pushers } = setup();
    c.watch(['7']);
    await c.connect(sink);
    expect(pushers.last().channels.has(conv('7'))).toBe(true);
    await c.connect(sink);
    expect(pushers.last().channels.has(conv('7'))).toBe(true);
  });

  it('its messages, typing and the AI\'s typing reach the sink; a refused channel is fetched instead', async () => {
    const { c, fake, calls } = await live();
    c.watch(['7']);
    const ch = fake.ch(conv('7'));
    ch.succeed();
    ch.emit('new-message', { id: 3, senderType: 'visitor', content: 'hi', isRead: true, createdAt: T });
    ch.emit('client-typing', { senderType: 'visitor', isTyping: true });
    ch.emit('ai-typing', { isTyping: true, conversationId: 7 });
    expect(c.isAiTyping('7')).toBe(true);
    ch.emit('ai-typing', { isTyping: false });
    expect(c.isAiTyping('7')).toBe(false);
    ch.emit('ai-typing', { isTyping: 1 });
    ch.refuse(500, 'busy');
    ch.refuse(undefined, undefined);
    ch.refuse(502);
    expect(calls).toEqual([
      ['stale', '7'],
      ['messages', '7', [{ remoteId: '3', clientId: null, seq: 3, senderType: 'visitor', senderId: null, content: 'hi', createdAt: Date.parse(T), readAt: Date.parse(T) }]],
      ['typing', '7', 'visitor', true],
      ['typing', '7', 'ai', true],
      ['typing', '7', 'ai', false],
      ['warn', `Skipped a malformed "ai-typing" event on ${conv('7')}.`],
      ['warn', 'Realtime subscription to conversation 7 failed: busy'],
      ['stale', '7'],
      ['warn', 'Realtime subscription to conversation 7 failed: unknown'],
      ['stale', '7'],
      ['warn', 'Realtime subscription to conversation 7 failed: 502'],
      ['stale', '7'],
    ]);
  });

  it('typing is sent on a subscribed conversation only', async () => {
    const { c, fake } = await live();
    c.sendTyping('7', true);
    c.watch(['7']);
    c.sendTyping('7', true);
    const ch = fake.ch(conv('7'));
    ch.succeed();
    c.sendTyping('7', false);
    expect(ch.triggered).toEqual([{ event: 'client-typing', data: { senderType: 'admin', isTyping: false } }]);
    await c.disconnect();
    c.sendTyping('7', true);
    expect(ch.triggered).toHaveLength(1);
  });

  it('away leaves presence; back joins it unless still subscribed; before connecting only remembered', async () => {
    const { c, fake } = await live();
    const presence = fake.ch(PRESENCE_CHANNEL);
    presence.succeed();
    await c.setAvailability('online');
    expect(presence.attempts).toBe(1);
    await c.setAvailability('offline');
    expect(fake.unsubscribed).toEqual([PRESENCE_CHANNEL]);
    await c.setAvailability('online');
    expect(fake.channels.has(PRESENCE_CHANNEL)).toBe(true);
    await c.disconnect();
    await c.setAvailability('offline');
    expect(fake.unsubscribed).toEqual([PRESENCE_CHANNEL]);
  });

  it('after a reconnect, status changes re-read the list again and closed conversations are left', async () => {
    const { c, sink, fake, timers, requests, pushers } = await live();
    fake.ch(ADMIN_CHANNEL).emit('conversation-updated', { conversationId: 5 });
    await c.disconnect();
    await c.connect(sink);
    const next = pushers.last();
    next.connection.to('connected');
    next.ch(ADMIN_CHANNEL).emit('conversation-updated', { conversationId: 6 });
    timers.advance(LIST_REFRESH_MS);
    await waitUntil(() => requests.filter((x) => x.url.pathname === '/api/chat/conversations').length === 3);
    c.watch(['5']);
    c.watch([]);
    expect(next.unsubscribed).toEqual([conv('5')]);
  });

  it('disconnect stops the list refresh and every follow, and says offline', async () => {
    const { c, fake, timers, of, requests } = await live();
    fake.ch(ADMIN_CHANNEL).emit('conversation-updated', { conversationId: 5 });
    expect(timers.count).toBe(2);
    await c.disconnect();
    expect(timers.count).toBe(0);
    expect(fake.disconnects).toBe(1);
    expect(of('link')).toEqual([['offline']]);
    timers.advance(FOLLOW_MS);
    expect(requests.filter((x) => x.url.pathname === '/api/chat/conversations')).toHaveLength(0);
  });
});

describe('deployed: refused channels are asked again', () => {
  const authCalls = (requests: FetchCall[], channel: string) => requests.filter((r) => r.url.pathname === '/api/pusher/auth' && new URLSearchParams(r.body ?? '').get('channel_name') === channel).length;

  it('the site restarting behind its realtime server: every channel asked again, backing off, until it answers', async () => {
    // The socket is up before the site answers (e2e deployed-flow: the console showed Live and heard nothing).
    let siteUp = false;
    const { c, pushers, sink, timers, requests, of } = setup(() => (siteUp ? json(200, { auth: 'k:sig' }) : Promise.reject(new TypeError('fetch failed'))));
    c.watch(['7']);
    await c.connect(sink);
    const fake = pushers.last();
    fake.connection.to('connected');
    await waitUntil(() => authCalls(requests, ADMIN_CHANNEL) === 1 && authCalls(requests, conv('7')) === 1 && authCalls(requests, PRESENCE_CHANNEL) === 1 && !fake.ch(conv('7')).subscriptionPending);
    expect(of('warn')).toContainEqual(['Realtime subscription to admin notifications failed: fetch failed; retrying']);
    // Refusals in a row share one backoff (random() = 1): the first channel refused waits 2 s,
    // the next 4 s, the next 8 s; each refusal again waits longer.
    const asked = () => [ADMIN_CHANNEL, conv('7'), PRESENCE_CHANNEL].map((ch) => authCalls(requests, ch));
    timers.advance(1999);
    expect(asked()).toEqual([1, 1, 1]);
    timers.advance(1);
    await waitUntil(() => asked().reduce((a, b) => a + b) === 4 && !fake.ch(ADMIN_CHANNEL).subscriptionPending);
    timers.advance(60_000);
    await waitUntil(() => [...fake.channels.values()].every((ch) => !ch.subscriptionPending));
    const whileDown = asked().reduce((a, b) => a + b);
    expect(whileDown).toBeGreaterThanOrEqual(6);
    expect(whileDown).toBeLessThanOrEqual(9);
    siteUp = true;
    timers.advance(30_000);
    await waitUntil(() => [ADMIN_CHANNEL, conv('7'), PRESENCE_CHANNEL].every((ch) => fake.ch(ch).auth !== null));
    fake.ch(ADMIN_CHANNEL).succeed();
    expect(of('gap')).toEqual([['subscribed to admin notifications']]);
  });

  it('a refusal right after a success waits the shortest time again', async () => {
    const answers = [500, 200, 500];
    const { c, pushers, sink, timers, requests } = setup(() => json(answers.shift() ?? 200, { auth: 'k:sig' }));
    await c.setAvailability('offline');
    await c.connect(sink);
    const fake = pushers.last();
    const admin = fake.ch(ADMIN_CHANNEL);
    await authorized(fake, () => fake.connection.to('connected'));
    await authorized(fake, () => timers.advance(2000));
    admin.succeed();
    admin.dropped();
    await authorized(fake, () => admin.subscribe());
    expect(authCalls(requests, ADMIN_CHANNEL)).toBe(3);
    timers.advance(1999);
    expect(authCalls(requests, ADMIN_CHANNEL)).toBe(3);
    await authorized(fake, () => timers.advance(1));
    expect(authCalls(requests, ADMIN_CHANNEL)).toBe(4);
  });

  it('a refused sign-in is not asked again; nor a channel left, a link down, or a client replaced', async () => {
    const refused = setup(() => json(403, {}), { refresh: () => Promise.reject(new Error('no secret')) });
    await refused.c.setAvailability('offline');
    await refused.c.connect(refused.sink);
    const f1 = refused.pushers.last();
    await authorized(f1, () => f1.connection.to('connected'));
    refused.timers.advance(60_000);
    expect(authCalls(refused.requests, ADMIN_CHANNEL)).toBe(1);

    const { c, sink, fake, timers, pushers } = await live(() => json(500, {}));
    c.watch(['7']);
    const ch = fake.ch(conv('7'));
    await waitUntil(() => ch.attempts === 1 && !ch.subscriptionPending);
    c.watch([]);
    timers.advance(60_000);
    expect(ch.attempts).toBe(1);
    c.watch(['8']);
    const eight = fake.ch(conv('8'));
    await waitUntil(() => !eight.subscriptionPending);
    fake.connection.state = 'connecting';
    timers.advance(60_000);
    expect(eight.attempts).toBe(1);
    fake.connection.state = 'connected';
    eight.refuse(500);
    await c.connect(sink);
    timers.advance(60_000);
    expect(eight.attempts).toBe(1);
    expect(pushers.made).toHaveLength(2);
  });
});
