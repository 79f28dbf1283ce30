// The jwt-ws connector's wire parts against the REAL reference server (backends/jwt-ws on a free
// loopback port): sign-in with device_id, refresh before expiry and after a 401, a new login when
// the refresh token is refused, 429 mapped to a wait until X-RateLimit-Reset, and the socket:
// auth frame, reconnect after a crash, a refused token replaced, keep-alive, 429 at the upgrade.
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startJwtWsBackend, type JwtWsBackendHandle } from '../../backends/jwt-ws/src/index';
import { startChatApi } from '../../backends/portfolio/src/index';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { CredentialsVault, type CredentialsPort } from '../../src/main/core/connectors/credentials';
import { JwtWsApi } from '../../src/main/core/connectors/jwt-ws/api';
import { JwtWsRest } from '../../src/main/core/connectors/jwt-ws/rest-client';
import { CredentialTokens, asJwtWsCredentials, renewJwtWs, signInJwtWs, type JwtWsCredentials } from '../../src/main/core/connectors/jwt-ws/session';
import { JwtWsSocket, type SocketEvents } from '../../src/main/core/connectors/jwt-ws/socket';
import type { InboundFrame } from '../../src/main/core/connectors/jwt-ws/frames';
import type { SecretStore } from '../../src/main/core/settings/settings-store';
import { FakeTimers } from '../support/fake-timers';
import { tempDir } from '../support/temp-db';
import { waitFor } from '../support/portfolio-harness';

const OWNER = { email: 'owner@example.com', password: 'owner-password-123' };
const DEVICE = 'test-install-1';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(opts: Parameters<typeof startJwtWsBackend>[0] = {}): Promise<JwtWsBackendHandle & { dir: string }> {
  const t = tempDir('jwt-ws-wire-');
  const b = await startJwtWsBackend({ port: 0, dataDir: t.dir, owner: OWNER, rateLimit: false, ...opts });
  cleanups.push(() => t.cleanup());
  cleanups.push(() => b.close());
  return Object.assign(b, { dir: t.dir });
}

/** A real CredentialsVault over an in-memory secret store, renewing through the kind's logic. */
function vault(baseUrl: string, initial: JwtWsCredentials): { port: CredentialsPort; current: () => JwtWsCredentials | null; renewals: () => number } {
  const map = new Map<string, string>();
  const store: SecretStore = { get: (k) => map.get(k), set: (k, v) => void map.set(k, v), delete: (k) => void map.delete(k), encrypted: false };
  const v = new CredentialsVault(store);
  v.set(1, initial);
  let renewals = 0;
  const port = v.port(1, async (c) => {
    renewals++;
    const cur = asJwtWsCredentials(c);
    if (!cur) throw new ConnectorError('auth', 'no credentials');
    return renewJwtWs({ baseUrl }, cur, DEVICE);
  });
  return { port, current: () => asJwtWsCredentials(v.get(1)), renewals: () => renewals };
}

describe('jwt-ws session', () => {
  it('signs in with device_id; the token lifetime comes from the token itself', async () => {
    const b = await server({ accessTtlSeconds: 60 });
    const c = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE });
    expect(c.userId).toBe(b.owner?.id);
    expect(c.expiresAt - Date.now()).toBeGreaterThan(55_000);
    expect(c.expiresAt - Date.now()).toBeLessThanOrEqual(60_000);
    await expect(signInJwtWs({ baseUrl: b.url }, { email: OWNER.email, password: 'wrong', deviceId: DEVICE })).rejects.toMatchObject({ kind: 'auth' });
    // Another kind of site (the portfolio chat API): a clear 'rejected', not a crash.
    const t = tempDir('jwt-ws-wire-portfolio-');
    cleanups.push(() => t.cleanup());
    const portfolio = await startChatApi({ port: 0, dataDir: t.dir, pusher: { appId: 'a', key: 'k', secret: 's', host: '127.0.0.1', port: 9 }, presenceSyncMs: 0 });
    cleanups.push(() => portfolio.close());
    await expect(signInJwtWs({ baseUrl: portfolio.url }, { ...OWNER, deviceId: DEVICE })).rejects.toMatchObject({ kind: 'rejected' });
  });

  it('refreshes shortly before expiry; rotated refresh tokens are saved; a refused refresh signs in again with the kept password', async () => {
    const b = await server({ accessTtlSeconds: 2 });
    const first = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE });
    const v = vault(b.url, first);
    const tokens = new CredentialTokens(v.port, Date.now);
    const api = new JwtWsApi(new JwtWsRest({ baseUrl: b.url }, tokens));
    expect((await api.me()).id).toBe(first.userId);
    // Past the token's life: the next call refreshes first instead of meeting a 401.
    await waitFor(() => Date.now() > first.expiresAt - 300, 5000, 'near expiry');
    expect((await api.myRooms()).length).toBe(0);
    expect(v.renewals()).toBe(1);
    const second = v.current()!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);

    // Another login from the same device revokes this session: the 401 leads to a refresh, the
    // refresh is refused, and the kept password signs in again. The user never sees it.
    await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE });
    expect((await api.me()).id).toBe(first.userId);
    expect(v.renewals()).toBe(2);
    expect(v.current()!.accessToken).not.toBe(second.accessToken);
  });

  it('without a kept password a refused refresh is "Sign in again" (auth)', async () => {
    const b = await server();
    const c = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE, keepPassword: false });
    expect(c.password).toBeUndefined();
    await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE });
    const api = new JwtWsApi(new JwtWsRest({ baseUrl: b.url }, new CredentialTokens(vault(b.url, c).port, Date.now)));
    await expect(api.me()).rejects.toMatchObject({ kind: 'auth', message: expect.stringMatching(/Sign in again/) });
  });

  it('429 is transient with a wait until X-RateLimit-Reset', async () => {
    const b = await server({ rateLimit: { max: 3, windowMs: 30_000 } });
    const c = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE });
    const api = new JwtWsApi(new JwtWsRest({ baseUrl: b.url }, new CredentialTokens(vault(b.url, c).port, Date.now)));
    await api.me();
    await api.me();
    const error = (await api.me().catch((e: unknown) => e)) as ConnectorError;
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.kind).toBe('transient');
    expect(error.retryAfterMs).toBeGreaterThan(20_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(31_000);
  });
});

