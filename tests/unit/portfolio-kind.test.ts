// The portfolio kind's definition (kind.ts): which flavour an account gets, what connecting and
// signing in again send and keep for each, what can renew itself, and which connector an account
// makes. The sites are a fake fetch in the KindContext (tests/support/fake-fetch.ts); the real
// reference backends of both flavours are covered by tests/integration/portfolio-sync.test.ts and
// portfolio-deployed.test.ts.
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../src/shared/contract';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import type { Credentials } from '../../src/main/core/connectors/credentials';
import type { KindContext } from '../../src/main/core/connectors/registry';
import { portfolioKind } from '../../src/main/core/connectors/portfolio/kind';
import { PortfolioConnector } from '../../src/main/core/connectors/portfolio/portfolio-connector';
import { DeployedPortfolioConnector } from '../../src/main/core/connectors/portfolio/deployed/deployed-connector';
import { mintSessionToken } from '../../src/main/core/connectors/portfolio/deployed/session-token';
import type { AccountRow } from '../../src/main/core/mirror/accounts-repo';
import { realTimers } from '../../src/main/core/sync/timers';
import { fakeFetch, json, type FetchCall } from '../support/fake-fetch';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');
const SECRET = 'site-secret-0123456789abcdef0123456789';
const PUSHER = { key: 'k', cluster: 'eu', wsHost: 'ws.example.com', wsPort: 443, forceTLS: true };
const LOGIN_PAGE = '<form method="post"><input name="email"><input name="password" type="password"></form>';

function ctx(answer: (call: FetchCall) => Response | Promise<Response>, over: Partial<KindContext> = {}) {
  const f = fakeFetch(answer);
  const context: KindContext = { fetch: f.fetch, clock: () => NOW, random: () => 0.5, timers: realTimers, log: () => {}, ...over };
  return { ctx: context, calls: f.calls };
}

const account = (config: Record<string, unknown>, baseUrl = 'https://site.example.com') => ({ id: 1, kind: 'portfolio', name: 'site', baseUrl, config: JSON.stringify(config) }) as unknown as AccountRow;

/** The plan's reference backend: config discovery (unless `discovery` is false) and JSON login. */
const planSite = (discovery = true) => (call: FetchCall) => {
  if (call.url.pathname === '/api/chat/config') return discovery ? json(200, { success: true, data: { pusher: PUSHER } }) : json(404, { success: false, error: 'Not found' });
  if (call.url.pathname === '/api/admin/login') {
    const body = JSON.parse(call.body!) as { password: string };
    return body.password === 'right' ? json(200, { success: true, data: { token: 'jwt-1', expiresAt: '2026-12-02T10:00:00.000Z' } }) : json(401, { success: false, error: 'Invalid credentials' });
  }
  return json(404, {});
};

/** A site as deployed: no config, its own login page, conversations behind the admin_session cookie. */
const deployedSite = (valid: (cookie: string | undefined) => boolean) => (call: FetchCall) => {
  if (call.url.pathname === '/admin/login') return new Response(LOGIN_PAGE, { status: 200, headers: { 'Content-Type': 'text/html' } });
  if (call.url.pathname === '/api/chat/conversations') return valid(call.headers.Cookie) ? json(200, { success: true, data: [] }) : json(401, { success: false, error: 'Unauthorized' });
  return json(404, {});
};

describe('portfolio kind: capabilities', () => {
  it('as deployed, the plan with extensions, the plan without', () => {
    // As deployed: no idempotency key, no read receipts, no new conversations from here; the site's read state and its AI.
    expect(portfolioKind.capabilities({ flavour: 'deployed' })).toEqual({
      serverStatus: true,
      idempotentSend: false,
      catchUp: 'page-back',
      readReceipts: false,
      typing: true,
      shape: 'inbox',
      startConversations: false,
      serverReadState: true,
      aiReplies: true,
    });
    expect(portfolioKind.capabilities({ flavour: 'plan', extensions: true })).toMatchObject({ catchUp: 'cursor', idempotentSend: true, readReceipts: true });
    expect(portfolioKind.capabilities({ extensions: 'yes' })).toMatchObject({ catchUp: 'page-back', idempotentSend: false });
    expect(portfolioKind.capabilities({})).not.toHaveProperty('aiReplies');
  });
});

