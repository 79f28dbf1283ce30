// BurstApplier on its own: a real SQLite mirror, the real LinkState and MirrorWriter, fake timers
// and a StaleHints that records what it is told. What the engine tests reach only through a
// catch-up (which flushes the burst itself) is driven here directly: a burst applied on the next
// turn in one flush, what an empty or no-op burst tells the UI (nothing), a refused write that
// keeps every kind of event, the 20,000-event limit and its catch-up, and the retry timer's life.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/main/core/events';
import type { RemoteFeedEntry, RemoteMessage } from '../../src/main/core/mirror/types';
import { BurstApplier, type StaleHints } from '../../src/main/core/sync/burst-applier';
import { LinkState } from '../../src/main/core/sync/link-state';
import { MirrorWriter } from '../../src/main/core/sync/mirror-writer';
import { FakeConnector } from '../support/fake-server-connector';
import { FakeTimers } from '../support/fake-timers';
import { idle } from '../support/sync-engine';
import { openTempMirror } from '../support/temp-db';

const REFUSED = "Could not save to this computer's copy of the chats: database or disk is full. Nothing is lost; retrying.";

class RecordingStale implements StaleHints {
  readonly marked: string[] = [];
  readonly announced: string[] = [];
  fetches = 0;
  get pending(): number {
    return this.marked.length;
  }
  mark(remoteId: string): void {
    this.marked.push(remoteId);
  }
  announce(c: { remoteId: string }): void {
    this.announced.push(c.remoteId);
  }
  fetch(): void {
    this.fetches++;
  }
}

const message = (id: number, content: string): RemoteMessage => ({ remoteId: String(id), seq: id, senderType: 'visitor', content, createdAt: 1000 + id });
const feedEntry = (id: string): RemoteFeedEntry => ({ remoteId: id, type: 'notice', title: `title ${id}`, body: `body ${id}`, createdAt: 2000 });

class Fixture {
  readonly ctx = openTempMirror();
  readonly mirror = this.ctx.mirror;
  readonly timers = new FakeTimers(1_000_000);
  readonly accountId = this.mirror.accounts.create({ kind: 'portfolio', name: 'Fake', baseUrl: 'http://fake' }, 0).id;
  readonly events: { name: string; payload: Record<string, unknown> }[] = [];
  readonly logs: string[] = [];
  readonly stale = new RecordingStale();
  catchUps = 0;
  /** While set, every transaction throws it (a full disk). */
  refuse: Error | null = null;
  transactions = 0;
  readonly link: LinkState;
  readonly applier: BurstApplier;
  /** Conversation 'a' with messages 1, 2 and 3 from the visitor. */
  readonly a: number;

  constructor() {
    const events = new EventBus();
    events.subscribe((name, payload) => this.events.push({ name, payload: payload as Record<string, unknown> }));
    const { mirror, timers, accountId } = this;
    const clock = () => timers.now;
    const log = (m: string) => this.logs.push(m);
    const writer = new MirrorWriter({ accountId, connector: new FakeConnector(), mirror, events, clock, started: () => this.link.started });
    this.a = mirror.transaction(() => {
      const row = writer.upsert({ remoteId: 'a', visitorName: 'Ana', serverStatus: 'active', createdAt: 1000 }, 1000, 'sync');
      writer.applyMessages(row.id, [message(1, 'one'), message(2, 'two'), message(3, 'three')], 1000, 'sync');
      return row.id;
    });
    const real = mirror.transaction.bind(mirror);
    mirror.transaction = <T>(fn: () => T): T => {
      this.transactions++;
      if (this.refuse) throw this.refuse;
      return real(fn);
    };
    this.link = new LinkState({ accountId, mirror, events, log, limitation: null });
    this.link.started = true;
    this.applier = new BurstApplier({ accountId, mirror, events, clock, timers, log, link: this.link, writer, stale: this.stale, requestCatchUp: () => this.catchUps++ });
  }

  named(name: string): Record<string, unknown>[] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload);
  }

  contents(): string[] {
    return this.mirror.messages.all(this.a).map((m) => m.content);
  }

  full(): void {
    this.refuse = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  }

  dropLogs(): string[] {
    return this.logs.filter((l) => l.includes('live events wait for the mirror'));
  }
}

