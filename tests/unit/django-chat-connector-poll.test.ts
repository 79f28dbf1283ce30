// DjangoChatConnector's list polling and its link states, against FakeDjangoSite (a fake fetch
// for REST, a loopback `ws` server for the sockets) with fake timers: what a poll reports, how
// far it walks, the backoff after failures, sign-in-again, disconnecting. It stands in for the
// real site (backends/django), covered by tests/integration/django-chat-sync.test.ts and
// django-chat-connector.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { LIST, NOW, chatSetup, conversation, iso } from '../support/django-chat-site';
import { djangoCredentials, json, until } from '../support/django-fake-site';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(...args: Parameters<typeof chatSetup>) {
  const t = await chatSetup(...args);
  cleanups.push(t.close);
  return t;
}

/** `n` conversations, newest activity first, one minute apart, the newest at NOW. */
const conversations = (n: number) => Array.from({ length: n }, (_, i) => conversation(n - i, NOW - i * 60_000));

/** Gives these conversations new activity (newest first, after everything else) and reorders the list. */
function activity(model: { conversations: unknown[] }, ids: number[], at: number) {
  const rows = model.conversations as ReturnType<typeof conversation>[];
  const moved = ids.map((id, i) => ({ ...rows.find((c) => c.id === id)!, updated_at: iso(at - i * 1000) }));
  model.conversations = [...moved, ...rows.filter((c) => !ids.includes(c.id))];
}

const reported = (of: (name: 'conversation') => unknown[][]) => of('conversation').map(([c]) => (c as { remoteId: string }).remoteId);

