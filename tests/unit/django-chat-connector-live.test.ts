// DjangoChatConnector's sockets through the connector: what a student's message and a join
// report, replies confirmed by their echo, and a refused handshake told apart by the session
// check (sign in again, or the site's allowed hosts). Against FakeDjangoSite (a fake fetch, a
// loopback `ws` server) with fake timers; the real site (backends/django) is covered by
// tests/integration/django-chat-sync.test.ts and django-chat-outbox-faults.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { LIST, NOW, chatSetup, conversation, wireMessage } from '../support/django-chat-site';
import { until } from '../support/django-fake-site';
import { connectorFailure } from '../support/connector-failure';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function connected(...args: Parameters<typeof chatSetup>) {
  const t = await chatSetup(...args);
  cleanups.push(t.close);
  t.model.conversations = [conversation(8, NOW - 1000), conversation(7, NOW - 2000)];
  await t.connector.connect(t.sink);
  await t.connector.listConversations({ since: null, page: null });
  return t;
}

/** Session checks: the list read with only the cookie. */
const sessionChecks = (t: Awaited<ReturnType<typeof connected>>) => t.site.calls.filter((c) => c.url.pathname === LIST && !c.headers.get('authorization'));

describe('django-chat connector: sockets and replies', () => {
  it('a student’s message on a watched conversation reaches the sink as a visitor message', async () => {
    const t = await connected();
    t.connector.watch(['7']);
    await until(() => t.of('stale').length === 1, 'joined');
    expect(t.site.sockets.map((s) => s.path)).toEqual(['/ws/chat/conversations/7/']);
    t.site.sockets[0]!.ws.send(JSON.stringify({ type: 'new_message', message: { ...wireMessage(50, 'Pak, soal 3?', false), is_read: true } }));
    await until(() => t.of('messages').length === 1, 'message');
    expect(t.of('messages')[0]).toEqual([
      '7',
      [{ remoteId: '50', seq: 50, senderType: 'visitor', senderId: '9', senderName: 'Student', content: 'Pak, soal 3?', createdAt: NOW + 50_000, readAt: null }],
    ]);
    // Nothing else is opened while nothing else moved.
    expect(t.connector.openSockets()).toBe(1);
  });

  it('a reply goes over the socket and resolves with its echo and client id; its time is seen, so the next poll does not report it', async () => {
    const t = await connected();
    const reply = await t.connector.sendReply('7', 'Coba lihat lagi', 'client-1');
    expect(t.received.map((r) => [r.socket.path, r.text])).toEqual([['/ws/chat/conversations/7/', 'Coba lihat lagi']]);
    expect(reply).toEqual({
      remoteId: '1000',
      seq: 1000,
      senderType: 'admin',
      senderId: '3',
      senderName: 'Pak Budi',
      content: 'Coba lihat lagi',
      createdAt: NOW + 1_000_000,
      readAt: null,
      clientId: 'client-1',
    });
    // The site moves the conversation to the echo's time: nothing new for the poll.
    t.model.conversations = [conversation(7, NOW + 1_000_000), conversation(8, NOW - 1000)];
    await t.advance(10_000, 'poll');
    expect(t.of('conversation')).toEqual([]);
    // Something after the echo is reported.
    t.model.conversations = [conversation(7, NOW + 1_000_001), conversation(8, NOW - 1000)];
    await t.advance(10_000, 'poll');
    expect(t.of('conversation').map(([c]) => (c as { remoteId: string }).remoteId)).toEqual(['7']);
  });

  it('no echo within 15 s: the reply fails transient (the outbox looks for it in the history)', async () => {
    const t = await connected();
    t.model.echo = false;
    const reply = connectorFailure(t.connector.sendReply('7', 'lost', 'client-2'));
    await until(() => t.received.length === 1, 'sent');
    // The echo's wait is the last one asked for.
    expect(t.delays.at(-1)).toBe(15_000);
    t.timers.advance(15_000);
    const error = await reply;
    expect([error.kind, error.message]).toEqual(['transient', 'The site did not confirm the reply in time.']);
  });

  it('before connecting (or after disconnecting) a reply waits: transient, nothing dialled', async () => {
    const t = await chatSetup();
    cleanups.push(t.close);
    const error = await connectorFailure(t.connector.sendReply('7', 'early', 'c'));
    expect([error.kind, error.message]).toEqual(['transient', 'The live connection is down; the reply waits.']);
    expect(t.site.handshakes).toBe(0);
  });
});

