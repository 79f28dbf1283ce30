// SocketPool's bound and lifecycle against FakeDjangoSite's loopback `ws` server with fake
// timers: which conversations hold a socket (watched first, then the most recent), what happens
// to a reply when its socket closes, is no longer needed or never joins, and what stopping does.
// The real site (backends/django) is covered by tests/integration/django-chat-connector.test.ts
// (the bound) and django-chat-sync.test.ts (drops and restarts).
import { afterEach, describe, expect, it } from 'vitest';
import { SocketPool } from '../../src/main/core/connectors/django-chat/socket-pool';
import type { WireMessage } from '../../src/main/core/connectors/django-chat/wire';
import type { Timers } from '../../src/main/core/sync/timers';
import { connectorFailure } from '../support/connector-failure';
import { wireMessage } from '../support/django-chat-site';
import { FakeDjangoSite, until, type SiteSocket } from '../support/django-fake-site';
import { FakeTimers } from '../support/fake-timers';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Options {
  maxSockets?: number;
  sessionId?: string | undefined;
  /** Whether the site sends connection_established (false: the socket never joins). */
  join?: boolean;
  /** How the site answers a reply (default: its echo). */
  answer?: (s: SiteSocket, text: string) => void;
}

async function setup(o: Options = {}) {
  const site = await FakeDjangoSite.start();
  cleanups.push(() => site.close());
  let nextId = 100;
  const received: string[] = [];
  site.onSocket = (s) => {
    if (o.join !== false) s.ws.send(JSON.stringify({ type: 'connection_established', conversation_id: /(\d+)\/$/.exec(s.path)?.[1] }));
    s.ws.on('message', (data) => {
      const text = (JSON.parse(data.toString()) as { message: string }).message;
      received.push(text);
      if (o.answer) o.answer(s, text);
      else s.ws.send(JSON.stringify({ type: 'new_message', message: wireMessage(nextId++, text, true) }));
    });
  };
  const timers = new FakeTimers(0);
  const delays: number[] = [];
  const recorded: Timers = { setTimeout: (fn, ms) => (delays.push(ms), timers.setTimeout(fn, ms)), clearTimeout: timers.clearTimeout };
  const seen = { established: [] as string[], messages: [] as [string, WireMessage][], refused: [] as [string, number][], warnings: [] as string[] };
  const pool = new SocketPool({
    baseUrl: site.url,
    sessionId: () => ('sessionId' in o ? o.sessionId : 'sess-1'),
    maxSockets: o.maxSockets ?? 2,
    echoTimeoutMs: 1_000,
    timers: recorded,
    random: () => 1,
    onEstablished: (id) => seen.established.push(id),
    onMessage: (id, m) => seen.messages.push([id, m]),
    onRefused: (id, status) => seen.refused.push([id, status]),
    warn: (w) => seen.warnings.push(w),
  });
  cleanups.push(() => pool.stop());
  /** Conversation ids with a socket open on the site's side. */
  const open = () =>
    site
      .open()
      .map((s) => /(\d+)\/$/.exec(s.path)![1]!)
      .sort();
  return { site, pool, timers, delays, seen, open, received };
}

