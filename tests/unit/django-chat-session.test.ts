// Signing in to a Django mentor chat site over a fake fetch (no network): the JWTs from the body,
// the session cookie from Set-Cookie, the rotating refresh, and the errors a user sees
// (backends.md §2, as deployed). Plus the sign-in error wording every kind shares.
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../src/shared/contract';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { API, jwtTimes, refreshDjango, setCookies, signInDjango } from '../../src/main/core/connectors/django-chat/session';
import { signInError } from '../../src/main/core/connectors/sign-in-errors';
import { connectorFailure as failure } from '../support/connector-failure';

const BASE = 'https://mentor.example.com';
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const ACCESS = `${b64({ alg: 'HS256' })}.${b64({ token_type: 'access', exp: 1_800_000_300, iat: 1_800_000_000, user_id: 3 })}.sig`;

interface Call {
  url: string;
  init: RequestInit;
}

function site(status: number, body: unknown, headers: [string, string][] = []) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string | URL, init: RequestInit) => {
    calls.push({ url: String(url), init });
    const h = new Headers();
    for (const [k, v] of headers) h.append(k, v);
    return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), { status, headers: h });
  }) as unknown as typeof fetch;
  return { fetch: fetchFn, calls };
}

const cookies: [string, string][] = [
  ['Set-Cookie', 'csrftoken=csrf-1; expires=Tue, 30 Nov 2027 10:00:00 GMT; Max-Age=31449600; Path=/; SameSite=Lax'],
  ['Set-Cookie', 'sessionid=sess-1; expires=Tue, 15 Dec 2026 10:00:00 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax'],
];
const login = { access: ACCESS, refresh: 'refresh-1', user: { id: 3, username: 'pak_budi', role: 'teacher', email: 'budi@example.com' } };

