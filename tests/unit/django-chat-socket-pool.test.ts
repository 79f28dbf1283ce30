// SocketPool against a local `ws` server that plays the site's socket. A fake here on purpose:
// the real backend (backends/django, covered by tests/integration/django-chat-*.test.ts) never
// sends malformed frames, drops echoes or answers {error}, which is what these tests need.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { SocketPool } from '../../src/main/core/connectors/django-chat/socket-pool';
import type { WireMessage } from '../../src/main/core/connectors/django-chat/wire';
import { realTimers } from '../../src/main/core/sync/timers';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const message = (id: number, content: string, own: boolean) => ({
  type: 'new_message',
  message: { id, sender: own ? 1 : 2, sender_profile: null, content, timestamp: '2026-12-01T10:00:00Z', is_read: false, is_own_message: own },
});

async function site(onSocket: (ws: WebSocket, headers: Record<string, string | string[] | undefined>) => void) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (ws, req) => onSocket(ws, req.headers));
  await new Promise<void>((r) => server.once('listening', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function pool(baseUrl: string, echoTimeoutMs = 2000) {
  const seen = { established: [] as string[], messages: [] as WireMessage[], warnings: [] as string[] };
  const p = new SocketPool({
    baseUrl,
    sessionId: () => 'sess-1',
    maxSockets: 2,
    echoTimeoutMs,
    timers: realTimers,
    random: () => 0.5,
    onEstablished: (id) => seen.established.push(id),
    onMessage: (_id, m) => seen.messages.push(m),
    onRefused: () => {},
    warn: (w) => seen.warnings.push(w),
  });
  p.start();
  cleanups.push(() => p.stop());
  return { p, seen };
}

const until = async (fn: () => boolean, what: string) => {
  const start = Date.now();
  while (!fn()) {
    if (Date.now() - start > 5000) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('django-chat SocketPool', () => {
  it('sends the session cookie and the site Origin; skips malformed frames with a warning; reports messages', async () => {
    let headers: Record<string, string | string[] | undefined> = {};
    const url = await site((ws, h) => {
      headers = h;
      ws.send('not json at all');
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      ws.send(JSON.stringify({ type: 'new_message', message: { id: 'abc' } }));
      ws.send(JSON.stringify({ type: 'connection_established', conversation_id: '7', room_group_name: 'chat_7' }));
      ws.send(JSON.stringify(message(10, '<script>alert(1)</script>', false)));
    });
    const { p, seen } = pool(url);
    p.setWatched(['7']);
    await until(() => seen.messages.length === 1, 'message');
    expect(headers.cookie).toBe('sessionid=sess-1');
    expect(headers.origin).toBe(url);
    expect(seen.established).toEqual(['7']);
    expect(seen.messages[0]!.content).toBe('<script>alert(1)</script>');
    expect(seen.warnings.filter((w) => w.includes('malformed'))).toHaveLength(3);
    expect(p.isLive('7')).toBe(true);
  });

  it('a reply resolves with its echo (not reported as a new message); an {error} rejects it; a missing echo is transient', async () => {
    const url = await site((ws) => {
      ws.send(JSON.stringify({ type: 'connection_established', conversation_id: '7' }));
      ws.on('message', (data) => {
        const { message: text } = JSON.parse(data.toString()) as { message: string };
        if (text === 'refuse me') ws.send(JSON.stringify({ error: 'Message content cannot be empty.' }));
        else if (text !== 'lose me') ws.send(JSON.stringify(message(11, text, true)));
      });
    });
    const { p, seen } = pool(url, 300);
    const echo = await p.send('7', 'hello');
    expect(echo).toMatchObject({ id: 11, content: 'hello', is_own_message: true });
    expect(seen.messages).toHaveLength(0);
    await expect(p.send('7', 'refuse me')).rejects.toMatchObject({ kind: 'rejected', message: 'Message content cannot be empty.' });
    const lost = p.send('7', 'lose me');
    await expect(lost).rejects.toBeInstanceOf(ConnectorError);
    await expect(lost).rejects.toMatchObject({ kind: 'transient' });
  });

  it('a drop before the echo rejects the reply as transient and the socket is reopened and re-established', async () => {
    let connections = 0;
    const url = await site((ws) => {
      connections++;
      ws.send(JSON.stringify({ type: 'connection_established', conversation_id: '7' }));
      ws.on('message', () => ws.close(1011));
    });
    const { p, seen } = pool(url);
    await expect(p.send('7', 'in flight')).rejects.toMatchObject({ kind: 'transient' });
    await until(() => connections === 2 && seen.established.length === 2, 'reconnected');
  });
});