describe('django-chat connector: a refused socket', () => {
  it('the session is fine, so the site refuses our Origin: unavailable, sockets tried again after 1 s, 2 s; the first join is live again with a gap', async () => {
    const t = await connected();
    t.site.refuse = 403;
    t.connector.watch(['7', '8']);
    await until(() => t.of('link').length === 3, 'unavailable');
    expect(t.of('link')[2]).toEqual([
      'unavailable',
      'The site refuses live connections from this console (its allowed hosts do not include the site address); messages arrive by polling, replies wait; trying again now and then.',
    ]);
    expect(t.of('warn').map(([w]) => w)).toContainEqual(expect.stringMatching(/^The site refused the live connection for conversation [78] \(HTTP 403\)\.$/));
    // Two refused sockets, one check: with the cookie only.
    await until(() => t.site.handshakes === 2, 'both refused');
    expect(sessionChecks(t)).toHaveLength(1);
    expect(sessionChecks(t)[0]!.headers.get('cookie')).toBe('sessionid=sess-1');
    expect(t.delays.at(-1)).toBe(1_000);
    // The sockets wait for that retry, not their own.
    t.timers.advance(999);
    expect(t.site.handshakes).toBe(2);
    t.timers.advance(1);
    await until(() => t.site.handshakes === 4 && t.of('link').length === 4 && sessionChecks(t).length === 2, 'refused again, checked again');
    await until(() => t.delays.at(-1) === 2_000, 'second retry after 2 s');

    t.site.refuse = null;
    const before = t.events.length;
    t.timers.advance(2_000);
    await until(() => t.of('stale').length === 2, 'both joined');
    const after = t.events.slice(before).filter((e) => e[0] !== 'warn');
    expect(after).toEqual([
      ['link', 'connected'],
      ['gap', 'the site accepts live connections again'],
      ['stale', expect.any(String)],
      ['stale', expect.any(String)],
    ]);
    expect(after.slice(2).map((e) => e[1]).sort()).toEqual(['7', '8']);

    // Accepted once: a later refusal starts from 1 s again.
    t.site.refuse = 403;
    const waits = t.delays.length;
    for (const s of t.site.open()) s.ws.close(1011);
    await until(() => t.delays.length === waits + 2, 'each socket waits to reopen');
    expect(t.delays.slice(waits)).toEqual([500, 500]);
    t.timers.advance(500);
    await until(() => t.of('link').filter(([s]) => s === 'unavailable').length === 3, 'refused again');
    await until(() => t.delays.at(-1) === 1_000, 'retry after 1 s');
  });

  it('disconnecting while the sockets wait to be tried again: nothing is tried; connecting again starts without the refusal', async () => {
    const t = await connected();
    t.site.refuse = 403;
    t.connector.watch(['7']);
    await until(() => t.delays.at(-1) === 1_000, 'retry planned');
    await t.connector.disconnect();
    const handshakes = t.site.handshakes;
    t.timers.advance(120_000);
    expect(t.site.handshakes).toBe(handshakes);

    t.site.refuse = null;
    await t.connector.connect(t.sink);
    await until(() => t.of('stale').length === 1, 'joined');
    // Not "accepted again": that refusal belonged to the last connection.
    expect(t.of('gap').map(([g]) => g)).toEqual(['signed in; the list answers', 'signed in; the list answers']);
  });

  it('the session is gone: auth-expired (sign in again), the sockets stop, polling goes on', async () => {
    const t = await connected();
    t.model.session = false;
    t.site.refuse = 403;
    t.connector.watch(['7']);
    await until(() => t.of('link').length === 3, 'auth-expired');
    expect(t.of('link')[2]).toEqual(['auth-expired', 'The site’s session expired: sign in again for live messages and replies.']);
    const handshakes = t.site.handshakes;
    const reads = t.listReads().length;
    await t.advance(10_000, 'poll');
    t.timers.advance(120_000);
    expect(t.site.handshakes).toBe(handshakes);
    expect(t.listReads().length).toBeGreaterThan(reads);
  });

  it('the session cannot be checked: unavailable with the status, tried again', async () => {
    const t = await connected();
    t.model.session = 'throws';
    t.site.refuse = 401;
    t.connector.watch(['7']);
    await until(() => t.of('link').length === 3, 'unavailable');
    expect(t.of('link')[2]).toEqual(['unavailable', 'The site refused the live connection (HTTP 401); trying again now and then.']);
    expect(t.of('warn').map(([w]) => w)).toContainEqual(expect.stringMatching(/^Could not check the session after a refused socket: Could not reach .*: connection reset$/));
    expect(t.delays.at(-1)).toBe(1_000);
    t.site.refuse = null;
    t.model.session = true;
    t.timers.advance(1_000);
    await until(() => t.of('gap').length === 2, 'live again');
  });

  it('a handshake answered 5xx is no refusal: the socket is retried on its own after 0.5 s, 1 s', async () => {
    const t = await connected();
    t.site.refuse = 500;
    t.connector.watch(['7']);
    await until(() => t.delays.at(-1) === 500, 'first retry');
    expect(t.of('warn').map(([w]) => w)).toContain('django-chat socket 7: handshake answered HTTP 500; retrying');
    expect(sessionChecks(t)).toHaveLength(0);
    t.timers.advance(500);
    await until(() => t.site.handshakes === 2 && t.delays.at(-1) === 1_000, 'second retry');
    t.site.refuse = null;
    t.timers.advance(1_000);
    await until(() => t.of('stale').length === 1, 'joined');
    expect(t.of('link')).toHaveLength(2);
  });
});
