// The sync engine: backoff bounds; the outbox through the AccountService (order, once each, an auth
// pause); AccountSync driven through catch-up, live bursts, restart and failures with a fake
// connector that records every call and does not deduplicate replies; the merge of a reply's echo.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../../src/main/core/accounts/account-service';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { EventBus } from '../../src/main/core/events';
import { PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { AccountSync } from '../../src/main/core/sync/account-sync';
import { backoffDelay } from '../../src/main/core/sync/backoff';
import { Outbox } from '../../src/main/core/sync/outbox';
import type { ConnectionState } from '../../src/shared/domain';
import type { Timers } from '../../src/main/core/sync/timers';
import { openTempMirror } from '../support/temp-db';
import { FakeConnector } from '../support/fake-server-connector';
import { FakeTimers } from '../support/fake-timers';
import { waitFor } from '../support/portfolio-harness';

describe('backoffDelay', () => {
  it('stays within [ceiling/2, ceiling] and the ceiling doubles up to the cap', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      expect(backoffDelay(attempt, () => 0)).toBe(ceiling / 2);
      expect(backoffDelay(attempt, () => 0.999999)).toBeLessThanOrEqual(ceiling);
      expect(backoffDelay(attempt, () => 0.999999)).toBeGreaterThan(ceiling / 2);
    }
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(1000, () => 1)).toBe(60_000);
  });
});

