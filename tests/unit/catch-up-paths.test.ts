// CatchUp's paths through a fake connector over an in-memory server: paging that goes in circles,
// the account cursor (the newest watermark, kept when a conversation is refused), four fetches at
// once and none started after a failure, the next page asked for while one commits, a store error shown as such and cleared, stop and auth
// while a retry waits, what a page-back list names as changed, the feed walk, and stale hints
// that wait for the catch-up to end.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type Page } from '../../src/main/core/connectors/connector';
import type { RemoteFeedEntry } from '../../src/main/core/mirror/types';
import { FakeConnector } from '../support/fake-server-connector';
import { waitFor } from '../support/portfolio-harness';
import { SyncEngineFixture, calls, idle, inconsistentDetail, listCalls, named } from '../support/sync-engine';


class FeedConnector extends FakeConnector {
  feed: RemoteFeedEntry[] = [];
  feedPage = 2;
  /** A site whose feed pages never end: every page holds new entries and names a next one. */
  endless = false;
  constructor() {
    super({ shape: 'feed', catchUp: 'page-back', serverStatus: false, idempotentSend: false });
  }
  async listFeed({ page }: { page: string | null }): Promise<Page<RemoteFeedEntry>> {
    this.calls.push({ method: 'watch', args: ['listFeed', page], outcome: 'ok' });
    const start = page ? Number(page) : 0;
    if (this.endless) {
      const items = [0, 1].map((i) => ({ remoteId: `e${start + i}`, type: 'order', title: `Order ${start + i}`, body: '', createdAt: 1000 - start - i }));
      return { items, next: String(start + 2) };
    }
    const newestFirst = [...this.feed].reverse();
    const items = newestFirst.slice(start, start + this.feedPage);
    return { items, next: start + this.feedPage < newestFirst.length ? String(start + this.feedPage) : null };
  }
  addEntry(i: number): void {
    this.feed.push({ remoteId: `f${i}`, type: 'order', title: `Order ${i}`, body: `#${i}`, createdAt: 100 + i });
  }
}

