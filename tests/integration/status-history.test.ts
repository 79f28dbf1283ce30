// The visitor details pane's data: every change of a conversation's effective status is written
// to conversation_status_history in the same transaction as the change, from each path that
// writes a status (the owner in this app, live events, catch-up, a new conversation), and the
// visitor's first-seen time and conversation count are derived across the account.
import { afterEach, describe, expect, it } from 'vitest';
import { AccountService } from '../../src/main/core/accounts/account-service';
import type { Connector, ConnectorSink } from '../../src/main/core/connectors/connector';
import { openDatabase } from '../../src/main/core/db/open';
import { EventBus } from '../../src/main/core/events';
import { Mirror } from '../../src/main/core/mirror/mirror';
import type { RemoteConversation } from '../../src/main/core/mirror/types';
import { PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { realTimers } from '../../src/main/core/sync/timers';
import type { ConversationStatus, StatusChange } from '../../src/shared/domain';
import { waitFor } from '../support/portfolio-harness';
import { migrationsDir, openTempMirror, tempDir, type TempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Oldest first, without times: what the assertions compare. */
const history = (mirror: Mirror, id: number) =>
  mirror.conversations
    .details(id)!
    .statusHistory.map((h: StatusChange) => `${h.status}:${h.source}`)
    .reverse();

describe('status history in the mirror', () => {
  function setup() {
    const ctx = openTempMirror();
    cleanups.push(() => ctx.close());
    const accountId = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Site', baseUrl: 'http://x' }, 1).id;
    return { mirror: ctx.mirror, sqlite: ctx.database.sqlite, accountId };
  }

  it('records the initial status, then only real changes of the effective status, with source and time', () => {
    const { mirror, accountId } = setup();
    const upsert = (remote: Partial<RemoteConversation>, now: number, source: 'server' | 'sync') =>
      mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '1', createdAt: 100, ...remote }, now, source)).row;
    const c = upsert({ serverStatus: 'resolved' }, 1000, 'sync');
    upsert({ serverStatus: 'resolved', visitorName: 'Ana' }, 2000, 'sync'); // other fields change, the status does not
    upsert({ serverStatus: 'active' }, 3000, 'server');
    upsert({ serverStatus: 'active' }, 3500, 'server'); // the echo of a change already applied
    mirror.transaction(() => mirror.conversations.setStatus(c.id, 'closed', 'server', 4000));
    mirror.transaction(() => mirror.conversations.setStatus(c.id, 'closed', 'server', 4500)); // unchanged
    upsert({ serverStatus: 'resolved' }, 5000, 'sync');
    upsert({}, 6000, 'sync'); // status left as is
    const details = mirror.conversations.details(c.id)!;
    expect(details.statusHistory).toEqual([
      { status: 'resolved', at: 5000, source: 'sync' },
      { status: 'closed', at: 4000, source: 'local' },
      { status: 'active', at: 3000, source: 'server' },
      { status: 'resolved', at: 1000, source: 'initial' },
    ]);
  });

  it('follows the effective status for backends without one (local status)', () => {
    const { mirror, accountId } = setup();
    const c = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: 'x', serverStatus: null, createdAt: 1 }, 1)).row;
    mirror.transaction(() => mirror.conversations.setStatus(c.id, 'closed', 'local', 2));
    mirror.transaction(() => mirror.conversations.setStatus(c.id, 'active', 'local', 3));
    // A sync that reports "no server status" again changes nothing.
    mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: 'x', serverStatus: null, createdAt: 1 }, 4, 'sync'));
    expect(history(mirror, c.id)).toEqual(['active:initial', 'closed:local', 'active:local']);
  });

  it('writes the history in the same transaction as the status: a rollback leaves neither', () => {
    const { mirror, accountId } = setup();
    const c = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '1', createdAt: 1 }, 1)).row;
    expect(() =>
      mirror.transaction(() => {
        mirror.conversations.setStatus(c.id, 'resolved', 'server', 2);
        throw new Error('the outbox write failed');
      }),
    ).toThrow('the outbox write failed');
    expect(mirror.conversations.get(c.id)?.status).toBe('active');
    expect(history(mirror, c.id)).toEqual(['active:initial']);
  });

  it("derives first seen and the conversation count from the visitor's email within the account", () => {
    const { mirror, accountId } = setup();
    const other = mirror.accounts.create({ kind: 'portfolio', name: 'Other site', baseUrl: 'http://y' }, 1).id;
    const add = (account: number, remoteId: string, createdAt: number, visitorEmail: string | null) =>
      mirror.transaction(() => mirror.conversations.upsert(account, { remoteId, createdAt, visitorEmail }, createdAt)).row;
    const first = add(accountId, '1', 5000, 'ana@example.com');
    const second = add(accountId, '2', 9000, 'Ana@Example.com');
    add(accountId, '3', 1000, 'budi@example.com');
    add(other, '1', 10, 'ana@example.com'); // the same person on another site does not count
    const anonymous = add(accountId, '4', 7000, null);
    add(accountId, '5', 500, null);
    expect(mirror.conversations.details(second.id)).toMatchObject({ firstSeenAt: 5000, conversationCount: 2 });
    expect(mirror.conversations.details(first.id)).toMatchObject({ firstSeenAt: 5000, conversationCount: 2 });
    expect(mirror.conversations.details(anonymous.id)).toMatchObject({ firstSeenAt: 7000, conversationCount: 1 });
    expect(mirror.conversations.details(9999)).toBeUndefined();
    expect(mirror.conversations.get(second.id)?.createdAt).toBe(9000);
  });

  it("a placeholder's guessed start time gives way to the backend's own", () => {
    const { mirror, accountId } = setup();
    const c = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '1', createdAt: 9000, lastMessageAt: 0 }, 9000)).row;
    mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '1', createdAt: 4000 }, 9500));
    mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '1', createdAt: 8000 }, 9600)); // never later again
    expect(mirror.conversations.details(c.id)?.firstSeenAt).toBe(4000);
  });

  it('is deleted with its conversation (account removed)', () => {
    const { mirror, sqlite, accountId } = setup();
    const c = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '1', createdAt: 1 }, 1)).row;
    mirror.transaction(() => mirror.conversations.setStatus(c.id, 'resolved', 'server', 2));
    const count = () => (sqlite.prepare('SELECT count(*) AS n FROM conversation_status_history').get() as { n: number }).n;
    expect(count()).toBe(2);
    mirror.accounts.remove(accountId);
    expect(mirror.conversations.details(c.id)).toBeUndefined();
    expect(count()).toBe(0);
  });
});

