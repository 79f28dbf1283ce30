// Issue 16 items 8 and 10: what the portfolio REST client accepts from a hostile or broken site.
// A real HTTP server on loopback sends the answers (a reference backend would never send them).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { MAX_RETRY_AFTER_MS, RestClient } from '../../src/main/core/connectors/portfolio/rest-client';
import { MAX_TIMER_MS, realTimers } from '../../src/main/core/sync/timers';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RestClient> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  server.unref();
  return new RestClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: () => 't' });
}

async function failure(client: RestClient): Promise<ConnectorError> {
  try {
    await client.request('GET', '/api/x', z.unknown());
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('the request succeeded');
}

describe('Retry-After', () => {
  it('is clamped, in seconds and as an HTTP date', async () => {
    for (const value of ['999999999', new Date(Date.now() + 40 * 365 * 86_400_000).toUTCString(), '1e300']) {
      const client = await serve((_req, res) => res.writeHead(503, { 'Retry-After': value }).end('{}'));
      const error = await failure(client);
      expect(error.kind).toBe('transient');
      expect(error.retryAfterMs).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
      expect(error.retryAfterMs).toBeGreaterThan(0);
    }
    const sane = await failure(await serve((_req, res) => res.writeHead(429, { 'Retry-After': '7' }).end('{}')));
    expect(sane.retryAfterMs).toBe(7000);
    const garbage = await failure(await serve((_req, res) => res.writeHead(429, { 'Retry-After': '-5' }).end('{}')));
    expect(garbage.retryAfterMs).toBeUndefined();
  });

  it('no timer gets a delay Node would overflow into 1 ms', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    try {
      for (const ms of [999_999_999_000, Number.POSITIVE_INFINITY, Number.NaN, -5]) realTimers.clearTimeout(realTimers.setTimeout(() => {}, ms));
      const delays = spy.mock.calls.map((c) => c[1] as number);
      expect(delays).toEqual([MAX_TIMER_MS, MAX_TIMER_MS, 0, 0]);
      expect(MAX_TIMER_MS).toBeLessThanOrEqual(2 ** 31 - 1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('response size', () => {
  it('a gzip bomb is refused before it is inflated in memory', async () => {
    // 64 MiB of valid JSON once inflated, about 64 KiB on the wire.
    const inflated = Buffer.concat([Buffer.from('{"success":true,"data":{"padding":"'), Buffer.alloc(64 * 1024 * 1024, 'a'), Buffer.from('"}}')]);
    const bomb = gzipSync(inflated);
    const client = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).end(bomb));
    const error = await failure(client);
    expect(error.kind).toBe('rejected');
    expect(error.message).toMatch(/too large/i);
  });

  it('a declared Content-Length over the cap is refused without reading the body', async () => {
    const client = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(1024 * 1024 * 1024) });
      res.write('{"success":true,');
    });
    const error = await failure(client);
    expect(error.message).toMatch(/too large/i);
  });

  it('an answer under the cap still parses', async () => {
    const client = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ success: true, data: { ok: 1 } })));
    expect(await client.request('GET', '/api/x', z.object({ ok: z.number() }))).toEqual({ ok: 1 });
  });
});
