// Login (device_id required), refresh (rotation), short-lived access tokens, one session per device, logout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, api, startTestBackend, waitFor, type TestBackend } from './helpers';

let b: TestBackend;
let c: ReturnType<typeof api>;
beforeAll(async () => {
  b = await startTestBackend({ accessTtlSeconds: 2 });
  c = api(b.url);
});
afterAll(() => b.cleanup());

describe('login', () => {
  it('answers the seed shape {success, message, data{user, access_token, refresh_token, expires_at, session_id}}', async () => {
    const r = await c.call<Record<string, unknown>>('POST', '/api/v1/auth/login', {
      json: { email: OWNER.email, password: OWNER.password, device_id: 'install-1', device_type: 'desktop' },
    });
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
    expect(r.body.message).toBe('Login successful');
    expect(Object.keys(r.body.data).sort()).toEqual(['access_token', 'expires_at', 'refresh_token', 'session_id', 'user']);
    expect(r.body.data.user).toMatchObject({ id: b.owner?.id, email: OWNER.email, username: 'owner', display_name: 'Site Owner' });
    const ttl = new Date(r.body.data.expires_at as string).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2000);
  });

  it('is a 400 without device_id (the deployed server requires it)', async () => {
    const r = await c.call('POST', '/api/v1/auth/login', { json: { email: OWNER.email, password: OWNER.password } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ success: false });
    expect(r.body.message).toContain('device_id');
  });

  it.each([
    ['wrong password', { email: OWNER.email, password: 'nope', device_id: 'x' }, 401],
    ['unknown email', { email: 'who@example.com', password: 'nope', device_id: 'x' }, 401],
    ['bad device_type', { email: OWNER.email, password: OWNER.password, device_id: 'x', device_type: 'fridge' }, 400],
    ['not an email', { email: 'owner', password: OWNER.password, device_id: 'x' }, 400],
  ])('%s → %i', async (_name, json, status) => {
    const r = await c.call('POST', '/api/v1/auth/login', { json });
    expect(r.status).toBe(status);
    expect(r.body.success).toBe(false);
  });

  it('malformed JSON is a 400', async () => {
    const r = await c.call('POST', '/api/v1/auth/login', { raw: '{"email":' });
    expect(r.status).toBe(400);
  });
});

describe('tokens', () => {
  it('access tokens expire after --access-ttl; refresh gives a new pair and retires the old refresh token', async () => {
    const l = await c.login(OWNER.email, OWNER.password, 'install-ttl');
    expect((await c.call('GET', '/api/v1/users/me', { token: l.token })).status).toBe(200);
    const expired = await waitFor(
      async () => {
        const r = await c.call('GET', '/api/v1/users/me', { token: l.token });
        return r.status === 401 && r;
      },
      10_000,
      'expiry',
    );
    expect(expired.body.message).toBe('Token expired');

    const r = await c.call<{ access_token: string; refresh_token: string; session_id: string }>('POST', '/api/v1/auth/refresh', { json: { refresh_token: l.refresh } });
    expect(r.status).toBe(200);
    expect(r.body.data.session_id).toBe(l.sessionId);
    expect(r.body.data.refresh_token).not.toBe(l.refresh);
    expect((await c.call('GET', '/api/v1/users/me', { token: r.body.data.access_token })).status).toBe(200);
    const again = await c.call('POST', '/api/v1/auth/refresh', { json: { refresh_token: l.refresh } });
    expect(again.status).toBe(401);
    expect((await c.call('POST', '/api/v1/auth/refresh', { json: { refresh_token: 'garbage' } })).status).toBe(401);
    expect((await c.call('POST', '/api/v1/auth/refresh', { json: {} })).status).toBe(400);
  });

  it('logging in again from the same device revokes that device’s earlier session; other devices keep theirs', async () => {
    const a = await c.login(OWNER.email, OWNER.password, 'laptop');
    const other = await c.login(OWNER.email, OWNER.password, 'phone');
    const a2 = await c.login(OWNER.email, OWNER.password, 'laptop');
    expect((await c.call('GET', '/api/v1/users/me', { token: a.token })).status).toBe(401);
    expect((await c.call('POST', '/api/v1/auth/refresh', { json: { refresh_token: a.refresh } })).status).toBe(401);
    expect((await c.call('GET', '/api/v1/users/me', { token: a2.token })).status).toBe(200);
    expect((await c.call('GET', '/api/v1/users/me', { token: other.token })).status).toBe(200);
  });

  it('logout revokes the session (access and refresh)', async () => {
    const l = await c.login(OWNER.email, OWNER.password, 'kiosk');
    expect((await c.call('POST', '/api/v1/auth/logout', { token: l.token })).status).toBe(200);
    expect((await c.call('GET', '/api/v1/users/me', { token: l.token })).status).toBe(401);
    expect((await c.call('POST', '/api/v1/auth/refresh', { json: { refresh_token: l.refresh } })).status).toBe(401);
  });

  it.each([
    ['no header', undefined],
    ['garbage', 'not-a-jwt'],
    ['a token signed with another key', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
  ])('protected routes answer 401 JSON for %s', async (_n, token) => {
    const r = await c.call('GET', '/api/v1/rooms/my-chats', { token });
    expect(r.status).toBe(401);
    expect(r.body.success).toBe(false);
  });
});

describe('register', () => {
  it('creates a user (201) and refuses a duplicate email (409) and a bad body (400)', async () => {
    const json = { email: 'new@example.com', username: 'newbie', password: 'long-enough-pw' };
    const r = await c.call<{ id: string; username: string }>('POST', '/api/v1/auth/register', { json });
    expect(r.status).toBe(201);
    expect(r.body.data.username).toBe('newbie');
    expect((await c.call('POST', '/api/v1/auth/register', { json })).status).toBe(409);
    expect((await c.call('POST', '/api/v1/auth/register', { json: { email: 'x@example.com', username: 'x', password: 'short' } })).status).toBe(400);
  });
});