function recorder() {
  const log = { ups: [] as string[], downs: [] as string[], frames: [] as InboundFrame[], warnings: [] as string[], authFailed: [] as string[] };
  const events: SocketEvents = {
    up: (u) => void log.ups.push(u),
    down: (r) => void log.downs.push(r),
    frames: (f) => void log.frames.push(...f),
    warn: (w) => void log.warnings.push(w),
    authFailed: (m) => void log.authFailed.push(m),
  };
  return { log, events };
}

describe('jwt-ws socket', () => {
  it('is up after the auth frame, gets batched frames, and comes back after a crash of the server', async () => {
    const b = await server();
    const c = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE });
    const v = vault(b.url, c);
    const tokens = new CredentialTokens(v.port, Date.now);
    const { log, events } = recorder();
    const s = new JwtWsSocket({ url: b.wsUrl, token: () => tokens.accessToken(), tokenRefused: (t) => tokens.rejected(t), events, maxBackoffMs: 500 });
    cleanups.push(() => s.stop());
    s.start();
    await waitFor(() => log.ups.length === 1, 5000, 'up');
    expect(log.ups[0]).toBe(c.userId);
    const other = await b.server.service.createUser({ email: 'ana@example.com', username: 'ana', password: 'ana-password-1' });
    const room = b.server.service.createRoom(other.id, { name: 'R', type: 'group', member_ids: [c.userId] });
    b.server.service.sendMessage(other.id, { room_id: room.id, content: 'one' });
    b.server.service.sendMessage(other.id, { room_id: room.id, content: 'two' });
    await waitFor(() => log.frames.filter((f) => f.type === 'message').length === 2, 5000, 'two messages');

    const port = b.server.port;
    await b.close({ abrupt: true });
    await waitFor(() => log.downs.length >= 1, 5000, 'down');
    const again = await startJwtWsBackend({ port, dataDir: b.dir, owner: OWNER, rateLimit: false });
    cleanups.push(() => again.close());
    await waitFor(() => log.ups.length === 2, 15_000, 'up again');
    expect(s.current).toBe('up');
    expect(s.send('typing_start', { room_id: room.id })).toBe(true);
    expect(s.send('ping', { pad: 'x'.repeat(600) })).toBe(false);
    expect(log.warnings.some((w) => w.includes('over 512 bytes'))).toBe(true);
  });

  it('a token the server refuses after the upgrade (1008) is replaced by a fresh one', async () => {
    const b = await server();
    const c = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE });
    const v = vault(b.url, c);
    const tokens = new CredentialTokens(v.port, Date.now);
    // Logging out ends the session behind the saved token (access and refresh), so the socket's
    // first try is refused after the upgrade and the kept password signs in again.
    await fetch(`${b.url}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${c.accessToken}` } });
    const { log, events } = recorder();
    const s = new JwtWsSocket({ url: b.wsUrl, token: () => tokens.accessToken(), tokenRefused: (t) => tokens.rejected(t), events, maxBackoffMs: 300 });
    cleanups.push(() => s.stop());
    s.start();
    await waitFor(() => log.ups.length === 1, 10_000, 'up with a new token');
    expect(s.stats.refusedTokens).toBe(1);
    expect(log.downs[0]).toMatch(/closed 1008/);
    expect(v.renewals()).toBe(1);
    expect(v.current()!.accessToken).not.toBe(c.accessToken);
  });

  it('stops and reports auth when no token can be had without the user', async () => {
    const b = await server();
    const c = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE, keepPassword: false });
    await fetch(`${b.url}/api/v1/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${c.accessToken}` } });
    const tokens = new CredentialTokens(vault(b.url, c).port, Date.now);
    const { log, events } = recorder();
    const s = new JwtWsSocket({ url: b.wsUrl, token: () => tokens.accessToken(), tokenRefused: (t) => tokens.rejected(t), events, maxBackoffMs: 300 });
    s.start();
    await waitFor(() => log.authFailed.length === 1, 10_000, 'auth failed');
    expect(s.current).toBe('stopped');
    expect(log.authFailed[0]).toMatch(/Sign in again/);
  });

  it('keep-alive: pings go out and pongs come back; a silent server is dropped and redialled', async () => {
    const b = await server();
    const c = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE });
    const tokens = new CredentialTokens(vault(b.url, c).port, Date.now);
    const { log, events } = recorder();
    const s = new JwtWsSocket({ url: b.wsUrl, token: () => tokens.accessToken(), tokenRefused: () => {}, events, pingIntervalMs: 50, pongTimeoutMs: 2000 });
    cleanups.push(() => s.stop());
    s.start();
    await waitFor(() => log.frames.filter((f) => f.type === 'pong').length >= 3, 5000, 'three pongs');
    expect(s.stats.pingsSent).toBeGreaterThanOrEqual(3);
    expect(s.stats.silentDrops).toBe(0);

    // A server that says `auth` once and then never answers anything (no pong, no protocol ping).
    // Nothing real behaves like this on purpose, so a bare ws server plays it.
    const mute = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
    cleanups.push(() => new Promise<void>((r) => mute.close(() => r())));
    let dials = 0;
    mute.on('connection', (ws) => {
      dials++;
      ws.send(JSON.stringify({ type: 'auth', data: { status: 'connected', user_id: 'u' }, timestamp: new Date().toISOString(), id: 'x' }));
    });
    await new Promise((r) => mute.once('listening', r));
    const port = (mute.address() as { port: number }).port;
    const rec = recorder();
    const quiet = new JwtWsSocket({ url: `ws://127.0.0.1:${port}/ws`, token: async () => 't', tokenRefused: () => {}, events: rec.events, pingIntervalMs: 50, pongTimeoutMs: 200, maxBackoffMs: 300 });
    cleanups.push(() => quiet.stop());
    quiet.start();
    await waitFor(() => quiet.stats.silentDrops >= 1 && dials >= 2, 10_000, 'dropped and redialled');
    expect(rec.log.warnings.some((w) => w.includes('no answer to keep-alive'))).toBe(true);
  });

  it('keep-alive and the auth wait run on the timers it is given (a suspended laptop, a test clock)', async () => {
    const b = await server();
    const c = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE });
    const tokens = new CredentialTokens(vault(b.url, c).port, Date.now);
    const { log, events } = recorder();
    const timers = new FakeTimers(Date.now());
    const s = new JwtWsSocket({ url: b.wsUrl, token: () => tokens.accessToken(), tokenRefused: () => {}, events, timers, pingIntervalMs: 60_000, pongTimeoutMs: 60_000 });
    cleanups.push(() => s.stop());
    s.start();
    await waitFor(() => s.current === 'up', 5000, 'up');
    expect(s.stats.pingsSent).toBe(0);
    // The ping waits for the test's minute, not the wall clock's; each ping arms the next one.
    for (let i = 1; i <= 2; i++) {
      timers.advance(60_000);
      expect(s.stats.pingsSent).toBe(i);
      await waitFor(() => log.frames.filter((f) => f.type === 'pong').length >= i, 5000, `pong ${i}`);
    }
    s.stop();
    expect(timers.count).toBe(0);
  });

  it('a 429 at the upgrade waits for X-RateLimit-Reset (with jitter) before the next try', async () => {
    const b = await server({ rateLimit: { max: 2, windowMs: 4000 } });
    const c = await signInJwtWs({ baseUrl: b.url }, { ...OWNER, deviceId: DEVICE }); // request 1
    await fetch(`${b.url}/health`); // request 2: the budget is spent
    const tokens = new CredentialTokens(vault(b.url, c).port, Date.now);
    const delays: number[] = [];
    const { log, events } = recorder();
    const s = new JwtWsSocket({
      url: b.wsUrl,
      token: () => tokens.accessToken(),
      tokenRefused: () => {},
      events: { ...events, down: (r, ms) => void (delays.push(ms), log.downs.push(r)) },
      maxBackoffMs: 200,
    });
    cleanups.push(() => s.stop());
    const t0 = Date.now();
    s.start();
    await waitFor(() => log.ups.length === 1, 15_000, 'up after the window');
    expect(log.downs[0]).toBe('HTTP 429 at the upgrade');
    expect(s.stats.rateLimited).toBeGreaterThanOrEqual(1);
    expect(delays[0]).toBeGreaterThan(1000);
    expect(Date.now() - t0).toBeGreaterThan(1000);
  });
});

describe('jwt-ws REST limits', () => {
  it('a gzip bomb (a few KB inflating past 32 MB) is refused, not held in memory', async () => {
    // A hostile site: no reference backend sends this, so a bare HTTP server on loopback does.
    const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
    const site = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(bomb);
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => site.close(() => r())));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const baseUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
    await expect(signInJwtWs({ baseUrl }, { ...OWNER, deviceId: DEVICE })).rejects.toMatchObject({ kind: 'rejected', message: expect.stringMatching(/too large/) });
  });
});