describe('django-chat connector: polling the list', () => {
  it('connects on the first list answer (one small page) with a catch-up gap, then polls every 10 s', async () => {
    const t = await setup();
    t.model.conversations = conversations(25);
    await t.connector.connect(t.sink);
    expect(t.events).toEqual([['link', 'connecting'], ['link', 'connected'], ['gap', 'signed in; the list answers']]);
    // The first answer is enough, even with more pages: the engine's catch-up reads them.
    expect(t.listReads()).toEqual(['?page=1&page_size=20']);
    expect(t.site.calls[0]!.headers.get('authorization')).toBe('Bearer access-1');
    expect(t.delays).toEqual([10_000]);

    t.timers.advance(9_999);
    expect(t.listReads()).toHaveLength(1);
    await t.advance(1, 'second poll');
    expect(t.delays).toEqual([10_000, 10_000]);
    // Nothing was seen yet (no catch-up ran): all 25 are new and reported, walking both pages.
    expect(t.listReads()).toEqual(['?page=1&page_size=20', '?page=1&page_size=20', '?page=2&page_size=20']);
    expect(reported(t.of)).toHaveLength(25);
    // At most 20 sockets by default (README: the measured bound).
    await until(() => t.site.open().length === 20, 'twenty sockets');
    expect(t.connector.openSockets()).toBe(20);
  });

  it('the engine reads the list 100 a page (the newest activity is its watermark); a poll then reports only what moved', async () => {
    const t = await setup({ pollMs: 5_000, maxSockets: 3 });
    t.model.conversations = conversations(130);
    await t.connector.connect(t.sink);
    const first = await t.connector.listConversations({ since: null, page: null });
    expect(first.items).toHaveLength(100);
    expect(first.items[0]).toEqual({
      remoteId: '130',
      visitorName: 'Student 130',
      visitorEmail: 's130@example.com',
      visitorUsername: 's130',
      serverStatus: null,
      createdAt: Date.parse('2026-11-01T09:00:00Z'),
      lastMessageAt: null,
      lastMessagePreview: null,
    });
    expect([first.next, first.watermark]).toEqual(['2', iso(NOW)]);
    const second = await t.connector.listConversations({ since: null, page: first.next });
    expect([second.items.length, second.next, second.watermark]).toEqual([30, null, iso(NOW - 100 * 60_000)]);
    expect(t.listReads().slice(1)).toEqual(['?page=1&page_size=100', '?page=2&page_size=100']);

    await t.advance(5_000, 'a poll with nothing new');
    expect(t.listReads().slice(3)).toEqual(['?page=1&page_size=20']);
    expect(t.of('conversation')).toEqual([]);

    // 21 move: the whole first page is new, so the walk goes on and stops on the second page.
    const ids = Array.from({ length: 21 }, (_, i) => 2 + i * 5);
    activity(t.model, ids, NOW + 60_000);
    const before = t.events.length;
    await t.advance(5_000, 'a poll with 21 moved');
    expect(t.listReads().slice(4)).toEqual(['?page=1&page_size=20', '?page=2&page_size=20']);
    expect(reported(t.of)).toEqual(ids.map(String));
    // None has a live socket yet: each is fetched.
    const afterPoll = t.events.slice(before).filter((e) => e[0] === 'stale' || e[0] === 'conversation');
    expect(afterPoll.filter((e) => e[0] === 'stale').map((e) => e[1])).toEqual(ids.map(String));
    // The 3 with the newest activity get sockets (the bound).
    await until(() => t.site.open().length === 3 && t.connector.openSockets() === 3, 'three sockets');
    expect(t.site.open().map((s) => s.path).sort()).toEqual(ids.slice(0, 3).map((id) => `/ws/chat/conversations/${id}/`).sort());

    // Seen now: the next poll reports nothing again.
    const seen = t.events.length;
    await t.advance(5_000, 'a quiet poll');
    expect(t.events.slice(seen).filter((e) => e[0] === 'conversation')).toEqual([]);
  });

  it('a moved conversation whose socket is live is reported but not fetched; its socket already brings it', async () => {
    const t = await setup();
    t.model.conversations = conversations(3);
    await t.connector.connect(t.sink);
    await t.connector.listConversations({ since: null, page: null });
    t.connector.watch(['1']);
    await until(() => t.of('stale').length === 1, 'the watched socket joined');
    expect(t.of('stale')).toEqual([['1']]);
    expect(t.site.sockets[0]!.headers).toMatchObject({ cookie: 'sessionid=sess-1', origin: t.site.url });

    activity(t.model, [1, 2], NOW + 60_000);
    const before = t.events.length;
    await t.advance(10_000, 'poll');
    // '2' is fetched, then gets a socket whose join catches it up again; '1' is neither.
    await until(() => t.of('stale').filter(([id]) => id === '2').length === 2, 'the new socket joined');
    expect(t.events.slice(before).filter((e) => e[0] !== 'warn')).toEqual([
      ['conversation', expect.objectContaining({ remoteId: '1' })],
      ['conversation', expect.objectContaining({ remoteId: '2' })],
      ['stale', '2'],
      ['stale', '2'],
    ]);
  });

  it('a failing list: unavailable with the reason, retried after 1 s, 2 s, …; the first answer again reconnects with a gap', async () => {
    const t = await setup();
    t.model.conversations = conversations(2);
    await t.connector.connect(t.sink);
    t.model.override = () => json(503, { detail: 'Down for maintenance.' });
    const before = t.events.length;
    await t.advance(10_000, 'failed poll');
    expect(t.events.slice(before)).toEqual([['link', 'unavailable', 'The site cannot be reached: Down for maintenance.; retrying.']]);
    expect(t.delays.slice(1)).toEqual([1_000]);
    t.timers.advance(999);
    expect(t.listReads()).toHaveLength(2);
    await t.advance(1, 'second failure');
    expect(t.delays.slice(1)).toEqual([1_000, 2_000]);

    t.model.override = null;
    await t.advance(2_000, 'answered again');
    expect(t.events.slice(-2)).toEqual([['link', 'connected'], ['gap', 'signed in; the list answers']]);
    expect(t.delays.at(-1)).toBe(10_000);
    // Answered once: the next failure starts from 1 s again.
    t.model.override = () => {
      throw new Error('ECONNRESET');
    };
    await t.advance(10_000, 'failure after recovery');
    expect(t.delays.at(-1)).toBe(1_000);
    expect(t.events.at(-1)).toEqual(['link', 'unavailable', expect.stringMatching(/^The site cannot be reached: Could not reach http:\/\/127\.0\.0\.1:\d+: ECONNRESET; retrying\.$/)]);
  });

  it('a sign-in the site no longer accepts and that cannot be renewed: auth-expired, and no more polls', async () => {
    const credentials = djangoCredentials({}, () => Promise.reject(new ConnectorError('auth', 'Sign in again: the site no longer accepts the saved sign-in.')));
    const t = await setup({}, credentials);
    t.model.conversations = conversations(2);
    await t.connector.connect(t.sink);
    t.model.override = (call) => (call.headers.get('authorization') ? json(401, { detail: 'Token is invalid or expired' }) : undefined);
    t.timers.advance(10_000);
    await until(() => t.of('link').length === 3, 'auth-expired');
    expect(t.of('link')[2]).toEqual(['auth-expired', 'Sign in again: the site no longer accepts the saved sign-in.']);
    const reads = t.listReads().length;
    t.timers.advance(600_000);
    expect(t.listReads()).toHaveLength(reads);
    expect(t.timers.count).toBe(0);

    // Signed in again: connecting again answers at once.
    t.model.override = null;
    await t.connector.connect(t.sink);
    expect(t.of('link').slice(3)).toEqual([['offline'], ['connecting'], ['connected']]);
  });

  it('disconnect: offline, sockets closed, no more polls; a poll answer that arrives afterwards is dropped', async () => {
    const t = await setup();
    t.model.conversations = conversations(2);
    await t.connector.connect(t.sink);
    t.connector.watch(['1', '2']);
    await until(() => t.of('stale').length === 2, 'sockets joined');
    expect(t.connector.openSockets()).toBe(2);

    let release: () => void = () => {};
    t.model.override = (call) => (call.url.pathname === LIST ? new Promise<Response>((r) => (release = () => r(json(503, { detail: 'late' })))) : undefined);
    t.timers.advance(10_000);
    await until(() => t.listReads().length === 2, 'poll in flight');
    await t.connector.disconnect();
    expect(t.events.at(-1)).toEqual(['link', 'offline']);
    expect(t.connector.openSockets()).toBe(0);
    await until(() => t.site.open().length === 0, 'sockets closed on the site');
    const after = t.events.length;
    const waits = t.delays.length;
    release();
    await until(() => t.site.calls.length === 2, 'late answer delivered');
    t.timers.advance(600_000);
    expect(t.events.slice(after).filter((e) => e[0] !== 'warn')).toEqual([]);
    expect(t.delays).toHaveLength(waits);
    expect(t.listReads()).toHaveLength(2);
  });

  it('malformed rows are skipped with a warning; a malformed last message is ignored', async () => {
    const t = await setup();
    await t.connector.connect(t.sink);
    t.model.conversations = [{ id: 'x' }, { ...conversation(2, NOW), last_message: { id: 1 } }, { ...conversation(1, NOW - 1000), last_message: { id: 5, sender: 9, content: 'hi there', timestamp: iso(NOW - 1000), is_own_message: false } }];
    const page = await t.connector.listConversations({ since: null, page: null });
    expect(page.items.map((c) => [c.remoteId, c.lastMessagePreview, c.lastMessageAt])).toEqual([
      ['2', null, null],
      ['1', 'hi there', NOW - 1000],
    ]);
    expect(t.of('warn')).toEqual([['django-chat: skipped a malformed conversation'], ['django-chat: a conversation’s last message was malformed; ignored']]);
    const empty = await (async () => {
      t.model.conversations = [];
      return t.connector.listConversations({ since: null, page: null });
    })();
    expect(empty).toEqual({ items: [], next: null, watermark: null });
  });
});
