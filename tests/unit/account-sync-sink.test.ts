// AccountSync's face: every connector → engine event of its sink (link, gap, conversation, patch,
// stale, messages, read, typing, AI replies, edits, deletions, feed, presence, warnings) and the
// calls the account service makes (stop, resync, reconcile, markAuthExpired, setFocused, poll
// timing), each driven through a fake connector over an in-memory server and a real SQLite mirror.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountSyncDeps } from '../../src/main/core/sync/account-sync';
import { FakeConnector } from '../support/fake-server-connector';
import { waitFor } from '../support/portfolio-harness';
import { SyncEngineFixture, listCalls as lists, named, type RecordingEngine as Engine } from '../support/sync-engine';

describe('AccountSync sink and controls', () => {
  let f: SyncEngineFixture;
  let accountId: number;
  let timers: SyncEngineFixture['timers'];
  let ctx: SyncEngineFixture['ctx'];
  beforeEach(() => {
    f = new SyncEngineFixture();
    ({ accountId, timers, ctx } = f);
  });
  afterEach(() => f.close());

  const engine = (connector: FakeConnector) => f.engine(connector);
  const liveEngine = (connector = new FakeConnector(), extra: Partial<AccountSyncDeps> = {}): Promise<Engine> => f.started(connector, extra);
  const row = (remoteId: string) => f.row(remoteId)!;
  const contents = (remoteId: string) => f.contents(remoteId);
  const idle = () => new Promise((r) => setImmediate(r));

  it('start says connecting first; stop says offline, stops the connector and writes no more live events', async () => {
    const e = engine(new FakeConnector());
    e.connector.addMessage('a', 'hi');
    await e.sync.start();
    expect(named(e, 'connection.state')[0]).toMatchObject({ accountId, state: 'connecting' });
    await waitFor(() => e.sync.status.state === 'live', 5000, 'live');
    const sink = e.connector.sink!;
    await e.sync.stop();
    expect(e.sync.status).toEqual({ state: 'offline', detail: null });
    expect(named(e, 'connection.state').at(-1)).toMatchObject({ state: 'offline' });
    expect(e.connector.count('disconnect')).toBe(1);
    // A late event from a socket that has not closed yet is not written.
    sink.messages('a', [{ remoteId: '99', seq: 99, senderType: 'visitor', content: 'late', createdAt: 5 }]);
    await idle();
    expect(contents('a')).toEqual(['hi']);
  });

  it('link: auth-expired asks to sign in again (with a default reason); other states are shown with their detail', async () => {
    const e = await liveEngine();
    const sink = e.connector.sink!;
    sink.link('unavailable', 'socket closed');
    expect(e.sync.status).toEqual({ state: 'unavailable', detail: 'socket closed' });
    sink.link('auth-expired');
    expect(e.sync.status).toEqual({ state: 'auth-expired', detail: 'Sign in again: the site refused the sign-in' });
  });

  it('link: auth-expired keeps the reason the connector gave', async () => {
    const e = await liveEngine();
    e.connector.sink!.link('auth-expired', 'token revoked');
    expect(e.sync.status).toEqual({ state: 'auth-expired', detail: 'Sign in again: token revoked' });
  });

  it('markAuthExpired, then reauthenticated: signs in again and catches up to live', async () => {
    const e = await liveEngine();
    e.sync.markAuthExpired('expired');
    expect(e.sync.status).toEqual({ state: 'auth-expired', detail: 'Sign in again: expired' });
    e.connector.addMessage('a', 'while signed out');
    await e.sync.reauthenticated();
    await waitFor(() => e.sync.status.state === 'live', 5000, 'live again');
    expect(contents('a')).toEqual(['while signed out']);
    expect(e.connector.count('connect')).toBe(2);
  });

  it('a refusal from the connection being replaced does not outlast the new sign-in', async () => {
    const connector = new FakeConnector();
    const e = await liveEngine(connector);
    e.sync.markAuthExpired('expired');
    const old = connector.sink!;
    // The old session's poll answers 401 while the engine stops, and again once it has restarted.
    const disconnect = connector.disconnect.bind(connector);
    connector.disconnect = async () => {
      old.link('auth-expired', 'Sign in again: the site no longer accepts the saved sign-in.');
      await disconnect();
    };
    await e.sync.reauthenticated();
    old.link('auth-expired', 'late');
    await waitFor(() => e.sync.status.state === 'live', 5000, 'live after signing in again');
    expect(e.logs.filter((l) => l.includes('a stopped connection reported its sign-in refused; ignored'))).toHaveLength(2);
  });

  it("a refusal that already says 'sign in again' is not prefixed twice; each refusal is logged", async () => {
    const e = await liveEngine();
    e.connector.sink!.link('auth-expired', 'Sign in again: the site no longer accepts the saved sign-in.');
    expect(e.sync.status.detail).toBe('Sign in again: the site no longer accepts the saved sign-in.');
    expect(e.logs.some((l) => l.includes('the site refused the sign-in (Sign in again: the site no longer accepts the saved sign-in.)'))).toBe(true);
  });

  it('gap: logs why and catches up from the cursor', async () => {
    const e = await liveEngine();
    e.connector.addMessage('a', 'missed');
    e.connector.sink!.gap('resubscribed');
    await waitFor(() => ctx.mirror.conversations.findByRemote(accountId, 'a') && contents('a').length === 1 && e.sync.status.state === 'live', 5000, 'caught up');
    expect(e.logs).toContain(`sync ${accountId}: gap (resubscribed)`);
    expect(lists(e.connector)).toHaveLength(2);
  });

  it('resync: logs the reason and catches up; reconcile lists every conversation once, not only those changed since the cursor', async () => {
    const e = await liveEngine(new FakeConnector());
    e.connector.addMessage('a', 'one');
    e.sync.resync('network changed');
    await waitFor(() => lists(e.connector).length === 2 && e.sync.status.state === 'live', 5000, 'resynced');
    expect(e.logs).toContain(`sync ${accountId}: resync (network changed)`);
    const cursor = ctx.mirror.cursors.get(accountId, 'account');
    expect(cursor).not.toBeNull();
    expect(lists(e.connector)[1]!.since).toBeNull(); // the first catch-up found nothing: no cursor yet
    e.sync.reconcile('status refused');
    await waitFor(() => lists(e.connector).length === 3 && e.sync.status.state === 'live', 5000, 'reconciled');
    expect(lists(e.connector)[2]!.since).toBeNull();
    expect(e.logs).toContain(`sync ${accountId}: resync (status refused)`);
    // Only once: the next catch-up lists from the cursor again.
    e.sync.resync('again');
    await waitFor(() => lists(e.connector).length === 4 && e.sync.status.state === 'live', 5000, 'resynced again');
    expect(lists(e.connector)[3]!.since).toBe(ctx.mirror.cursors.get(accountId, 'account'));
    expect(lists(e.connector)[3]!.since).not.toBeNull();
  });

  it('conversation, patch and visitorOnline events update a known conversation; flush applies them at once', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'hello');
    const e = await liveEngine(connector);
    const sink = connector.sink!;
    sink.conversation({ remoteId: 'a', visitorName: 'Ana', createdAt: 1 });
    sink.patch('a', { serverStatus: 'resolved' });
    sink.visitorOnline('a', true);
    e.sync.flush();
    const c = ctx.mirror.conversations.get(row('a').id)!;
    expect(c).toMatchObject({ visitorName: 'Ana', status: 'resolved', visitorOnline: true });
    sink.visitorOnline('a', false);
    e.sync.flush();
    expect(ctx.mirror.conversations.get(row('a').id)!.visitorOnline).toBe(false);
    expect(named(e, 'conversations.changed').at(-1)).toEqual({ accountId, conversationIds: [row('a').id] });
  });

  it('messages, read, edited and deleted events reach the mirror and the UI', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'first');
    const e = await liveEngine(connector);
    const sink = connector.sink!;
    sink.messages('a', [{ remoteId: '500', seq: 500, senderType: 'admin', content: 'reply', createdAt: 2_000 }]);
    e.sync.flush();
    expect(contents('a')).toEqual(['first', 'reply']);
    sink.read('a', ['500'], 2_100, 'visitor');
    e.sync.flush();
    expect(ctx.mirror.messages.all(row('a').id).at(-1)).toMatchObject({ content: 'reply', delivery: 'read' });
    sink.edited('a', [{ remoteId: '500', content: 'reply, edited', editedAt: 2_200 }]);
    e.sync.flush();
    expect(contents('a')).toEqual(['first', 'reply, edited']);
    const edited = ctx.mirror.messages.all(row('a').id).at(-1)!;
    sink.deleted('a', ['500'], 2_300);
    e.sync.flush();
    expect(named(e, 'messages.removed').at(-1)).toEqual({ conversationId: row('a').id, messageIds: [edited.id] });
  });

  it('feed events are stored and announced', async () => {
    const e = await liveEngine(new FakeConnector({ shape: 'feed' }));
    e.connector.sink!.feed([{ remoteId: 'f1', type: 'order', title: 'New order', body: '#1', createdAt: 10 }]);
    e.sync.flush();
    const announced = named(e, 'feed.changed');
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ accountId, entries: [expect.objectContaining({ title: 'New order', body: '#1' })] });
  });

  it('stale: fetches the conversation the event hinted at, without a catch-up', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'one');
    await liveEngine(connector);
    connector.addMessage('a', 'two, only hinted at');
    connector.sink!.stale('a');
    await waitFor(() => contents('a').length === 2, 5000, 'the hinted message');
    expect(contents('a')).toEqual(['one', 'two, only hinted at']);
    expect(lists(connector)).toHaveLength(1);
  });

  it('typing: shown for a known conversation only, not after stop, and a mirror that cannot be read is logged', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'hi');
    const e = await liveEngine(connector);
    const sink = connector.sink!;
    sink.typing('a', 'visitor', true);
    sink.typing('nobody', 'visitor', true);
    expect(named(e, 'typing')).toEqual([{ conversationId: row('a').id, who: 'visitor', isTyping: true }]);
    const find = ctx.mirror.conversations.findByRemote.bind(ctx.mirror.conversations);
    ctx.mirror.conversations.findByRemote = () => {
      throw new Error('database disk image is malformed');
    };
    try {
      sink.typing('a', 'visitor', false);
    } finally {
      ctx.mirror.conversations.findByRemote = find;
    }
    expect(named(e, 'typing')).toHaveLength(1);
    expect(e.logs).toContain(`sync ${accountId}: typing not shown: database disk image is malformed`);
    await e.sync.stop();
    sink.typing('a', 'visitor', false);
    expect(named(e, 'typing')).toHaveLength(1);
  });

  it('aiReplies: the switch is announced for the account', async () => {
    const e = await liveEngine();
    e.connector.sink!.aiReplies!(true);
    e.connector.sink!.aiReplies!(false);
    expect(named(e, 'ai.changed')).toEqual([
      { accountId, enabled: true },
      { accountId, enabled: false },
    ]);
  });

  it('warn: logs a warning once while it repeats, and again after another one', async () => {
    const e = await liveEngine();
    const sink = e.connector.sink!;
    const before = e.logs.length;
    for (const m of ['bad frame', 'bad frame', 'other', 'bad frame']) sink.warn(m);
    expect(e.logs.slice(before)).toEqual([`sync ${accountId}: bad frame`, `sync ${accountId}: other`, `sync ${accountId}: bad frame`]);
  });

  it('poll kinds: the intervals given are used, and focusing the window polls at once', async () => {
    const connector = new FakeConnector({ catchUp: 'poll', idempotentSend: false, serverStatus: false });
    const pollIntervals = { focusedMs: 10, backgroundMs: 40, maxFocusedMs: 100, maxBackgroundMs: 400 };
    const e = await liveEngine(connector, { pollIntervals });
    expect(lists(connector)).toHaveLength(1);
    // Nothing changed: the next poll waits twice the background interval.
    timers.advance(79);
    expect(lists(connector)).toHaveLength(1);
    timers.advance(1);
    await waitFor(() => lists(connector).length === 2 && e.sync.status.state === 'live', 5000, 'the background poll');
    // Focused, a window that has waited the focused interval polls at once, timers or not.
    timers.now += 10;
    e.sync.setFocused(true);
    await waitFor(() => lists(connector).length === 3 && e.sync.status.state === 'live', 5000, 'the poll on focus');
  });

  it('poll kinds: a stopped account polls no more', async () => {
    const connector = new FakeConnector({ catchUp: 'poll', idempotentSend: false, serverStatus: false });
    const e = await liveEngine(connector, { pollIntervals: { focusedMs: 10, backgroundMs: 10, maxFocusedMs: 10, maxBackgroundMs: 10 } });
    await e.sync.stop();
    expect(timers.count).toBe(0);
    timers.advance(1000);
    await idle();
    expect(lists(connector)).toHaveLength(1);
  });
});
