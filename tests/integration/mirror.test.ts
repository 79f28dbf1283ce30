import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import { splitSnippet, toFtsQuery } from '../../src/main/core/mirror/search-repo';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { openTempMirror } from '../support/temp-db';

let ctx: ReturnType<typeof openTempMirror>;
let mirror: Mirror;
let accountId: number;

beforeEach(() => {
  ctx = openTempMirror();
  mirror = ctx.mirror;
  accountId = mirror.accounts.create({ kind: 'portfolio', name: 'My site', baseUrl: 'http://127.0.0.1:1' }, 1000).id;
});
afterEach(() => ctx.close());

const visitorMsg = (id: number, content: string, createdAt = id * 1000): RemoteMessage => ({
  remoteId: String(id),
  seq: id,
  senderType: 'visitor',
  content,
  createdAt,
});

function conversation(remoteId: string, createdAt = 1000, visitorName = `Visitor ${remoteId}`) {
  return mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId, visitorName, createdAt }, createdAt)).row;
}

describe('mirror repositories (real SQLite file)', () => {
  it('upserts conversations by (account, remote id) and keeps one row', () => {
    const first = conversation('42');
    const again = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '42', visitorName: 'Ana', createdAt: 1000, serverStatus: 'resolved' }, 2000));
    expect(again.created).toBe(false);
    expect(again.row.id).toBe(first.id);
    expect(mirror.conversations.get(first.id)).toMatchObject({ visitorName: 'Ana', status: 'resolved', statusIsLocal: false });
    expect(mirror.conversations.counts()).toEqual({ active: 0, resolved: 1, closed: 0, all: 1 });
  });

  it('applies messages idempotently and derives unread counts in one place', () => {
    const c = conversation('1');
    const batch = [visitorMsg(1, 'hello'), visitorMsg(2, 'anyone there?')];
    const first = mirror.transaction(() => mirror.messages.apply(c.id, batch));
    mirror.conversations.recountUnreadFor(c.id);
    expect(first.added).toHaveLength(2);
    const second = mirror.transaction(() => mirror.messages.apply(c.id, batch));
    expect(second).toEqual({ added: [], updated: [], removed: [] });
    expect(mirror.messages.all(c.id).map((m) => m.content)).toEqual(['hello', 'anyone there?']);
    expect(mirror.conversations.get(c.id)?.unreadCount).toBe(2);

    const read = mirror.messages.markRead(c.id, ['visitor'], 5000);
    mirror.conversations.recountUnreadFor(c.id);
    expect(read.map((m) => m.readAt)).toEqual([5000, 5000]);
    expect(mirror.conversations.get(c.id)?.unreadCount).toBe(0);
  });

  it("matches the server's echo of our reply by client id and never shows it twice", () => {
    const c = conversation('1');
    const clientId = '7d1f2c9e-3b7a-4c55-9d6e-0a1b2c3d4e5f';
    const pending = mirror.messages.insertPending({ conversationId: c.id, clientId, senderType: 'admin', senderName: null, content: 'On my way', createdAt: 9000 });
    expect(pending.delivery).toBe('pending');
    const echo = mirror.transaction(() =>
      mirror.messages.apply(c.id, [{ remoteId: '77', clientId, seq: 77, senderType: 'admin', content: 'On my way', createdAt: 9100 }]),
    );
    expect(echo.added).toEqual([]);
    expect(echo.updated).toEqual([expect.objectContaining({ id: pending.id, remoteId: '77', delivery: 'sent', createdAt: 9100 })]);
    expect(mirror.messages.all(c.id)).toHaveLength(1);
  });

  it('orders messages by server time and sequence, and pages newest first with a cursor', () => {
    const c = conversation('1');
    // Same millisecond: the server sequence decides; arrival order must not.
    const msgs = Array.from({ length: 25 }, (_, i) => visitorMsg(i + 1, `m${i + 1}`, 1000 + Math.floor(i / 5)));
    mirror.transaction(() => mirror.messages.apply(c.id, [...msgs].reverse()));
    const page1 = mirror.messages.page(c.id, 10);
    expect(page1.items.map((m) => m.content)).toEqual(msgs.slice(15).map((m) => m.content));
    const page2 = mirror.messages.page(c.id, 10, page1.nextCursor!);
    expect(page2.items.map((m) => m.content)).toEqual(msgs.slice(5, 15).map((m) => m.content));
    const page3 = mirror.messages.page(c.id, 10, page2.nextCursor!);
    expect(page3.items.map((m) => m.content)).toEqual(msgs.slice(0, 5).map((m) => m.content));
    expect(page3.nextCursor).toBeNull();
  });

  it('pages the inbox by last activity with status filters and counts', () => {
    for (let i = 1; i <= 30; i++) {
      const row = conversation(String(i), i * 1000);
      if (i % 3 === 0) mirror.conversations.setStatus(row.id, 'resolved', 'server', i);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = mirror.conversations.page('active', 7, cursor);
      seen.push(...page.items.map((c) => c.remoteId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const expected = Array.from({ length: 30 }, (_, i) => 30 - i).filter((i) => i % 3 !== 0).map(String);
    expect(seen).toEqual(expected);
    expect(mirror.conversations.counts()).toEqual({ active: 20, resolved: 10, closed: 0, all: 30 });
    expect(mirror.conversations.page('all', 5).items.map((c) => c.remoteId)).toEqual(['30', '29', '28', '27', '26']);
  });

  it('keeps status counts right through every write that changes them (they are remembered and moved along)', () => {
    const other = mirror.accounts.create({ kind: 'portfolio', name: 'Other site', baseUrl: 'http://127.0.0.1:2' }, 1000).id;
    const a = conversation('1');
    conversation('2');
    mirror.transaction(() => mirror.conversations.upsert(other, { remoteId: '1', createdAt: 1 }, 1));
    expect(mirror.conversations.counts()).toEqual({ active: 3, resolved: 0, closed: 0, all: 3 });
    expect(mirror.conversations.counts(accountId)).toEqual({ active: 2, resolved: 0, closed: 0, all: 2 });

    mirror.conversations.setStatus(a.id, 'resolved', 'server', 2);
    expect(mirror.conversations.counts(accountId)).toEqual({ active: 1, resolved: 1, closed: 0, all: 2 });
    mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '2', createdAt: 1, serverStatus: 'closed' }, 3));
    expect(mirror.conversations.counts(accountId)).toEqual({ active: 0, resolved: 1, closed: 1, all: 2 });
    conversation('3');
    expect(mirror.conversations.counts()).toEqual({ active: 2, resolved: 1, closed: 1, all: 4 });

    // Counted inside a transaction that is rolled back: not remembered.
    expect(() =>
      mirror.transaction(() => {
        mirror.conversations.upsert(accountId, { remoteId: '4', createdAt: 1 }, 4);
        expect(mirror.conversations.counts(accountId).all).toBe(4);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(mirror.conversations.counts(accountId).all).toBe(3);

    mirror.accounts.remove(other);
    expect(mirror.conversations.counts()).toEqual({ active: 1, resolved: 1, closed: 1, all: 3 });

    // A local status counts where the server has none, and not where it has one.
    const local = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '5', serverStatus: null, createdAt: 1 }, 5)).row;
    expect(mirror.conversations.counts(accountId)).toEqual({ active: 2, resolved: 1, closed: 1, all: 4 });
    mirror.conversations.setStatus(local.id, 'resolved', 'local', 6);
    mirror.conversations.setStatus(a.id, 'closed', 'local', 6);
    expect(mirror.conversations.counts(accountId)).toEqual({ active: 1, resolved: 2, closed: 1, all: 4 });
    expect(mirror.conversations.counts()).toEqual({ active: 1, resolved: 2, closed: 1, all: 4 });
  });

  it('keeps a local status for backends without one', () => {
    const c = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: 'x', serverStatus: null, createdAt: 1 }, 1)).row;
    mirror.conversations.setStatus(c.id, 'closed', 'local', 2);
    expect(mirror.conversations.get(c.id)).toMatchObject({ status: 'closed', statusIsLocal: true });
  });

  it('searches message text and visitor names, accent-insensitive, newest first, with highlighted parts', () => {
    const a = conversation('1', 1000, 'Zoë Ardiansyah');
    const b = conversation('2', 1000, 'Budi');
    mirror.transaction(() => {
      mirror.messages.apply(a.id, [visitorMsg(1, 'Saya mau pesan desain café'), visitorMsg(3, 'Apakah café buka?')]);
      mirror.messages.apply(b.id, [visitorMsg(2, 'Nothing to see')]);
    });
    const hits = mirror.searchIndex.search('cafe', 10);
    expect(hits.map((h) => h.messageId !== null && mirror.messages.get(h.messageId)?.content)).toEqual(['Apakah café buka?', 'Saya mau pesan desain café']);
    expect(hits[0]?.snippet).toContainEqual({ text: 'café', match: true });
    const people = mirror.searchIndex.search('zoe', 10);
    expect(people[0]).toMatchObject({ conversationId: a.id, messageId: null });
    // Prefix match on the last word, so search works while typing.
    expect(mirror.searchIndex.search('Ardi', 10)[0]?.conversationId).toBe(a.id);
  });

  it('turns any user input into a safe FTS query', () => {
    const c = conversation('1');
    mirror.transaction(() => mirror.messages.apply(c.id, [visitorMsg(1, 'say "hello" OR NEAR(x) *')]));
    for (const input of ['"', 'hello"', 'NEAR(', 'a OR', '*', '(((', 'x AND NOT', '🙂', "'; DROP TABLE messages; --"]) {
      expect(() => mirror.searchIndex.search(input, 5)).not.toThrow();
    }
    expect(toFtsQuery('  ')).toBeNull();
    expect(toFtsQuery('hello wor')).toBe('"hello" "wor"*');
    expect(mirror.searchIndex.search('hello', 5)).toHaveLength(1);
    expect(splitSnippet('a\uE000b\uE001c')).toEqual([{ text: 'a', match: false }, { text: 'b', match: true }, { text: 'c', match: false }]);
  });

  it('removes a message from the search index with the row', () => {
    const c = conversation('1');
    const m = mirror.messages.insertPending({ conversationId: c.id, clientId: '0b9a7c3e-8f00-4d1e-9a2b-3c4d5e6f7a8b', senderType: 'admin', senderName: null, content: 'discard me', createdAt: 1 });
    expect(mirror.searchIndex.search('discard', 5)).toHaveLength(1);
    mirror.messages.remove(m.id);
    expect(mirror.searchIndex.search('discard', 5)).toHaveLength(0);
    expect(ctx.database.sqlite.prepare("INSERT INTO messages_fts(messages_fts) VALUES('integrity-check')").run()).toBeTruthy();
  });
});
