// Pure parts of the as-deployed flavour: the session token, the cookie header, the site's
// visitor guess, the canned AI text and the environment configuration.
import { describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { mintAdminSession, readAdminSession, deployedConfigFromEnv, cannedReply } from '../src/index';
import { cookieValue, sessionCookieHeader } from '../src/deployed/session-cookie';
import { guessVisitor } from '../src/deployed/chat-routes';
import { configSources } from '../src/deployed/config';

const SECRET = 'unit-test-secret-0123456789abcdef';

describe('admin_session token', () => {
  it('is an HS256 JWT {userId, iat, exp} valid one day', async () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const { token, expiresAt } = await mintAdminSession(SECRET, 7, undefined, now);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256' });
    expect(decodeJwt(token)).toEqual({ userId: 7, iat: now / 1000, exp: now / 1000 + 86400 });
    expect(expiresAt.getTime()).toBe(now + 86400_000);
  });

  it('reads back a valid token and refuses expired, foreign or userless ones', async () => {
    expect(await readAdminSession(SECRET, (await mintAdminSession(SECRET, 3)).token)).toBe(3);
    expect(await readAdminSession(SECRET, (await mintAdminSession(SECRET, 3, 60, Date.now() - 120_000)).token)).toBeNull();
    expect(await readAdminSession('another-secret-0123456789abcdef', (await mintAdminSession(SECRET, 3)).token)).toBeNull();
    expect(await readAdminSession(SECRET, (await mintAdminSession(SECRET, 0)).token)).toBeNull();
    expect(await readAdminSession(SECRET, 'not.a.jwt')).toBeNull();
  });

  it('is set as an HttpOnly SameSite=Lax cookie, Secure only when asked', () => {
    const at = new Date(Date.UTC(2026, 0, 2));
    expect(sessionCookieHeader('abc', at, false)).toBe('admin_session=abc; Path=/; Expires=Fri, 02 Jan 2026 00:00:00 GMT; HttpOnly; SameSite=Lax');
    expect(sessionCookieHeader('abc', at, true)).toMatch(/; Secure$/);
  });

  it('finds the cookie among others in a Cookie header', () => {
    expect(cookieValue('a=1; admin_session=tok.en.x; b=2', 'admin_session')).toBe('tok.en.x');
    expect(cookieValue('a=1', 'admin_session')).toBeNull();
    expect(cookieValue(undefined, 'admin_session')).toBeNull();
  });
});

describe('the site\'s guesses', () => {
  it('takes a name and an email from the first message, else null', () => {
    expect(guessVisitor('Hi, my name is Sari Wulandari, sari@example.id')).toEqual({ name: 'Sari Wulandari', email: 'sari@example.id' });
    expect(guessVisitor('Halo, nama saya Budi.')).toEqual({ name: 'Budi', email: null });
    expect(guessVisitor('are you available?')).toEqual({ name: null, email: null });
  });

  it('answers from canned text by topic', () => {
    expect(cannedReply('what is your price?')).toMatch(/Pricing/);
    expect(cannedReply('Halo')).toMatch(/assistant/);
    expect(cannedReply('ok')).toMatch(/notified/);
  });
});

describe('configuration from the environment', () => {
  it('reads the real site\'s variables and falls back to printed defaults', () => {
    const env = { AUTH_SECRET: 's3cret', PUSHER_APP_ID: '42', PUSHER_KEY: 'k', PUSHER_SECRET: 'ps', PUSHER_CLUSTER: 'ap1', ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'pw' };
    expect(deployedConfigFromEnv(env)).toEqual({
      authSecret: 's3cret',
      pusher: { appId: '42', key: 'k', secret: 'ps', cluster: 'ap1' },
      admin: { email: 'a@b.c', password: 'pw', name: 'Admin' },
    });
    const d = deployedConfigFromEnv({});
    expect(d).toMatchObject({ authSecret: null, pusher: { appId: 'portfolio', key: 'portfolio-key', cluster: 'mt1' }, admin: null });
    expect(d.pusher.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(configSources({ PUSHER_KEY: 'k' })).toEqual({ AUTH_SECRET: 'default', PUSHER_APP_ID: 'default', PUSHER_KEY: 'env', PUSHER_SECRET: 'default', PUSHER_CLUSTER: 'default' });
  });
});
