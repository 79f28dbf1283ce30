// 100 requests/minute per client address (configurable), X-RateLimit-* on every answer, 429 over it,
// the WebSocket upgrade counted too; the address is Echo's RealIP (X-Forwarded-For, X-Real-IP, socket).
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OWNER, api, startTestBackend, waitFor, type TestBackend } from './helpers';

let b: TestBackend | null = null;
afterEach(async () => {
  await b?.cleanup();
  b = null;
});

describe('rate limit', () => {
  it('defaults to 100 per minute with X-RateLimit-Limit/Remaining/Reset, then 429 JSON', async () => {
    b = await startTestBackend({ rateLimit: undefined });
    const c = api(b.url, { ip: '192.0.2.1' });
    const first = await c.call('GET', '/health');
    expect(first.headers.get('x-ratelimit-limit')).toBe('100');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('99');
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
    for (let i = 0; i < 99; i++) await c.call('GET', '/health');
    const over = await c.call('POST', '/api/v1/auth/login', { json: { email: OWNER.email, password: OWNER.password, device_id: 'x' } });
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ success: false, message: 'Rate limit exceeded' });
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(over.headers.get('x-ratelimit-reset'))).toBe(reset);
    // Another address has its own budget.
    expect((await c.call('GET', '/health', { ip: '192.0.2.2' })).status).toBe(200);
  });

  it('counts the WebSocket upgrade: over the limit it is an HTTP 429 before any upgrade', async () => {
    b = await startTestBackend({ rateLimit: { max: 3, windowMs: 60_000 } });
    const c = api(b.url, { ip: '198.51.100.7' });
    const { token } = await c.login(OWNER.email, OWNER.password);
    await c.call('GET', '/health');
    await c.call('GET', '/health');
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${b?.wsUrl}?token=${token}`, { headers: { 'X-Real-IP': '198.51.100.7' } });
      ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(429);
  });

  it('X-Forwarded-For (first hop) wins over X-Real-IP', async () => {
    b = await startTestBackend({ rateLimit: { max: 1, windowMs: 60_000 } });
    const h = (headers: Record<string, string>) => fetch(`${b?.url}/health`, { headers }).then((r) => r.status);
    expect(await h({ 'X-Forwarded-For': '203.0.113.1, 10.0.0.1', 'X-Real-IP': '203.0.113.9' })).toBe(200);
    expect(await h({ 'X-Forwarded-For': '203.0.113.1' })).toBe(429);
    expect(await h({ 'X-Real-IP': '203.0.113.9' })).toBe(200);
  });

  it('the window resets', async () => {
    b = await startTestBackend({ rateLimit: { max: 2, windowMs: 300 } });
    const c = api(b.url);
    await c.call('GET', '/health');
    await c.call('GET', '/health');
    expect((await c.call('GET', '/health')).status).toBe(429);
    const ok = await waitFor(async () => (await c.call('GET', '/health')).status === 200, 5000, 'reset');
    expect(ok).toBe(true);
    expect(b.server.rateLimiter?.rejected).toBeGreaterThan(0);
  });
});
