// The edges of signing in to a site as deployed (session-token.ts, sign-in.ts) that
// portfolio-deployed.test.ts leaves out: tokens without an expiry or with a string user id, the
// exact end of a session, cookie lines, the settings typed in, and what checking a session
// against the site can answer. The site is a fake fetch in the KindContext
// (tests/support/fake-fetch.ts); the real reference site as deployed is covered by
// tests/integration/portfolio-deployed.test.ts.
import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { ConsoleError } from '../../src/shared/contract';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import type { KindContext } from '../../src/main/core/connectors/registry';
import { cookieTokenFrom, mintSessionToken, needsRenewal, readSessionToken, RENEW_BEFORE_MS } from '../../src/main/core/connectors/portfolio/deployed/session-token';
import { deployedCredentialsFrom, pusherSettingsFrom, signInOnSitePage, verifyDeployedSession } from '../../src/main/core/connectors/portfolio/deployed/sign-in';
import { realTimers } from '../../src/main/core/sync/timers';
import { fakeFetch, json } from '../support/fake-fetch';

const SECRET = 'site-secret-0123456789abcdef0123456789';
const NOW = Date.UTC(2026, 11, 1, 10);
const key = new TextEncoder().encode(SECRET);
const token = (claims: Record<string, unknown>, exp?: number) => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' });
  if (exp !== undefined) jwt.setExpirationTime(exp);
  return jwt.sign(key);
};

describe('session tokens', () => {
  it('a user id may come as digits in a string; anything else is no user id', async () => {
    expect(readSessionToken(await token({ userId: '12' }, 2_000_000_000))).toEqual({ userId: 12, expiresAt: 2_000_000_000_000 });
    expect(readSessionToken(await token({ userId: 'admin' }))).toEqual({ userId: null, expiresAt: null });
    expect(readSessionToken(await token({ userId: '12a' }))).toEqual({ userId: null, expiresAt: null });
    expect(readSessionToken(await token({ userId: 'a12' }))).toEqual({ userId: null, expiresAt: null });
    expect(readSessionToken(await token({ userId: true }))).toEqual({ userId: null, expiresAt: null });
  });

  it('minted on the second: a time with milliseconds gives whole seconds', async () => {
    const { expiresAt } = await mintSessionToken(SECRET, 1, NOW + 999);
    expect(expiresAt).toBe(NOW + 86_400_000);
    expect((await mintSessionToken(SECRET, 1, NOW, 60)).expiresAt).toBe(NOW + 60_000);
  });

  it('renewal starts within the last hour, not at it', () => {
    expect(needsRenewal(NOW + RENEW_BEFORE_MS, NOW)).toBe(false);
    expect(needsRenewal(NOW + RENEW_BEFORE_MS - 1, NOW)).toBe(true);
    expect(needsRenewal(undefined, NOW)).toBe(false);
    expect(needsRenewal(NOW - 1, NOW)).toBe(true);
  });

  it('the cookie is found only under its own name', () => {
    expect(cookieTokenFrom('x_admin_session=abc; admin_session=def')).toBe('def');
    expect(cookieTokenFrom('my_admin_session=abc')).toBe('my_admin_session=abc');
    expect(cookieTokenFrom('Cookie:\tadmin_session=abc')).toBe('abc');
    expect(cookieTokenFrom('admin_session=abc;Path=/')).toBe('abc');
  });
});

describe('deployed sign-in input', () => {
  it('a pasted cookie without an expiry is kept without one; one that ends right now has ended', async () => {
    const forever = await token({ userId: 1 });
    expect(await deployedCredentialsFrom({ sessionCookie: forever }, NOW)).toEqual({ token: forever, expiresAt: null });
    const ending = await token({ userId: 1 }, NOW / 1000);
    await expect(deployedCredentialsFrom({ sessionCookie: ending }, NOW)).rejects.toThrow(/expired/);
    expect(await deployedCredentialsFrom({ sessionCookie: ending }, NOW - 1)).toMatchObject({ expiresAt: NOW });
  });

  it('the site secret wins over a pasted cookie', async () => {
    const pasted = await token({ userId: 1 });
    const c = await deployedCredentialsFrom({ siteSecret: SECRET, adminUserId: '3', sessionCookie: pasted }, NOW);
    expect(c.token).not.toBe(pasted);
    expect(readSessionToken(c.token)).toEqual({ userId: 3, expiresAt: NOW + 86_400_000 });
  });

  it('the realtime settings: given whole, or from the form; a server without a port gets its scheme\'s', () => {
    const pusher = { key: 'k', cluster: 'eu', wsHost: 'h', wsPort: 1, forceTLS: false };
    expect(pusherSettingsFrom({ pusher, pusherKey: 'other' })).toBe(pusher);
    expect(pusherSettingsFrom({ pusherKey: 'k', pusherCluster: 'mt1', pusherServer: 'ws://soketi.local' })).toEqual({ key: 'k', cluster: 'mt1', forceTLS: false, wsHost: 'soketi.local', wsPort: 80 });
    expect(() => pusherSettingsFrom({ pusherCluster: 'mt1' })).toThrow(ConsoleError);
  });

  it('the site\'s own page is only offered by the desktop app; without it the form is used as typed', async () => {
    const input = { sessionCookie: 'abc' };
    expect(await signInOnSitePage('https://site.example.com', input, {})).toBe(input);
    await expect(signInOnSitePage('https://site.example.com', { signInWindow: true }, {})).rejects.toMatchObject({ code: 'bad-request' });
  });
});

describe('checking a session against the site', () => {
  const ctx = (answer: () => Response | Promise<Response>) => {
    const f = fakeFetch(answer);
    const context: KindContext = { fetch: f.fetch, clock: () => NOW, random: () => 0.5, timers: realTimers, log: () => {} };
    return { ctx: context, calls: f.calls };
  };

  it('one request with the cookie; a refusal is named for the user', async () => {
    const ok = ctx(() => json(200, { success: true, data: [] }));
    await verifyDeployedSession('https://site.example.com', 'tok', ok.ctx);
    expect(ok.calls.map((x) => [x.method, x.url.href, x.headers.Cookie])).toEqual([['GET', 'https://site.example.com/api/chat/conversations?status=active', 'admin_session=tok']]);
    const refused = ctx(() => json(401, { success: false, error: 'Unauthorized' }));
    const error = await verifyDeployedSession('https://site.example.com', 'tok', refused.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsoleError);
    expect(error).toMatchObject({ code: 'forbidden' });
  });

  it('a site that is down is not a wrong cookie', async () => {
    const down = ctx(() => json(503, {}));
    const error = await verifyDeployedSession('https://site.example.com', 'tok', down.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'transient' });
  });
});