describe('django-chat SocketPool: which conversations hold a socket', () => {
  it('watched ones first, then the most recently active, up to the bound; the least recent is closed', async () => {
    const t = await setup({ maxSockets: 3 });
    t.pool.start();
    t.pool.setWatched(['1']);
    t.pool.touch('2');
    t.pool.touch('3');
    await until(() => t.seen.established.length === 3, 'three joined');
    expect(t.open()).toEqual(['1', '2', '3']);
    expect(t.pool.openCount()).toBe(3);
    expect(['1', '2', '3', '4'].map((id) => t.pool.isLive(id))).toEqual([true, true, true, false]);

    t.pool.touch('4');
    await until(() => t.open().join() === '1,3,4', '2 closed, 4 opened');
    expect(t.pool.isLive('2')).toBe(false);
    // Touching again makes it the most recent: 3 goes, not 2.
    t.pool.touch('2');
    await until(() => t.open().join() === '1,2,4', '3 closed, 2 again');
    // More watched than the bound: only the first three watched.
    t.pool.setWatched(['5', '6', '7', '8']);
    await until(() => t.open().join() === '5,6,7', 'watched only');
    expect(t.pool.openCount()).toBe(3);
  });

  it('nothing opens before start or after stop; stop rejects a reply waiting for its echo and closes everything', async () => {
    const t = await setup({ answer: () => {} });
    t.pool.setWatched(['1']);
    t.pool.touch('2');
    expect(t.site.handshakes).toBe(0);
    expect(t.pool.openCount()).toBe(0);
    t.pool.start();
    await until(() => t.seen.established.length === 2, 'joined');
    const reply = connectorFailure(t.pool.send('1', 'hello'));
    await until(() => t.delays.length === 1, 'waiting for the echo');
    t.pool.stop();
    const error = await reply;
    expect([error.kind, error.message]).toEqual(['transient', 'Disconnected.']);
    await until(() => t.open().length === 0, 'closed');
    expect(t.pool.openCount()).toBe(0);
    t.pool.touch('3');
    t.timers.advance(60_000);
    expect(t.site.handshakes).toBe(2);
    const late = await connectorFailure(t.pool.send('1', 'late'));
    expect([late.kind, late.message]).toEqual(['transient', 'The live connection is down; the reply waits.']);
  });

  it('a socket waiting for an echo stays past the bound until the echo, then closes', async () => {
    let hold: SiteSocket | null = null;
    const t = await setup({ maxSockets: 1, answer: (s) => (hold = s) });
    t.pool.start();
    t.pool.touch('1');
    await until(() => t.seen.established.length === 1, 'joined');
    const reply = t.pool.send('1', 'wait for me');
    await until(() => hold !== null, 'sent');
    t.pool.touch('2');
    await until(() => t.seen.established.length === 2, '2 joined');
    expect(t.open()).toEqual(['1', '2']);
    hold!.ws.send(JSON.stringify({ type: 'new_message', message: wireMessage(7, 'wait for me', true) }));
    expect((await reply).id).toBe(7);
    t.pool.touch('2');
    await until(() => t.open().join() === '2', 'the spare socket closed');
  });

  it('a socket kept only for an echo that drops: the reply fails transient and the socket is not reopened', async () => {
    let hold: SiteSocket | null = null;
    const t = await setup({ maxSockets: 1, answer: (s) => (hold = s) });
    t.pool.start();
    t.pool.touch('1');
    await until(() => t.seen.established.length === 1, 'joined');
    const reply = connectorFailure(t.pool.send('1', 'wait for me'));
    await until(() => hold !== null, 'sent');
    t.pool.touch('2');
    await until(() => t.seen.established.length === 2, '2 joined');
    hold!.ws.close(1011);
    const error = await reply;
    expect([error.kind, error.message]).toEqual(['transient', 'The socket closed before the site confirmed the reply.']);
    t.timers.advance(60_000);
    expect(t.site.handshakes).toBe(2);
    expect(t.pool.openCount()).toBe(1);
  });

  it('a dropped socket that is wanted is reopened after 0.5 s, 1 s; one no longer wanted is closed instead', async () => {
    const t = await setup({ maxSockets: 1 });
    t.pool.start();
    t.pool.touch('1');
    await until(() => t.seen.established.length === 1, 'joined');
    t.site.refuse = 500;
    t.site.open()[0]!.ws.close(1011);
    await until(() => t.delays.length === 1, 'retry planned');
    expect(t.pool.isLive('1')).toBe(false);
    t.timers.advance(500);
    await until(() => t.delays.length === 2, 'refused, retry planned');
    expect(t.delays).toEqual([500, 1_000]);
    expect(t.seen.warnings).toContain('django-chat socket 1: handshake answered HTTP 500; retrying');
    t.site.refuse = null;
    t.timers.advance(1_000);
    await until(() => t.seen.established.length === 2, 'joined again');

    // Joined: the backoff starts over.
    t.site.open()[0]!.ws.close(1011);
    await until(() => t.delays.length === 3, 'retry planned');
    expect(t.delays[2]).toBe(500);
    t.pool.touch('2');
    t.timers.advance(500);
    await until(() => t.seen.established.length === 3, '2 joined');
    expect(t.open()).toEqual(['2']);
    expect(t.site.handshakes).toBe(4);
  });

  it('401 and 403 are refusals for the connector to judge, not warnings', async () => {
    const t = await setup();
    t.pool.start();
    t.site.refuse = 401;
    t.pool.touch('1');
    await until(() => t.seen.refused.length === 1, 'refused');
    t.site.refuse = 403;
    t.pool.touch('2');
    await until(() => t.seen.refused.length === 2, 'refused');
    expect(t.seen.refused).toEqual([
      ['1', 401],
      ['2', 403],
    ]);
    expect(t.seen.warnings.filter((w) => w.includes('handshake answered'))).toEqual([]);
  });

  it('without a session cookie the socket still carries the Origin', async () => {
    const t = await setup({ sessionId: undefined });
    t.pool.start();
    t.pool.touch('1');
    await until(() => t.site.sockets.length === 1, 'dialled');
    expect(t.site.sockets[0]!.headers.cookie).toBeUndefined();
    expect(t.site.sockets[0]!.headers.origin).toBe(t.site.url);
  });
});

