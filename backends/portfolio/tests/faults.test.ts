// The backend's fault switches (src/faults.ts) over the wire: the test-only endpoint, a 429 with
// Retry-After that turns itself off, a held request, and Pusher error 4009 on a raw WebSocket.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BackendFaults, FAULTS_PATH, startChatApi, startPusherServer, type ChatApiHandle, type PusherServerHandle } from '../src/index';
import { TEST_APP, waitFor } from './helpers';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function servers(faults?: BackendFaults): Promise<{ api: ChatApiHandle; pusher: PusherServerHandle }> {
  const pusher = await startPusherServer({ port: 0, apps: [TEST_APP], ...(faults ? { faults } : {}) });
  closers.push(() => pusher.close());
  const api = await startChatApi({
    port: 0,
    dbPath: ':memory:',
    pusher: { appId: TEST_APP.id, key: TEST_APP.key, secret: TEST_APP.secret, host: '127.0.0.1', port: pusher.port },
    presenceSyncMs: 0,
    ...(faults ? { faults } : {}),
  });
  closers.push(() => api.close());
  return { api, pusher };
}

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('backend faults', () => {
  it('are off, and the endpoint absent, unless a BackendFaults is passed', async () => {
    const { api } = await servers();
    expect((await post(`${api.url}${FAULTS_PATH}`, { clear: true })).status).toBe(404);
    expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
  });

  it('answer 429 with Retry-After as often as told, set over the test endpoint', async () => {
    const faults = new BackendFaults();
    const { api } = await servers(faults);
    const set = await post(`${api.url}${FAULTS_PATH}`, { rules: [{ method: 'GET', path: { regex: '^/api/hea' }, status: 429, error: 'Slow down', retryAfterSeconds: 3, times: 2 }] });
    expect(set.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const limited = await fetch(`${api.url}/api/health`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
      expect(await limited.json()).toEqual({ success: false, error: 'Slow down' });
    }
    expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
    expect(faults.hitCount('GET', '/api/health')).toBe(3);
    expect(faults.answered.get('GET /api/health')).toBe(2);
  });

  it('hold a request until released', async () => {
    const faults = new BackendFaults().hold('GET', '/api/health');
    const { api } = await servers(faults);
    let answered = false;
    const request = fetch(`${api.url}/api/health`).then((r) => ((answered = true), r.status));
    await waitFor(() => faults.heldCount === 1, 5000, 'held');
    expect(answered).toBe(false);
    faults.release();
    expect(await request).toBe(200);
    expect(faults.heldCount).toBe(0);
  });

  it('refuse a Pusher connection with error 4009 and close code 4009', async () => {
    const faults = new BackendFaults().refusePusherSignIn();
    const { pusher } = await servers(faults);
    const ws = new WebSocket(`ws://127.0.0.1:${pusher.port}/app/${TEST_APP.key}?protocol=7`);
    const frames: { event: string; data: unknown }[] = [];
    ws.on('message', (raw) => frames.push(JSON.parse(String(raw)) as { event: string; data: unknown }));
    const code = await new Promise<number>((r) => ws.on('close', (c) => r(c)));
    expect(code).toBe(4009);
    expect(frames.map((f) => f.event)).toEqual(['pusher:connection_established', 'pusher:error']);
    expect(frames[1]!.data).toEqual({ code: 4009, message: 'Connection is unauthorized' });
    faults.clear();
    const ok = new WebSocket(`ws://127.0.0.1:${pusher.port}/app/${TEST_APP.key}?protocol=7`);
    closers.push(async () => ok.close());
    await new Promise<void>((r) => ok.once('message', () => r()));
    expect(ok.readyState).toBe(WebSocket.OPEN);
  });
});
