// Issue 16 item 8: a server's Retry-After (or a stored retry time from before the clamp) never
// parks a reply for longer than MAX_SERVER_WAIT_MS. Real SQLite; the connector is a fake that
// answers "retry after 31 years", which the reference backend never does.
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { EventBus } from '../../src/main/core/events';
import { MAX_SERVER_WAIT_MS } from '../../src/main/core/sync/backoff';
import { Outbox } from '../../src/main/core/sync/outbox';
import { FakeConnector } from '../support/fake-connector';
import { FakeTimers } from '../support/fake-timers';
import { waitFor } from '../support/portfolio-harness';
import { openTempMirror } from '../support/temp-db';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A real mirror with one conversation, and an outbox over a fake connector whose send the test gives. */
function outboxWith(send: FakeConnector['send'], timers: FakeTimers) {
  const ctx = openTempMirror();
  cleanups.push(() => ctx.close());
  const connector = new FakeConnector();
  connector.send = send;
  const account = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Site', baseUrl: 'http://site' }, 1);
  const conversation = ctx.mirror.transaction(() => ctx.mirror.conversations.upsert(account.id, { remoteId: '1', createdAt: 1 }, 1)).row;
  const start = () => {
    const outbox = new Outbox({ accountId: account.id, mirror: ctx.mirror, connector, events: new EventBus(), clock: () => timers.now, random: () => 0.5, timers, log: () => {}, onAuthExpired: () => {} });
    cleanups.push(() => outbox.stop());
    return outbox;
  };
  return { ctx, account, conversation, start };
}

describe('outbox and Retry-After', () => {
  it('clamps a 31-year Retry-After, and sends once that wait is over', async () => {
    const timers = new FakeTimers(1_000_000);
    let calls = 0;
    const { ctx, account, conversation, start } = outboxWith(async (_r, content, clientId) => {
      if (++calls === 1) throw new ConnectorError('transient', 'busy', 999_999_999 * 1000);
      return { remoteId: '9', clientId, seq: 9, senderType: 'admin', content, createdAt: timers.now };
    }, timers);
    const outbox = start();
    outbox.enqueueReply(conversation.id, 'hello', '00000000-0000-4000-8000-000000000001');
    await waitFor(() => calls === 1 && ctx.mirror.outbox.next(account.id)?.state === 'queued', 5000, 'first attempt');
    const row = ctx.mirror.outbox.next(account.id)!;
    expect(row.nextAttemptAt - timers.now).toBeLessThanOrEqual(MAX_SERVER_WAIT_MS);
    timers.advance(MAX_SERVER_WAIT_MS);
    await waitFor(() => ctx.mirror.outbox.counts(account.id).pending === 0, 5000, 'sent');
    expect(calls).toBe(2);
  });

  it('a retry time stored 31 years ahead (before the clamp) waits no longer than the clamp', async () => {
    const timers = new FakeTimers(1_000_000);
    let calls = 0;
    const { ctx, account, conversation, start } = outboxWith(async (_r, content, clientId) => {
      calls++;
      return { remoteId: '9', clientId, seq: 9, senderType: 'admin', content, createdAt: timers.now };
    }, timers);
    const m = ctx.mirror.messages.insertPending({ conversationId: conversation.id, clientId: 'c-1', senderType: 'admin', senderName: null, content: 'hi', createdAt: 1 });
    const item = ctx.mirror.outbox.add({ accountId: account.id, conversationId: conversation.id, kind: 'reply', payload: { content: 'hi', messageId: m.id }, clientId: 'c-1', now: timers.now });
    ctx.mirror.outbox.setState(item.id, 'queued', { nextAttemptAt: timers.now + 999_999_999_000 });
    const outbox = start();
    outbox.kick();
    await waitFor(() => timers.count === 1, 5000, 'timer armed');
    timers.advance(MAX_SERVER_WAIT_MS);
    await waitFor(() => calls === 1, 5000, 'sent');
  });
});

describe('outbox and a mirror that fails', () => {
  it('a read that throws (the mirror closed or damaged under it) is logged and retried, never an unhandled rejection', async () => {
    const ctx = openTempMirror();
    cleanups.push(() => ctx.temp.cleanup());
    const timers = new FakeTimers(1_000_000);
    const logs: string[] = [];
    const account = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Site', baseUrl: 'http://site' }, 1);
    const outbox = new Outbox({ accountId: account.id, mirror: ctx.mirror, connector: new FakeConnector(), events: new EventBus(), clock: () => timers.now, random: () => 0.5, timers, log: (m) => logs.push(m), onAuthExpired: () => {} });
    cleanups.push(() => outbox.stop());
    // The real driver's error for a connection that is gone.
    ctx.database.sqlite.close();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => void process.off('unhandledRejection', onUnhandled));
    outbox.kick();
    await waitFor(() => logs.some((l) => /outbox: could not read the queue/.test(l)), 5000, 'failure logged');
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);
    expect(timers.count).toBe(1);
  });
});
