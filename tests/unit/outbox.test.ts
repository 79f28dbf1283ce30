// The outbox over a real SQLite mirror with a recording fake connector and fake timers: a
// transient failure waits out its backoff, Retry sends a failed reply again, Discard drops it and
// the failed count with it, and a refused status or read mark hands the conversation back to the
// engine to fetch the server's truth (the end-to-end undo is in portfolio-faults.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { EventBus } from '../../src/main/core/events';
import type { ConversationRow } from '../../src/main/core/mirror/rows';
import { backoffDelay } from '../../src/main/core/sync/backoff';
import { Outbox } from '../../src/main/core/sync/outbox';
import { FakeConnector } from '../support/fake-server-connector';
import { FakeTimers } from '../support/fake-timers';
import { waitFor } from '../support/portfolio-harness';
import { openTempMirror } from '../support/temp-db';

const CLIENT = '00000000-0000-4000-8000-000000000001';

let ctx: ReturnType<typeof openTempMirror>;
let timers: FakeTimers;
let connector: FakeConnector;
let outbox: Outbox;
let conversation: ConversationRow;
let accountId: number;
let rejected: number[];
let counts: { pending: number; failed: number }[];
const random = () => 0.25;

beforeEach(() => {
  ctx = openTempMirror();
  timers = new FakeTimers(1_000_000);
  connector = new FakeConnector();
  connector.addConversation('a');
  accountId = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Fake', baseUrl: 'http://fake' }, 0).id;
  conversation = ctx.mirror.transaction(() => ctx.mirror.conversations.upsert(accountId, { remoteId: 'a', createdAt: 1 }, 1)).row;
  rejected = [];
  counts = [];
  const events = new EventBus();
  events.subscribe((name, payload) => {
    if (name === 'outbox.counts') counts.push({ pending: (payload as { pending: number }).pending, failed: (payload as { failed: number }).failed });
  });
  outbox = new Outbox({
    accountId, mirror: ctx.mirror, connector, events, clock: () => timers.now, random, timers, log: () => {},
    onAuthExpired: () => {}, onRejected: (id) => rejected.push(id),
  });
});
afterEach(() => {
  outbox.stop();
  ctx.close();
});

const settle = () => new Promise((r) => setTimeout(r, 20));
const message = (id: number) => ctx.mirror.messages.get(id)!;
const refuse = (method: 'sendReply' | 'setStatus' | 'markRead', reason = 'Refused by the site') =>
  connector.next(method, () => {
    throw new ConnectorError('rejected', reason);
  });