describe('django-chat SocketPool: a reply and its socket', () => {
  it('the echo with surrounding space trimmed still confirms; an exact echo confirms its own reply first', async () => {
    const t = await setup({ answer: () => {} });
    t.pool.start();
    t.pool.touch('1');
    await until(() => t.seen.established.length === 1, 'joined');
    const ws = t.site.open()[0]!.ws;
    const spaced = t.pool.send('1', '  halo  ');
    const exact = t.pool.send('1', 'halo');
    await until(() => t.delays.length === 2, 'both waiting');
    ws.send(JSON.stringify({ type: 'new_message', message: wireMessage(1, 'halo', true) }));
    expect((await exact).id).toBe(1);
    ws.send(JSON.stringify({ type: 'new_message', message: wireMessage(2, 'halo', true) }));
    expect((await spaced).id).toBe(2);
    // Ours from elsewhere (no reply waiting) and the student's are messages.
    ws.send(JSON.stringify({ type: 'new_message', message: wireMessage(3, 'halo', true) }));
    ws.send(JSON.stringify({ type: 'new_message', message: wireMessage(4, 'halo', false) }));
    await until(() => t.seen.messages.length === 2, 'messages');
    expect(t.seen.messages.map(([id, m]) => [id, m.id])).toEqual([
      ['1', 3],
      ['1', 4],
    ]);
    ws.send(JSON.stringify({ error: 'Message content cannot be empty.' }));
    await until(() => t.seen.warnings.length === 1, 'an error with nothing waiting');
    expect(t.seen.warnings).toEqual(['django-chat socket 1: Message content cannot be empty.']);
  });

  it('a socket that never joins: the reply fails after the wait; one that closes before joining fails it at once', async () => {
    const t = await setup({ join: false, maxSockets: 1 });
    t.pool.start();
    const reply = connectorFailure(t.pool.send('1', 'anyone?'));
    await until(() => t.site.sockets.length === 1, 'dialled');
    expect(t.delays).toEqual([1_000]);
    expect([t.pool.isLive('1'), t.pool.openCount()]).toEqual([false, 1]);
    t.timers.advance(1_000);
    const error = await reply;
    expect([error.kind, error.message]).toEqual(['transient', 'The conversation’s socket did not open in time.']);
    expect(t.received).toEqual([]);

    const second = connectorFailure(t.pool.send('1', 'again'));
    await until(() => t.delays.length === 2, 'waiting again');
    t.site.sockets[0]!.ws.close(1011);
    const closed = await second;
    expect([closed.kind, closed.message]).toEqual(['transient', 'The conversation’s socket closed.']);
  });
});