/** A backend in memory: conversations with a status, a realtime sink the test drives. */
class FakeSite {
  readonly conversations = new Map<string, { status: ConversationStatus; createdAt: number; visitorEmail: string | null; visitorName?: string }>();
  sink: ConnectorSink | null = null;
  lists = 0;
  readonly connector: Connector = {
    capabilities: { serverStatus: true, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox' },
    connect: async (sink) => {
      this.sink = sink;
      sink.link('connected');
      sink.gap('connected');
    },
    disconnect: async () => {
      this.sink = null;
    },
    listConversations: async () => {
      this.lists++;
      const items = [...this.conversations].map(([remoteId, c]) => ({ remoteId, serverStatus: c.status, createdAt: c.createdAt, visitorEmail: c.visitorEmail, visitorName: c.visitorName ?? null }));
      return { items, next: null, watermark: null };
    },
    messagesAfter: async () => ({ items: [], next: null }),
    messagesBefore: async () => ({ items: [], next: null }),
    sendReply: () => new Promise(() => {}),
    setStatus: async (remoteId, status) => {
      this.conversations.get(remoteId)!.status = status;
    },
    markRead: async () => {},
    sendTyping: () => {},
    setAvailability: async () => {},
    watch: () => {},
  };
}

describe('status history through the sync engine and the owner\'s actions', () => {
  it('records initial, server (live), local (incl. undo) and sync changes, nothing for unchanged statuses, and survives a restart', async () => {
    const temp: TempDir = tempDir();
    cleanups.push(() => temp.cleanup());
    const site = new FakeSite();
    site.conversations.set('1', { status: 'active', createdAt: 1_000, visitorEmail: 'ana@example.com' });
    site.conversations.set('2', { status: 'resolved', createdAt: 500, visitorEmail: 'ANA@example.com' });
    let now = 10_000;
    const secrets = new PlainFileSecretStore(`${temp.dir}/secrets.json`);

    const open = async () => {
      const mirror = new Mirror(openDatabase({ file: temp.file, migrationsDir }));
      const service = new AccountService({
        mirror,
        events: new EventBus(),
        secrets,
        connectorFactory: () => site.connector,
        clock: () => now,
        random: () => 0.5,
        timers: realTimers,
        log: () => {},
      });
      const account = mirror.accounts.list()[0] ?? mirror.accounts.create({ kind: 'portfolio', name: 'Fake', baseUrl: 'http://fake' }, now);
      secrets.set(`account:${account.id}:token`, 'token');
      const lists = site.lists;
      await service.startAll();
      await waitFor(() => site.lists > lists && service.connectionOf(account.id)?.state === 'live', 5000, 'caught up');
      return { mirror, service, accountId: account.id, close: async () => (await service.stopAll(), mirror.close()) };
    };

    let app = await open();
    const one = () => app.mirror.conversations.findByRemote(app.accountId, '1')!;
    expect(history(app.mirror, one().id)).toEqual(['active:initial']);

    // A live status event from the site.
    now = 11_000;
    site.conversations.get('1')!.status = 'resolved';
    site.sink!.patch('1', { serverStatus: 'resolved' });
    await waitFor(() => one().status === 'resolved', 5000, 'live patch applied');
    // The same event again (a duplicate or an echo) records nothing.
    site.sink!.patch('1', { serverStatus: 'resolved' });
    await new Promise((r) => setImmediate(r));

    // The owner reopens it here, then resolves it and undoes that (the inbox's Undo sets the previous status).
    now = 12_000;
    app.service.setStatus(one(), 'active');
    now = 13_000;
    app.service.setStatus(one(), 'closed');
    now = 14_000;
    app.service.setStatus(one(), 'active');
    await waitFor(() => app.mirror.outbox.counts(app.accountId).pending === 0, 5000, 'status changes sent');
    expect(site.conversations.get('1')!.status).toBe('active');

    // While the app is away from the site, it is closed there; the catch-up finds it.
    now = 15_000;
    site.conversations.get('1')!.status = 'closed';
    const lists = site.lists;
    app.service.resync('test');
    await waitFor(() => site.lists > lists && app.service.connectionOf(app.accountId)?.state === 'live', 5000, 'catch-up');
    // A second catch-up finds the visitor's name changed but the same status: nothing is recorded.
    site.conversations.get('1')!.visitorName = 'Ana';
    const again = site.lists;
    now = 16_000;
    app.service.resync('test again');
    await waitFor(() => site.lists > again && app.service.connectionOf(app.accountId)?.state === 'live', 5000, 'second catch-up');
    expect(one().visitorName).toBe('Ana');

    const expected = ['active:initial', 'resolved:server', 'active:local', 'closed:local', 'active:local', 'closed:sync'];
    expect(history(app.mirror, one().id)).toEqual(expected);
    const details = app.mirror.conversations.details(one().id)!;
    expect(details.statusHistory.map((h) => h.at).reverse()).toEqual([10_000, 11_000, 12_000, 13_000, 14_000, 15_000]);
    expect(details).toMatchObject({ firstSeenAt: 500, conversationCount: 2 });
    const two = app.mirror.conversations.findByRemote(app.accountId, '2')!;
    expect(history(app.mirror, two.id)).toEqual(['resolved:initial']);

    // Restart: the history is on disk, and the catch-up after start (statuses unchanged) adds nothing.
    await app.close();
    now = 20_000;
    app = await open();
    expect(history(app.mirror, one().id)).toEqual(expected);
    expect(history(app.mirror, two.id)).toEqual(['resolved:initial']);
    await app.close();
  });
});
