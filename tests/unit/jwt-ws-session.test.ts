// The jwt-ws sign-in over a fake fetch (no network): login, refresh with rotation, a new login
// with the kept password when the refresh token is refused, and when the access token is renewed.
// Answers are shaped like the deployed server's (backends.md §4).
import { describe, expect, it } from 'vitest';
import type { Credentials, CredentialsPort } from '../../src/main/core/connectors/credentials';
import { CredentialTokens, asJwtWsCredentials, jwtLifetimeMs, renewJwtWs, signInJwtWs, type JwtWsCredentials } from '../../src/main/core/connectors/jwt-ws/session';
import { connectorFailure as failure } from '../support/connector-failure';

const BASE = 'https://rooms.example.com';
const NOW = 1_800_000_000_000;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'HS256' })}.${b64(claims)}.sig`;
const ACCESS = jwt({ sub: 'u1', iat: 1000, exp: 1900 }); // 15 minutes

interface Call {
  url: string;
  body: unknown;
}

function server(answers: { status: number; body?: unknown }[]) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string | URL, init: RequestInit) => {
    calls.push({ url: String(url), body: init.body ? JSON.parse(String(init.body)) : undefined });
    const a = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status });
  }) as unknown as typeof fetch;
  const logs: string[] = [];
  return { deps: { baseUrl: BASE, fetch: fetchFn, now: () => NOW, log: (l: string) => logs.push(l) }, calls, logs };
}

const pair = (access = ACCESS, extra: Record<string, unknown> = {}) => ({
  status: 200,
  body: { success: true, message: 'ok', data: { user: { id: 'u1', username: 'sari' }, access_token: access, refresh_token: 'rt-2', ...extra } },
});

describe('jwtLifetimeMs', () => {
  it('reads iat/exp from the token itself, else null', () => {
    expect(jwtLifetimeMs(ACCESS)).toBe(900_000);
    expect(jwtLifetimeMs(jwt({ iat: 10, exp: 10 }))).toBeNull();
    expect(jwtLifetimeMs(jwt({ iat: 10, exp: 5 }))).toBeNull();
    expect(jwtLifetimeMs(jwt({ exp: 50 }))).toBeNull();
    expect(jwtLifetimeMs(jwt({ iat: '1', exp: 50 }))).toBeNull();
    expect(jwtLifetimeMs('opaque-token')).toBeNull();
    expect(jwtLifetimeMs('a.%%%.c')).toBeNull();
  });
});

describe('signInJwtWs', () => {
  it('logs in with the device id; the expiry comes from the token’s own lifetime', async () => {
    const s = server([pair()]);
    const c = await signInJwtWs(s.deps, { email: 'sari@example.com', password: 'pw', deviceId: 'dev-1' });
    expect(s.calls).toEqual([{ url: `${BASE}/api/v1/auth/login`, body: { email: 'sari@example.com', password: 'pw', device_id: 'dev-1', device_type: 'desktop' } }]);
    expect(c).toEqual({ accessToken: ACCESS, refreshToken: 'rt-2', expiresAt: NOW + 900_000, userId: 'u1', email: 'sari@example.com', password: 'pw' });
  });

  it('without a lifetime in the token: expires_at, else one minute; the password kept only when asked', async () => {
    const dated = await signInJwtWs(server([pair('opaque', { expires_at: '2027-01-01T00:00:00Z' })]).deps, { email: 'e', password: 'pw', deviceId: 'd', keepPassword: false });
    expect(dated.expiresAt).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect('password' in dated).toBe(false);
    const bare = await signInJwtWs(server([pair('opaque')]).deps, { email: 'e', password: 'pw', deviceId: 'd', keepPassword: true });
    expect(bare.expiresAt).toBe(NOW + 60_000);
    expect(bare.password).toBe('pw');
  });

  it('a wrong password is auth; a 400 is rejected; a 429 transient; a bad answer rejected', async () => {
    const wrong = await failure(signInJwtWs(server([{ status: 401, body: { success: false, message: 'Invalid credentials' } }]).deps, { email: 'e', password: 'x', deviceId: 'd' }));
    expect([wrong.kind, wrong.message]).toEqual(['auth', 'The email or password is not correct.']);
    const noDevice = await failure(signInJwtWs(server([{ status: 400, body: { success: false, message: 'device_id is required' } }]).deps, { email: 'e', password: 'x', deviceId: '' }));
    expect([noDevice.kind, noDevice.message]).toEqual(['rejected', 'device_id is required']);
    const busy = await failure(signInJwtWs(server([{ status: 429, body: { message: 'slow' } }]).deps, { email: 'e', password: 'x', deviceId: 'd' }));
    expect(busy.kind).toBe('transient');
    const moved = await failure(signInJwtWs(server([{ status: 302 }]).deps, { email: 'e', password: 'x', deviceId: 'd' }));
    expect(moved.kind).toBe('rejected');
    const odd = await failure(signInJwtWs(server([{ status: 200, body: { success: true, data: { access_token: '' } } }]).deps, { email: 'e', password: 'x', deviceId: 'd' }));
    expect(odd.message).toBe('Unexpected answer from /api/v1/auth/login: not a jwt-ws chat server.');
  });
});

describe('renewJwtWs', () => {
  const current: JwtWsCredentials = { accessToken: ACCESS, refreshToken: 'rt-1', expiresAt: NOW, userId: 'u1', email: 'sari@example.com', password: 'pw' };

  it('refreshes with the refresh token and keeps the rotated one and the password', async () => {
    const s = server([pair(ACCESS, { refresh_token: 'rt-3' })]);
    const next = await renewJwtWs(s.deps, current, 'dev-1');
    expect(s.calls).toEqual([{ url: `${BASE}/api/v1/auth/refresh`, body: { refresh_token: 'rt-1' } }]);
    expect(next).toEqual({ accessToken: ACCESS, refreshToken: 'rt-3', expiresAt: NOW + 900_000, userId: 'u1', email: 'sari@example.com', password: 'pw' });
    expect(s.logs).toEqual([]);
  });

  it('a refused refresh token (401, 400, 403) signs in again with the kept password, and says so', async () => {
    for (const status of [401, 400, 403]) {
      const s = server([{ status, body: { success: false, message: 'Invalid refresh token' } }, pair()]);
      const next = await renewJwtWs(s.deps, current, 'dev-1');
      expect(s.calls.map((c) => c.url)).toEqual([`${BASE}/api/v1/auth/refresh`, `${BASE}/api/v1/auth/login`]);
      expect(s.calls[1]!.body).toMatchObject({ email: 'sari@example.com', password: 'pw', device_id: 'dev-1' });
      expect(next.refreshToken).toBe('rt-2');
      expect(s.logs).toEqual([`jwt-ws: refresh refused (${status}); signing in again`]);
    }
  });

  it('without a kept password a refused refresh is "Sign in again"; a server failure is not a sign-in', async () => {
    const { password: _omit, ...noPassword } = current;
    const s = server([{ status: 401, body: {} }]);
    const error = await failure(renewJwtWs(s.deps, noPassword, 'dev-1'));
    expect([error.kind, error.message]).toEqual(['auth', 'Sign in again: the session ended and the password is needed.']);
    expect(s.calls).toHaveLength(1);
    for (const status of [500, 404]) {
      const down = server([{ status, body: { message: 'nope' } }]);
      const e = await failure(renewJwtWs(down.deps, current, 'dev-1'));
      expect(e.kind).toBe(status === 500 ? 'transient' : 'rejected');
      expect(down.calls).toHaveLength(1);
    }
  });
});

describe('CredentialTokens', () => {
  const creds = (over: Partial<JwtWsCredentials> = {}): JwtWsCredentials => ({ accessToken: ACCESS, refreshToken: 'rt', expiresAt: NOW + 600_000, userId: 'u1', email: 'e', ...over });
  function tokens(current: Credentials | undefined, renewed: Credentials | undefined = creds({ accessToken: 'renewed' })) {
    let refreshes = 0;
    const port: CredentialsPort = {
      current: () => current,
      refresh: async () => {
        refreshes++;
        return renewed as Credentials;
      },
    };
    return { t: new CredentialTokens(port, () => NOW), refreshes: () => refreshes };
  }

  it('a token with enough life is used as it is', async () => {
    const { t, refreshes } = tokens(creds());
    expect(await t.accessToken()).toBe(ACCESS);
    expect(refreshes()).toBe(0);
    expect(t.current()).toMatchObject({ userId: 'u1' });
  });

  it('renewed with less than 30 s (or a fifth of a short life) left', async () => {
    expect(await tokens(creds({ expiresAt: NOW + 29_999 })).t.accessToken()).toBe('renewed');
    expect(await tokens(creds({ expiresAt: NOW + 30_000 })).t.accessToken()).toBe(ACCESS);
    const short = jwt({ iat: 0, exp: 60 }); // 60 s: renewed under 12 s
    expect(await tokens(creds({ accessToken: short, expiresAt: NOW + 12_000 })).t.accessToken()).toBe(short);
    expect(await tokens(creds({ accessToken: short, expiresAt: NOW + 11_999 })).t.accessToken()).toBe('renewed');
    // An opaque token counts as 15 minutes long.
    expect(await tokens(creds({ accessToken: 'opaque', expiresAt: NOW + 30_000 })).t.accessToken()).toBe('opaque');
  });

  it('a token the server refused is renewed even with life left', async () => {
    const { t, refreshes } = tokens(creds());
    t.rejected(ACCESS);
    expect(await t.accessToken()).toBe('renewed');
    expect(refreshes()).toBe(1);
    t.rejected('some other token');
    expect(await t.accessToken()).toBe(ACCESS);
  });

  it('no usable credentials, before or after renewing: "Sign in again."', async () => {
    for (const bad of [undefined, { token: 'legacy' }, { ...creds(), accessToken: 1 }, { ...creds(), refreshToken: null }, { ...creds(), userId: 5 }, { ...creds(), email: undefined }]) {
      expect(asJwtWsCredentials(bad as Credentials | undefined)).toBeNull();
      const e = await failure(tokens(bad as Credentials | undefined).t.accessToken());
      expect([e.kind, e.message]).toEqual(['auth', 'Sign in again.']);
    }
    const e = await failure(tokens(creds({ expiresAt: NOW }), { token: 'x' }).t.accessToken());
    expect([e.kind, e.message]).toEqual(['auth', 'Sign in again.']);
  });
});

describe('jwt-ws sign-in edges', () => {
  it('a 300 is neither a sign-in nor a refresh; a strange refresh answer is rejected; an opaque token counts 15 minutes', async () => {
    const login = await failure(signInJwtWs(server([{ status: 300, body: pair().body }]).deps, { email: 'e', password: 'x', deviceId: 'd' }));
    expect([login.kind, login.message]).toEqual(['rejected', 'ok']);
    const current: JwtWsCredentials = { accessToken: 'a', refreshToken: 'r', expiresAt: NOW, userId: 'u1', email: 'e' };
    const refresh = await failure(renewJwtWs(server([{ status: 300, body: pair().body }]).deps, current, 'd'));
    expect(refresh.kind).toBe('rejected');
    const odd = await failure(renewJwtWs(server([{ status: 200, body: { success: true, data: {} } }]).deps, current, 'd'));
    expect(odd.message).toBe('Unexpected answer from /api/v1/auth/refresh: not a jwt-ws chat server.');
    const port: CredentialsPort = { current: () => ({ ...current, accessToken: 'opaque', expiresAt: NOW + 29_999 }), refresh: async () => ({ ...current, accessToken: 'renewed' }) };
    expect(await new CredentialTokens(port, () => NOW).accessToken()).toBe('renewed');
  });
});
