// Outbox paths mutation testing found untested, in-process (real SQLite mirror, a recording fake
// connector that does not deduplicate, fake timers): exactly once on kinds without idempotent
// send (the history is read only on a later attempt, from the FIRST attempt's time, also after a
// restart), a plain resend with the client id where the kind deduplicates, one send at a time,
// a stopped or paused outbox that leaves the queue alone, one timer, a far-off stored wait
// brought within the limit, a queue the mirror cannot read, Retry's fresh backoff, Discard of a
// reply that has not failed, a live echo before the send's answer, and what is logged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { EventBus } from '../../src/main/core/events';
import type { ConversationRow } from '../../src/main/core/mirror/rows';
import { MAX_SERVER_WAIT_MS, backoffDelay } from '../../src/main/core/sync/backoff';
import { Outbox, type OutboxDeps } from '../../src/main/core/sync/outbox';
import { FakeConnector } from '../support/fake-server-connector';
import { FakeTimers } from '../support/fake-timers';
import { waitFor } from '../support/portfolio-harness';
import { openTempMirror } from '../support/temp-db';

const CLIENT = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const random = () => 0.25;
const settle = () => new Promise((r) => setTimeout(r, 20));

let ctx: ReturnType<typeof openTempMirror>;
let timers: FakeTimers;
let accountId: number;
let conversation: ConversationRow;
let other: ConversationRow;
let outboxes: Outbox[];
let logs: string[];
let seen: { name: string; payload: Record<string, unknown> }[];

beforeEach(() => {
  ctx = openTempMirror();
  timers = new FakeTimers(1_000_000);
  accountId = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Fake', baseUrl: 'http://fake' }, 0).id;
  conversation = ctx.mirror.transaction(() => ctx.mirror.conversations.upsert(accountId, { remoteId: 'a', createdAt: 1 }, 1)).row;
  other = ctx.mirror.transaction(() => ctx.mirror.conversations.upsert(accountId, { remoteId: 'b', createdAt: 1 }, 1)).row;
  outboxes = [];
  logs = [];
  seen = [];
});
afterEach(() => {
  for (const o of outboxes) o.stop();
  ctx.close();
});

function outboxFor(connector: FakeConnector, extra: Partial<OutboxDeps> = {}): Outbox {
  const events = new EventBus();
  events.subscribe((name, payload) => seen.push({ name, payload: payload as Record<string, unknown> }));
  const o = new Outbox({ accountId, mirror: ctx.mirror, connector, events, clock: () => timers.now, random, timers, log: (m) => logs.push(m), onAuthExpired: () => {}, ...extra });
  outboxes.push(o);
  return o;
}

/** A server whose clock agrees with ours, with both conversations. */
function server(idempotentSend: boolean): FakeConnector {
  const connector = new FakeConnector({ idempotentSend });
  connector.addConversation('a');
  connector.addConversation('b');
  const real = connector.sendReply.bind(connector);
  connector.sendReply = async (remoteId, content, clientId) => {
    const m = await real(remoteId, content, clientId);
    const stored = connector.server.get(remoteId)!.messages.at(-1)!;
    stored.createdAt = timers.now;
    return { ...m, createdAt: timers.now };
  };
  return connector;
}

/** The reply reaches the server, but its answer is lost (a timeout after the write). */
function loseAnswerOnce(connector: FakeConnector): void {
  const real = connector.sendReply.bind(connector);
  let lose = true;
  connector.sendReply = async (...args) => {
    const m = await real(...args);
    if (!lose) return m;
    lose = false;
    throw new ConnectorError('transient', 'timed out');
  };
}

const message = (id: number) => ctx.mirror.messages.get(id)!;
const history = (c: FakeConnector) => c.count('messagesBefore');

/** An outbox whose reply failed once for now (HTTP 503) and waits out its backoff. */
async function replyWaitingBackoff(connector: FakeConnector): Promise<Outbox> {
  connector.next('sendReply', () => {
    throw new ConnectorError('transient', 'HTTP 503');
  });
  const outbox = outboxFor(connector);
  outbox.enqueueReply(conversation.id, 'hello', CLIENT);
  await waitFor(() => ctx.mirror.outbox.byClientId(CLIENT)?.attempts === 1, 5000, 'the failure');
  return outbox;
}

/** The queued status change is not sent before `ms` from now, and is sent at `ms`. */
async function statusSentAfter(connector: FakeConnector, ms: number): Promise<void> {
  expect(connector.count('setStatus')).toBe(0);
  timers.advance(ms - 1);
  await settle();
  expect(connector.count('setStatus')).toBe(0);
  timers.advance(1);
  await waitFor(() => connector.count('setStatus', 'ok') === 1, 5000, `the status sent after ${ms} ms`);
}

