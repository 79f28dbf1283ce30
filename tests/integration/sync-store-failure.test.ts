// Issue 16 item 4: the mirror refuses a write during live ingest (here SQLITE_FULL, made real
// with PRAGMA max_page_count on a real SQLite file). The engine must not throw out of its
// setImmediate flush (that killed the process), must keep the queued burst, say so on the
// account, and store the burst once the disk has room again. The connector is a fake driven by
// hand: what is tested is the engine's reaction to its own database, not a backend.
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/main/core/events';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { AccountSync } from '../../src/main/core/sync/account-sync';
import { FakeConnector } from '../support/fake-connector';
import { FakeTimers } from '../support/fake-timers';
import { waitFor } from '../support/portfolio-harness';
import { openTempMirror } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const tick = () => new Promise((r) => setImmediate(r));

function message(i: number): RemoteMessage {
  return { remoteId: String(i), seq: i, senderType: 'visitor', content: `visitor message ${i} ${'x'.repeat(2000)}`, createdAt: 1_000_000 + i };
}

async function liveSync() {
  const ctx = openTempMirror();
  const timers = new FakeTimers(1_000_000);
  const connector = new FakeConnector();
  const events = new EventBus();
  const logs: string[] = [];
  const account = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Site', baseUrl: 'http://site' }, 1);
  ctx.mirror.transaction(() => ctx.mirror.conversations.upsert(account.id, { remoteId: '1', createdAt: 1 }, 1));
  const sync = new AccountSync({ accountId: account.id, connector, mirror: ctx.mirror, events, clock: () => timers.now, timers, log: (m) => logs.push(m) });
  cleanups.push(() => ctx.close());
  cleanups.push(() => sync.stop());
  await sync.start();
  connector.sink!.link('connected');
  connector.sink!.gap('test');
  await waitFor(() => sync.status.state === 'live', 5000, 'live');
  const conversationId = ctx.mirror.conversations.findByRemote(account.id, '1')!.id;
  return { ctx, timers, connector, sync, logs, conversationId };
}

describe('a write to the mirror fails during live ingest', () => {
  it('keeps the burst, reports it on the account, and stores it once the disk has room', async () => {
    const { ctx, timers, connector, sync, logs, conversationId } = await liveSync();
    const sqlite = ctx.database.sqlite;
    // The disk is full: no page may be added to the file.
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
    connector.sink!.messages('1', Array.from({ length: 200 }, (_, i) => message(i + 1)));
    await tick();
    await tick();
    expect(ctx.mirror.messages.all(conversationId)).toHaveLength(0);
    expect(sync.status.detail).toMatch(/could not save/i);
    expect(logs.some((l) => /SQLITE_FULL|full/i.test(l))).toBe(true);
    // More arrives while the disk is still full: queued behind the first burst.
    connector.sink!.messages('1', [message(201)]);
    await tick();
    // Room again: the retry timer stores everything, in order, once.
    sqlite.pragma('max_page_count = 1073741823');
    timers.advance(60_000);
    await waitFor(() => ctx.mirror.messages.all(conversationId).length === 201, 5000, 'burst stored');
    expect(ctx.mirror.messages.all(conversationId).map((m) => m.remoteId)).toEqual(Array.from({ length: 201 }, (_, i) => String(i + 1)));
    expect(sync.status.detail).toBeNull();
    expect(sync.status.state).toBe('live');
  });

  it('a fetched page that cannot be committed is retried, not lost, and nothing throws', async () => {
    const { ctx, timers, connector, sync, conversationId } = await liveSync();
    const sqlite = ctx.database.sqlite;
    connector.after = async (_id, after) => {
      const from = after ? Number(after) : 0;
      const items = Array.from({ length: Math.max(0, Math.min(50, 120 - from)) }, (_, i) => message(from + i + 1));
      return { items, next: from + items.length < 120 ? String(from + items.length) : null };
    };
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    connector.sink!.stale('1');
    await waitFor(() => /could not save/i.test(sync.status.detail ?? ''), 5000, 'failure reported');
    sqlite.pragma('max_page_count = 1073741823');
    timers.advance(60_000);
    await waitFor(() => ctx.mirror.messages.all(conversationId).length === 120, 5000, 'pages stored');
    await waitFor(() => sync.status.detail === null, 5000, 'failure cleared');
  });
});
