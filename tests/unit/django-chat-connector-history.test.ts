// DjangoChatConnector's history (newest first over DRF's oldest-first pages), mark-read and the
// kind's sign-in, against FakeDjangoSite's fake fetch. It stands in for the real site
// (backends/django), covered by tests/integration/django-chat-sync.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountRow } from '../../src/main/core/mirror/accounts-repo';
import { ConsoleError } from '../../src/shared/contract';
import { djangoChatCapabilities } from '../../src/main/core/connectors/django-chat/capabilities';
import { createDjangoChatKind, djangoChatKind } from '../../src/main/core/connectors/django-chat/kind';
import type { KindContext } from '../../src/main/core/connectors/registry';
import { NOW, chatSetup, conversation, wireMessage } from '../support/django-chat-site';
import { FakeDjangoSite, djangoCredentials, json, recordingSink, until } from '../support/django-fake-site';
import { connectorFailure } from '../support/connector-failure';
import { FakeTimers } from '../support/fake-timers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function withHistory(count: number) {
  const t = await chatSetup();
  cleanups.push(t.close);
  t.model.messages.set(
    '7',
    Array.from({ length: count }, (_, i) => wireMessage(i + 1, `m${i + 1}`, i % 2 === 1)),
  );
  await t.connector.connect(t.sink);
  return t;
}

const ids = (page: { items: { remoteId: string }[] }) => page.items.map((m) => Number(m.remoteId));
const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);
const historyReads = (t: Awaited<ReturnType<typeof withHistory>>) => t.site.calls.filter((c) => c.url.pathname.endsWith('/messages/')).map((c) => c.url.search);

describe('django-chat connector: history', () => {
  it('newest first from the last page back; a short last page is topped up with the one before', async () => {
    const t = await withHistory(45);
    const first = await t.connector.messagesBefore('7', null, 20);
    expect(historyReads(t)).toEqual(['?page=last&page_size=20', '?page=2&page_size=20']);
    expect(t.site.calls.at(-1)!.url.pathname).toBe('/en/api/v1/chat/teacher/conversations/7/messages/');
    expect(ids(first)).toEqual(range(45, 21));
    expect(first.next).toBe('page:1');
    expect(first.items[0]).toMatchObject({ senderType: 'visitor', content: 'm45' });
    expect(first.items[1]).toMatchObject({ senderType: 'admin', content: 'm44' });
    const older = await t.connector.messagesBefore('7', first.next, 20);
    expect(historyReads(t).slice(2)).toEqual(['?page=1&page_size=20']);
    expect([ids(older), older.next]).toEqual([range(20, 1), null]);
  });

  it('a full last page is not topped up; a single short page is all there is', async () => {
    const t = await withHistory(40);
    const full = await t.connector.messagesBefore('7', null, 20);
    expect(historyReads(t)).toEqual(['?page=last&page_size=20']);
    expect([ids(full), full.next]).toEqual([range(40, 21), 'page:1']);

    t.model.messages.set('7', [wireMessage(1, 'only', false)]);
    const single = await t.connector.messagesBefore('7', null, 20);
    expect(historyReads(t).slice(1)).toEqual(['?page=last&page_size=20']);
    expect([ids(single), single.next]).toEqual([[1], null]);
    t.model.messages.set('7', []);
    expect(await t.connector.messagesBefore('7', null, 20)).toEqual({ items: [], next: null });
  });

  it('before a message id: walks back to the first page holding older ones', async () => {
    const t = await withHistory(45);
    const a = await t.connector.messagesBefore('7', '30', 20);
    expect([ids(a), a.next]).toEqual([range(29, 21), 'page:1']);
    const b = await t.connector.messagesBefore('7', '5', 20);
    expect([ids(b), b.next]).toEqual([range(4, 1), null]);
    expect(await t.connector.messagesBefore('7', '1', 20)).toEqual({ items: [], next: null });
  });

  it('the page size stays between 1 and 1000; a malformed row is skipped with a warning', async () => {
    const t = await withHistory(3);
    await t.connector.messagesBefore('7', null, 0);
    await t.connector.messagesBefore('7', null, 5000);
    expect(historyReads(t).filter((q) => q.startsWith('?page=last'))).toEqual(['?page=last&page_size=1', '?page=last&page_size=1000']);
    t.model.messages.set('7', [wireMessage(1, 'fine', false), { id: 2, content: 'no sender' }]);
    const page = await t.connector.messagesBefore('7', null, 20);
    expect(ids(page)).toEqual([1]);
    expect(t.of('warn')).toEqual([['django-chat: skipped a malformed message']]);
  });

  it('has no catch-up cursor; marks read only when asked, with the Bearer token; status, typing and presence stay local', async () => {
    const t = await withHistory(1);
    const after = await connectorFailure(t.connector.messagesAfter());
    expect([after.kind, after.message]).toEqual(['rejected', 'This site has no catch-up cursor; its history is read page by page from the newest.']);
    const calls = t.site.calls.length;
    await t.connector.setStatus();
    t.connector.sendTyping();
    await t.connector.setAvailability();
    expect(t.site.calls).toHaveLength(calls);
    await t.connector.markRead('7');
    const mark = t.site.calls.at(-1)!;
    expect([mark.method, mark.path, mark.headers.get('authorization')]).toEqual(['POST', '/en/api/v1/chat/conversations/7/mark-read/', 'Bearer access-1']);
    t.model.override = () => json(404, { detail: 'No Conversation matches the given query.' });
    const missing = await connectorFailure(t.connector.markRead('8'));
    expect([missing.kind, missing.message]).toEqual(['rejected', 'No Conversation matches the given query.']);
    expect(t.connector.capabilities).toEqual(djangoChatCapabilities());
    expect(t.connector.pollsItself).toBe(true);
  });
});

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const ACCESS = `${b64({ alg: 'HS256' })}.${b64({ exp: 1_800_000_300, iat: 1_800_000_000 })}.sig`;

