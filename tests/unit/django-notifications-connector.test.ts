// DjangoNotificationsConnector against FakeDjangoSite (a fake fetch for the challenges list, a
// loopback `ws` server for the account socket) with fake timers: what the feed receives, the
// calm reconnect after the site's 1011, refused handshakes told apart by the session check, and
// the catch-up list. The real site (backends/django) is covered by
// tests/integration/django-notifications.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountRow } from '../../src/main/core/mirror/accounts-repo';
import { ConsoleError } from '../../src/shared/contract';
import { djangoNotificationsCapabilities } from '../../src/main/core/connectors/django-notifications/capabilities';
import { createDjangoNotificationsKind, djangoNotificationsKind } from '../../src/main/core/connectors/django-notifications/kind';
import { CHALLENGES_PATH, DjangoNotificationsConnector, type DjangoNotificationsOptions } from '../../src/main/core/connectors/django-notifications/notifications-connector';
import type { Timers } from '../../src/main/core/sync/timers';
import { connectorFailure } from '../support/connector-failure';
import { FakeDjangoSite, djangoCredentials, json, recordingSink, until } from '../support/django-fake-site';
import { FakeTimers } from '../support/fake-timers';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const user = (id: number, username: string, full_name: string | null = null) => ({ id, username, full_name, email: `${username}@example.com` });
const challenge = (id: number, status: string, challenger = user(9, 'ahmad', 'Ahmad Fauzi'), opponent = user(3, 'eko')) => ({
  id,
  challenger,
  opponent,
  challenge_type: 'quick_quant_10',
  challenge_type_display: 'Quick Quant (10)',
  status,
  status_display: status,
  created_at: '2026-12-01T10:00:00Z',
  accepted_at: status === 'accepted' ? '2026-12-01T10:05:00Z' : null,
  completed_at: null,
});

async function setup(options: Partial<DjangoNotificationsOptions> = {}, credentials = djangoCredentials()) {
  const site = await FakeDjangoSite.start();
  const state = { session: true as boolean | 'throws', challenges: [] as unknown[], next: null as string | null };
  site.rest = (call) => {
    if (call.url.pathname !== CHALLENGES_PATH) return json(404, {});
    if (!call.headers.get('authorization')) {
      if (state.session === 'throws') throw new Error('connection reset');
      return state.session ? json(200, { count: 0, next: null, previous: null, results: [] }) : json(403, { detail: 'Authentication credentials were not provided.' });
    }
    return json(200, { count: state.challenges.length, next: state.next, previous: null, results: state.challenges });
  };
  const timers = new FakeTimers(NOW);
  const delays: number[] = [];
  const recorded: Timers = {
    setTimeout: (fn, ms) => {
      delays.push(ms);
      return timers.setTimeout(fn, ms);
    },
    clearTimeout: timers.clearTimeout,
  };
  const logs: string[] = [];
  const connector = new DjangoNotificationsConnector({
    baseUrl: site.url,
    credentials,
    fetch: site.fetch,
    clock: () => timers.now,
    random: () => 1,
    timers: recorded,
    log: (m) => logs.push(m),
    ...options,
  });
  cleanups.push(async () => {
    await connector.disconnect();
    await site.close();
  });
  const rec = recordingSink();
  const sessionChecks = () => site.calls.filter((c) => !c.headers.get('authorization'));
  return { site, state, timers, delays, logs, connector, sessionChecks, ...rec };
}

type T = Awaited<ReturnType<typeof setup>>;

async function live(t: T) {
  await t.connector.connect(t.sink);
  await until(() => t.of('gap').length === 1, 'socket open');
}

