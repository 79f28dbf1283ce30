// The portfolio kind against the REAL as-deployed reference site (`--as-deployed`): detection
// from the Site URL, sign-in by pasted admin_session cookie and by site secret, sync without
// paging, live events, replies, read state, status, the AI as "Assistant", renewal of a minted
// session, and a bounded number of requests for 500 conversations. Real HTTP, real pusher-js,
// real SQLite files.
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDeployedBackend, startPortfolioBackend, type DeployedBackendHandle } from '../../backends/portfolio/src/index';
import { DeployedPortfolioConnector } from '../../src/main/core/connectors/portfolio/deployed/deployed-connector';
import { detectPortfolioFlavour } from '../../src/main/core/connectors/portfolio/deployed/detect';
import { mintSessionToken } from '../../src/main/core/connectors/portfolio/deployed/session-token';
import { ConsoleError } from '../../src/shared/errors';
import type { Message } from '../../src/shared/domain';
import { mirrorSnapshot, sortKeys, startTestCore, waitFor, type Snapshot, type TestCore } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const ADMIN = { email: 'owner@example.com', password: 'deployed site password', name: 'Owner' };
const SECRET = 'deployed-site-secret-0123456789abcdef';

async function site(options: Parameters<typeof startDeployedBackend>[0] = {}): Promise<DeployedBackendHandle> {
  const dir = tempDir('switchboard-deployed-');
  const s = await startDeployedBackend({ port: 0, pusherPort: 0, dataDir: dir.dir, admin: ADMIN, authSecret: SECRET, autoReplyDelayMs: 0, ai: false, ...options });
  cleanups.push(async () => {
    await s.close();
    dir.cleanup();
  });
  return s;
}

/** Counts the console's requests by path (the core gets this fetch). */
function countingFetch(): { fetch: typeof fetch; counts: Map<string, number>; reset(): void } {
  const counts = new Map<string, number>();
  const wrapped: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const key = `${init?.method ?? 'GET'} ${url.pathname}${url.pathname === '/api/chat/conversations' ? `?${url.searchParams.get('status')}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return fetch(input, init);
  };
  return { fetch: wrapped, counts, reset: () => counts.clear() };
}

async function core(f?: typeof fetch): Promise<TestCore> {
  const d = tempDir('switchboard-core-');
  const c = await startTestCore(d.dir, f ? { fetch: f } : {});
  cleanups.push(async () => {
    await c.close();
    rmSync(d.dir, { recursive: true, force: true });
  });
  return c;
}

async function call<T>(c: TestCore, method: string, input: unknown): Promise<T> {
  const r = await c.core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

async function formCookie(s: DeployedBackendHandle): Promise<string> {
  const res = await fetch(`${s.apiUrl}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }).toString(),
    redirect: 'manual',
  });
  return /admin_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
}

const realtime = (s: DeployedBackendHandle) => ({ pusherKey: s.pusher.key, pusherCluster: s.pusher.cluster, pusherServer: `ws://${s.pusher.host}:${s.pusher.port}` });

function siteSnapshot(s: DeployedBackendHandle): Snapshot {
  const out: Snapshot = {};
  for (const c of s.api.store.db.prepare('SELECT id, status FROM conversations ORDER BY id').all() as { id: number; status: string }[]) out[String(c.id)] = { status: c.status, messages: [] };
  for (const m of s.api.listAllMessages()) out[String(m.conversationId)]!.messages.push({ id: String(m.id), content: m.content, senderType: m.senderType });
  return out;
}
const same = (c: TestCore, accountId: number, s: DeployedBackendHandle) => JSON.stringify(sortKeys(mirrorSnapshot(c.core, accountId))) === JSON.stringify(sortKeys(siteSnapshot(s)));
const waitSame = (c: TestCore, accountId: number, s: DeployedBackendHandle, what: string) =>
  waitFor(() => same(c, accountId, s), 15_000, what).catch(() => expect(sortKeys(mirrorSnapshot(c.core, accountId))).toEqual(sortKeys(siteSnapshot(s))));
const live = (c: TestCore) => waitFor(() => c.state() === 'live', 15_000, `live (now ${c.state()}: ${c.states.at(-1)?.detail})`);

async function visitorSays(s: DeployedBackendHandle, visitorId: string, content: string, conversationId: number | null = null): Promise<{ messageId: number; conversationId: number }> {
  const res = await fetch(`${s.apiUrl}/api/chat/send`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ conversationId, content, visitorId }) });
  return ((await res.json()) as { data: { messageId: number; conversationId: number } }).data;
}