describe('portfolio kind: connecting a plan site', () => {
  it('discovers the realtime settings, signs in, and keeps the token; the site has the extensions', async () => {
    const { ctx: c, calls } = ctx(planSite());
    const connected = await portfolioKind.connect({ kind: 'portfolio', siteUrl: 'https://Chat.Example.com/some/page', email: 'a@b.c', password: 'right' }, c);
    expect(connected).toEqual({
      name: 'chat.example.com',
      baseUrl: 'https://chat.example.com',
      config: { pusher: PUSHER, extensions: true, flavour: 'plan' },
      credentials: { token: 'jwt-1', expiresAt: Date.parse('2026-12-02T10:00:00.000Z') },
    });
    expect(calls.map((x) => x.url.pathname)).toEqual(['/api/chat/config', '/api/chat/config', '/api/admin/login']);
  });

  it('settings given by hand are used as they are, and the site is taken to have no extensions', async () => {
    const { ctx: c, calls } = ctx(planSite());
    const connected = await portfolioKind.connect({ kind: 'portfolio', siteUrl: 'https://chat.example.com', email: 'a@b.c', password: 'right', pusher: { key: 'mine', cluster: 'ap1' } }, c);
    expect(connected.config).toEqual({ pusher: { key: 'mine', cluster: 'ap1' }, extensions: false, flavour: 'plan' });
    expect(calls.filter((x) => x.url.pathname === '/api/chat/config')).toHaveLength(1);
  });

  it('a site without discovery takes the key and cluster from the form, or asks for them', async () => {
    const { ctx: c } = ctx(planSite(false));
    const connected = await portfolioKind.connect({ kind: 'portfolio', siteUrl: 'https://chat.example.com', email: 'a@b.c', password: 'right', pusherKey: 'pk', pusherCluster: 'mt1' }, c);
    expect(connected.config).toEqual({ pusher: { key: 'pk', cluster: 'mt1', forceTLS: true }, extensions: false, flavour: 'plan' });
    await expect(portfolioKind.connect({ kind: 'portfolio', siteUrl: 'https://chat.example.com', email: 'a@b.c', password: 'right' }, c)).rejects.toMatchObject({
      code: 'bad-request',
      message: 'This site does not publish its realtime settings. Enter the Pusher key and cluster by hand.',
    });
  });

  it('needs the email and the password, refuses the sign-in window, and reads a wrong password as such', async () => {
    const { ctx: c } = ctx(planSite());
    const base = { kind: 'portfolio' as const, siteUrl: 'https://chat.example.com' };
    for (const input of [{ ...base, email: 'a@b.c' }, { ...base, password: 'right' }]) {
      await expect(portfolioKind.connect(input, c)).rejects.toMatchObject({ code: 'bad-request', message: 'Enter the admin email and password of your site.' });
    }
    await expect(portfolioKind.connect({ ...base, signInWindow: true }, c)).rejects.toMatchObject({ code: 'bad-request', message: 'This site signs in with the admin email and password: enter them instead.' });
    await expect(portfolioKind.connect({ ...base, email: 'a@b.c', password: 'wrong' }, c)).rejects.toMatchObject({ code: 'forbidden', message: 'Wrong email or password.' });
  });
});

describe('portfolio kind: connecting a site as deployed', () => {
  it('checks a pasted cookie against the site and keeps it with its expiry, with the Pusher settings typed in', async () => {
    const { token } = await mintSessionToken(SECRET, 1, NOW);
    const { ctx: c, calls } = ctx(deployedSite((cookie) => cookie === `admin_session=${token}`));
    const connected = await portfolioKind.connect({ kind: 'portfolio', siteUrl: 'https://site.example.com', sessionCookie: `admin_session=${token}`, pusherKey: 'pk', pusherCluster: 'ap1' }, c);
    expect(connected).toEqual({
      name: 'site.example.com',
      baseUrl: 'https://site.example.com',
      config: { pusher: { key: 'pk', cluster: 'ap1', forceTLS: true }, extensions: false, flavour: 'deployed' },
      credentials: { token, expiresAt: NOW + 86_400_000 },
    });
    expect(calls.at(-1)!.url.pathname + calls.at(-1)!.url.search).toBe('/api/chat/conversations?status=active');
  });

  it('a cookie the site refuses is named as such; the Pusher settings are asked for before the site is', async () => {
    const { token } = await mintSessionToken(SECRET, 1, NOW);
    const { ctx: c, calls } = ctx(deployedSite(() => false));
    await expect(portfolioKind.connect({ kind: 'portfolio', siteUrl: 'https://site.example.com', sessionCookie: token, pusherKey: 'pk', pusherCluster: 'ap1' }, c)).rejects.toMatchObject({ code: 'forbidden' });
    const before = calls.length;
    await expect(portfolioKind.connect({ kind: 'portfolio', siteUrl: 'https://site.example.com', sessionCookie: token }, c)).rejects.toMatchObject({ code: 'bad-request' });
    expect(calls.slice(before).map((x) => x.url.pathname)).toEqual(['/api/chat/config', '/admin/login']);
  });

  it('signs in with the site\'s own page where the desktop app offers it', async () => {
    const { token } = await mintSessionToken(SECRET, 1, NOW);
    const asked: unknown[] = [];
    const { ctx: c } = ctx(deployedSite(() => true), { siteSignIn: async (request) => (asked.push(request), token) });
    const connected = await portfolioKind.connect({ kind: 'portfolio', siteUrl: 'https://site.example.com', signInWindow: true, pusherKey: 'pk', pusherCluster: 'ap1' }, c);
    expect(asked).toEqual([{ url: 'https://site.example.com/admin/login', cookieName: 'admin_session' }]);
    expect(connected.credentials).toEqual({ token, expiresAt: NOW + 86_400_000 });
  });
});

