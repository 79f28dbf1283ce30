import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import { mergeApplied } from '../../src/main/core/mirror/messages-repo';
import { RECENCY_WALK_FROM, splitSnippet, toFtsQuery } from '../../src/main/core/mirror/search-repo';
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
    // The index itself holds no entry for it (search joins the rows, so it would not show a stale
    // one), and the index matches its content table: integrity-check with rank 1 throws if not.
    expect(ctx.database.sqlite.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'discard'").get()).toEqual({ n: 0 });
    expect(() => ctx.database.sqlite.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES('integrity-check', 1)").run()).not.toThrow();
  });

  it('looks a message up by remote id within its own conversation only', () => {
    // Remote ids are per conversation on some backends (and per account on all).
    const a = conversation('1');
    const b = conversation('2');
    mirror.transaction(() => mirror.messages.apply(a.id, [visitorMsg(1, 'in a')]));
    expect(mirror.messages.findByRemote(b.id, '1')).toBeUndefined();
    const applied = mirror.transaction(() => mirror.messages.apply(b.id, [visitorMsg(1, 'in b')]));
    expect(applied.added.map((m) => m.content)).toEqual(['in b']);
    expect(mirror.messages.all(a.id).map((m) => m.content)).toEqual(['in a']);
    expect(mirror.messages.all(b.id).map((m) => m.content)).toEqual(['in b']);
    expect(mirror.messages.findByRemote(b.id, '1')?.content).toBe('in b');
  });

  it('a fetched reply of ours that the visitor has read is "read" (new, pending, or fetched before)', () => {
    const c = conversation('1');
    const admin = (id: number, content: string, readAt: number | null, clientId?: string): RemoteMessage => ({
      remoteId: String(id), seq: id, senderType: 'admin', content, createdAt: id * 1000, readAt, ...(clientId ? { clientId } : {}),
    });
    // Fetched for the first time, already read.
    mirror.transaction(() => mirror.messages.apply(c.id, [admin(1, 'fetched', 1500)]));
    // Our pending reply; its fetched copy carries its client id and a read time.
    const clientId = '7d1f2c9e-3b7a-4c55-9d6e-0a1b2c3d4e5f';
    const pending = mirror.messages.insertPending({ conversationId: c.id, clientId, senderType: 'admin', senderName: null, content: 'pending', createdAt: 2000 });
    mirror.transaction(() => mirror.messages.apply(c.id, [admin(2, 'pending', 2500, clientId)]));
    // Fetched once while unread, then again after the visitor read it.
    mirror.transaction(() => mirror.messages.apply(c.id, [admin(3, 'later read', null)]));
    expect(mirror.messages.findByRemote(c.id, '3')?.delivery).toBe('sent');
    const reread = mirror.transaction(() => mirror.messages.apply(c.id, [admin(3, 'later read', 3500)]));
    expect(reread.updated.map((m) => m.delivery)).toEqual(['read']);
    expect(mirror.messages.all(c.id).map((m) => [m.content, m.delivery, m.readAt])).toEqual([
      ['fetched', 'read', 1500],
      ['pending', 'read', 2500],
      ['later read', 'read', 3500],
    ]);
    expect(mirror.messages.get(pending.id)?.delivery).toBe('read');
  });

  it("re-indexes a visitor's changed email and name for search", () => {
    const c = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '1', visitorName: 'Rina', visitorEmail: 'oldbox@example.com', createdAt: 1 }, 1)).row;
    expect(mirror.searchIndex.search('oldbox', 5).map((h) => h.conversationId)).toEqual([c.id]);
    mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '1', visitorEmail: 'zanzibar@example.com', createdAt: 1 }, 2));
    expect(mirror.searchIndex.search('zanzibar', 5).map((h) => h.conversationId)).toEqual([c.id]);
    expect(mirror.searchIndex.search('oldbox', 5)).toEqual([]);
    expect(mirror.searchIndex.search('Rina', 5).map((h) => h.conversationId)).toEqual([c.id]);
    mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: '1', visitorName: 'Katarina', createdAt: 1 }, 3));
    expect(mirror.searchIndex.search('Katarina', 5).map((h) => h.conversationId)).toEqual([c.id]);
    expect(mirror.searchIndex.search('Rina', 5)).toEqual([]);
    expect(mirror.searchIndex.search('zanzibar', 5).map((h) => h.conversationId)).toEqual([c.id]);
  });

  it('lists visitors found by name newest activity first, whatever order they were stored in', () => {
    const add = (remoteId: string, lastMessageAt: number) =>
      mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId, visitorName: `Ana ${remoteId}`, createdAt: 100, lastMessageAt }, 100)).row.id;
    const newest = add('new', 9000);
    const oldest = add('old', 1000);
    const middle = add('mid', 5000);
    const people = mirror.searchIndex.search('ana', 10).filter((h) => h.messageId === null);
    expect(people.map((h) => h.conversationId)).toEqual([newest, middle, oldest]);
    expect(people.map((h) => h.createdAt)).toEqual([9000, 5000, 1000]);
  });

  it('lists the newest 20 of a very common name by activity, ties newest row first, as it does for a rare one', () => {
    // Past RECENCY_WALK_FROM matches the visitors come from a walk of the recency index instead of a sort.
    const many = RECENCY_WALK_FROM + 300;
    const stored: { id: number; at: number }[] = [];
    const zara: { id: number; at: number }[] = [];
    mirror.transaction(() => {
      for (let i = 0; i < many; i++) {
        // Activity times out of storage order, some shared (ties), none matching "Zara".
        const at = 1000 + ((i * 7919) % many) * 10 - (i % 50 === 0 ? 10 : 0);
        stored.push({ id: mirror.conversations.upsert(accountId, { remoteId: `c${i}`, visitorName: `Budi ${i}`, createdAt: 100, lastMessageAt: at }, 100).row.id, at });
      }
      for (let i = 0; i < 30; i++) zara.push({ id: mirror.conversations.upsert(accountId, { remoteId: `z${i}`, visitorName: `Zara ${i}`, createdAt: 100, lastMessageAt: 50_000 + (i % 3) }, 100).row.id, at: 50_000 + (i % 3) });
    });
    const newest = (rows: { id: number; at: number }[]) => [...rows].sort((a, b) => b.at - a.at || b.id - a.id).slice(0, 20);
    const people = (q: string) => mirror.searchIndex.search(q, 50).filter((h) => h.messageId === null);
    const common = people('budi');
    expect(common.map((h) => h.conversationId)).toEqual(newest(stored).map((r) => r.id));
    expect(common.map((h) => h.createdAt)).toEqual(newest(stored).map((r) => r.at));
    // Under the threshold (30 matches) the sorted path gives the same order rules.
    expect(people('zara').map((h) => h.conversationId)).toEqual(newest(zara).map((r) => r.id));
    expect(people('budi 7')[0]?.visitorName).toMatch(/^Budi 7/);
  });

  // Killing what `npm run mutate` left alive (TESTING.md).
  it('a fetched read time reaches a visitor message too, and an echo takes the server order', () => {
    const c = conversation('1');
    mirror.transaction(() => mirror.messages.apply(c.id, [visitorMsg(1, 'hi')]));
    mirror.conversations.recountUnreadFor(c.id);
    expect(mirror.conversations.get(c.id)?.unreadCount).toBe(1);
    const read = mirror.transaction(() => mirror.messages.apply(c.id, [{ ...visitorMsg(1, 'hi'), readAt: 1500 }]));
    mirror.conversations.recountUnreadFor(c.id);
    expect(read.updated.map((m) => [m.readAt, m.delivery])).toEqual([[1500, 'sent']]);
    expect(mirror.conversations.get(c.id)?.unreadCount).toBe(0);
    mirror.transaction(() => mirror.messages.apply(c.id, [{ ...visitorMsg(2, 'read already'), readAt: 2500 }]));
    expect(mirror.messages.findByRemote(c.id, '2')?.delivery).toBe('sent');
    const clientId = '7d1f2c9e-3b7a-4c55-9d6e-0a1b2c3d4e5f';
    mirror.messages.insertPending({ conversationId: c.id, clientId, senderType: 'admin', senderName: null, content: 'ours', createdAt: 3000 });
    mirror.transaction(() => mirror.messages.apply(c.id, [{ remoteId: '3', clientId, seq: 3, senderType: 'admin', content: 'ours', createdAt: 3000 }]));
    expect(mirror.messages.findByRemote(c.id, '3')?.seq).toBe(3);
    expect(mirror.messages.remove(999_999)).toBe(false);
  });

  it('merges applied changes as the renderer should hear them', () => {
    const m = (id: number) => ({ id }) as never;
    const into = { added: [m(1), m(2)], updated: [m(3)], removed: [] as number[] };
    mergeApplied(into, { added: [m(4)], updated: [], removed: [2, 3, 9] });
    expect(into).toEqual({ added: [m(1), m(4)], updated: [], removed: [3, 9] });
  });

  it('search input: compatibility forms normalised, short last words matched whole', () => {
    expect(toFtsQuery('ｃａｆｅ')).toBe('"cafe"*');
    expect(toFtsQuery('ok')).toBe('"ok"');
    expect(toFtsQuery('di pasar ok')).toBe('"di" "pasar" "ok"');
  });

  it('splits highlighted snippets, unclosed and empty marks included', () => {
    const [O, C] = ['\uE000', '\uE001'];
    expect(splitSnippet('plain')).toEqual([{ text: 'plain', match: false }]);
    expect(splitSnippet(`${O}abc`)).toEqual([{ text: 'abc', match: true }]);
    expect(splitSnippet(`x${O}abc`)).toEqual([{ text: 'x', match: false }, { text: 'abc', match: true }]);
    expect(splitSnippet(`${O}a${C}b`)).toEqual([{ text: 'a', match: true }, { text: 'b', match: false }]);
    expect(splitSnippet(`a${O}${C}b`)).toEqual([{ text: 'a', match: false }, { text: 'b', match: false }]);
  });

  it('shows at most 20 visitors, each with its name highlighted exactly', () => {
    const zoe = conversation('z', 1000, 'Zoë Ardiansyah');
    for (let i = 0; i < 25; i++) conversation(`a${i}`, 2000 + i, `Ana ${i}`);
    expect(mirror.searchIndex.search('ana', 50).filter((h) => h.messageId === null)).toHaveLength(20);
    const [hit] = mirror.searchIndex.search('zoe', 5);
    expect(hit).toMatchObject({ conversationId: zoe.id, messageId: null });
    expect(hit!.snippet).toEqual([{ text: 'Zoë', match: true }, { text: ' Ardiansyah', match: false }]);
  });
});
