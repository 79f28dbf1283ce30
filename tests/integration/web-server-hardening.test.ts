// Issue 16, items 1, 2, 3, 5, 14 and 19: what a web page, a raw socket or a broken disk can send
// to browser mode's host. The host runs in this process, so a throw out of any listener fails
// the run as an uncaught error; after each attack the same server must still answer.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { closed, rawRequest, rawWebSocket, statusOf, wsFrame } from '../support/raw-http';
import { startTestHost, type TestHost } from '../support/web-host';

let host: TestHost;
let server: WebServer;
let origin: string;
const logged: string[] = [];
const startUrls: string[] = [];

beforeAll(async () => {
  host = await startTestHost({
    log: (m) => logged.push(m),
    onStartUrl: (u) => startUrls.push(u),
    // A file that stats as a regular file but fails on read (EIO): what EACCES or a file removed
    // while a build runs look like to the stream, reproducible as root.
    prepare: (rendererDir) => symlinkSync('/proc/self/mem', join(rendererDir, 'assets', 'unreadable.js')),
  });
  ({ server, origin } = host);
});
afterAll(() => host?.close());

const get = (target: string, headers: Record<string, string> = {}) =>
  rawRequest(
    server.port,
    `GET ${target} HTTP/1.1\r\n${Object.entries({ Host: `127.0.0.1:${server.port}`, Connection: 'close', ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n`,
  );

/** Signs in with the newest start link (each exchange prints the next one). */
async function sessionCookie(): Promise<string> {
  const url = startUrls.at(-1) ?? server.url;
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

async function stillServes(): Promise<void> {
  const cookie = await sessionCookie();
  expect((await fetch(`${origin}/`, { headers: { cookie } })).status).toBe(200);
}

describe('browser mode survives hostile requests', () => {
  it('answers malformed request targets with 400 instead of crashing, before and after sign-in (items 1, 2)', async () => {
    const cookie = await sessionCookie();
    const targets = ['//[', '//[::1', '//a:b@[', '/%zz', '/%E0%A4%A', '/%C0%AF', '/assets/%', '/%00', '/..%5c..%5cetc/passwd'];
    for (const target of targets) {
      const anonymous = statusOf(await get(target));
      expect(anonymous, target).toBeGreaterThanOrEqual(400);
      const signedIn = statusOf(await get(target, { Cookie: cookie }));
      expect([400, 404], target).toContain(signedIn);
    }
    // The same targets on an upgrade.
    for (const target of ['//[', '/%zz']) {
      const upgrade = await get(target, { Cookie: cookie, Origin: origin, Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '13' });
      expect(statusOf(upgrade), target).toBeGreaterThanOrEqual(400);
    }
    await stillServes();
  });

  it('closes only the offending socket on any WebSocket protocol error (item 3)', async () => {
    const cookie = await sessionCookie();
    const bad: Array<[string, Buffer]> = [
      ['frame over 1 MiB', wsFrame(0x1, Buffer.alloc(1024 * 1024 + 1, 0x61))],
      ['invalid UTF-8', wsFrame(0x1, Buffer.from([0xff, 0xfe, 0xfd]))],
      ['unmasked frame', wsFrame(0x1, Buffer.from('{}'), { masked: false })],
      ['reserved opcode', wsFrame(0x3, Buffer.from('x'))],
      ['RSV1 without an extension', wsFrame(0x1, Buffer.from('x'), { rsv: 4 })],
      ['bad close code', wsFrame(0x8, Buffer.from([0x03, 0xe7]))],
      ['fragmented control frame', wsFrame(0x9, Buffer.from('x'), { fin: false })],
    ];
    for (const [name, frame] of bad) {
      const socket = await rawWebSocket(server.port, { Cookie: cookie, Origin: origin });
      socket.write(frame);
      await closed(socket);
      expect(socket.destroyed, name).toBe(true);
    }
    expect(logged.filter((l) => l.includes('protocol error')).length).toBeGreaterThanOrEqual(bad.length);
    // The API still answers on a fresh socket.
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws`, { headers: { Origin: origin, Cookie: cookie } });
    const reply = await new Promise<unknown>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ type: 'invoke', id: 1, method: 'app.info' })));
      ws.once('message', (d) => resolve(JSON.parse(String(d))));
      ws.once('error', reject);
    });
    expect(reply).toMatchObject({ id: 1, ok: true });
    ws.close();
  });

  it('logs a static file that cannot be read and keeps serving (item 5)', async () => {
    const cookie = await sessionCookie();
    const response = await get('/assets/unreadable.js', { Cookie: cookie });
    expect(response.includes('HTTP/1.1 200') && response.endsWith('\r\n0\r\n\r\n')).toBe(false);
    expect(logged.some((l) => l.includes('could not read'))).toBe(true);
    expect(statusOf(await get('/assets/index.js', { Cookie: cookie }))).toBe(200);
  });
});

describe('browser-mode sessions', () => {
  it('exchanges a start token once; a reload with a session goes on (item 19)', async () => {
    const url = startUrls.at(-1) ?? server.url;
    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(await again.text()).toMatch(/already used or has expired/);
    expect(again.headers.get('set-cookie')).toBeNull();
    const reload = await fetch(url, { redirect: 'manual', headers: { cookie } });
    expect(reload.status).toBe(303);
    expect(reload.headers.get('set-cookie')).toBeNull();
    // The next link was printed and works once.
    expect(startUrls.length).toBeGreaterThan(0);
    expect(startUrls.at(-1)).not.toBe(url);
  });

  it('checks Host on every request and upgrade (item 19)', async () => {
    const token = new URL(startUrls.at(-1) ?? server.url).searchParams.get('token')!;
    const forged = await get(`/?token=${token}`, { Host: 'evil.example' });
    expect(statusOf(forged)).toBe(421);
    expect(forged).not.toMatch(/set-cookie/i);
    const cookie = await sessionCookie();
    expect(statusOf(await get('/', { Cookie: cookie, Host: 'evil.example' }))).toBe(421);
    expect(statusOf(await get('/', { Cookie: cookie, Host: `localhost:${server.port}` }))).toBe(421);
    expect(statusOf(await get('/', { Cookie: cookie }))).toBe(200);
    await expect(rawWebSocket(server.port, { Cookie: cookie, Origin: origin, Host: 'evil.example' })).rejects.toThrow();
  });

  it('names its cookie after the instance, so two side by side keep their sessions (item 14)', async () => {
    const second = await startWebServer({ core: host.core, rendererDir: host.rendererDir });
    try {
      const a = await sessionCookie();
      const res = await fetch(second.url, { redirect: 'manual' });
      const b = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect(a.split('=')[0]).not.toBe(b.split('=')[0]);
      // A browser holding both cookies is signed in to both.
      const both = `${a}; ${b}`;
      expect((await fetch(`${origin}/`, { headers: { cookie: both } })).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${second.port}/`, { headers: { cookie: both } })).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