describe('BurstApplier', () => {
  let f: Fixture;
  beforeEach(() => {
    f = new Fixture();
  });
  afterEach(() => f.ctx.close());

  it('events queued in one turn are applied on the next one, in one flush and one transaction', async () => {
    const flush = vi.spyOn(f.applier, 'flush');
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(4, 'four')] }));
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(5, 'five')] }));
    f.applier.queue((b) => b.patches.push({ remoteId: 'a', patch: { visitorOnline: true } }));
    expect(f.contents()).toEqual(['one', 'two', 'three']);
    await idle();
    expect(f.contents()).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(flush).toHaveBeenCalledTimes(1);
    expect(f.transactions).toBe(1);
    expect(f.named('messages.added')).toHaveLength(1);
    expect(f.named('conversations.changed')).toEqual([{ accountId: f.accountId, conversationIds: [f.a] }]);
  });

  it('flushConversations applies the queue at once when it holds a conversation event, and leaves other events to their turn', async () => {
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(4, 'four')] }));
    f.applier.flushConversations();
    expect(f.contents()).toHaveLength(3);
    f.applier.queue((b) => b.conversations.push({ remoteId: 'a', visitorName: 'Ana Maria', createdAt: 1000 }));
    f.applier.flushConversations();
    expect(f.mirror.conversations.get(f.a)!.visitorName).toBe('Ana Maria');
    expect(f.contents()).toHaveLength(4);
    expect(f.named('messages.added')).toHaveLength(1);
  });

  it('a burst that changes nothing tells the UI nothing: no change, no feed, no state', async () => {
    f.applier.queue((b) => {
      b.edits.push({ remoteId: 'a', edits: [{ remoteId: '2', content: 'two', editedAt: 1500 }] });
      b.deletions.push({ remoteId: 'a', ids: ['99'], at: 1500 });
    });
    await idle();
    expect(f.transactions).toBe(1);
    expect(f.events).toEqual([]);
    // Nothing was unknown (the same text for a stored message): nothing to fetch.
    expect(f.stale.marked).toEqual([]);
    expect(f.stale.fetches).toBe(0);
    expect(f.timers.count).toBe(0);
  });

  it('a live edit of the newest message: one update for the UI, the preview follows, nothing fetched', async () => {
    f.applier.queue((b) => b.edits.push({ remoteId: 'a', edits: [{ remoteId: '3', content: 'three, edited', editedAt: 1500 }] }));
    await idle();
    expect(f.named('messages.updated')).toEqual([{ conversationId: f.a, messages: [expect.objectContaining({ remoteId: '3', content: 'three, edited' })] }]);
    expect(f.mirror.conversations.get(f.a)!.lastMessagePreview).toBe('three, edited');
    expect(f.named('conversations.changed')).toEqual([{ accountId: f.accountId, conversationIds: [f.a] }]);
    expect(f.stale.marked).toEqual([]);
    expect(f.stale.fetches).toBe(0);
  });

  it('an edit of a message not here yet marks the conversation stale and starts the fetch', async () => {
    f.applier.queue((b) => b.edits.push({ remoteId: 'a', edits: [{ remoteId: '9', content: 'nine', editedAt: 1500 }] }));
    await idle();
    expect(f.stale.marked).toEqual(['a']);
    expect(f.stale.fetches).toBe(1);
    expect(f.events).toEqual([]);
  });

  it('feed entries alone: the feed changes, no conversation does', async () => {
    f.applier.queue((b) => b.feed.push(feedEntry('f1')));
    await idle();
    expect(f.named('feed.changed')).toEqual([{ accountId: f.accountId, entries: [expect.objectContaining({ remoteId: 'f1' })] }]);
    expect(f.named('conversations.changed')).toEqual([]);
  });

  it('an empty flush writes nothing and leaves a store error standing until a write succeeds', async () => {
    const error = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    // A catch-up's write was refused: said on the account, and the catch-up retries itself.
    f.applier.storeFailed(error, false);
    expect(f.link.storeError).toBe(REFUSED);
    expect(f.timers.count).toBe(0);
    const states = f.named('connection.state').length;
    f.applier.flush();
    expect(f.transactions).toBe(0);
    expect(f.link.storeError).toBe(REFUSED);
    expect(f.named('connection.state')).toHaveLength(states);
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(4, 'four')] }));
    await idle();
    expect(f.link.storeError).toBeNull();
    expect(f.named('connection.state')).toHaveLength(states + 1);
  });

  it('a refused burst keeps every kind of event and applies them all once the mirror takes writes', async () => {
    f.full();
    f.applier.queue((b) => {
      b.conversations.push({ remoteId: 'a', visitorName: 'Ana Maria', createdAt: 1000 });
      b.patches.push({ remoteId: 'a', patch: { serverStatus: 'resolved' } });
      b.messages.push({ remoteId: 'a', messages: [message(4, 'four')] });
      b.reads.push({ remoteId: 'a', ids: ['1'], at: 1500 });
      b.edits.push({ remoteId: 'a', edits: [{ remoteId: '2', content: 'two, edited', editedAt: 1500 }] });
      b.deletions.push({ remoteId: 'a', ids: ['3'], at: 1500 });
      b.feed.push(feedEntry('f1'));
    });
    await idle();
    expect(f.link.storeError).toBe(REFUSED);
    // More arrives meanwhile: it waits behind the first burst.
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(5, 'five')] }));
    await idle();
    expect(f.transactions).toBe(1);
    f.refuse = null;
    f.timers.advance(1000);
    expect(f.transactions).toBe(2);
    const messages = f.mirror.messages.all(f.a);
    // Message 3 was deleted: hidden.
    expect(messages.map((m) => [m.remoteId, m.content, m.readAt !== null])).toEqual([
      ['1', 'one', true],
      ['2', 'two, edited', false],
      ['4', 'four', false],
      ['5', 'five', false],
    ]);
    expect(f.mirror.conversations.get(f.a)).toMatchObject({ visitorName: 'Ana Maria', status: 'resolved', statusIsLocal: false });
    expect(f.mirror.feed.page(10).items.map((e) => e.remoteId)).toEqual(['f1']);
    expect(f.link.storeError).toBeNull();
    expect(f.catchUps).toBe(0);
    expect(f.dropLogs()).toEqual([]);
  });

  it('every kind of event counts towards the 20,000 kept while the mirror refuses writes', async () => {
    f.full();
    f.applier.queue((b) => {
      for (let i = 0; i < 20_000; i++) b.patches.push({ remoteId: 'a', patch: { visitorOnline: i % 2 === 0 } });
      b.reads.push({ remoteId: 'a', ids: ['1'], at: 1500 });
      b.edits.push({ remoteId: 'a', edits: [{ remoteId: '2', content: 'two, edited', editedAt: 1500 }] });
      b.deletions.push({ remoteId: 'a', ids: ['3'], at: 1500 });
      b.feed.push(feedEntry('f1'));
    });
    await idle();
    expect(f.dropLogs()).toEqual([`sync ${f.accountId}: 20004 live events wait for the mirror; dropping them, the next catch-up fetches them again`]);
  });

  it('exactly 20,000 waiting events are kept; the next one drops them all, and one catch-up follows the recovery', async () => {
    f.full();
    f.applier.queue((b) => {
      for (let i = 0; i < 20_000; i++) b.patches.push({ remoteId: 'a', patch: { visitorOnline: i % 2 === 0 } });
    });
    await idle();
    expect(f.dropLogs()).toEqual([]);
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(4, 'four')] }));
    await idle();
    expect(f.transactions).toBe(1); // waiting for the retry timer
    f.timers.advance(1000);
    expect(f.dropLogs()).toEqual([`sync ${f.accountId}: 20001 live events wait for the mirror; dropping them, the next catch-up fetches them again`]);
    expect(f.catchUps).toBe(0);
    f.refuse = null;
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(5, 'five')] }));
    f.timers.advance(2000);
    expect(f.contents()).toEqual(['one', 'two', 'three', 'five']);
    expect(f.catchUps).toBe(1);
    // A later refusal that drops nothing: its recovery needs no catch-up.
    f.full();
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(6, 'six')] }));
    await idle();
    expect(f.link.storeError).toBe(REFUSED);
    f.refuse = null;
    f.timers.advance(1000);
    expect(f.contents()).toEqual(['one', 'two', 'three', 'five', 'six']);
    expect(f.catchUps).toBe(1);
  });

  it('a failure without an error code is logged as "error"', async () => {
    f.refuse = new Error('disk I/O failed');
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(4, 'four')] }));
    await idle();
    expect(f.logs).toEqual([`sync ${f.accountId}: could not save to the local mirror (error: disk I/O failed); retrying`]);
  });

  it('stop leaves no retry timer; after a restart new events are applied on the next turn', async () => {
    f.full();
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(4, 'four')] }));
    await idle();
    expect(f.timers.count).toBe(1);
    f.link.started = false;
    f.applier.stop();
    expect(f.timers.count).toBe(0);
    f.refuse = null;
    f.link.started = true;
    f.applier.queue((b) => b.messages.push({ remoteId: 'a', messages: [message(5, 'five')] }));
    await idle();
    expect(f.contents()).toEqual(['one', 'two', 'three', 'four', 'five']);
  });
});