describe('outbox through AccountService with a fake connector', () => {
  let ctx: ReturnType<typeof openTempMirror>;
  let service: AccountService;
  afterEach(async () => {
    await service.stopAll();
    ctx.close();
  });

  it('sends in order per conversation, once each, through transient failures and an auth pause', async () => {
    ctx = openTempMirror();
    let now = 1_000_000;
    // Time moves only when a timer fires: backoff delays pass instantly.
    const timers: Timers = {
      setTimeout: (fn, ms) => setTimeout(() => { now += ms; fn(); }, 1),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    let calls = 0;
    let authFailures = 0;
    // Records every call and stores every reply it accepts, a repeated client id included: a
    // resend would show as a second message.
    const connector = new FakeConnector();
    connector.onConnect = (sink) => sink.link('unavailable', 'fake');
    const realSend = connector.sendReply.bind(connector);
    connector.sendReply = async (conversation, content, clientId) => {
      calls++;
      if (calls % 3 === 0) throw new ConnectorError('transient', 'flaky network');
      if (calls === 10 && authFailures++ === 0) throw new ConnectorError('auth', 'Token expired');
      return realSend(conversation, content, clientId);
    };
    const secrets = new PlainFileSecretStore(`${ctx.temp.dir}/secrets.json`);
    const events = new EventBus();
    // Only the sign-in request goes over this fetch; everything else goes through the fake connector.
    const loginFetch: typeof fetch = async (input) => {
      expect(String(input)).toBe('http://fake/api/admin/login');
      return new Response(JSON.stringify({ success: true, data: { token: 'fresh-token' } }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    service = new AccountService({ mirror: ctx.mirror, events, secrets, connectorFactory: () => connector, clock: () => now, random: () => 0.5, timers, log: () => {}, fetch: loginFetch });
    const account = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Fake', baseUrl: 'http://fake' }, now);
    secrets.set(`account:${account.id}:token`, 'token');
    const conversations = ['a', 'b', 'c'].map((remoteId) => {
      connector.addConversation(remoteId);
      return ctx.mirror.transaction(() => ctx.mirror.conversations.upsert(account.id, { remoteId, createdAt: now }, now)).row;
    });
    await service.startAll();
    const expected: Record<string, string[]> = { a: [], b: [], c: [] };
    for (let i = 0; i < 30; i++) {
      const conversation = conversations[i % 3]!;
      const content = `${conversation.remoteId}-${i}`;
      expected[conversation.remoteId]!.push(content);
      service.sendReply(conversation, content, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    }
    // The auth failure pauses the queue and keeps everything.
    await waitFor(() => authFailures === 1, 5000, 'auth failure');
    await new Promise((r) => setTimeout(r, 50));
    const pendingWhilePaused = ctx.mirror.outbox.counts(account.id).pending;
    expect(pendingWhilePaused).toBeGreaterThan(0);
    expect(service.connectionOf(account.id)?.state).toBe('auth-expired');
    // Signing in again (the public path: new token, reconnect, outbox resumes).
    await service.signIn({ kind: 'portfolio', accountId: account.id, email: 'owner@example.com', password: 'password' });
    expect(JSON.parse(secrets.get(`account:${account.id}:credentials`)!)).toMatchObject({ token: 'fresh-token' });
    await waitFor(() => ctx.mirror.outbox.counts(account.id).pending === 0, 10_000, 'outbox empty');
    for (const c of conversations) {
      expect(connector.contents(c.remoteId)).toEqual(expected[c.remoteId]);
      const rows = ctx.mirror.messages.all(c.id);
      expect(rows.map((m) => m.content)).toEqual(expected[c.remoteId]);
      expect(rows.every((m) => m.delivery === 'sent' && m.remoteId !== null)).toBe(true);
    }
    // Each reply reached the server once (30 accepted sends, 30 client ids), through the failures.
    const accepted = connector.calls.filter((c) => c.method === 'sendReply' && c.outcome === 'ok');
    expect(accepted).toHaveLength(30);
    expect(new Set(accepted.map((c) => c.args[2])).size).toBe(30);
    expect(calls).toBeGreaterThan(40);
  });
});

describe('MessagesRepo.apply', () => {
  it('merges a fetched copy of our own reply (no clientMessageId on the wire) into the pending row', () => {
    const ctx = openTempMirror();
    try {
      const { mirror } = ctx;
      const account = mirror.accounts.create({ kind: 'portfolio', name: 'Bare', baseUrl: 'http://bare' }, 1);
      const conversation = mirror.transaction(() => mirror.conversations.upsert(account.id, { remoteId: '7', createdAt: 1 }, 1)).row;
      const pending = mirror.messages.insertPending({ conversationId: conversation.id, clientId: 'c-1', senderType: 'admin', senderName: null, content: 'hello', createdAt: 5 });
      // A page-back fetch stores the server's copy before the send returns.
      const copy = mirror.transaction(() => mirror.messages.apply(conversation.id, [{ remoteId: '42', seq: 42, senderType: 'admin', content: 'hello', createdAt: 6 }]));
      expect(mirror.messages.all(conversation.id)).toHaveLength(2);
      // Then the send's answer: same remote id, our client id.
      const merged = mirror.transaction(() => mirror.messages.apply(conversation.id, [{ remoteId: '42', clientId: 'c-1', seq: 42, senderType: 'admin', content: 'hello', createdAt: 6 }]));
      // The copy's row is reported as removed, so the renderer drops it (messages.removed).
      expect(merged.removed).toEqual([copy.added[0]!.id]);
      expect(merged.updated.map((m) => m.id)).toEqual([pending.id]);
      const rows = mirror.messages.all(conversation.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: pending.id, remoteId: '42', delivery: 'sent' });
      expect(mirror.searchIndex.search('hello', 10).filter((h) => h.messageId !== null)).toHaveLength(1);
    } finally {
      ctx.close();
    }
  });
});

// ---------------------------------------------------------------- AccountSync itself
// The engine over a real SQLite mirror and a fake connector that records every call, wired like
// the app wires it (the outbox sends again once the account is live; its auth failures stop the sync).
interface Engine {
  sync: AccountSync;
  outbox: Outbox;
  states: { state: ConnectionState; detail: string | null }[];
  progress: { done: number; total: number | null }[];
  lives: number;
  stop(): Promise<void>;
}

describe('AccountSync with a recording fake connector', () => {
  let ctx: ReturnType<typeof openTempMirror>;
  let timers: FakeTimers;
  let accountId: number;
  const engines: Engine[] = [];
  beforeEach(() => {
    ctx = openTempMirror();
    timers = new FakeTimers(1_000_000);
    accountId = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Fake', baseUrl: 'http://fake' }, 0).id;
  });
  afterEach(async () => {
    while (engines.length) await engines.pop()!.stop();
    ctx.close();
  });

  function engine(connector: FakeConnector): Engine {
    const events = new EventBus();
    const e = { states: [], progress: [], lives: 0 } as unknown as Engine;
    events.subscribe((name, payload) => {
      if (name === 'connection.state') e.states.push(payload as Engine['states'][number]);
      if (name === 'sync.progress') e.progress.push(payload as Engine['progress'][number]);
    });
    const common = { accountId, mirror: ctx.mirror, connector, events, clock: () => timers.now, timers, log: () => {} };
    e.outbox = new Outbox({ ...common, random: () => 0, signIn: () => e.sync.signIn, onAuthExpired: (reason, signIn) => e.sync.markAuthExpired(reason, signIn) });
    e.sync = new AccountSync({ ...common, onLive: () => (e.lives++, e.outbox.reconnected()) });
    e.stop = async () => {
      e.outbox.stop();
      await e.sync.stop();
    };
    engines.push(e);
    return e;
  }
  const state = (e: Engine) => e.sync.status.state;
  const live = (e: Engine) => waitFor(() => state(e) === 'live', 5000, `live (now ${state(e)}: ${e.sync.status.detail})`);
  const mirrorContents = (remoteId: string) => {
    const row = ctx.mirror.conversations.findByRemote(accountId, remoteId);
    return row ? ctx.mirror.messages.all(row.id).map((m) => m.content) : [];
  };
  const expectMirrorEqualsServer = (connector: FakeConnector) => {
    for (const [remoteId, c] of connector.server) {
      expect(mirrorContents(remoteId), `conversation ${remoteId}`).toEqual(connector.contents(remoteId));
      expect(ctx.mirror.conversations.get(ctx.mirror.conversations.findByRemote(accountId, remoteId)!.id)?.status).toBe(c.serverStatus);
    }
  };
  const listCalls = (connector: FakeConnector) => connector.calls.filter((c) => c.method === 'listConversations').map((c) => c.args[0] as { since: string | null; page: string | null });

  it('catches up (every page of the list and of each conversation) before it reports live', async () => {
    const connector = new FakeConnector();
    connector.listPageSize = 2;
    for (let i = 0; i < 250; i++) connector.addMessage('long', `long ${i}`);
    for (const id of ['a', 'b', 'c']) connector.addMessage(id, `hello from ${id}`);
    connector.server.get('b')!.serverStatus = 'resolved';
    const e = engine(connector);
    await e.sync.start();
    await live(e);
    expectMirrorEqualsServer(connector);
    expect(e.states.map((s) => s.state)).toEqual(expect.arrayContaining(['connecting', 'syncing', 'live']));
    expect(e.states.findIndex((s) => s.state === 'syncing')).toBeLessThan(e.states.findIndex((s) => s.state === 'live'));
    expect(listCalls(connector)).toEqual([{ since: null, page: null }, { since: null, page: '2' }]);
    expect(connector.calls.filter((c) => c.method === 'messagesAfter' && c.args[0] === 'long')).toHaveLength(3);
    expect(e.progress.at(-1)).toEqual(expect.objectContaining({ done: 4, total: 4 }));
    expect(e.lives).toBe(1);
    expect(ctx.mirror.accounts.get(accountId)?.lastSyncedAt).toBe(timers.now);
  });

  it('applies a burst of live events in one transaction', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'first');
    const e = engine(connector);
    await e.sync.start();
    await live(e);
    const { mirror } = ctx;
    const sqlite = ctx.database.sqlite;
    let transactions = 0;
    const writesOutside: string[] = [];
    const realTransaction = mirror.transaction.bind(mirror);
    mirror.transaction = <T>(fn: () => T): T => {
      transactions++;
      return realTransaction(fn);
    };
    const watch = <K extends string>(repo: Record<K, (...args: never[]) => unknown>, name: K) => {
      const real = repo[name].bind(repo) as (...args: unknown[]) => unknown;
      (repo as Record<K, unknown>)[name] = (...args: unknown[]) => {
        if (!sqlite.inTransaction) writesOutside.push(name);
        return real(...args);
      };
    };
    watch(mirror.conversations as never, 'upsert');
    watch(mirror.messages as never, 'apply');
    watch(mirror.messages as never, 'markReadByRemoteIds');
    // One turn of the event loop: news of a known conversation, two messages, a read receipt, a
    // status. (A conversation known only from an event waits for REST to confirm it: issue 16.)
    const sink = connector.sink!;
    sink.conversation({ remoteId: 'a', visitorName: 'Ana', createdAt: 1 });
    sink.messages('a', [{ remoteId: '900', seq: 900, senderType: 'visitor', content: 'ana here', createdAt: 5001 }]);
    sink.messages('a', [{ remoteId: '901', seq: 901, senderType: 'admin', content: 'our reply', createdAt: 5002 }]);
    sink.read('a', ['901'], 5003, 'visitor');
    sink.patch('a', { serverStatus: 'resolved' });
    await waitFor(() => mirrorContents('a').length === 3, 5000, 'burst applied');
    expect(writesOutside).toEqual([]);
    expect(transactions).toBe(1);
    const a = mirror.conversations.findByRemote(accountId, 'a')!;
    expect(mirror.messages.all(a.id).at(-1)).toMatchObject({ content: 'our reply', delivery: 'read' });
    expect(mirror.conversations.get(a.id)?.status).toBe('resolved');
  });

  it('restarts from its cursors: only what changed is fetched', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    connector.addMessage('b', 'b1');
    const first = engine(connector);
    await first.sync.start();
    await live(first);
    await first.stop();
    const cursor = ctx.mirror.cursors.get(accountId, 'account');
    expect(cursor).not.toBeNull();
    connector.addMessage('b', 'b2 while stopped');
    connector.calls.length = 0;
    const second = engine(connector);
    await second.sync.start();
    await live(second);
    expectMirrorEqualsServer(connector);
    expect(listCalls(connector)).toEqual([{ since: cursor, page: null }]);
    // b from its last known message on; a was not touched.
    const after = connector.calls.filter((c) => c.method === 'messagesAfter').map((c) => c.args.slice(0, 2));
    expect(after).toEqual([['b', connector.server.get('b')!.messages[0]!.remoteId]]);
  });

  it('does not forget a gap reported while a catch-up runs', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'before');
    const held = connector.hold('listConversations');
    const e = engine(connector);
    await e.sync.start();
    await held.reached;
    // While the first list is on its way, a message arrives and a resubscription reports a gap.
    connector.addMessage('a', 'during the catch-up');
    connector.sink!.gap('resubscribed');
    expect(state(e)).toBe('syncing');
    held.release();
    await live(e);
    expect(listCalls(connector)).toHaveLength(2);
    expect(mirrorContents('a')).toEqual(['before', 'during the catch-up']);
  });

  it('keeps the account cursor when a conversation could not be fetched, and fetches it on the retry', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    connector.addMessage('b', 'b1');
    connector.next('messagesAfter', ([remoteId]) => {
      if (remoteId === 'b') throw new ConnectorError('transient', 'b timed out');
    });
    connector.next('messagesAfter', ([remoteId]) => {
      if (remoteId === 'b') throw new ConnectorError('transient', 'b timed out');
    });
    const e = engine(connector);
    await e.sync.start();
    await waitFor(() => e.sync.status.detail?.includes('b timed out'), 5000, 'the failed catch-up');
    expect(state(e)).toBe('syncing');
    expect(ctx.mirror.cursors.get(accountId, 'account')).toBeNull();
    expect(e.lives).toBe(0);
    // The retry waits for its timer, then lists from the old cursor again, so b is not skipped.
    expect(listCalls(connector)).toHaveLength(1);
    timers.advance(2000);
    await live(e);
    expect(listCalls(connector).map((c) => c.since)).toEqual([null, null]);
    expectMirrorEqualsServer(connector);
    expect(e.sync.status.detail).toBeNull();
  });

  it('a catch-up the site answered with Retry-After is not retried before that wait, then goes live', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    connector.next('listConversations', () => {
      throw new ConnectorError('transient', 'busy (HTTP 503)', 30_000);
    });
    const e = engine(connector);
    await e.sync.start();
    await waitFor(() => e.sync.status.detail?.includes('busy') === true, 5000, 'the refused catch-up');
    // Our own backoff would ask again after 2 s; the site asked for 30.
    timers.advance(29_000);
    await new Promise((r) => setImmediate(r));
    expect(listCalls(connector)).toHaveLength(1);
    timers.advance(1000);
    await live(e);
    expect(listCalls(connector)).toHaveLength(2);
    expectMirrorEqualsServer(connector);
  });

  it('a 401 while catching up asks to sign in again, and retries nothing until then', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    connector.next('messagesAfter', () => {
      throw new ConnectorError('auth', 'Token expired');
    });
    const e = engine(connector);
    await e.sync.start();
    await waitFor(() => state(e) === 'auth-expired', 5000, `auth-expired (now ${state(e)})`);
    expect(e.sync.status.detail).toBe('Sign in again: Token expired');
    timers.advance(60_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(listCalls(connector)).toHaveLength(1);
    expect(state(e)).toBe('auth-expired');
    await e.sync.reauthenticated();
    await live(e);
    expectMirrorEqualsServer(connector);
  });

  /** The next call of `method` waits until refuse(), then fails as a refused sign-in. */
  const refuseLater = (connector: FakeConnector, method: 'messagesAfter' | 'sendReply') => {
    const { reached, release } = connector.hold(method, () => {
      throw new ConnectorError('auth', 'Token expired');
    });
    return { held: reached, refuse: release };
  };

  it('a catch-up request of the old sign-in refused after signing in again is ignored: the new sign-in catches up and stays live', async () => {
    const connector = new FakeConnector();
    connector.addMessage('a', 'a1');
    const old = refuseLater(connector, 'messagesAfter');
    const e = engine(connector);
    await e.sync.start();
    await old.held;
    e.sync.markAuthExpired('the socket was refused');
    await e.sync.reauthenticated();
    old.refuse();
    await live(e);
    expectMirrorEqualsServer(connector);
    await new Promise((r) => setTimeout(r, 20));
    expect(state(e)).toBe('live');
  });

  it('a reply sent under the old sign-in and refused after signing in again is sent again under the new one, once', async () => {
    const connector = new FakeConnector();
    connector.addConversation('a');
    const e = engine(connector);
    await e.sync.start();
    await live(e);
    const a = ctx.mirror.conversations.findByRemote(accountId, 'a')!;
    const old = refuseLater(connector, 'sendReply');
    e.outbox.enqueueReply(a.id, 'hello', '00000000-0000-4000-8000-0000000000aa');
    await old.held;
    e.sync.markAuthExpired('the socket was refused');
    await e.sync.reauthenticated();
    e.outbox.resume();
    old.refuse();
    await waitFor(() => ctx.mirror.outbox.counts(accountId).pending === 0, 5000, 'the reply sent again');
    expect(connector.contents('a')).toEqual(['hello']);
    expect(connector.count('sendReply')).toBe(2);
    expect(state(e)).toBe('live');
  });

  it('page-back: walks back page after page through a conversation with no known message, and stops at a known one', async () => {
    const connector = new FakeConnector({ catchUp: 'page-back', idempotentSend: false, readReceipts: false });
    for (let i = 0; i < 250; i++) connector.addMessage('a', `m${i}`);
    const e = engine(connector);
    await e.sync.start();
    await live(e);
    expect(mirrorContents('a')).toEqual(connector.contents('a'));
    expect(connector.count('messagesBefore')).toBe(3);
    expect(e.sync.status.detail).toContain('Limited sync');
    // Three new ones: one page back holds a known message, so one request is enough.
    for (let i = 250; i < 253; i++) connector.addMessage('a', `m${i}`);
    connector.calls.length = 0;
    e.sync.resync('test');
    await waitFor(() => mirrorContents('a').length === 253 && state(e) === 'live', 5000, 'the new messages');
    expect(connector.count('messagesBefore')).toBe(1);
    expect(mirrorContents('a')).toEqual(connector.contents('a'));
  });

  it('a reply that failed while the account was down is sent at once when it is live again, once each, across a restart', async () => {
    const connector = new FakeConnector();
    connector.addConversation('a');
    connector.onConnect = (sink) => sink.link('unavailable', 'offline');
    const first = engine(connector);
    await first.sync.start();
    const a = ctx.mirror.transaction(() => ctx.mirror.conversations.upsert(accountId, { remoteId: 'a', createdAt: 1 }, 1)).row;
    connector.next('sendReply', () => {
      throw new ConnectorError('transient', 'no network');
    });
    for (let i = 0; i < 3; i++) first.outbox.enqueueReply(a.id, `r${i}`, `00000000-0000-4000-8000-00000000000${i}`);
    // r0 failed and waits out its backoff; r1 and r2 wait behind it (order per conversation).
    await waitFor(() => ctx.mirror.outbox.next(accountId)?.attempts === 1, 5000, 'the failed send');
    expect(connector.count('sendReply')).toBe(1);
    await first.stop();
    connector.onConnect = (sink) => {
      sink.link('connected');
      sink.gap('connected');
    };
    const second = engine(connector);
    await second.sync.start();
    await live(second);
    // Live again: no need to wait for the backoff timer (which never fires here).
    await waitFor(() => ctx.mirror.outbox.counts(accountId).pending === 0, 5000, 'outbox empty');
    expect(connector.contents('a')).toEqual(['r0', 'r1', 'r2']);
    expect(connector.count('sendReply')).toBe(4);
    expect(connector.count('sendReply', 'ok')).toBe(3);
    expect(ctx.mirror.messages.all(a.id).map((m) => [m.content, m.delivery])).toEqual([['r0', 'sent'], ['r1', 'sent'], ['r2', 'sent']]);
  });
});
