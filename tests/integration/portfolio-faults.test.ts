// What the reference backend never does on its own, switched on with its faults
// (backends/portfolio/src/faults.ts), against the real servers: Pusher error 4009 and a 401 on
// channel authorisation ask the user to sign in again; a 429's Retry-After holds the reply back
// that long; a refused status change is undone to the server's truth.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain';
import { PortfolioConnector, signInPortfolio } from '../../src/main/core/connectors/portfolio/portfolio-connector';
import { EventBus } from '../../src/main/core/events';
import { Outbox } from '../../src/main/core/sync/outbox';
import { FakeTimers } from '../support/fake-timers';
import { Visitor, connectAccount, startTestBackend, startTestCore, waitFor, type TestBackend, type TestCore } from '../support/portfolio-harness';
import { openTempMirror, tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function backend(): Promise<TestBackend> {
  const b = await startTestBackend();
  cleanups.push(() => b.close());
  return b;
}
async function core(): Promise<TestCore> {
  const t = tempDir('switchboard-core-');
  cleanups.push(() => t.cleanup());
  const c = await startTestCore(t.dir);
  cleanups.push(() => c.close());
  return c;
}
const live = (c: TestCore) => waitFor(() => c.state() === 'live', 15_000, `live (now ${c.state()}: ${c.states.at(-1)?.detail})`);
const signInAgain = (c: TestCore) =>
  waitFor(() => c.state() === 'auth-expired' && c.states.at(-1)!.detail?.startsWith('Sign in again'), 15_000, `auth-expired (now ${c.state()}: ${c.states.at(-1)?.detail})`);

async function call<T>(c: TestCore, method: string, input: unknown): Promise<T> {
  const r = await c.core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

describe('portfolio faults against the reference backend', () => {
  it('Pusher error 4009 on the realtime connection asks to sign in again, and signing in brings it back', async () => {
    const b = await backend();
    const c = await core();
    const accountId = await connectAccount(c.core, b);
    await live(c);
    b.faults.refusePusherSignIn();
    await b.restartPusher(); // the client reconnects and is refused
    await signInAgain(c);
    expect(c.states.at(-1)!.detail).toContain('realtime server refused the sign-in');
    b.faults.clear();
    await call(c, 'accounts.signIn', { kind: 'portfolio', accountId, email: b.admin.email, password: b.admin.password });
    await live(c);
  });

  it('a 401 on channel authorisation asks to sign in again', async () => {
    const b = await backend();
    b.faults.refuseChannelAuth();
    const c = await core();
    await connectAccount(c.core, b);
    await signInAgain(c);
    expect(b.faults.answered.get('POST /api/pusher/auth')).toBeGreaterThan(0);
    expect(c.states.some((s) => s.state === 'live')).toBe(false);
  });

  it("a 429's Retry-After holds the reply back that long, then it is sent once", async () => {
    const b = await backend();
    const visitor = await new Visitor(b.apiUrl, 'Rate limited').open();
    await visitor.send('hello?');
    const ctx = openTempMirror();
    cleanups.push(() => ctx.close());
    const { mirror } = ctx;
    const { token } = await signInPortfolio(b.apiUrl, b.admin.email, b.admin.password);
    const connector = new PortfolioConnector({ baseUrl: b.apiUrl, pusher: b.pusherSettings, extensions: true, token: () => token });
    const account = mirror.accounts.create({ kind: 'portfolio', name: 'Site', baseUrl: b.apiUrl }, 0);
    const conversation = mirror.transaction(() => mirror.conversations.upsert(account.id, { remoteId: String(visitor.conversationId), createdAt: 0 }, 0)).row;
    const timers = new FakeTimers(1_000_000);
    const outbox = new Outbox({
      accountId: account.id, mirror, connector, events: new EventBus(), clock: () => timers.now, random: () => 0, timers,
      log: () => {}, onAuthExpired: () => { throw new Error('not an auth failure'); },
    });
    cleanups.push(() => outbox.stop());
    const visitorSends = b.faults.hitCount('POST', '/api/chat/send');
    b.faults.rateLimit('POST', '/api/chat/send', 7);
    const reply = outbox.enqueueReply(conversation.id, 'after the limit', randomUUID());
    const sends = () => b.faults.hitCount('POST', '/api/chat/send') - visitorSends;
    const queued = await waitFor(() => (sends() === 1 && mirror.outbox.next(account.id)?.attempts === 1 ? mirror.outbox.next(account.id) : null), 10_000, 'the refused send');
    expect(queued!.nextAttemptAt - timers.now).toBe(7000);
    timers.advance(6999);
    await new Promise((r) => setImmediate(r));
    expect(sends()).toBe(1);
    timers.advance(1);
    await waitFor(() => mirror.messages.get(reply.id)?.delivery === 'sent', 10_000, 'reply sent');
    expect(sends()).toBe(2);
    expect(b.api.listAllMessages().filter((m) => m.content === 'after the limit')).toHaveLength(1);
  });

  it("a status change the server refuses is undone to the server's status", async () => {
    const b = await backend();
    const visitor = await new Visitor(b.apiUrl, 'Refused').open();
    await visitor.send('please keep this open');
    const later = await new Visitor(b.apiUrl, 'Later').open();
    await later.send('I came later');
    const c = await core();
    const accountId = await connectAccount(c.core, b);
    await live(c);
    // Newer activity elsewhere, so the refused conversation is behind the account's catch-up cursor.
    await later.send('and again');
    await waitFor(() => c.core.mirror.messages.all(c.core.mirror.conversations.findByRemote(accountId, String(later.conversationId))!.id).length === 2, 10_000, 'newer activity');
    const conversation = c.core.mirror.conversations.findByRemote(accountId, String(visitor.conversationId))!;
    b.faults.refuseStatusChange('Only the site can resolve this conversation');
    await call(c, 'conversations.setStatus', { conversationId: conversation.id, status: 'resolved' });
    expect(c.core.mirror.conversations.get(conversation.id)?.status).toBe('resolved'); // shown at once
    await waitFor(() => b.faults.answered.get(`PATCH /api/chat/conversations/${visitor.conversationId}`), 10_000, 'the refused PATCH');
    await waitFor(() => c.core.mirror.conversations.get(conversation.id)?.status === 'active', 10_000, `status back to active (now ${c.core.mirror.conversations.get(conversation.id)?.status})`);
    expect(await call(c, 'outbox.counts', undefined)).toEqual([expect.objectContaining({ accountId, pending: 0, failed: 0 })]);
  });

  it('a reply the server refused: Retry sends it once, Discard removes it and the failed count drops', async () => {
    const b = await backend();
    const visitor = await new Visitor(b.apiUrl, 'Refusals').open();
    await visitor.send('hello?');
    const c = await core();
    const accountId = await connectAccount(c.core, b);
    await live(c);
    const conversation = c.core.mirror.conversations.findByRemote(accountId, String(visitor.conversationId))!;
    const failedCount = async () => (await call<{ failed: number }[]>(c, 'outbox.counts', undefined))[0]!.failed;
    b.faults.add({ method: 'POST', path: '/api/chat/send', status: 400, error: 'Message refused', times: 2 });
    const kept = await call<Message>(c, 'messages.send', { conversationId: conversation.id, content: 'try me again', clientId: randomUUID() });
    const dropped = await call<Message>(c, 'messages.send', { conversationId: conversation.id, content: 'drop me', clientId: randomUUID() });
    await waitFor(() => c.core.mirror.messages.get(dropped.id)?.delivery === 'failed' && c.core.mirror.messages.get(kept.id)?.delivery === 'failed', 10_000, 'both refused');
    expect(c.core.mirror.messages.get(kept.id)?.failureReason).toBe('Message refused');
    expect(await failedCount()).toBe(2);

    expect((await call<Message>(c, 'outbox.retry', { messageId: kept.id })).delivery).toBe('pending');
    await waitFor(() => c.core.mirror.messages.get(kept.id)?.delivery === 'sent', 10_000, 'sent after Retry');
    expect(b.api.listAllMessages().filter((m) => m.content === 'try me again')).toHaveLength(1);
    expect(await failedCount()).toBe(1);

    await call(c, 'outbox.discard', { messageId: dropped.id });
    expect(await failedCount()).toBe(0);
    expect(c.core.mirror.messages.get(dropped.id)).toBeUndefined();
    expect(b.api.listAllMessages().filter((m) => m.content === 'drop me')).toHaveLength(0);
  });
});
