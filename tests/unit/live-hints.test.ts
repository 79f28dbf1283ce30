// Live events and the fetches they lead to, through a fake connector over an in-memory server:
// the burst (one change per conversation, events for conversations not mirrored yet), the stale
// fetcher (a conversation confirmed before it gets a row, a refused one forgotten, four fetches
// at once, never one twice at once, a failure retried by a catch-up), and the catch-up
// strategies' guards (a site that ignores after=/before=, a page-back gap owed until filled).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { FakeConnector } from '../support/fake-server-connector';
import { waitFor } from '../support/portfolio-harness';
import { SyncEngineFixture, calls, idle, inconsistentDetail, listCalls, named } from '../support/sync-engine';


describe('live events and stale fetches', () => {
  let f: SyncEngineFixture;
  beforeEach(() => {
    f = new SyncEngineFixture();
  });
  afterEach(() => f.close());

  it('two message events of one conversation in one turn are one change for the UI', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'first');
    const e = await f.started(connector);
    const before = named(e, 'messages.added').length;
    connector.sink!.messages('a', [{ remoteId: '700', seq: 700, senderType: 'visitor', content: 'one', createdAt: 3000 }]);
    connector.sink!.messages('a', [{ remoteId: '701', seq: 701, senderType: 'visitor', content: 'two', createdAt: 3001 }]);
    await waitFor(() => f.contents('a').length === 3, 15_000, 'the burst');
    const added = named(e, 'messages.added').slice(before);
    expect(added).toHaveLength(1);
    expect((added[0]!.messages as { content: string }[]).map((m) => m.content)).toEqual(['one', 'two']);
    expect(f.ctx.mirror.conversations.get(f.row('a')!.id)).toMatchObject({ lastMessagePreview: 'two', unreadCount: 3 });
  });

  it('reads and deletions of a conversation not mirrored are ignored; an edit of a message not here yet fetches it', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'first');
    const e = await f.started(connector);
    connector.sink!.read('ghost', ['1'], 5, 'visitor');
    connector.sink!.deleted('ghost', ['1'], 5);
    e.sync.flush();
    expect(f.row('ghost')).toBeUndefined();
    expect(calls(connector, 'messagesAfter')).toHaveLength(1);
    // Written on the server, but only its edit comes live.
    const m = connector.addMessage('a', 'second');
    connector.sink!.edited('a', [{ remoteId: m.remoteId, content: 'second, edited', editedAt: 6 }]);
    await waitFor(() => f.contents('a').length === 2, 15_000, 'the fetched message');
    expect(f.contents('a')).toEqual(['first', 'second']);
  });

  it('events for a conversation the mirror lacks: confirmed over REST first, its row from the announcement', async () => {
    const connector = new FakeConnector();
    const e = await f.started(connector);
    connector.addMessage('n', 'hello from n');
    connector.sink!.conversation({ remoteId: 'n', visitorName: 'Nia', createdAt: 10 });
    connector.sink!.stale('n');
    await waitFor(() => f.contents('n').length === 1, 15_000, 'the new conversation');
    expect(f.ctx.mirror.conversations.get(f.row('n')!.id)).toMatchObject({ visitorName: 'Nia', lastMessagePreview: 'hello from n' });
    // The probe asks for one message; then the conversation is read from its start.
    expect(calls(connector, 'messagesAfter').slice(0, 2)).toEqual([
      ['n', null, 1],
      ['n', null, 100],
    ]);
    expect(named(e, 'conversations.changed').length).toBeGreaterThan(0);
    // A patch and messages for another unknown one: fetched the same way.
    connector.addMessage('p', 'from p');
    connector.sink!.patch('p', { serverStatus: 'resolved' });
    await waitFor(() => f.contents('p').length === 1, 15_000, 'the patched conversation');
  });

  it('a conversation the site refuses: its placeholder is removed, a stored one kept, an unknown one ignored', async () => {
    const connector = new FakeConnector();
    connector.addMessage('kept', 'stored here');
    const e = await f.started(connector);
    const real = connector.messagesAfter.bind(connector);
    connector.messagesAfter = async (remoteId, after, limit) => {
      if (remoteId === 'gone' || (remoteId === 'ghost' && limit > 1) || remoteId === 'kept') throw new ConnectorError('rejected', 'HTTP 404');
      return real(remoteId, after, limit);
    };
    const changed = named(e, 'conversations.changed').length;
    connector.sink!.stale('gone');
    await waitFor(() => e.logs.some((l) => l.includes('refused conversation gone')), 15_000, 'the refusal');
    expect(e.logs).toContain(`sync ${f.accountId}: the site refused conversation gone (HTTP 404); ignored its realtime events`);
    connector.sink!.stale('ghost');
    await waitFor(() => e.logs.some((l) => l.includes('refused conversation ghost')), 15_000, 'the ghost');
    expect(e.logs).toContain(`sync ${f.accountId}: the site refused conversation ghost (HTTP 404); removed its placeholder`);
    expect(f.row('ghost')).toBeUndefined();
    expect(named(e, 'conversations.changed').slice(changed)).toContainEqual({ accountId: f.accountId, conversationIds: [] });
    connector.sink!.stale('kept');
    await waitFor(() => e.logs.some((l) => l.includes('refused conversation kept')), 15_000, 'the stored one');
    expect(e.logs).toContain(`sync ${f.accountId}: the site refused conversation kept (HTTP 404); kept what is stored`);
    expect(f.contents('kept')).toEqual(['stored here']);
    expect(e.sync.status).toEqual({ state: 'live', detail: null });
  });

  it('fetches four hinted conversations at once, one conversation never twice at once, and a failure is retried by a catch-up', async () => {
    const connector = new FakeConnector();
    for (let i = 0; i < 6; i++) connector.addMessage(`c${i}`, `m${i}`);
    const e = await f.started(connector);
    // Only the hints tell of the new messages: the list does not name them (their activity time did not move).
    for (let i = 0; i < 6; i++) {
      const c = connector.server.get(`c${i}`)!;
      const updatedAt = c.updatedAt;
      connector.addMessage(`c${i}`, `n${i}`);
      c.updatedAt = updatedAt;
    }
    let inFlight = 0;
    let most = 0;
    const perConversation = new Map<string, number>();
    let twiceAtOnce = false;
    let fail = true;
    const real = connector.messagesAfter.bind(connector);
    connector.messagesAfter = async (remoteId, after, limit) => {
      inFlight++;
      most = Math.max(most, inFlight);
      perConversation.set(remoteId, (perConversation.get(remoteId) ?? 0) + 1);
      if (perConversation.get(remoteId)! > 1) twiceAtOnce = true;
      try {
        await idle();
        await idle();
        if (remoteId === 'c5' && fail) {
          fail = false;
          throw new ConnectorError('transient', 'c5 timed out');
        }
        return await real(remoteId, after, limit);
      } finally {
        inFlight--;
        perConversation.set(remoteId, perConversation.get(remoteId)! - 1);
      }
    };
    for (let i = 0; i < 6; i++) connector.sink!.stale(`c${i}`);
    connector.sink!.stale('c0'); // again while its fetch runs
    await waitFor(() => e.sync.status.detail === 'Could not sync: c5 timed out', 15_000, 'the failed fetch');
    expect(e.logs.some((l) => l.includes('fetch failed: c5 timed out'))).toBe(true);
    await waitFor(() => inFlight === 0, 15_000, 'the fetches');
    expect(most).toBe(4);
    expect(twiceAtOnce).toBe(false);
    for (let i = 0; i < 5; i++) expect(f.contents(`c${i}`)).toEqual([`m${i}`, `n${i}`]);
    const lists = listCalls(connector).length;
    f.timers.advance(2000);
    await waitFor(() => f.contents('c5').length === 2 && e.sync.status.state === 'live', 15_000, 'the retry');
    expect(listCalls(connector)).toHaveLength(lists + 1);
    expect(e.sync.status.detail).toBeNull();
  });

  it('cursor kinds: a site that ignores after= is not asked for the same page forever', async () => {
    const connector = new FakeConnector();
    for (let i = 0; i < 3; i++) connector.addMessage('a', `m${i}`);
    const real = connector.messagesAfter.bind(connector);
    let asked = 0;
    connector.messagesAfter = async (remoteId) => {
      asked++;
      return { ...(await real(remoteId, null, 2)), next: 'more' };
    };
    const e = await f.started(connector);
    expect(asked).toBe(2);
    expect(e.sync.status.detail).toBe(inconsistentDetail(`conversation a: the next page after message ${connector.server.get('a')!.messages[1]!.remoteId} is the same again`));
    expect(f.contents('a')).toEqual(['m0', 'm1']);
  });

  it('cursor kinds: an empty page ends the walk even when it names a next one', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'm0');
    const real = connector.messagesAfter.bind(connector);
    let asked = 0;
    connector.messagesAfter = async (remoteId, after, limit) => {
      asked++;
      return after === null ? real(remoteId, after, limit).then((p) => ({ ...p, next: 'x' })) : { items: [], next: 'y' };
    };
    const e = await f.started(connector);
    expect(asked).toBe(2);
    expect(e.sync.status.detail).toBeNull();
  });

  it('page-back kinds: a site that ignores before= is not asked for the same page forever', async () => {
    const connector = new FakeConnector({ catchUp: 'page-back', idempotentSend: false });
    for (let i = 0; i < 3; i++) connector.addMessage('a', `m${i}`);
    const real = connector.messagesBefore.bind(connector);
    let asked = 0;
    connector.messagesBefore = async (remoteId) => {
      asked++;
      return { ...(await real(remoteId, null, 2)), next: 'older' };
    };
    const e = await f.started(connector);
    expect(asked).toBe(2);
    expect(e.sync.status.detail).toBe(inconsistentDetail('conversation a: the page before older is the same again'));
  });

  it('page-back kinds: an unfinished gap is owed until a catch-up fills it, and walks conversations that got live messages since', async () => {
    const connector = new FakeConnector({ catchUp: 'page-back', idempotentSend: false });
    connector.addMessage('a', 'a1');
    connector.addMessage('b', 'b1');
    const e = await f.started(connector);
    // Written while the link was down: a2 and b2. The catch-up's fetches fail.
    connector.addMessage('a', 'a2');
    connector.addMessage('b', 'b2 missed');
    const fail = () => {
      throw new ConnectorError('transient', 'down');
    };
    connector.next('messagesBefore', fail).next('messagesBefore', fail);
    e.sync.resync('link back');
    await waitFor(() => e.sync.status.detail === 'Could not sync: down', 15_000, 'the failed catch-up');
    await waitFor(() => connector.calls.every((c) => c.outcome !== 'pending'), 15_000, 'the failed fetches');
    // Then a page of messages comes live: b's list entry now matches what the mirror has, and its
    // newest page holds only those, yet b2 is missing behind them.
    const live = Array.from({ length: 100 }, (_, i) => connector.addMessage('b', `b live ${i}`));
    connector.sink!.messages('b', live.map((m) => ({ ...m })));
    e.sync.flush();
    expect(f.contents('b')).toHaveLength(101);
    f.timers.advance(2000);
    await waitFor(() => f.contents('b').length === 102 && e.sync.status.state === 'live', 15_000, 'the owed walk');
    expect(f.contents('b').slice(0, 3)).toEqual(['b1', 'b2 missed', 'b live 0']);
    expect(f.contents('a')).toEqual(['a1', 'a2']);
    // Filled: the next catch-up owes nothing, and walks nothing that did not move.
    connector.calls.length = 0;
    e.sync.resync('again');
    await waitFor(() => listCalls(connector).length === 1 && e.sync.status.state === 'live', 15_000, 'the quiet catch-up');
    await idle();
    expect(calls(connector, 'messagesBefore')).toEqual([]);
  });

  it('poll kinds whose connector watches its list itself: no poll timer; the limitation is said on the account', async () => {
    const connector = Object.assign(new FakeConnector({ catchUp: 'poll', idempotentSend: false, serverStatus: false }), { pollsItself: true });
    const e = await f.started(connector, { pollIntervals: { focusedMs: 10, backgroundMs: 10, maxFocusedMs: 10, maxBackgroundMs: 10 } });
    expect(e.sync.status.detail).toMatch(/^This site has no live channel for the whole account/);
    expect(f.timers.count).toBe(0);
    f.timers.advance(1000);
    e.sync.setFocused(true);
    await idle();
    expect(listCalls(connector)).toHaveLength(1);
  });

  it('a live write the mirror refuses is retried after 1 s, then 2 s; past 20,000 waiting events they are dropped and fetched again', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    const e = await f.started(connector);
    const real = f.ctx.mirror.transaction.bind(f.ctx.mirror);
    let full = true;
    let attempts = 0;
    f.ctx.mirror.transaction = <T>(fn: () => T): T => {
      if (!full) return real(fn);
      attempts++;
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const a2 = connector.addMessage('a', 'a2');
    connector.sink!.messages('a', [{ ...a2 }]);
    e.sync.flush();
    expect(attempts).toBe(1);
    expect(e.sync.status.detail).toBe("Could not save to this computer's copy of the chats: database or disk is full. Nothing is lost; retrying.");
    expect(e.logs).toContain(`sync ${f.accountId}: could not save to the local mirror (SQLITE_FULL: database or disk is full); retrying`);
    e.sync.flush(); // waiting out the refused write: the timer flushes
    expect(attempts).toBe(1);
    f.timers.advance(999);
    expect(attempts).toBe(1);
    f.timers.advance(1);
    expect(attempts).toBe(2);
    f.timers.advance(1999);
    expect(attempts).toBe(2);
    for (let i = 0; i < 20_000; i++) connector.sink!.visitorOnline('a', i % 2 === 0);
    f.timers.advance(1);
    expect(attempts).toBe(3);
    expect(e.logs).toContain(`sync ${f.accountId}: 20001 live events wait for the mirror; dropping them, the next catch-up fetches them again`);
    full = false;
    const lists = listCalls(connector).length;
    f.timers.advance(4000);
    await waitFor(() => f.contents('a').length === 2 && e.sync.status.state === 'live' && e.sync.status.detail === null, 15_000, 'the catch-up after the store recovered');
    expect(listCalls(connector)).toHaveLength(lists + 1);
    expect(f.contents('a')).toEqual(['a1', 'a2']);
  });
});