describe('CatchUp', () => {
  let f: SyncEngineFixture;
  beforeEach(() => {
    f = new SyncEngineFixture();
  });
  afterEach(() => f.close());

  /** The first page's transaction fails: its cursor write throws, inside the commit. */
  const failFirstCommit = (): { failed: boolean } => {
    const state = { failed: false };
    const set = f.ctx.mirror.cursors.set.bind(f.ctx.mirror.cursors);
    f.ctx.mirror.cursors.set = (accountId, scope, value, at) => {
      if (!state.failed && scope.startsWith('conversation:')) {
        state.failed = true;
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      }
      set(accountId, scope, value, at);
    };
    return state;
  };

  it('a conversation list that keeps answering the same page: stops paging, goes live and says so', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'hello');
    const real = connector.listConversations.bind(connector);
    const pages: (string | null)[] = [];
    connector.listConversations = async (options) => {
      pages.push(options.page);
      return { ...(await real({ ...options, page: null })), next: '1' };
    };
    const e = await f.started(connector);
    expect(pages).toEqual([null, '1']);
    expect(e.sync.status.detail).toBe(inconsistentDetail('the conversation list never ends (page 1 brought nothing new)'));
    expect(f.contents('a')).toEqual(['hello']);
  });

  it('a conversation list whose new pages bring nothing new stops too', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'hello');
    const real = connector.listConversations.bind(connector);
    let n = 0;
    connector.listConversations = async (options) => ({ ...(await real({ ...options, page: null })), next: `p${++n}` });
    const e = await f.started(connector);
    expect(n).toBe(2);
    expect(e.sync.status.detail).toBe(inconsistentDetail('the conversation list never ends (page p2 brought nothing new)'));
  });

  it('a conversation list that names the same next page again, with new conversations on it, stops too', async () => {
    const connector = new FakeConnector();
    let n = 0;
    connector.listConversations = async () => {
      n++;
      connector.addMessage(`c${n}`, `in c${n}`);
      return { items: [{ remoteId: `c${n}`, createdAt: n, lastMessageAt: n }], next: 'x', watermark: null };
    };
    const e = await f.started(connector);
    expect(n).toBe(2);
    expect(e.sync.status.detail).toBe(inconsistentDetail('the conversation list never ends (page x brought nothing new)'));
    // The inconsistency is cleared by the next catch-up that pages normally.
    connector.listConversations = async () => ({ items: [], next: null, watermark: null });
    e.sync.resync('test');
    await waitFor(() => e.sync.status.detail === null && e.sync.status.state === 'live', 5000, 'a clean catch-up');
  });

  it('keeps the newest watermark of all pages as the account cursor', async () => {
    const connector = new FakeConnector();
    connector.listPageSize = 1;
    connector.addMessage('old', 'o');
    const newest = connector.addMessage('new', 'n');
    await f.started(connector);
    // The fake lists newest first: the second page's watermark is older than the first's.
    expect(listCalls(connector)).toHaveLength(2);
    expect(f.ctx.mirror.cursors.get(f.accountId, 'account')).toBe(new Date(newest.createdAt).toISOString());
  });

  it('a listed conversation whose messages are refused: the others sync, the cursor stays, the account says so', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'in a');
    connector.addMessage('b', 'in b');
    const real = connector.messagesAfter.bind(connector);
    connector.messagesAfter = async (remoteId, after, limit) => {
      if (remoteId === 'b') throw new ConnectorError('rejected', 'HTTP 404');
      return real(remoteId, after, limit);
    };
    const e = await f.started(connector);
    expect(f.contents('a')).toEqual(['in a']);
    expect(e.sync.status.detail).toBe(inconsistentDetail('conversation b is listed but its messages are refused: HTTP 404'));
    expect(f.ctx.mirror.cursors.get(f.accountId, 'account')).toBeNull();
    expect(named(e, 'sync.progress')).toEqual([
      { accountId: f.accountId, done: 0, total: 2 },
      { accountId: f.accountId, done: 1, total: 2 },
      { accountId: f.accountId, done: 2, total: 2 },
    ]);
  });

  it('fetches four conversations at once, and starts no more once one failed', async () => {
    const connector = new FakeConnector();
    for (let i = 0; i < 6; i++) connector.addMessage(`c${i}`, `m${i}`);
    let inFlight = 0;
    let most = 0;
    let failOnce = true;
    const asked: string[] = [];
    const real = connector.messagesAfter.bind(connector);
    connector.messagesAfter = async (remoteId, after, limit) => {
      asked.push(remoteId);
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        await idle();
        if (failOnce) {
          failOnce = false;
          throw new ConnectorError('transient', 'timed out');
        }
        return await real(remoteId, after, limit);
      } finally {
        inFlight--;
      }
    };
    const e = f.engine(connector);
    await e.sync.start();
    await waitFor(() => e.sync.status.detail === 'Could not sync: timed out', 5000, 'the failed catch-up');
    expect(most).toBe(4);
    // The three others in flight finish; the last two are not started.
    await waitFor(() => inFlight === 0, 5000, 'the fetches in flight');
    expect(asked).toHaveLength(4);
    expect(f.timers.count).toBe(1);
    f.timers.advance(2000);
    await f.live(e);
    expect(most).toBe(4);
    for (let i = 0; i < 6; i++) expect(f.contents(`c${i}`)).toEqual([`m${i}`]);
  });

  it('asks for the next page while the one before commits; a page whose commit failed is followed by none', async () => {
    const connector = new FakeConnector();
    for (let i = 0; i < 250; i++) connector.addMessage('a', `m${i}`);
    const storedWhenAsked: number[] = [];
    const real = connector.messagesAfter.bind(connector);
    connector.messagesAfter = async (remoteId, after, limit) => {
      storedWhenAsked.push(f.contents('a').length);
      return real(remoteId, after, limit);
    };
    // The first page's transaction fails (its cursor write throws, inside the commit).
    failFirstCommit();
    const e = f.engine(connector);
    await e.sync.start();
    await waitFor(() => e.sync.status.detail?.startsWith('Could not save') === true, 5000, 'the store error');
    // The second page was asked for before the first committed, and then not written.
    expect(storedWhenAsked).toEqual([0, 0]);
    expect(f.contents('a')).toEqual([]);
    f.timers.advance(2000);
    await f.live(e);
    expect(f.contents('a')).toEqual(Array.from({ length: 250 }, (_, i) => `m${i}`));
    expect(storedWhenAsked.slice(2)).toEqual([0, 0, 100]);
  });

  it('a commit that fails while the next page request fails too: the store error is the one shown', async () => {
    const connector = new FakeConnector();
    for (let i = 0; i < 250; i++) connector.addMessage('a', `m${i}`);
    const real = connector.messagesAfter.bind(connector);
    let asked = 0;
    connector.messagesAfter = async (remoteId, after, limit) => {
      asked += 1;
      // The second page's request fails after the first page's commit has failed.
      if (asked === 2) {
        await waitFor(() => commit.failed, 5000, 'the first commit to fail');
        throw new ConnectorError('transient', 'connection reset');
      }
      return real(remoteId, after, limit);
    };
    const commit = failFirstCommit();
    const e = f.engine(connector);
    await e.sync.start();
    await waitFor(() => e.sync.status.detail !== null && e.sync.status.detail !== undefined, 5000, 'an error on the status');
    expect(e.sync.status.detail).toMatch(/^Could not save to this computer's copy of the chats: disk I\/O error/);
    f.timers.advance(2000);
    await f.live(e);
    expect(f.contents('a')).toEqual(Array.from({ length: 250 }, (_, i) => `m${i}`));
  });

  it('a store error while catching up is shown as one (not as a sync error) and cleared by the next catch-up', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'hello');
    const set = f.ctx.mirror.accounts.setLastSynced.bind(f.ctx.mirror.accounts);
    let fail = true;
    f.ctx.mirror.accounts.setLastSynced = (...args) => {
      if (fail) {
        fail = false;
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      }
      return set(...args);
    };
    const e = f.engine(connector);
    await e.sync.start();
    await waitFor(() => e.sync.status.detail?.startsWith('Could not save'), 5000, 'the store error');
    expect(e.sync.status).toEqual({ state: 'syncing', detail: "Could not save to this computer's copy of the chats: database or disk is full. Nothing is lost; retrying." });
    expect(e.logs.some((l) => l.includes('catch-up failed: database or disk is full; retrying in 2000 ms'))).toBe(true);
    f.timers.advance(2000);
    await f.live(e);
    expect(e.sync.status.detail).toBeNull();
  });

  it('a retry that comes due after stop, or while signed out, asks nothing', async () => {
    const connector = new FakeConnector();
    connector.next('listConversations', () => {
      throw new ConnectorError('transient', 'down');
    });
    connector.next('listConversations', () => {
      throw new ConnectorError('transient', 'down');
    });
    const e = f.engine(connector);
    await e.sync.start();
    await waitFor(() => e.sync.status.detail === 'Could not sync: down', 5000, 'the first failure');
    e.sync.markAuthExpired('expired');
    f.timers.advance(60_000);
    await idle();
    expect(listCalls(connector)).toHaveLength(1);
    await e.sync.reauthenticated();
    await waitFor(() => e.sync.status.detail === 'Could not sync: down', 5000, 'the second failure');
    expect(f.timers.count).toBe(1);
    await e.sync.stop();
    expect(f.timers.count).toBe(0);
    f.timers.advance(60_000);
    await idle();
    expect(listCalls(connector)).toHaveLength(2);
  });

  it('stopped while a catch-up waits for the site: no error, no retry, nothing published after offline', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'hello');
    const held = connector.hold('listConversations');
    const e = f.engine(connector);
    await e.sync.start();
    await held.reached;
    await e.sync.stop();
    const published = named(e, 'connection.state').length;
    held.release();
    await waitFor(() => connector.calls.every((c) => c.outcome !== 'pending'), 5000, 'the held call');
    await idle();
    await idle();
    expect(named(e, 'connection.state')).toHaveLength(published);
    expect(e.sync.status).toEqual({ state: 'offline', detail: null });
    expect(f.timers.count).toBe(0);
    expect(f.row('a')).toBeUndefined();
  });

  it('page-back: only conversations whose activity moved, or whose newest message is missing, are walked', async () => {
    const connector = new FakeConnector({ catchUp: 'page-back', idempotentSend: false });
    connector.addMessage('a', 'a1');
    connector.addMessage('b', 'b1');
    connector.addMessage('c', 'c1');
    const e = await f.started(connector);
    const walked = () => calls(connector, 'messagesBefore').map((a) => a[0]);
    expect(walked().sort()).toEqual(['a', 'b', 'c']);
    connector.calls.length = 0;
    connector.addMessage('b', 'b2');
    // c's list entry names a newest message we lack, at the same time as the one we have.
    const c = connector.server.get('c')!;
    const hidden = { ...connector.addMessage('c', 'c2 in the same millisecond'), createdAt: c.messages[0]!.createdAt };
    c.messages[1] = hidden;
    c.lastMessageAt = hidden.createdAt;
    c.lastMessageRemoteId = hidden.remoteId;
    e.sync.resync('test');
    await waitFor(() => f.contents('c').length === 2 && e.sync.status.state === 'live', 5000, 'the resync');
    expect(walked().sort()).toEqual(['b', 'c']);
    expect(f.contents('b')).toEqual(['b1', 'b2']);
  });

  it('feed: walks back page by page to an entry it has, at most 50 pages', async () => {
    const connector = new FeedConnector();
    for (let i = 1; i <= 3; i++) connector.addEntry(i);
    const feedCalls = () => connector.calls.filter((c) => c.args[0] === 'listFeed').map((c) => c.args[1]);
    const e = await f.started(connector);
    expect(feedCalls()).toEqual([null, '2']);
    expect(named(e, 'feed.changed').map((p) => (p.entries as { title: string }[]).map((x) => x.title))).toEqual([['Order 3', 'Order 2'], ['Order 1']]);
    expect(e.sync.status.detail).toBeNull();
    connector.addEntry(4);
    connector.calls.length = 0;
    e.sync.resync('test');
    await waitFor(() => named(e, 'feed.changed').length === 3 && e.sync.status.state === 'live', 5000, 'the new entry');
    expect(feedCalls()).toEqual([null]);
    expect(named(e, 'feed.changed').at(-1)).toMatchObject({ accountId: f.accountId, entries: [expect.objectContaining({ title: 'Order 4' })] });
    // A page of nothing new ends the walk without an event.
    connector.calls.length = 0;
    e.sync.resync('again');
    await waitFor(() => feedCalls().length === 1 && e.sync.status.state === 'live', 5000, 'the quiet resync');
    expect(named(e, 'feed.changed')).toHaveLength(3);
    connector.endless = true;
    connector.calls.length = 0;
    e.sync.resync('endless');
    await waitFor(() => feedCalls().length === 50 && e.sync.status.state === 'live', 5000, 'the endless feed');
    await idle();
    expect(feedCalls()).toHaveLength(50);
  });

  it('a stale hint that comes while a catch-up runs is fetched once it ends', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    const e = await f.started(connector);
    const held = connector.hold('listConversations');
    e.sync.resync('test');
    await held.reached;
    // A message the list will not name (its activity time did not move): only the hint tells of it.
    const a = connector.server.get('a')!;
    const updatedAt = a.updatedAt;
    connector.addMessage('a', 'a2');
    a.updatedAt = updatedAt;
    connector.sink!.stale('a');
    await idle();
    expect(calls(connector, 'messagesAfter')).toHaveLength(1);
    held.release();
    await waitFor(() => f.contents('a').length === 2, 5000, 'the hinted message');
    expect(f.contents('a')).toEqual(['a1', 'a2']);
  });
});
