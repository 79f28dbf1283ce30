// Browser mode's host, started in-process over a real core and a real temp profile.
import { Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import type { WebServer } from '../../src/main/web/server';
import { startTestHost, type TestHost } from '../support/web-host';

let host: TestHost;
let core: Core;
let server: WebServer;
let origin: string;
let startUrl: string;

beforeAll(async () => {
  // Each start link works once; the host prints the next one after every exchange.
  host = await startTestHost({ onStartUrl: (url) => (startUrl = url) });
  ({ core, server, origin } = host);
  startUrl = server.url;
});
afterAll(() => host?.close());

async function sessionCookie(): Promise<string> {
  const res = await fetch(startUrl, { redirect: 'manual' });
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  return cookie.split(';')[0]!;
}

function connect(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, frame: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

describe('browser-mode host', () => {
  it('serves nothing without the token, and the page with a strict CSP after it', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(401);
    expect((await fetch(`${origin}/?token=wrong`)).status).toBe(401);
    const cookie = await sessionCookie();
    const page = await fetch(`${origin}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    const html = await page.text();
    expect(html.indexOf('web-bridge.js')).toBeLessThan(html.indexOf('assets/index.js'));
  });

  it('refuses a WebSocket without the cookie or from another origin', async () => {
    const cookie = await sessionCookie();
    await expect(connect({ Origin: origin })).rejects.toThrow('HTTP 401');
    await expect(connect({ Origin: 'http://evil.example', Cookie: cookie })).rejects.toThrow('HTTP 401');
    await expect(connect({ Origin: origin, Cookie: `${server.cookieName}=forged` })).rejects.toThrow('HTTP 401');
  });

  it('carries the ConsoleApi, rejecting malformed frames and bad arguments', async () => {
    const ws = await connect({ Origin: origin, Cookie: await sessionCookie() });
    expect(await call(ws, { type: 'invoke', id: 1, method: 'app.info' })).toMatchObject({ type: 'result', id: 1, ok: true, value: { mode: 'web' } });
    expect(await call(ws, { type: 'invoke', id: 2, method: 'conversations.page', input: { filter: 'nope' } })).toMatchObject({
      id: 2,
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await call(ws, { type: 'nonsense', id: 3 })).toMatchObject({ id: 3, ok: false, error: { message: 'Malformed request frame.' } });
    // Not JSON at all: skipped and logged; the socket stays usable.
    ws.send('{{{');
    expect(await call(ws, { type: 'invoke', id: 4, method: 'accounts.list' })).toMatchObject({ id: 4, ok: true, value: [] });
    // Events reach the socket.
    const event = new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    core.events.emit('typing', { conversationId: 1, who: 'visitor', isTyping: true });
    expect(await event).toEqual({ type: 'event', name: 'typing', payload: { conversationId: 1, who: 'visitor', isTyping: true } });
    ws.close();
  });

  it("sends a conversation's message events only once a page loaded its messages (for every page)", async () => {
    const cookie = await sessionCookie();
    const [a, b] = [await connect({ Origin: origin, Cookie: cookie }), await connect({ Origin: origin, Cookie: await sessionCookie() })];
    const frames: Array<{ name?: string; payload?: { conversationId?: number } }> = [];
    b.on('message', (d) => frames.push(JSON.parse(String(d))));
    const message = (conversationId: number) => ({ conversationId, messages: [] });
    core.events.emit('messages.added', message(41));
    // The page asks for conversation 41's messages (unknown here: refused, yet it is now on screen).
    expect(await call(a, { type: 'invoke', id: 1, method: 'messages.page', input: { conversationId: 41, limit: 50 } })).toMatchObject({ ok: false });
    // Only 41's messages reach the pages; other events always do.
    core.events.emit('messages.added', message(42));
    core.events.emit('messages.added', message(41));
    core.events.emit('typing', { conversationId: 42, who: 'visitor', isTyping: true });
    await expect.poll(() => frames.length).toBe(2);
    expect(frames.map((f) => [f.name, f.payload?.conversationId])).toEqual([
      ['messages.added', 41],
      ['typing', 42],
    ]);
    a.close();
    b.close();
  });

  it('writes the frames of one turn to a page in one write, with what that turn\'s promises emit', async () => {
    const ws = await connect({ Origin: origin, Cookie: await sessionCookie() });
    const frames: string[] = [];
    ws.on('message', (d) => frames.push((JSON.parse(String(d)) as { name: string }).name));
    // The server's end of this page's socket is the one whose remote port is the page's local port.
    const pagePort = (ws as unknown as { _socket: Socket })._socket.localPort;
    let writes = 0;
    const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    const originals = { _write: proto._write, _writev: proto._writev };
    for (const name of ['_write', '_writev'] as const) {
      proto[name] = function (this: Socket, ...args: unknown[]) {
        if (this.remotePort === pagePort) writes++;
        return originals[name].apply(this, args);
      };
    }
    try {
      // As a commit does (in its own turn of the event loop, mirror-writer.ts): its events at
      // once, then, in the promise it resolved, the fetch's progress.
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          core.events.emit('typing', { conversationId: 1, who: 'visitor', isTyping: true });
          core.events.emit('conversations.changed', { accountId: 1, conversationIds: [1] });
          void Promise.resolve().then(() => {
            core.events.emit('sync.progress', { accountId: 1, done: 1, total: 2 });
            resolve();
          });
        }),
      );
      await expect.poll(() => frames.length).toBe(3);
    } finally {
      Object.assign(proto, originals);
    }
    expect(frames).toEqual(['typing', 'conversations.changed', 'sync.progress']);
    expect(writes).toBe(1);
    ws.close();
  });
});