async function signInSite() {
  const site = await FakeDjangoSite.start();
  cleanups.push(() => site.close());
  site.rest = (call) => {
    if (call.path === '/en/api/v1/auth/login/') {
      const { password } = call.body as { password: string };
      if (password !== 'right') return json(400, { non_field_errors: ['Unable to log in with provided credentials.'] });
      return new Response(JSON.stringify({ access: ACCESS, refresh: 'r-1', user: { id: 3, username: 'pak_budi' } }), {
        status: 200,
        headers: [['Set-Cookie', 'sessionid=sess-9; Path=/; HttpOnly'], ['Set-Cookie', 'csrftoken=csrf-9; Path=/']],
      });
    }
    if (call.path === '/en/api/v1/auth/token/refresh/') return json(200, { access: ACCESS, refresh: 'r-2' });
    if (call.path.startsWith('/en/api/v1/chat/teacher/conversations/?')) return json(200, { count: 1, next: null, previous: null, results: [conversation(1, NOW)] });
    return json(404, {});
  };
  const timers = new FakeTimers(NOW);
  const ctx: KindContext = { fetch: site.fetch, clock: () => timers.now, random: () => 1, timers, log: () => {} };
  return { site, ctx, timers };
}

describe('django-chat kind', () => {
  it('connects with the site URL, login and password: the host as name, a note that reading marks read, the JWTs and session', async () => {
    const { site, ctx } = await signInSite();
    const connected = await djangoChatKind.connect({ siteUrl: `${site.url}/`, login: 'pak_budi', password: 'right' } as never, ctx);
    expect(connected).toEqual({
      name: new URL(site.url).host,
      baseUrl: site.url,
      config: { readSideEffects: true },
      credentials: { access: ACCESS, refresh: 'r-1', sessionid: 'sess-9', csrftoken: 'csrf-9', userId: 3, expiresAt: 1_800_000_300_000, issuedAt: 1_800_000_000_000 },
    });
    expect(djangoChatKind.capabilities({} as never)).toEqual(djangoChatCapabilities());
  });

  it('a wrong password reads as such, at connect and at sign in again; renewing rotates the refresh token', async () => {
    const { site, ctx } = await signInSite();
    const account = { baseUrl: site.url } as AccountRow;
    const wrong = new ConsoleError('forbidden', 'Wrong email, username or password.');
    await expect(djangoChatKind.connect({ siteUrl: site.url, login: 'x', password: 'wrong' } as never, ctx)).rejects.toEqual(wrong);
    await expect(djangoChatKind.signIn(account, { login: 'x', password: 'wrong' } as never, ctx)).rejects.toEqual(wrong);
    expect(await djangoChatKind.signIn(account, { login: 'x', password: 'right' } as never, ctx)).toMatchObject({ sessionid: 'sess-9' });
    const renewed = await djangoChatKind.refresh!(account, { refresh: 'r-1', sessionid: 'sess-9', userId: 3 }, ctx);
    expect(renewed).toMatchObject({ access: ACCESS, refresh: 'r-2', sessionid: 'sess-9' });
  });

  it('creates the connector with the tuning the tests pass (here: polls every 2 s)', async () => {
    const { site, ctx, timers } = await signInSite();
    const connector = createDjangoChatKind({ pollMs: 2_000 }).create({ baseUrl: site.url } as AccountRow, djangoCredentials(), ctx);
    cleanups.push(() => connector.disconnect());
    const rec = recordingSink();
    await connector.connect(rec.sink);
    expect(rec.of('link')).toEqual([['connecting'], ['connected']]);
    const polls = () => site.calls.filter((c) => c.path.startsWith('/en/api/v1/chat/teacher/conversations/?')).length;
    timers.advance(1_999);
    expect(polls()).toBe(1);
    timers.advance(1);
    await until(() => polls() === 2, 'second poll');
  });
});