describe('django-notifications connector: the account socket', () => {
  it('opens with the session cookie and the site’s Origin; connected and a gap (the list catches up); invites and accepts reach the feed', async () => {
    const t = await setup();
    await live(t);
    expect(t.events).toEqual([['link', 'connecting'], ['link', 'connected'], ['gap', 'notification socket opened']]);
    expect(t.site.sockets).toHaveLength(1);
    expect(t.site.sockets[0]!.path).toBe('/ws/challenges/notifications/');
    expect(t.site.sockets[0]!.headers).toMatchObject({ cookie: 'sessionid=sess-1', origin: t.site.url });
    const ws = t.site.sockets[0]!.ws;
    ws.send(JSON.stringify({ type: 'new_challenge_invite', payload: challenge(5, 'pending') }));
    ws.send(JSON.stringify({ type: 'challenge_accepted', payload: { challenge_id: 6, accepted_by: '  Budi  ' } }));
    ws.send(JSON.stringify({ type: 'challenge_accepted', payload: { challenge_id: '7', accepted_by: null } }));
    await until(() => t.of('feed').length === 3, 'three entries');
    expect(t.of('feed')).toEqual([
      [[{ remoteId: 'invite:5', type: 'challenge-invite', title: 'Ahmad Fauzi invited you to a challenge', body: 'Quick Quant (10)', payload: challenge(5, 'pending'), createdAt: Date.parse('2026-12-01T10:00:00Z') }]],
      [[{ remoteId: 'accepted:6', type: 'challenge-accepted', title: 'Budi accepted your challenge', body: '', payload: { challenge_id: 6, accepted_by: '  Budi  ' }, createdAt: NOW }]],
      [[expect.objectContaining({ remoteId: 'accepted:7', title: 'Your opponent accepted your challenge' })]],
    ]);
  });

  it('skips what it cannot read with a warning that quotes its start', async () => {
    const t = await setup();
    await live(t);
    const ws = t.site.sockets[0]!.ws;
    ws.send(`not json ${'x'.repeat(200)}`);
    ws.send(JSON.stringify({ type: 'challenge_declined', payload: { challenge_id: 1 } }));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await until(() => t.of('warn').length === 3, 'three warnings');
    expect(t.of('warn').map(([w]) => w)).toEqual([
      `django-notifications: skipped a malformed or unknown notification (not json ${'x'.repeat(71)})`,
      'django-notifications: skipped a malformed or unknown notification ({"type":"challenge_declined","payload":{"challenge_id":1}})',
      'django-notifications: skipped a malformed or unknown notification (<binary>)',
    ]);
    expect(t.of('feed')).toEqual([]);
  });

  it('the site’s 1011 after a decline: reconnecting calmly after 0.5 s, connected again with a gap; any other close too', async () => {
    const t = await setup();
    await live(t);
    t.site.sockets[0]!.ws.close(1011);
    await until(() => t.of('link').length === 3, 'reconnecting');
    expect(t.of('link')[2]).toEqual(['connecting', 'Reconnecting: the site closed the notification socket (1011).']);
    expect(t.logs).toContain('django-notifications: the site closed the notification socket (1011); reconnecting');
    expect(t.delays).toEqual([500]);
    t.timers.advance(499);
    expect(t.site.handshakes).toBe(1);
    t.timers.advance(1);
    await until(() => t.of('gap').length === 2, 'open again');
    expect(t.of('link')[3]).toEqual(['connected']);

    // The open reset the backoff: the next close waits 0.5 s again.
    t.site.sockets[1]!.ws.close(1000);
    await until(() => t.of('link').length === 5, 'reconnecting again');
    expect(t.of('link')[4]).toEqual(['connecting', 'Reconnecting: the notification socket closed (1000).']);
    expect(t.delays).toEqual([500, 500]);
  });

  it('a handshake the site answers 5xx: unavailable, retried with growing waits up to the cap', async () => {
    const t = await setup({ retryMs: 100, maxRetryMs: 300 });
    t.site.refuse = 502;
    await t.connector.connect(t.sink);
    await until(() => t.delays.length === 1, 'first retry');
    expect(t.of('link')[1]).toEqual(['unavailable', 'The site refused the notification socket (HTTP 502); retrying.']);
    t.timers.advance(100);
    await until(() => t.delays.length === 2, 'second retry');
    t.timers.advance(200);
    await until(() => t.delays.length === 3, 'third retry');
    expect(t.delays).toEqual([100, 200, 300]);
    expect(t.site.handshakes).toBe(3);
    expect(t.sessionChecks()).toHaveLength(0);
    t.site.refuse = null;
    t.timers.advance(300);
    await until(() => t.of('gap').length === 1, 'open');

    // Connecting again starts the waits over.
    t.site.refuse = 502;
    await t.connector.connect(t.sink);
    await until(() => t.delays.length === 4, 'retry after connecting again');
    expect(t.delays[3]).toBe(100);
  });

  it('by default the waits go 0.5 s, 1 s, 2 s, … up to 30 s', async () => {
    const t = await setup();
    t.site.refuse = 503;
    await t.connector.connect(t.sink);
    for (let i = 1; i <= 7; i++) {
      await until(() => t.delays.length === i, `retry ${i}`);
      t.timers.advance(t.delays[i - 1]!);
    }
    await until(() => t.delays.length === 8, 'eighth retry');
    expect(t.delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('refused 403 with a valid session: the site refuses our Origin; unavailable and tried again', async () => {
    const t = await setup();
    t.site.refuse = 403;
    await t.connector.connect(t.sink);
    await until(() => t.delays.length === 1, 'retry');
    expect(t.of('link')[1]).toEqual([
      'unavailable',
      'The site refuses live notifications from this console (its allowed hosts do not include the site address); trying again now and then.',
    ]);
    expect(t.sessionChecks().map((c) => [c.method, c.url.search, c.headers.get('cookie')])).toEqual([['GET', '', 'sessionid=sess-1']]);
    // The refused socket's close is not a second reconnect.
    expect(t.of('link')).toHaveLength(2);
    expect(t.delays).toEqual([500]);
  });

  it('refused with an expired session: auth-expired and no retry; a session check that fails: unavailable and retried', async () => {
    const t = await setup();
    t.site.refuse = 401;
    t.state.session = false;
    await t.connector.connect(t.sink);
    await until(() => t.of('link').length === 2, 'auth-expired');
    expect(t.of('link')[1]).toEqual(['auth-expired', 'The site’s session expired: sign in again for live notifications.']);
    t.timers.advance(600_000);
    expect(t.delays).toEqual([]);
    expect(t.site.handshakes).toBe(1);

    t.state.session = 'throws';
    await t.connector.connect(t.sink);
    await until(() => t.delays.length === 1, 'retry');
    expect(t.of('link').at(-1)).toEqual(['unavailable', expect.stringMatching(/^The site refused the notification socket \(HTTP 401\) and could not be asked why: Could not reach .*: connection reset; retrying\.$/)]);
  });

  it('no session saved: auth-expired without dialling', async () => {
    const t = await setup({}, djangoCredentials({ sessionid: undefined }));
    await t.connector.connect(t.sink);
    expect(t.events).toEqual([['link', 'connecting'], ['link', 'auth-expired', 'Sign in again: this account has no session for live notifications.']]);
    expect(t.site.handshakes).toBe(0);
  });

  it('disconnect closes the socket; nothing is reported or reopened afterwards', async () => {
    const t = await setup();
    await live(t);
    await t.connector.disconnect();
    await until(() => t.site.open().length === 0, 'closed on the site');
    const after = t.events.length;
    t.timers.advance(600_000);
    expect(t.events).toHaveLength(after);
    expect(t.delays).toEqual([]);
    expect(t.site.handshakes).toBe(1);
  });
});

describe('django-notifications connector: the challenges list', () => {
  it('reads 50 a page with the Bearer token; rows become the user’s entries; malformed rows are skipped with a warning', async () => {
    const t = await setup();
    await live(t);
    t.state.challenges = [challenge(5, 'pending'), { id: 'nope' }, challenge(6, 'declined', user(3, 'eko'), user(10, 'budi', 'Budi S'))];
    t.state.next = 'http://x/?page=2';
    const page = await t.connector.listFeed({ page: null });
    const read = t.site.calls.at(-1)!;
    expect([read.url.search, read.headers.get('authorization')]).toEqual(['?page=1&page_size=50', 'Bearer access-1']);
    expect(page.items.map((e) => [e.remoteId, e.title, e.createdAt])).toEqual([
      ['invite:5', 'Ahmad Fauzi invited you to a challenge', Date.parse('2026-12-01T10:00:00Z')],
      ['declined:6', 'Budi S declined your challenge', NOW],
    ]);
    expect(page.next).toBe('2');
    expect(t.of('warn')).toEqual([['django-notifications: skipped a malformed challenge in the list']]);
    t.state.next = null;
    const second = await t.connector.listFeed({ page: '2' });
    expect([t.site.calls.at(-1)!.url.search, second.next]).toEqual(['?page=2&page_size=50', null]);
  });

  it('is a feed: no conversations, no messages, no replies', async () => {
    const t = await setup();
    expect(await t.connector.listConversations()).toEqual({ items: [], next: null, watermark: null });
    expect(await t.connector.messagesAfter()).toEqual({ items: [], next: null });
    expect(await t.connector.messagesBefore()).toEqual({ items: [], next: null });
    const reply = await connectorFailure(t.connector.sendReply());
    expect([reply.kind, reply.message]).toEqual(['rejected', 'A notification feed takes no replies.']);
    expect(t.connector.capabilities).toEqual(djangoNotificationsCapabilities());
    expect(djangoNotificationsCapabilities()).toMatchObject({ shape: 'feed', catchUp: 'page-back', idempotentSend: false });
  });
});

describe('django-notifications kind', () => {
  it('signs in like the mentor chat and names the account “<host> notifications”; a wrong password reads as such', async () => {
    const site = await FakeDjangoSite.start();
    cleanups.push(() => site.close());
    site.rest = (call) => {
      if (call.path !== '/en/api/v1/auth/login/') return json(404, {});
      if ((call.body as { password: string }).password !== 'right') return json(400, { non_field_errors: ['Unable to log in.'] });
      return new Response(JSON.stringify({ access: 'a.b.c', refresh: 'r', user: { id: 3 } }), { status: 200, headers: [['Set-Cookie', 'sessionid=s-3; Path=/']] });
    };
    const timers = new FakeTimers(NOW);
    const ctx = { fetch: site.fetch, clock: () => timers.now, random: () => 1, timers, log: () => {} };
    const connected = await djangoNotificationsKind.connect({ siteUrl: site.url, login: 'eko', password: 'right' } as never, ctx);
    expect(connected).toMatchObject({ name: `${new URL(site.url).host} notifications`, baseUrl: site.url, config: {}, credentials: { sessionid: 's-3', userId: 3 } });
    await expect(djangoNotificationsKind.connect({ siteUrl: site.url, login: 'eko', password: 'no' } as never, ctx)).rejects.toEqual(new ConsoleError('forbidden', 'Wrong email, username or password.'));
    expect(djangoNotificationsKind.capabilities({} as never)).toEqual(djangoNotificationsCapabilities());

    // The tuning reaches the connector: the first reconnect waits retryMs.
    const delays: number[] = [];
    const recorded: Timers = { setTimeout: (fn, ms) => (delays.push(ms), timers.setTimeout(fn, ms)), clearTimeout: timers.clearTimeout };
    const connector = createDjangoNotificationsKind({ retryMs: 40, maxRetryMs: 80 }).create({ baseUrl: site.url } as AccountRow, djangoCredentials(), { ...ctx, timers: recorded });
    cleanups.push(() => connector.disconnect());
    site.refuse = 500;
    const rec = recordingSink();
    await connector.connect(rec.sink);
    await until(() => delays.length === 1, 'retry');
    expect(delays).toEqual([40]);
  });
});
