// CatchUp's guards and choices that mutation testing found untested, through a fake connector
// over an in-memory server, a real SQLite mirror and fake timers: one listing at a time, nothing
// said or retried after stop, a catch-up's store error not holding back live events, one retry
// timer however many failures, which listed conversations are fetched (page-back lists that name
// everything, cursor lists without activity times, a reconcile), a reconcile asked mid-catch-up,
// the page-back gap owed while a conversation is refused, and what the poller is told.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type Page } from '../../src/main/core/connectors/connector';
import type { RemoteFeedEntry } from '../../src/main/core/mirror/types';
import { FakeConnector } from '../support/fake-server-connector';
import { waitFor } from '../support/portfolio-harness';
import { SyncEngineFixture, calls, idle, listCalls, named } from '../support/sync-engine';

/** A page-back site as deployed: its list ignores `since` and names every conversation each time. */
function listsEverything(connector: FakeConnector): FakeConnector {
  const real = connector.listConversations.bind(connector);
  connector.listConversations = (options) => real({ ...options, since: null });
  return connector;
}

const walked = (c: FakeConnector): unknown[] => calls(c, 'messagesBefore').map((a) => a[0]);
const fetchedAfter = (c: FakeConnector): unknown[] => calls(c, 'messagesAfter').map((a) => a[0]);

class PollFeedConnector extends FakeConnector {
  feed: RemoteFeedEntry[] = [];
  constructor() {
    super({ shape: 'feed', catchUp: 'poll', serverStatus: false, idempotentSend: false });
  }
  async listFeed(): Promise<Page<RemoteFeedEntry>> {
    return { items: [...this.feed].reverse(), next: null };
  }
}