const localId = (c: TestCore, accountId: number, remoteId: number) => c.core.mirror.conversations.findByRemote(accountId, String(remoteId))!.id;

describe('portfolio kind against the as-deployed site', () => {
  it('detects the flavour from the Site URL: the deployed site, the plan site, and a bare plan site', async () => {
    const deployed = await site();
    expect(await detectPortfolioFlavour(deployed.apiUrl, fetch)).toBe('deployed');
    for (const extensions of [true, false]) {
      const d = tempDir('switchboard-plan-');
      const plan = await startPortfolioBackend({ port: 0, pusherPort: 0, dataDir: d.dir, extensions, presenceSyncMs: 0 });
      cleanups.push(async () => {
        await plan.close();
        d.cleanup();
      });
      expect(await detectPortfolioFlavour(plan.apiUrl, fetch)).toBe('plan');
    }
    await expect(detectPortfolioFlavour('http://127.0.0.1:9', fetch)).rejects.toThrow(/cannot be reached/);
  });

  it('connects by pasted cookie: first sync equals the site, then live messages, replies, read state, status and AI replies', async () => {
    const s = await site({ seedDemo: true });
    const c = await core();
    // Without the cookie or the secret the form says what this site needs.
    const refused = await c.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, email: ADMIN.email, password: ADMIN.password, ...realtime(s) });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error.message).toMatch(/admin_session cookie/);
    const noPusher = await c.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, sessionCookie: await formCookie(s) });
    expect(noPusher.ok ? '' : noPusher.error.message).toMatch(/Pusher key and cluster/);

    const cookie = await formCookie(s);
    const account = await call<{ id: number }>(c, 'accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, sessionCookie: `admin_session=${cookie}; Path=/`, ...realtime(s) });
    await live(c);
    await waitSame(c, account.id, s, 'first sync = site');
    const [listed] = await call<{ stateDetail: string | null; signInEndsAt: number | null }[]>(c, 'accounts.list', undefined);
    expect(listed!.stateDetail).toMatch(/^Limited sync/);
    // A pasted cookie cannot renew: its end, read from the token, is shown ahead of time.
    expect(listed!.signInEndsAt).toBe(((JSON.parse(Buffer.from(cookie.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp) * 1000);
    // The demo's AI reply is the Assistant's.
    const ai = s.api.listAllMessages().find((m) => m.senderType === 'ai')!;
    const aiLocal = c.core.mirror.messages.all(localId(c, account.id, ai.conversationId)).find((m) => m.remoteId === String(ai.id))!;
    expect(aiLocal).toMatchObject({ senderType: 'ai', senderName: 'Assistant' });

    // A new visitor, then a second message: both arrive live (new-conversation, conversation-updated).
    const v = await visitorSays(s, randomUUID(), 'Hello from a new visitor');
    await waitSame(c, account.id, s, 'new conversation');
    await visitorSays(s, (s.api.store.conversation(v.conversationId)!).visitor_id, 'And a second line', v.conversationId);
    await waitSame(c, account.id, s, 'second visitor message');
    const conversationId = localId(c, account.id, v.conversationId);
    expect(c.core.mirror.conversations.getRow(conversationId)!.unreadCount).toBe(2);

    // Reading it marks the visitor's messages read on the site.
    await call(c, 'conversations.markRead', { conversationId });
    await waitFor(() => s.api.store.unreadCount(v.conversationId) === 0, 10_000, 'site unread = 0');

    // A reply reaches the site once.
    const sent = await call<Message>(c, 'messages.send', { conversationId, content: 'Owner here, hello!', clientId: randomUUID() });
    expect(sent.content).toBe('Owner here, hello!');
    await waitFor(() => s.api.listAllMessages().filter((m) => m.content === 'Owner here, hello!').length === 1, 10_000, 'reply on the site');
    await waitSame(c, account.id, s, 'reply mirrored once');

    // Resolve and reopen: the site's status follows.
    await call(c, 'conversations.setStatus', { conversationId, status: 'resolved' });
    await waitFor(() => s.api.store.conversation(v.conversationId)!.status === 'resolved', 10_000, 'resolved on the site');
    await call(c, 'conversations.setStatus', { conversationId, status: 'active' });
    await waitFor(() => s.api.store.conversation(v.conversationId)!.status === 'active', 10_000, 'active again on the site');

    // The AI switched on at the site answers the next visitor message; the console shows it as the Assistant.
    const typing: { who: string; isTyping: boolean }[] = [];
    c.core.events.subscribe((name, payload) => {
      if (name === 'typing') typing.push(payload as { who: string; isTyping: boolean });
    });
    s.api.store.updateSettings(s.api.ai.settings().id, { aiEnabled: true, autoReplyDelay: 300 });
    await visitorSays(s, s.api.store.conversation(v.conversationId)!.visitor_id, 'What is your price?', v.conversationId);
    await waitSame(c, account.id, s, 'ai reply mirrored');
    const last = c.core.mirror.messages.all(conversationId).at(-1)!;
    expect(last).toMatchObject({ senderType: 'ai', senderName: 'Assistant' });
    // The conversation is followed after activity, so the AI's typing reaches the inbox too.
    await waitFor(() => typing.some((e) => e.who === 'ai' && !e.isTyping), 10_000, 'ai typing off');
    expect(typing.filter((e) => e.who === 'ai').map((e) => e.isTyping)).toEqual([true, false]);
    expect(c.logs.filter((l) => /malformed/i.test(l))).toEqual([]);
  });

  it('connects by site secret + admin user id, and a status changed on the site shows up from the next list', async () => {
    const s = await site({ seedDemo: true });
    const c = await core();
    const wrong = await c.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, siteSecret: 'not-the-secret-0123456789', adminUserId: String(s.admin!.id), ...realtime(s) });
    expect(wrong.ok ? '' : wrong.error.code).toBe('forbidden');
    const account = await call<{ id: number }>(c, 'accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, siteSecret: SECRET, adminUserId: String(s.admin!.id), ...realtime(s) });
    await live(c);
    await waitSame(c, account.id, s, 'first sync = site');
    const target = (s.api.store.conversationsWithStatus('active')[0])!;
    // Changed by the owner on the site's own dashboard (another device): only conversation-updated.
    const cookie = await formCookie(s);
    await fetch(`${s.apiUrl}/api/chat/conversations/${target.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', Cookie: `admin_session=${cookie}` }, body: JSON.stringify({ status: 'closed' }) });
    await waitSame(c, account.id, s, 'status from the site');

    // The AI switch: read (the first read creates the site's settings), switched here, and
    // followed when the owner switches it on the site.
    const changes: { accountId: number; enabled: boolean }[] = [];
    c.core.events.subscribe((name, payload) => {
      if (name === 'ai.changed') changes.push(payload as { accountId: number; enabled: boolean });
    });
    expect(await call(c, 'accounts.aiReplies', { accountId: account.id })).toEqual({ enabled: false });
    expect(await call(c, 'accounts.setAiReplies', { accountId: account.id, enabled: true })).toEqual({ enabled: true });
    expect(s.api.store.settings()?.ai_enabled).toBe(1);
    await fetch(`${s.apiUrl}/api/chat/settings`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', Cookie: `admin_session=${cookie}` }, body: JSON.stringify({ aiEnabled: false }) });
    await waitFor(() => changes.some((e) => e.accountId === account.id && !e.enabled && changes.indexOf(e) > 0), 10_000, 'ai.changed from the site');
    const [listed] = await call<{ capabilities: { aiReplies?: boolean; idempotentSend: boolean }; signInEndsAt: number | null }[]>(c, 'accounts.list', undefined);
    expect(listed!.capabilities).toMatchObject({ aiReplies: true, idempotentSend: false });
    // A minted session renews itself: nothing to warn about.
    expect(listed!.signInEndsAt).toBeNull();
  });

  it('renews a minted session when the site answers 401, once, and reads and switches the AI', async () => {
    const s = await site();
    let token = (await mintSessionToken(SECRET, s.admin!.id, Date.now() - 2 * 86_400_000)).token; // expired
    let renewals = 0;
    const connector = new DeployedPortfolioConnector({
      baseUrl: s.apiUrl,
      pusher: { key: s.pusher.key, cluster: s.pusher.cluster, wsHost: s.pusher.host, wsPort: s.pusher.port, forceTLS: false },
      token: () => token,
      refresh: async () => {
        renewals++;
        token = (await mintSessionToken(SECRET, s.admin!.id, Date.now())).token;
      },
    });
    await visitorSays(s, randomUUID(), 'hello');
    const list = await connector.listConversations();
    expect(list.items).toHaveLength(1);
    expect(renewals).toBe(1);
    expect(await connector.aiSettings()).toEqual({ aiEnabled: false });
    expect(await connector.setAiEnabled(true)).toEqual({ aiEnabled: true });
    expect(s.api.store.settings()?.ai_enabled).toBe(1);
    expect(renewals).toBe(1);
  });

  it("signs in with the site's page (desktop app): the window's cookie is kept like a pasted one; closed window, browser mode and a plan site say so", async () => {
    const s = await site({ seedDemo: true });
    const opened: string[] = [];
    let outcome: 'sign in' | 'close' = 'close';
    // Stands in for the Electron window (tests/unit/shell-site-sign-in.test.ts, tests/e2e/sign-in-window.electron.spec.ts):
    // the user fills in the site's own form; the site's Set-Cookie is what the window hands over.
    const siteSignIn = async (request: { url: string; cookieName: string }) => {
      opened.push(request.url);
      if (outcome === 'close') throw new ConsoleError('cancelled', 'The sign-in window was closed before you signed in.');
      expect(request.cookieName).toBe('admin_session');
      return formCookie(s);
    };
    const d = tempDir('switchboard-core-');
    const c = await startTestCore(d.dir, { siteSignIn });
    cleanups.push(async () => {
      await c.close();
      rmSync(d.dir, { recursive: true, force: true });
    });
    // The rest of the form is checked before the window opens: a missing Pusher key wastes no sign-in.
    const noPusher = await c.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, signInWindow: true });
    expect(noPusher.ok ? '' : noPusher.error.message).toMatch(/Pusher key and cluster/);
    expect(opened).toEqual([]);
    // The user closes the window: nothing is stored, no account.
    const closed = await c.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, signInWindow: true, ...realtime(s) });
    expect(closed).toEqual({ ok: false, error: { code: 'cancelled', message: 'The sign-in window was closed before you signed in.' } });
    expect(opened).toEqual([`${s.apiUrl}/admin/login`]);
    expect(await call<unknown[]>(c, 'accounts.list', undefined)).toEqual([]);

    outcome = 'sign in';
    const account = await call<{ id: number }>(c, 'accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, signInWindow: true, ...realtime(s) });
    await live(c);
    await waitSame(c, account.id, s, 'first sync after the sign-in window');
    // Kept through the secrets interface exactly like a pasted cookie: the token and its expiry, no secret.
    const stored = JSON.parse(readFileSync(join(d.dir, 'secrets.json'), 'utf8')) as Record<string, string>;
    const credentials = JSON.parse(stored[`account:${account.id}:credentials`]!) as Record<string, unknown>;
    expect(Object.keys(credentials).sort()).toEqual(['expiresAt', 'token']);
    expect(credentials.expiresAt).toBeGreaterThan(Date.now() + 23 * 3600_000);
    // "Sign in again" offers the same window.
    await call(c, 'accounts.signIn', { kind: 'portfolio', accountId: account.id, signInWindow: true });
    expect(opened).toHaveLength(3);

    // Browser mode has no window: the form is told to paste the cookie instead.
    const web = await core();
    const refused = await web.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, signInWindow: true, ...realtime(s) });
    expect(refused.ok ? '' : refused.error.message).toMatch(/needs the desktop app/);
    // A plan site signs in with email and password.
    const d2 = tempDir('switchboard-plan-');
    const plan = await startPortfolioBackend({ port: 0, pusherPort: 0, dataDir: d2.dir, extensions: false, presenceSyncMs: 0 });
    cleanups.push(async () => {
      await plan.close();
      d2.cleanup();
    });
    const onPlan = await c.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: plan.apiUrl, signInWindow: true });
    expect(onPlan.ok ? '' : onPlan.error.message).toMatch(/email and password/);
    expect(opened).toHaveLength(3);
  });

  it('catches up 500 conversations in a bounded number of requests, and a reconnect fetches only what changed', async () => {
    const s = await site();
    const store = s.api.store;
    store.db.transaction(() => {
      for (let i = 0; i < 500; i++) {
        const conv = store.createConversation(`bulk-${i}`, `Bulk ${i}`, null, i % 10 === 0 ? 'resolved' : i % 25 === 0 ? 'closed' : 'active');
        for (let j = 0; j < 3; j++) store.addMessage(conv.id, j === 1 ? 'admin' : 'visitor', j === 1 ? s.admin!.id : null, `message ${j} of ${i}`, true);
      }
    })();
    const counter = countingFetch();
    const c = await core(counter.fetch);
    const account = await call<{ id: number }>(c, 'accounts.connect', { kind: 'portfolio', siteUrl: s.apiUrl, sessionCookie: await formCookie(s), ...realtime(s) });
    await live(c);
    await waitSame(c, account.id, s, '500 conversations mirrored');
    const first = Object.fromEntries(counter.counts);
    console.log(`[deployed] first sync of 500 conversations / 1500 messages: ${JSON.stringify(first)}`);
    // One list per status per catch-up, one whole history per conversation, never twice.
    expect(first['GET /api/chat/conversations?active']).toBeLessThanOrEqual(3);
    expect(first['GET /api/chat/conversations?all'] ?? 0).toBe(0);
    expect(first['GET /api/chat/messages']).toBeLessThanOrEqual(500 + 5);

    // Realtime down; two visitors write; realtime back: only those two histories are fetched.
    counter.reset();
    await s.pusherServer.close();
    await waitFor(() => c.state() !== 'live', 15_000, 'not live');
    const busy = store.conversationsWithStatus('active').slice(0, 2);
    for (const conv of busy) await visitorSays(s, conv.visitor_id, 'while you were away', conv.id);
    const { startPusherServer } = await import('../../backends/portfolio/src/index');
    const restarted = await startPusherServer({ host: s.pusher.host, port: s.pusher.port, apps: [{ id: s.pusher.appId, key: s.pusher.key, secret: s.pusher.secret, enableClientEvents: true }] });
    cleanups.push(() => restarted.close());
    await live(c);
    await waitSame(c, account.id, s, 'gap filled');
    const again = Object.fromEntries(counter.counts);
    console.log(`[deployed] reconnect after 2 changed conversations: ${JSON.stringify(again)}`);
    expect(again['GET /api/chat/messages']).toBeLessThanOrEqual(2 + 2);
    expect((again['GET /api/chat/conversations?active'] ?? 0) + (again['GET /api/chat/conversations?resolved'] ?? 0)).toBeLessThanOrEqual(2 * 3);
  });
});