describe('signInDjango', () => {
  it('posts the login as JSON without following redirects; keeps the JWTs, the session and its times', async () => {
    const s = site(200, login, cookies);
    expect(await signInDjango(BASE, 'pak_budi', 'pw', s.fetch)).toEqual({
      access: ACCESS,
      refresh: 'refresh-1',
      sessionid: 'sess-1',
      csrftoken: 'csrf-1',
      userId: 3,
      expiresAt: 1_800_000_300_000,
      issuedAt: 1_800_000_000_000,
    });
    expect(s.calls[0]!.url).toBe(`${BASE}${API}/auth/login/`);
    expect(s.calls[0]!.init).toMatchObject({ method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/json', Accept: 'application/json' } });
    expect(JSON.parse(String(s.calls[0]!.init.body))).toEqual({ username: 'pak_budi', password: 'pw' });
    expect(s.calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('no csrftoken cookie is fine; no session cookie is refused (the live chat needs it)', async () => {
    const noCsrf = await signInDjango(BASE, 'a', 'b', site(200, login, [cookies[1]!]).fetch);
    expect(noCsrf.csrftoken).toBeNull();
    const noSession = await failure(signInDjango(BASE, 'a', 'b', site(200, login, [cookies[0]!]).fetch));
    expect([noSession.kind, noSession.message]).toEqual(['rejected', 'Sign-in: the site set no session cookie, which its live chat needs.']);
  });

  it('400/401/403 are wrong credentials; 429/5xx transient; a redirect or another answer rejected', async () => {
    for (const status of [400, 401, 403]) {
      const e = await failure(signInDjango(BASE, 'a', 'b', site(status, { non_field_errors: ['Unable to log in with provided credentials.'] }).fetch));
      expect([e.kind, e.message]).toEqual(['auth', 'Wrong email, username or password.']);
    }
    const limited = await failure(signInDjango(BASE, 'a', 'b', site(429, {}, [['Retry-After', '20']]).fetch));
    expect([limited.kind, limited.message, limited.retryAfterMs]).toEqual(['transient', 'Sign-in: the site answered 429', 20_000]);
    const down = await failure(signInDjango(BASE, 'a', 'b', site(502, '<h1>Bad Gateway</h1>').fetch));
    expect([down.kind, down.message, down.retryAfterMs]).toEqual(['transient', 'Sign-in: the site answered 502', undefined]);
    const moved = await failure(signInDjango(BASE, 'a', 'b', site(302, undefined, [['Location', '/en/accounts/login/']]).fetch));
    expect([moved.kind, moved.message]).toEqual(['rejected', 'Sign-in: the site redirected (302); is this a Django mentor chat site?']);
    const missing = await failure(signInDjango(BASE, 'a', 'b', site(404, '<h1>Not Found</h1>').fetch));
    expect([missing.kind, missing.message]).toEqual(['rejected', 'Sign-in: the site answered 404']);
    const html = await failure(signInDjango(BASE, 'a', 'b', site(200, '<html>shop</html>', cookies).fetch));
    expect([html.kind, html.message]).toEqual(['rejected', 'Sign-in: not the answer of a Django mentor chat site.']);
  });

  it('an unreachable site is transient', async () => {
    const down = (async () => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch;
    const e = await failure(signInDjango(BASE, 'a', 'b', down));
    expect([e.kind, e.message]).toEqual(['transient', `Could not reach ${BASE}: fetch failed`]);
    const odd = (async () => Promise.reject('reset')) as unknown as typeof fetch;
    expect((await failure(signInDjango(BASE, 'a', 'b', odd))).message).toBe(`Could not reach ${BASE}: reset`);
  });
});

describe('refreshDjango', () => {
  const current = { access: 'old', refresh: 'refresh-1', sessionid: 'sess-1', csrftoken: 'csrf-1', userId: 3, expiresAt: 1, issuedAt: 0 };

  it('renews the access token with the rotating refresh token; cookies are kept', async () => {
    const s = site(200, { access: ACCESS, refresh: 'refresh-2' });
    expect(await refreshDjango(BASE, current, s.fetch)).toEqual({ access: ACCESS, refresh: 'refresh-2', sessionid: 'sess-1', csrftoken: 'csrf-1', userId: 3, expiresAt: 1_800_000_300_000, issuedAt: 1_800_000_000_000 });
    expect(s.calls[0]!.url).toBe(`${BASE}${API}/auth/token/refresh/`);
    expect(JSON.parse(String(s.calls[0]!.init.body))).toEqual({ refresh: 'refresh-1' });
    const kept = await refreshDjango(BASE, { ...current, csrftoken: undefined, userId: '3' }, site(200, { access: ACCESS }).fetch);
    expect([kept.refresh, kept.csrftoken, kept.userId]).toEqual(['refresh-1', null, 3]);
  });

  it('without a refresh token or a session nothing is sent: sign in again', async () => {
    for (const c of [{ ...current, refresh: undefined }, { ...current, sessionid: undefined }]) {
      const s = site(200, {});
      const e = await failure(refreshDjango(BASE, c, s.fetch));
      expect([e.kind, e.message]).toEqual(['auth', 'Sign in again: this sign-in cannot be renewed.']);
      expect(s.calls).toHaveLength(0);
    }
  });

  it('a refused refresh token is auth; 5xx transient; 403 or a strange answer rejected', async () => {
    for (const status of [400, 401]) {
      const e = await failure(refreshDjango(BASE, current, site(status, { detail: 'Token is blacklisted', code: 'token_not_valid' }).fetch));
      expect([e.kind, e.message]).toEqual(['auth', 'Sign in again: the site no longer accepts the saved sign-in.']);
    }
    expect(await failure(refreshDjango(BASE, current, site(503, {}).fetch))).toMatchObject({ kind: 'transient', message: 'Renewing the sign-in: the site answered 503' });
    expect(await failure(refreshDjango(BASE, current, site(403, {}).fetch))).toMatchObject({ kind: 'rejected', message: 'Renewing the sign-in: the site answered 403' });
    expect(await failure(refreshDjango(BASE, current, site(200, { token: 'x' }).fetch))).toMatchObject({ kind: 'rejected', message: 'Renewing the sign-in: unexpected answer.' });
  });
});

describe('jwtTimes and setCookies', () => {
  it('reads exp and iat in ms; null where the token does not say', () => {
    expect(jwtTimes(ACCESS)).toEqual({ expiresAt: 1_800_000_300_000, issuedAt: 1_800_000_000_000 });
    expect(jwtTimes(`x.${b64({ exp: 5 })}.y`)).toEqual({ expiresAt: 5000, issuedAt: null });
    expect(jwtTimes(`x.${b64({ iat: '5' })}.y`)).toEqual({ expiresAt: null, issuedAt: null });
    expect(jwtTimes('opaque')).toEqual({ expiresAt: null, issuedAt: null });
  });

  it('reads each Set-Cookie by name; odd lines are skipped', () => {
    const h = new Headers();
    h.append('Set-Cookie', ' sessionid = s=1 ; Path=/');
    h.append('Set-Cookie', '=nameless; Path=/');
    h.append('Set-Cookie', 'flag');
    h.append('Set-Cookie', 'empty=; Path=/');
    const got = setCookies(new Response(null, { headers: h }));
    expect([...got.entries()]).toEqual([
      ['sessionid', 's=1'],
      ['empty', ''],
    ]);
  });

  it('without getSetCookie, the joined header is split between cookies, not inside dates', () => {
    const joined = 'csrftoken=c1; expires=Tue, 30 Nov 2027 10:00:00 GMT; Path=/, sessionid=s1; HttpOnly';
    const res = { headers: { get: (n: string) => (n === 'set-cookie' ? joined : null) } } as unknown as Response;
    expect(Object.fromEntries(setCookies(res))).toEqual({ csrftoken: 'c1', sessionid: 's1' });
    const none = { headers: { get: () => null } } as unknown as Response;
    expect(setCookies(none).size).toBe(0);
  });
});

describe('signInError', () => {
  it('auth is the wrong-credentials line; transient unreachable; rejected unexpected; others pass through', () => {
    expect(signInError(new ConnectorError('auth', 'x'))).toMatchObject({ code: 'forbidden', message: 'Wrong email or password.' });
    expect(signInError(new ConnectorError('auth', 'x'), 'Wrong token.')).toMatchObject({ code: 'forbidden', message: 'Wrong token.' });
    expect(signInError(new ConnectorError('transient', 'HTTP 503'))).toMatchObject({ code: 'unavailable', message: 'The site cannot be reached: HTTP 503' });
    expect(signInError(new ConnectorError('rejected', 'HTTP 404'))).toMatchObject({ code: 'bad-request', message: 'This site did not answer as expected: HTTP 404' });
    const own = new ConsoleError('cancelled', 'closed');
    expect(signInError(own)).toBe(own);
    const other = new Error('boom');
    expect(signInError(other)).toBe(other);
    expect(signInError(new ConnectorError('auth', 'x'))).toBeInstanceOf(ConsoleError);
  });
});