describe('CatchUp guards', () => {
  let f: SyncEngineFixture;
  beforeEach(() => {
    f = new SyncEngineFixture();
  });
  afterEach(() => f.close());

  it('requests while a catch-up runs start no second listing; one more catch-up follows it', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    const e = await f.started(connector);
    const held = connector.hold('listConversations');
    e.sync.resync('first');
    await held.reached;
    e.sync.resync('second');
    e.sync.resync('third');
    await idle();
    expect(listCalls(connector)).toHaveLength(2);
    held.release();
    await waitFor(() => listCalls(connector).length === 3 && e.sync.status.state === 'live', 5000, 'the catch-up after it');
    await idle();
    expect(listCalls(connector)).toHaveLength(3);
  });

  it('a listing that fails after stop is not logged, not shown and not retried', async () => {
    const connector = new FakeConnector();
    let fail!: () => void;
    let reached!: () => void;
    const isReached = new Promise<void>((r) => (reached = r));
    connector.next('listConversations', async () => {
      reached();
      await new Promise<void>((r) => (fail = r));
      throw new ConnectorError('transient', 'the site went away');
    });
    const e = f.engine(connector);
    await e.sync.start();
    await isReached;
    await e.sync.stop();
    const published = named(e, 'connection.state').length;
    fail();
    await waitFor(() => connector.calls.every((c) => c.outcome !== 'pending'), 5000, 'the failed call');
    await idle();
    expect(e.logs.filter((l) => l.includes('failed'))).toEqual([]);
    expect(named(e, 'connection.state')).toHaveLength(published);
    expect(e.sync.status).toEqual({ state: 'offline', detail: null });
    expect(f.timers.count).toBe(0);
  });

  it("a catch-up's store error does not hold back live events: they are written on the next turn", async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    const set = f.ctx.mirror.accounts.setLastSynced.bind(f.ctx.mirror.accounts);
    let fail = true;
    f.ctx.mirror.accounts.setLastSynced = (...args) => {
      if (!fail) return set(...args);
      fail = false;
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const e = f.engine(connector);
    await e.sync.start();
    await waitFor(() => e.sync.status.detail?.startsWith('Could not save') === true, 5000, 'the store error');
    // Only the catch-up's own retry waits; no retry of live writes.
    expect(f.timers.count).toBe(1);
    connector.sink!.messages('a', [{ remoteId: '900', seq: 900, senderType: 'visitor', content: 'live', createdAt: 5000 }]);
    await idle();
    expect(f.contents('a')).toEqual(['a1', 'live']);
  });

  it('a stale fetch that fails while a catch-up retry waits leaves one retry, not two', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    connector.next('listConversations', () => {
      throw new ConnectorError('transient', 'down');
    });
    connector.next('messagesAfter', () => {
      throw new ConnectorError('transient', 'still down');
    });
    const e = f.engine(connector);
    await e.sync.start();
    await waitFor(() => e.sync.status.detail === 'Could not sync: down', 5000, 'the failed catch-up');
    connector.sink!.stale('a');
    await waitFor(() => e.sync.status.detail === 'Could not sync: still down', 5000, 'the failed fetch');
    expect(f.timers.count).toBe(1);
    f.timers.advance(2000);
    await f.live(e);
    await idle();
    expect(listCalls(connector)).toHaveLength(2);
    expect(f.contents('a')).toEqual(['a1']);
  });

  it('page-back lists that name every conversation: nothing new walks nothing; a new message walks only its conversation', async () => {
    const connector = listsEverything(new FakeConnector({ catchUp: 'page-back', idempotentSend: false }));
    connector.addMessage('a', 'a1');
    connector.addMessage('b', 'b1');
    const e = await f.started(connector);
    expect(walked(connector).sort()).toEqual(['a', 'b']);
    connector.calls.length = 0;
    e.sync.resync('nothing new');
    await waitFor(() => listCalls(connector).length === 1 && e.sync.status.state === 'live', 5000, 'the quiet catch-up');
    expect(walked(connector)).toEqual([]);
    connector.addMessage('b', 'b2');
    e.sync.resync('b moved');
    await waitFor(() => f.contents('b').length === 2 && e.sync.status.state === 'live', 5000, 'the catch-up of b');
    expect(walked(connector)).toEqual(['b']);
  });

  it('the account cursor moves forward with every catch-up, so the next list starts from the newest one', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    const e = await f.started(connector);
    const first = f.ctx.mirror.cursors.get(f.accountId, 'account');
    expect(first).not.toBeNull();
    const b1 = connector.addMessage('b', 'b1');
    e.sync.resync('b is new');
    await waitFor(() => f.contents('b').length === 1 && e.sync.status.state === 'live', 5000, 'the catch-up of b');
    const second = f.ctx.mirror.cursors.get(f.accountId, 'account');
    expect(second).toBe(new Date(b1.createdAt).toISOString());
    expect(Date.parse(second!)).toBeGreaterThan(Date.parse(first!));
    e.sync.resync('again');
    await waitFor(() => listCalls(connector).length === 3 && e.sync.status.state === 'live', 5000, 'the third catch-up');
    expect(listCalls(connector)[2]!.since).toBe(second);
  });

  it('cursor kinds: every conversation the list names is fetched, even when the list gives no activity times', async () => {
    const connector = new FakeConnector();
    const real = connector.listConversations.bind(connector);
    connector.listConversations = async (options) => {
      const page = await real(options);
      return { ...page, items: page.items.map(({ lastMessageAt: _l, ...c }) => c) };
    };
    connector.addMessage('a', 'a1');
    connector.addMessage('b', 'b1');
    const e = await f.started(connector);
    connector.calls.length = 0;
    connector.addMessage('a', 'a2');
    e.sync.resync('a moved');
    await waitFor(() => f.contents('a').length === 2 && e.sync.status.state === 'live', 5000, 'the catch-up of a');
    expect(fetchedAfter(connector)).toEqual(['a']);
  });

  it('cursor kinds: a reconcile lists everything but fetches only conversations whose activity moved', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    connector.addMessage('b', 'b1');
    const e = await f.started(connector);
    connector.calls.length = 0;
    e.sync.reconcile('status refused');
    await waitFor(() => listCalls(connector).length === 1 && e.sync.status.state === 'live', 5000, 'the reconcile');
    expect(listCalls(connector)[0]!.since).toBeNull();
    expect(fetchedAfter(connector)).toEqual([]);
  });

  it('a reconcile asked while a catch-up runs is not lost: the next pass lists everything', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    const e = await f.started(connector);
    const cursor = f.ctx.mirror.cursors.get(f.accountId, 'account');
    expect(cursor).not.toBeNull();
    const held = connector.hold('listConversations');
    e.sync.resync('test');
    await held.reached;
    e.sync.reconcile('status refused');
    held.release();
    await waitFor(() => listCalls(connector).length === 3 && e.sync.status.state === 'live', 5000, 'both passes');
    expect(listCalls(connector).slice(1).map((l) => l.since)).toEqual([cursor, null]);
    // Once: the catch-up after it lists from the cursor again.
    e.sync.resync('again');
    await waitFor(() => listCalls(connector).length === 4 && e.sync.status.state === 'live', 5000, 'the next catch-up');
    expect(listCalls(connector)[3]!.since).not.toBeNull();
  });

  it('page-back: while a listed conversation is refused the gap stays owed, so the next catch-up walks conversations with live messages since', async () => {
    const connector = listsEverything(new FakeConnector({ catchUp: 'page-back', idempotentSend: false }));
    connector.addMessage('a', 'a1');
    connector.addMessage('b', 'b1');
    const real = connector.messagesBefore.bind(connector);
    let refuseB = true;
    connector.messagesBefore = async (remoteId, before, limit) => {
      if (remoteId === 'b' && refuseB) throw new ConnectorError('rejected', 'HTTP 404');
      return real(remoteId, before, limit);
    };
    const e = await f.started(connector);
    expect(f.contents('a')).toEqual(['a1']);
    // A live message in a (on the server too): a's activity in the list matches the mirror's.
    const a2 = connector.addMessage('a', 'a2');
    connector.sink!.messages('a', [{ ...a2 }]);
    e.sync.flush();
    refuseB = false;
    connector.calls.length = 0;
    e.sync.resync('test');
    await waitFor(() => f.contents('b').length === 1 && e.sync.status.state === 'live', 5000, 'the catch-up');
    expect(walked(connector).sort()).toEqual(['a', 'b']);
    // Filled now: the next catch-up walks nothing.
    connector.calls.length = 0;
    e.sync.resync('again');
    await waitFor(() => listCalls(connector).length === 1 && e.sync.status.state === 'live', 5000, 'the next catch-up');
    expect(walked(connector)).toEqual([]);
  });

  it('poll kinds: a catch-up that found changes polls again after the interval, one that found nothing waits longer', async () => {
    const connector = new FakeConnector({ catchUp: 'poll', idempotentSend: false, serverStatus: false });
    connector.addMessage('a', 'a1');
    const e = await f.started(connector, { pollIntervals: { focusedMs: 10, backgroundMs: 40, maxFocusedMs: 100, maxBackgroundMs: 400 } });
    expect(f.contents('a')).toEqual(['a1']);
    f.timers.advance(39);
    expect(listCalls(connector)).toHaveLength(1);
    f.timers.advance(1);
    await waitFor(() => listCalls(connector).length === 2 && e.sync.status.state === 'live', 5000, 'the poll after a change');
    // That poll found nothing: twice the interval.
    f.timers.advance(79);
    expect(listCalls(connector)).toHaveLength(2);
    f.timers.advance(1);
    await waitFor(() => listCalls(connector).length === 3, 5000, 'the poll after nothing');
  });

  it('poll kinds with a feed: new feed entries count as a change for the poller', async () => {
    const connector = new PollFeedConnector();
    connector.feed.push({ remoteId: 'f1', type: 'order', title: 'Order 1', body: '', createdAt: 100 });
    const e = await f.started(connector, { pollIntervals: { focusedMs: 10, backgroundMs: 40, maxFocusedMs: 100, maxBackgroundMs: 400 } });
    expect(named(e, 'feed.changed')).toHaveLength(1);
    f.timers.advance(39);
    expect(listCalls(connector)).toHaveLength(1);
    f.timers.advance(1);
    await waitFor(() => listCalls(connector).length === 2 && e.sync.status.state === 'live', 5000, 'the poll after new entries');
  });
});
