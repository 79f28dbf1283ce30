// The jwt-ws kind's sign-in steps over a fake fetch playing the server's auth API in memory
// (tests/support/fake-jwt-ws-rest.ts; the real server is covered by
// tests/integration/jwt-ws-sync.test.ts): a device id made once and kept in the account config,
// reused by "sign in again" and renewals, and failures the user can read.
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../src/shared/contract';
import { JwtWsConnector } from '../../src/main/core/connectors/jwt-ws/jwt-ws-connector';
import { jwtWsKind } from '../../src/main/core/connectors/jwt-ws/kind';
import type { KindContext } from '../../src/main/core/connectors/registry';
import type { AccountRow } from '../../src/main/core/mirror/accounts-repo';
import type { ConnectInputOf, SignInInputOf } from '../../src/shared/kinds';
import { FakeTimers } from '../support/fake-timers';
import { FakeJwtWsRest } from '../support/fake-jwt-ws-rest';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const connectInput = (password: string): ConnectInputOf<'jwt-ws'> => ({ kind: 'jwt-ws', siteUrl: 'https://rooms.example.com/', email: 'o@example.com', password });
const signInInput = (password: string): SignInInputOf<'jwt-ws'> => ({ kind: 'jwt-ws', accountId: 1, email: 'o@example.com', password });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function setup() {
  const server = new FakeJwtWsRest();
  const ctx: KindContext = { fetch: server.fetch, clock: () => T0, random: () => 0.5, timers: new FakeTimers(T0), log: () => undefined };
  const account = (config: Record<string, unknown>) => ({ baseUrl: 'https://rooms.example.com', config: JSON.stringify(config) }) as AccountRow;
  const deviceIds = () => server.calls.map((c) => (c.body as { device_id?: string }).device_id);
  return { server, ctx, account, deviceIds };
}

describe('jwtWsKind', () => {
  it('connect signs in with a new device id and keeps it in the config', async () => {
    const { server, ctx, deviceIds } = setup();
    const a = await jwtWsKind.connect(connectInput('pw'), ctx);
    expect(a.baseUrl).toBe('https://rooms.example.com');
    expect(a.name).toBe('rooms.example.com');
    expect(a.config.deviceId).toMatch(UUID);
    expect(deviceIds()).toEqual([a.config.deviceId]);
    expect(server.requests).toEqual(['POST /api/v1/auth/login']);
    expect(a.credentials).toMatchObject({ accessToken: 'access-1', refreshToken: 'rt-1', userId: 'u-self', email: 'o@example.com', password: 'pw' });
  });

  it('a wrong password reads as such, for connect and sign in again', async () => {
    const { ctx, account } = setup();
    await expect(jwtWsKind.connect(connectInput('nope'), ctx)).rejects.toBeInstanceOf(ConsoleError);
    await expect(jwtWsKind.connect(connectInput('nope'), ctx)).rejects.toMatchObject({ message: 'Wrong email or password.' });
    await expect(jwtWsKind.signIn(account({ deviceId: 'dev-1' }), signInInput('nope'), ctx)).rejects.toMatchObject({ message: 'Wrong email or password.' });
  });

  it('sign in again uses the kept device id, or makes one when the config has none', async () => {
    const { ctx, account, deviceIds } = setup();
    const c = await jwtWsKind.signIn(account({ deviceId: 'dev-1' }), signInInput('pw'), ctx);
    expect(c).toMatchObject({ userId: 'u-self', accessToken: 'access-1' });
    await jwtWsKind.signIn(account({ deviceId: '' }), signInInput('pw'), ctx);
    await jwtWsKind.signIn(account({ deviceId: 7 }), signInInput('pw'), ctx);
    const ids = deviceIds();
    expect(ids[0]).toBe('dev-1');
    expect(ids[1]).toMatch(UUID);
    expect(ids[2]).toMatch(UUID);
  });

  it('refresh renews with the refresh token, signs in again with the device id when it is refused, and needs credentials', async () => {
    const { server, ctx, account, deviceIds } = setup();
    const current = { accessToken: 'old', refreshToken: 'rt-1', expiresAt: T0, userId: 'u-self', email: 'o@example.com', password: 'pw' };
    expect(await jwtWsKind.refresh!(account({ deviceId: 'dev-1' }), current, ctx)).toMatchObject({ accessToken: 'access-1' });
    expect(server.calls[0]!.body).toEqual({ refresh_token: 'rt-1' });
    await jwtWsKind.refresh!(account({ deviceId: 'dev-1' }), { ...current, refreshToken: 'rt-stale' }, ctx);
    expect(server.requests.slice(1)).toEqual(['POST /api/v1/auth/refresh', 'POST /api/v1/auth/login']);
    expect(deviceIds()[2]).toBe('dev-1');
    await expect(jwtWsKind.refresh!(account({}), { token: 'x' }, ctx)).rejects.toMatchObject({ kind: 'auth', message: 'Sign in again.' });
  });

  it('capabilities and the connector it makes', () => {
    const { ctx, account } = setup();
    expect(jwtWsKind.capabilities({})).toMatchObject({ serverStatus: false, catchUp: 'page-back', startConversations: false });
    expect(jwtWsKind.create(account({ deviceId: 'd' }), { current: () => undefined, refresh: async () => ({}) }, ctx)).toBeInstanceOf(JwtWsConnector);
  });
});
