// MirrorWriter (src/main/core/sync/mirror-writer.ts) on a real SQLite mirror: the status a kind
// without server status never writes, who reopens a conversation resolved here, the preview and
// unread a fetched page moves, and fetched pages committed together, or refused once stopped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/main/core/events';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { Stopped } from '../../src/main/core/sync/errors';
import { MirrorWriter } from '../../src/main/core/sync/mirror-writer';
import type { SenderType } from '../../src/shared/domain';
import { openTempMirror } from '../support/temp-db';

describe('MirrorWriter', () => {
  let ctx: ReturnType<typeof openTempMirror>;
  let accountId: number;
  let events: { name: string; payload: unknown }[];
  let started: boolean;
  beforeEach(() => {
    ctx = openTempMirror();
    accountId = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Fake', baseUrl: 'http://fake' }, 0).id;
    events = [];
    started = true;
  });
  afterEach(() => ctx.close());

  function writer(serverStatus: boolean): MirrorWriter {
    const bus = new EventBus();
    bus.subscribe((name, payload) => events.push({ name, payload }));
    return new MirrorWriter({ accountId, connector: { capabilities: { serverStatus, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox' } }, mirror: ctx.mirror, events: bus, clock: () => 50_000, started: () => started });
  }
  let seq = 0;
  const msg = (senderType: SenderType, content: string, createdAt: number, extra: Partial<RemoteMessage> = {}): RemoteMessage => ({ remoteId: `m${++seq}`, seq, senderType, content, createdAt, ...extra });
  const summary = (id: number) => ctx.mirror.conversations.get(id)!;

  it('a kind without server status never gets one written, whatever its connector says', () => {
    const withStatus = writer(true);
    const without = writer(false);
    const a = ctx.mirror.transaction(() => withStatus.upsert({ remoteId: 'a', serverStatus: 'resolved', createdAt: 1 }, 10, 'sync'));
    const b = ctx.mirror.transaction(() => without.upsert({ remoteId: 'b', serverStatus: 'resolved', createdAt: 1 }, 10, 'sync'));
    expect(summary(a.id).status).toBe('resolved');
    expect(summary(b.id).status).toBe('active');
    expect(b.serverStatus).toBeNull();
  });

  it('a visitor, member, agent or AI message reopens a conversation resolved here; the owner, an event or a notice does not', () => {
    const w = writer(false);
    const cases: [SenderType, RemoteMessage['kind'], boolean][] = [
      ['visitor', 'text', true],
      ['member', 'text', true],
      ['agent', 'text', true],
      ['ai', 'text', true],
      ['admin', 'text', false],
      ['tool', 'text', false],
      ['agent', 'event', false],
      ['system', 'system', false],
      ['visitor', 'system', false],
    ];
    for (const [i, [sender, kind, reopens]] of cases.entries()) {
      const row = ctx.mirror.transaction(() => w.upsert({ remoteId: `c${i}`, createdAt: 1 }, 10, 'sync'));
      ctx.mirror.transaction(() => ctx.mirror.conversations.setStatus(row.id, 'resolved', 'local', 20));
      ctx.mirror.transaction(() => w.applyMessages(row.id, [msg(sender, 'hi', 30, { kind })], 40, 'server'));
      expect(summary(row.id).status, `${sender} ${kind}`).toBe(reopens ? 'active' : 'resolved');
    }
    // With a server status, the server says when it reopens.
    const s = writer(true);
    const row = ctx.mirror.transaction(() => s.upsert({ remoteId: 'srv', serverStatus: 'resolved', createdAt: 1 }, 10, 'sync'));
    ctx.mirror.transaction(() => s.applyMessages(row.id, [msg('visitor', 'hi', 30)], 40, 'server'));
    expect(summary(row.id).status).toBe('resolved');
  });

  it('the preview is the newest added message, cut to 200 characters; unread counts what was added', () => {
    const w = writer(true);
    const row = ctx.mirror.transaction(() => w.upsert({ remoteId: 'a', createdAt: 1 }, 10, 'sync'));
    const long = 'x'.repeat(250);
    // Not in time order: the newest is the middle one.
    ctx.mirror.transaction(() => w.applyMessages(row.id, [msg('visitor', 'older', 100), msg('visitor', long, 300), msg('visitor', 'middle', 200)], 400, 'sync'));
    expect(summary(row.id)).toMatchObject({ lastMessagePreview: 'x'.repeat(200), lastMessageAt: 300, unreadCount: 3 });
  });

  it('an edit or a deletion found in a fetched page refreshes the preview and the unread count', () => {
    const w = writer(true);
    const row = ctx.mirror.transaction(() => w.upsert({ remoteId: 'a', createdAt: 1 }, 10, 'sync'));
    const first = msg('visitor', 'first', 100);
    const last = msg('visitor', 'last', 200);
    ctx.mirror.transaction(() => w.applyMessages(row.id, [first, last], 300, 'sync'));
    ctx.mirror.transaction(() => w.applyMessages(row.id, [{ ...last, content: 'last, edited', editedAt: 250 }], 300, 'sync'));
    expect(summary(row.id).lastMessagePreview).toBe('last, edited');
    ctx.mirror.transaction(() => w.applyMessages(row.id, [{ ...last, content: 'last, edited', editedAt: 250, deletedAt: 260 }], 300, 'sync'));
    expect(summary(row.id)).toMatchObject({ lastMessagePreview: 'first', unreadCount: 1 });
  });

  it('commits the pages of one turn in one transaction, each with its own writes, and tells the UI what changed once', async () => {
    const w = writer(true);
    const a = ctx.mirror.transaction(() => w.upsert({ remoteId: 'a', createdAt: 1 }, 10, 'sync'));
    const b = ctx.mirror.transaction(() => w.upsert({ remoteId: 'b', createdAt: 1 }, 10, 'sync'));
    let transactions = 0;
    const real = ctx.mirror.transaction.bind(ctx.mirror);
    ctx.mirror.transaction = <T>(fn: () => T): T => {
      transactions++;
      return real(fn);
    };
    const inTransaction: boolean[] = [];
    const also = () => inTransaction.push(ctx.database.sqlite.inTransaction);
    const m = msg('visitor', 'in a', 100);
    await Promise.all([w.commitFetched(a.id, [m], also), w.commitFetched(b.id, [msg('visitor', 'in b', 100)], also), w.commitFetched(b.id, [], also)]);
    expect(transactions).toBe(1);
    expect(inTransaction).toEqual([true, true, true]);
    // Each page's messages, then one change event for the transaction naming both conversations.
    expect(events.map((e) => e.name)).toEqual(['messages.added', 'messages.added', 'conversations.changed']);
    expect(events[2]!.payload).toEqual({ accountId, conversationIds: [a.id, b.id] });
    // The same page again changes nothing: no event.
    events.length = 0;
    await w.commitFetched(a.id, [m], also);
    expect(events).toEqual([]);
    expect(transactions).toBe(2);
  });

  it('pages still waiting when the engine stopped are not written; a failed transaction rejects every page in it', async () => {
    const w = writer(true);
    const a = ctx.mirror.transaction(() => w.upsert({ remoteId: 'a', createdAt: 1 }, 10, 'sync'));
    const waiting = w.commitFetched(a.id, [msg('visitor', 'late', 100)], () => {});
    started = false;
    await expect(waiting).rejects.toBeInstanceOf(Stopped);
    expect(ctx.mirror.messages.all(a.id)).toEqual([]);
    started = true;
    const boom = new Error('disk I/O error');
    const pages = [
      w.commitFetched(a.id, [msg('visitor', 'one', 100)], () => {}),
      w.commitFetched(a.id, [msg('visitor', 'two', 101)], () => {
        throw boom;
      }),
    ];
    const outcomes = await Promise.allSettled(pages);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
    ]);
    expect(ctx.mirror.messages.all(a.id)).toEqual([]);
    expect(events.filter((e) => e.name !== 'conversations.changed' || (e.payload as { conversationIds: number[] }).conversationIds.length === 0)).toEqual([]);
  });
});