describe('outbox', () => {
  it('waits out the backoff after a transient failure before it sends again', async () => {
    connector.next('sendReply', () => {
      throw new ConnectorError('transient', 'HTTP 503');
    });
    const reply = outbox.enqueueReply(conversation.id, 'hello', CLIENT);
    await waitFor(() => ctx.mirror.outbox.next(accountId)?.attempts === 1, 5000, 'the failed send');
    const delay = backoffDelay(1, random);
    expect(ctx.mirror.outbox.next(accountId)?.nextAttemptAt).toBe(timers.now + delay);
    timers.advance(delay - 1);
    await settle();
    expect(connector.count('sendReply')).toBe(1);
    expect(message(reply.id).delivery).toBe('pending');
    timers.advance(1);
    await waitFor(() => message(reply.id).delivery === 'sent', 5000, 'sent after the backoff');
    expect(connector.count('sendReply')).toBe(2);
    expect(connector.contents('a')).toEqual(['hello']);
  });

  it('Retry sends a failed reply again, and it is delivered', async () => {
    refuse('sendReply', 'Message too long');
    const reply = outbox.enqueueReply(conversation.id, 'hello', CLIENT);
    await waitFor(() => message(reply.id).delivery === 'failed', 5000, 'failed');
    expect(message(reply.id).failureReason).toBe('Message too long');
    expect(outbox.counts()).toEqual({ pending: 0, failed: 1 });
    expect(connector.contents('a')).toEqual([]);
    expect(outbox.retry(CLIENT)).toBe(true);
    await waitFor(() => message(reply.id).delivery === 'sent', 5000, 'sent after Retry');
    expect(connector.count('sendReply')).toBe(2);
    expect(connector.contents('a')).toEqual(['hello']);
    expect(outbox.counts()).toEqual({ pending: 0, failed: 0 });
    expect(outbox.retry(CLIENT)).toBe(false); // nothing failed is left to retry
  });

  it('Discard drops the failed reply, its outbox row and the failed count', async () => {
    refuse('sendReply');
    const reply = outbox.enqueueReply(conversation.id, 'never mind', CLIENT);
    await waitFor(() => outbox.counts().failed === 1, 5000, 'failed');
    expect(outbox.discard(CLIENT)).toBe(true);
    expect(ctx.mirror.outbox.byClientId(CLIENT)).toBeUndefined();
    expect(outbox.counts()).toEqual({ pending: 0, failed: 0 });
    expect(counts.at(-1)).toEqual({ pending: 0, failed: 0 });
    expect(ctx.mirror.messages.get(reply.id)).toBeUndefined();
    await settle();
    expect(connector.count('sendReply')).toBe(1);
  });

  it('a refused status change or read mark is dropped and handed back to be refetched', async () => {
    refuse('setStatus');
    outbox.enqueueStatus(conversation.id, 'resolved', '00000000-0000-4000-8000-0000000000a1');
    await waitFor(() => rejected.length === 1, 5000, 'status refused');
    refuse('markRead');
    outbox.enqueueRead(conversation.id, ['1'], '00000000-0000-4000-8000-0000000000a2');
    await waitFor(() => rejected.length === 2, 5000, 'read refused');
    expect(rejected).toEqual([conversation.id, conversation.id]);
    // Neither stays behind as "failed": there is nothing the user could retry.
    expect(outbox.counts()).toEqual({ pending: 0, failed: 0 });
    expect(ctx.mirror.outbox.next(accountId)).toBeUndefined();
  });

  // Killing what `npm run mutate` left alive (TESTING.md).
  it('sends a read mark with its ids, and skips an empty one', async () => {
    outbox.enqueueRead(conversation.id, [], '00000000-0000-4000-8000-0000000000b1');
    expect(outbox.counts()).toEqual({ pending: 0, failed: 0 });
    outbox.enqueueRead(conversation.id, ['7', '8'], '00000000-0000-4000-8000-0000000000b2');
    await waitFor(() => connector.count('markRead', 'ok') === 1 && outbox.counts().pending === 0, 5000, 'read sent');
    expect(connector.calls.filter((c) => c.method === 'markRead').map((c) => c.args)).toEqual([['a', ['7', '8']]]);
  });

  it('Retry only takes a failed reply, not one still queued', async () => {
    const held = connector.hold('sendReply');
    outbox.enqueueReply(conversation.id, 'slow', CLIENT);
    await held.reached;
    expect(outbox.retry(CLIENT)).toBe(false); // in flight
    expect(outbox.retry('00000000-0000-4000-8000-00000000ffff')).toBe(false); // unknown
    held.release();
    await waitFor(() => outbox.counts().pending === 0, 5000, 'sent');
    expect(connector.count('sendReply')).toBe(1);
  });

  it('an auth failure pauses the queue until resume(), with nothing dropped', async () => {
    const expired: string[] = [];
    outbox.stop();
    outbox = new Outbox({
      accountId, mirror: ctx.mirror, connector, events: new EventBus(), clock: () => timers.now, random, timers, log: () => {},
      onAuthExpired: (reason) => expired.push(reason),
    });
    connector.next('sendReply', () => {
      throw new ConnectorError('auth', 'Token expired');
    });
    outbox.enqueueReply(conversation.id, 'one', CLIENT);
    outbox.enqueueReply(conversation.id, 'two', '00000000-0000-4000-8000-000000000002');
    await waitFor(() => expired.length === 1, 5000, 'auth failure');
    outbox.kick();
    timers.advance(120_000);
    await settle();
    expect(connector.count('sendReply')).toBe(1);
    expect(outbox.counts()).toEqual({ pending: 2, failed: 0 });
    outbox.resume();
    await waitFor(() => outbox.counts().pending === 0, 5000, 'sent after resume');
    expect(connector.contents('a')).toEqual(['one', 'two']);
  });

  it('sends nothing once stopped, and leaves a send that was in flight to the next start', async () => {
    const held = connector.hold('sendReply');
    const reply = outbox.enqueueReply(conversation.id, 'in flight', CLIENT);
    await held.reached;
    outbox.stop();
    held.release();
    await settle();
    // Its answer is not applied (the database may be closed): the row stays in flight, the message pending.
    expect(ctx.mirror.outbox.byClientId(CLIENT)?.state).toBe('in-flight');
    expect(message(reply.id).delivery).toBe('pending');
    outbox.enqueueReply(conversation.id, 'after stop', '00000000-0000-4000-8000-000000000002');
    outbox.kick();
    timers.advance(60_000);
    await settle();
    expect(connector.count('sendReply')).toBe(1);
  });

  it('a status change or read mark in flight when the outbox stopped stays for the next start', async () => {
    for (const method of ['setStatus', 'markRead'] as const) {
      outbox.stop();
      outbox = new Outbox({ accountId, mirror: ctx.mirror, connector, events: new EventBus(), clock: () => timers.now, random, timers, log: () => {}, onAuthExpired: () => {} });
      const held = connector.hold(method);
      const clientId = method === 'setStatus' ? '00000000-0000-4000-8000-0000000000c1' : '00000000-0000-4000-8000-0000000000c2';
      if (method === 'setStatus') outbox.enqueueStatus(conversation.id, 'resolved', clientId);
      else outbox.enqueueRead(conversation.id, ['1'], clientId);
      await held.reached;
      outbox.stop();
      held.release();
      await waitFor(() => connector.calls.every((c) => c.outcome !== 'pending'), 5000, `${method} answered`);
      await settle();
      const row = ctx.mirror.outbox.byClientId(clientId);
      expect(row?.state, method).toBe('in-flight');
      ctx.mirror.outbox.remove(row!.id);
    }
  });

  it('a send that fails after the outbox stopped leaves its row in flight, not failed or waiting', async () => {
    let fail!: () => void;
    const failing = new Promise<void>((r) => (fail = r));
    const reached = new Promise<void>((reachedSend) =>
      connector.next('sendReply', async () => {
        reachedSend();
        await failing;
        throw new ConnectorError('rejected', 'too late');
      }),
    );
    const reply = outbox.enqueueReply(conversation.id, 'hello', CLIENT);
    await reached;
    outbox.stop();
    fail();
    await waitFor(() => connector.calls.every((c) => c.outcome !== 'pending'), 5000, 'the failed send');
    await settle();
    expect(ctx.mirror.outbox.byClientId(CLIENT)?.state).toBe('in-flight');
    expect(message(reply.id).delivery).toBe('pending');
  });

  it('a delivered reply is one update of its message, with nothing removed', async () => {
    const seen: { name: string; payload: unknown }[] = [];
    const events = new EventBus();
    events.subscribe((name, payload) => {
      if (name === 'messages.removed' || name === 'messages.updated') seen.push({ name, payload });
    });
    outbox.stop();
    outbox = new Outbox({ accountId, mirror: ctx.mirror, connector, events, clock: () => timers.now, random, timers, log: () => {}, onAuthExpired: () => {} });
    const reply = outbox.enqueueReply(conversation.id, 'hello', CLIENT);
    await waitFor(() => message(reply.id).delivery === 'sent' && outbox.counts().pending === 0, 5000, 'sent');
    expect(seen.map((e) => e.name)).toEqual(['messages.updated']);
    expect(seen[0]!.payload).toMatchObject({ conversationId: conversation.id, messages: [expect.objectContaining({ id: reply.id, delivery: 'sent' })] });
  });

  it("shows a reply at once as the list's preview (200 characters) and reports its delivery", async () => {
    const updates: { id: number; delivery: string }[] = [];
    const events = new EventBus();
    events.subscribe((name, payload) => {
      if (name === 'messages.updated') for (const m of (payload as { messages: { id: number; delivery: string }[] }).messages) updates.push({ id: m.id, delivery: m.delivery });
    });
    outbox.stop();
    outbox = new Outbox({ accountId, mirror: ctx.mirror, connector, events, clock: () => timers.now, random, timers, log: () => {}, onAuthExpired: () => {} });
    refuse('sendReply');
    const long = 'x'.repeat(300);
    const reply = outbox.enqueueReply(conversation.id, long, CLIENT);
    expect(ctx.mirror.conversations.get(conversation.id)?.lastMessagePreview).toBe('x'.repeat(200));
    await waitFor(() => message(reply.id).delivery === 'failed', 5000, 'failed');
    outbox.retry(CLIENT);
    await waitFor(() => message(reply.id).delivery === 'sent', 5000, 'sent');
    expect(updates).toEqual([
      { id: reply.id, delivery: 'failed' },
      { id: reply.id, delivery: 'pending' },
      { id: reply.id, delivery: 'sent' },
    ]);
  });
});