describe('portfolio kind: signing in again, renewing, creating', () => {
  it('a plan account signs in with its email and password again', async () => {
    const { ctx: c } = ctx(planSite());
    expect(await portfolioKind.signIn(account({ flavour: 'plan' }), { kind: 'portfolio', accountId: 1, email: 'a@b.c', password: 'right' }, c)).toEqual({ token: 'jwt-1', expiresAt: Date.parse('2026-12-02T10:00:00.000Z') });
    await expect(portfolioKind.signIn(account({}), { kind: 'portfolio', accountId: 1, email: 'a@b.c', password: 'wrong' }, c)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(portfolioKind.signIn(account({}), { kind: 'portfolio', accountId: 1 }, c)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('a deployed account mints a session from the site secret and checks it', async () => {
    const { ctx: c, calls } = ctx(deployedSite(() => true));
    const creds = await portfolioKind.signIn(account({ flavour: 'deployed' }), { kind: 'portfolio', accountId: 1, siteSecret: SECRET, adminUserId: '1' }, c);
    expect(creds).toMatchObject({ siteSecret: SECRET, adminUserId: 1, expiresAt: NOW + 86_400_000 });
    expect(calls.map((x) => x.headers.Cookie)).toEqual([`admin_session=${String(creds.token)}`]);
    const refused = ctx(deployedSite(() => false));
    await expect(portfolioKind.signIn(account({ flavour: 'deployed' }), { kind: 'portfolio', accountId: 1, siteSecret: SECRET, adminUserId: '1' }, refused.ctx)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('only a site-secret session renews without the user; a pasted cookie ends when it ends', async () => {
    const { ctx: c } = ctx(() => json(404, {}));
    await expect(portfolioKind.refresh!(account({}), { token: 'jwt' }, c)).rejects.toBeInstanceOf(ConnectorError);
    const renewed = await portfolioKind.refresh!(account({ flavour: 'deployed' }), { token: 'old', siteSecret: SECRET, adminUserId: 1, expiresAt: NOW }, c);
    expect(renewed).toMatchObject({ siteSecret: SECRET, adminUserId: 1, expiresAt: NOW + 86_400_000 });
    const ends = (config: Record<string, unknown>, creds: Credentials) => portfolioKind.signInEndsAt!(account(config), creds);
    expect(ends({ flavour: 'deployed' }, { token: 't', expiresAt: NOW })).toBe(NOW);
    expect(ends({ flavour: 'deployed' }, { token: 't', expiresAt: NOW, siteSecret: SECRET })).toBeNull();
    expect(ends({ flavour: 'deployed' }, { token: 't', expiresAt: null })).toBeNull();
    expect(ends({ flavour: 'plan' }, { token: 't', expiresAt: NOW })).toBeNull();
  });

  it('makes the connector of the account\'s flavour, reading the current credentials', async () => {
    let current: Credentials = { token: 'tok-1', expiresAt: NOW + 60_000, siteSecret: SECRET, adminUserId: 1 };
    let refreshed = 0;
    const port = {
      current: () => current,
      refresh: async () => {
        refreshed++;
        current = { ...current, token: 'tok-2', expiresAt: NOW + 86_400_000 };
        return current;
      },
    };
    const { ctx: c, calls } = ctx(() => json(200, { success: true, data: [] }), { clock: () => NOW });
    const deployed = portfolioKind.create(account({ flavour: 'deployed', pusher: PUSHER, extensions: false }), port, c);
    expect(deployed).toBeInstanceOf(DeployedPortfolioConnector);
    // The session ends within the hour and renews itself (site secret) before the request.
    await deployed.markRead('7', ['1']);
    expect(refreshed).toBe(1);
    expect(calls.at(-1)!.headers.Cookie).toBe('admin_session=tok-2');
    // A pasted cookie is not renewed ahead.
    current = { token: 'pasted', expiresAt: NOW + 60_000 };
    await deployed.markRead('7', ['1']);
    expect(refreshed).toBe(1);
    expect(calls.at(-1)!.headers.Cookie).toBe('admin_session=pasted');

    const plan = portfolioKind.create(account({ flavour: 'plan', pusher: PUSHER, extensions: true }), port, c);
    expect(plan).toBeInstanceOf(PortfolioConnector);
    expect(plan.capabilities.catchUp).toBe('cursor');
    await plan.markRead('7', ['1']);
    expect(calls.at(-1)!.headers.Authorization).toBe('Bearer pasted');
    expect(portfolioKind.create(account({ pusher: PUSHER, extensions: false }), port, c)).toBeInstanceOf(PortfolioConnector);
  });

  it('a site that cannot be reached is named', async () => {
    const { ctx: c } = ctx(() => Promise.reject(new TypeError('ECONNREFUSED')));
    const error = await portfolioKind.connect({ kind: 'portfolio', siteUrl: 'https://site.example.com', email: 'a@b.c', password: 'x' }, c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsoleError);
    expect(error).toMatchObject({ code: 'unavailable' });
  });
});