describe('outbox paths', () => {
  it('no idempotent send: the first attempt records its time and reads no history; after a lost answer the retry finds the reply and does not send it again', async () => {
    const connector = server(false);
    loseAnswerOnce(connector);
    const outbox = outboxFor(connector);
    const reply = outbox.enqueueReply(conversation.id, 'hello', CLIENT);
    await waitFor(() => ctx.mirror.outbox.byClientId(CLIENT)?.attempts === 1, 5000, 'the lost answer');
    expect(history(connector)).toBe(0);
    expect(JSON.parse(ctx.mirror.outbox.byClientId(CLIENT)!.payload)).toMatchObject({ attemptedAt: 1_000_000 });
    timers.advance(60_000);
    await waitFor(() => message(reply.id).delivery === 'sent' && outbox.counts().pending === 0, 5000, 'found on the server');
    expect(connector.contents('a')).toEqual(['hello']);
    expect(connector.count('sendReply')).toBe(1);
    expect(history(connector)).toBe(1);
    const copy = connector.server.get('a')!.messages[0]!;
    expect(logs).toContain(`outbox: reply ${CLIENT} was already on the server (${copy.remoteId}); not sent again`);
  });

  it('no idempotent send: after a restart long past the first attempt, the history is searched from that attempt', async () => {
    const connector = server(false);
    const held = connector.hold('sendReply');
    const first = outboxFor(connector);
    first.enqueueReply(conversation.id, 'hello', CLIENT);
    await held.reached;
    // The app dies with the send in flight; the server stored the reply.
    first.stop();
    held.release();
    await waitFor(() => connector.contents('a').length === 1, 5000, 'stored on the server');
    timers.now += 11 * 60_000;
    const second = outboxFor(connector);
    second.kick();
    await waitFor(() => second.counts().pending === 0, 5000, 'settled after the restart');
    expect(connector.contents('a')).toEqual(['hello']);
    expect(connector.count('sendReply')).toBe(1);
  });

  it('idempotent send: a retry sends again with the same client id and reads no history', async () => {
    const connector = server(true);
    loseAnswerOnce(connector);
    const outbox = outboxFor(connector);
    outbox.enqueueReply(conversation.id, 'hello', CLIENT);
    await waitFor(() => ctx.mirror.outbox.byClientId(CLIENT)?.attempts === 1, 5000, 'the lost answer');
    timers.advance(60_000);
    await waitFor(() => outbox.counts().pending === 0, 5000, 'sent again');
    expect(connector.calls.filter((c) => c.method === 'sendReply').map((c) => c.args[2])).toEqual([CLIENT, CLIENT]);
    expect(history(connector)).toBe(0);
  });

  it('sends one item at a time: a reply in another conversation waits for the one in flight', async () => {
    const connector = server(true);
    const held = connector.hold('sendReply');
    const outbox = outboxFor(connector);
    outbox.enqueueReply(conversation.id, 'to a', CLIENT);
    await held.reached;
    outbox.enqueueReply(other.id, 'to b', OTHER);
    await settle();
    expect(connector.count('sendReply')).toBe(1);
    held.release();
    await waitFor(() => outbox.counts().pending === 0, 5000, 'both sent');
    expect(connector.calls.filter((c) => c.method === 'sendReply').map((c) => c.args[0])).toEqual(['a', 'b']);
  });

  it('a transient failure is logged, and leaves one timer however often the outbox is kicked', async () => {
    const connector = server(true);
    const outbox = await replyWaitingBackoff(connector);
    await settle();
    const delay = backoffDelay(1, random);
    expect(logs).toEqual([`outbox: reply for conversation ${conversation.id} failed (HTTP 503); retry in ${delay} ms`]);
    expect(timers.count).toBe(1);
    outbox.kick();
    outbox.enqueueStatus(other.id, 'resolved', OTHER);
    await waitFor(() => connector.count('setStatus', 'ok') === 1, 5000, 'the status sent');
    await settle();
    expect(timers.count).toBe(1);
    outbox.stop();
    expect(timers.count).toBe(0);
  });

  it('reconnected() leaves a paused or stopped queue alone; a running one sends what waited at once', async () => {
    const connector = server(true);
    const outbox = await replyWaitingBackoff(connector);
    const waiting = ctx.mirror.outbox.byClientId(CLIENT)!.nextAttemptAt;
    expect(waiting).toBeGreaterThan(timers.now);
    outbox.pause();
    outbox.reconnected();
    expect(ctx.mirror.outbox.byClientId(CLIENT)!.nextAttemptAt).toBe(waiting);
    outbox.stop();
    outbox.reconnected();
    expect(ctx.mirror.outbox.byClientId(CLIENT)!.nextAttemptAt).toBe(waiting);
    const next = outboxFor(connector);
    next.reconnected();
    await waitFor(() => next.counts().pending === 0, 5000, 'sent at once');
    expect(connector.contents('a')).toEqual(['hello']);
  });

  it('a wait stored before it was clamped (31 years) is brought within the limit, then sent', async () => {
    const connector = server(true);
    const row = ctx.mirror.outbox.add({ accountId, conversationId: conversation.id, kind: 'status', payload: { status: 'resolved' }, clientId: CLIENT, now: timers.now });
    ctx.mirror.outbox.setState(row.id, 'queued', { nextAttemptAt: timers.now + 31 * 365 * 24 * 3600_000 });
    const outbox = outboxFor(connector);
    outbox.kick();
    await settle();
    expect(ctx.mirror.outbox.byClientId(CLIENT)!.nextAttemptAt).toBe(timers.now + MAX_SERVER_WAIT_MS);
    await statusSentAfter(connector, MAX_SERVER_WAIT_MS);
  });

  it('a queue the mirror cannot read is logged and read again after a backoff', async () => {
    const connector = server(true);
    const outbox = outboxFor(connector);
    const real = ctx.mirror.outbox.next.bind(ctx.mirror.outbox);
    let fail = true;
    ctx.mirror.outbox.next = (id) => {
      if (!fail) return real(id);
      fail = false;
      throw new Error('database disk image is malformed');
    };
    outbox.enqueueStatus(conversation.id, 'resolved', CLIENT);
    await settle();
    const delay = backoffDelay(1, random);
    expect(logs).toEqual([`outbox: could not read the queue (database disk image is malformed); trying again in ${delay} ms`]);
    await statusSentAfter(connector, delay);
  });

  it('Retry gives a failed reply a fresh backoff: its next transient failure waits the first step again', async () => {
    const connector = server(true);
    connector.next('sendReply', () => {
      throw new ConnectorError('transient', 'HTTP 503');
    });
    connector.next('sendReply', () => {
      throw new ConnectorError('rejected', 'Refused by the site');
    });
    connector.next('sendReply', () => {
      throw new ConnectorError('transient', 'HTTP 503');
    });
    const outbox = outboxFor(connector);
    const reply = outbox.enqueueReply(conversation.id, 'hello', CLIENT);
    await waitFor(() => ctx.mirror.outbox.byClientId(CLIENT)?.attempts === 1, 5000, 'the first failure');
    timers.advance(60_000);
    await waitFor(() => message(reply.id).delivery === 'failed', 5000, 'refused');
    expect(outbox.retry(CLIENT)).toBe(true);
    await waitFor(() => connector.count('sendReply') === 3 && ctx.mirror.outbox.byClientId(CLIENT)?.state === 'queued', 5000, 'the failure after Retry');
    expect(ctx.mirror.outbox.byClientId(CLIENT)).toMatchObject({ attempts: 1, nextAttemptAt: timers.now + backoffDelay(1, random) });
  });

  it('Discard takes only a failed reply: one still queued or in flight is kept and sent', async () => {
    const connector = server(true);
    const held = connector.hold('sendReply');
    const outbox = outboxFor(connector);
    const reply = outbox.enqueueReply(conversation.id, 'hello', CLIENT);
    await held.reached;
    expect(outbox.discard(CLIENT)).toBe(false);
    expect(ctx.mirror.outbox.byClientId(CLIENT)).toBeDefined();
    held.release();
    await waitFor(() => message(reply.id).delivery === 'sent' && outbox.counts().pending === 0, 5000, 'sent');
  });

  it('a live echo that arrives before the send is answered: no second, empty update', async () => {
    const connector = server(true);
    const real = connector.sendReply.bind(connector);
    connector.sendReply = async (...args) => {
      const m = await real(...args);
      // The socket's echo is applied first (as the live burst does), then the answer comes.
      ctx.mirror.transaction(() => ctx.mirror.messages.apply(conversation.id, [{ ...m }]));
      return m;
    };
    const outbox = outboxFor(connector);
    const reply = outbox.enqueueReply(conversation.id, 'hello', CLIENT);
    await waitFor(() => outbox.counts().pending === 0, 5000, 'the answer');
    expect(message(reply.id).delivery).toBe('sent');
    expect(ctx.mirror.messages.all(conversation.id)).toHaveLength(1);
    const updates = seen.filter((e) => e.name === 'messages.updated').map((e) => (e.payload.messages as unknown[]).length);
    expect(updates.every((n) => n > 0)).toBe(true);
  });
});
