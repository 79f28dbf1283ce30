// The mirror's smaller repositories on a real SQLite file: accounts, the outbox queue, sync cursors,
// room members, the notification feed and the row mapping helpers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import { decodeCursor, encodeCursor, parsePayload } from '../../src/main/core/mirror/rows';
import { openTempMirrorWithAccount, type TempMirror } from '../support/temp-mirror-account';

let ctx: TempMirror;
let mirror: Mirror;
let accountId: number;

beforeEach(() => ({ ctx, mirror, accountId } = openTempMirrorWithAccount()));
afterEach(() => ctx.close());

const conversation = (remoteId: string, account = accountId) =>
  mirror.transaction(() => mirror.conversations.upsert(account, { remoteId, createdAt: 1000 }, 1000)).row.id;

describe('AccountsRepo', () => {
  it('creates accounts with their config as JSON (none: {}), lists them in order and finds a site by kind and base URL', () => {
    const django = mirror.accounts.create({ kind: 'django-chat', name: 'Class chat', baseUrl: 'http://127.0.0.1:1', config: { username: 'ana' } }, 2000);
    expect(mirror.accounts.get(accountId)).toMatchObject({ kind: 'portfolio', name: 'My site', config: '{}', createdAt: 1000, lastSyncedAt: null });
    expect(django.config).toBe('{"username":"ana"}');
    expect(mirror.accounts.list().map((a) => a.id)).toEqual([accountId, django.id]);
    expect(mirror.accounts.findSite('django-chat', 'http://127.0.0.1:1')?.id).toBe(django.id);
    expect(mirror.accounts.findSite('portfolio', 'http://127.0.0.1:1')?.id).toBe(accountId);
    expect(mirror.accounts.findSite('portfolio', 'http://127.0.0.1:2')).toBeUndefined();
    expect(mirror.accounts.get(django.id + 100)).toBeUndefined();
  });

  it('updates only what the patch gives, records the last sync and removes', () => {
    mirror.accounts.update(accountId, { name: 'Renamed' });
    expect(mirror.accounts.get(accountId)).toMatchObject({ name: 'Renamed', baseUrl: 'http://127.0.0.1:1', config: '{}' });
    mirror.accounts.update(accountId, { baseUrl: 'https://example.com' });
    expect(mirror.accounts.get(accountId)).toMatchObject({ name: 'Renamed', baseUrl: 'https://example.com', config: '{}' });
    mirror.accounts.update(accountId, { config: { token: 't' } });
    expect(mirror.accounts.get(accountId)).toMatchObject({ name: 'Renamed', baseUrl: 'https://example.com', config: '{"token":"t"}' });
    mirror.accounts.setLastSynced(accountId, 7000);
    expect(mirror.accounts.get(accountId)?.lastSyncedAt).toBe(7000);
    mirror.accounts.remove(accountId);
    expect(mirror.accounts.list()).toEqual([]);
  });
});

describe('OutboxRepo', () => {
  const add = (conversationId: number, clientId: string, now: number, kind: 'reply' | 'status' | 'read' = 'reply') =>
    mirror.outbox.add({ accountId, conversationId, kind, payload: { text: clientId }, clientId, now });

  it('hands out the oldest waiting item of each conversation, soonest due first', () => {
    const a = conversation('a');
    const b = conversation('b');
    const a1 = add(a, 'a1', 1000);
    const a2 = add(a, 'a2', 1100);
    const b1 = add(b, 'b1', 1200);
    expect(a1).toMatchObject({ accountId, conversationId: a, kind: 'reply', payload: '{"text":"a1"}', clientId: 'a1', nextAttemptAt: 1000, createdAt: 1000, state: 'queued', attempts: 0 });
    expect(mirror.outbox.next(accountId)?.id).toBe(a1.id);
    // a1 waits for a backoff timer: b1 is due sooner; a2 must wait behind a1.
    mirror.outbox.setState(a1.id, 'queued', { attempts: 1, nextAttemptAt: 5000, lastError: 'timeout' });
    expect(mirror.outbox.next(accountId)?.id).toBe(b1.id);
    expect(mirror.outbox.byClientId('a1')).toMatchObject({ attempts: 1, nextAttemptAt: 5000, lastError: 'timeout' });
    mirror.outbox.setState(b1.id, 'in-flight');
    expect(mirror.outbox.next(accountId)?.id).toBe(a1.id);
    expect(mirror.outbox.counts(accountId)).toEqual({ pending: 3, failed: 0 });
    mirror.outbox.setState(a1.id, 'failed');
    expect(mirror.outbox.counts(accountId)).toEqual({ pending: 2, failed: 1 });
    // A failed item waits for the owner and does not hold up its conversation; one in flight does.
    expect(mirror.outbox.next(accountId)?.id).toBe(a2.id);
    mirror.outbox.setState(a2.id, 'in-flight');
    expect(mirror.outbox.next(accountId)).toBeUndefined();
    mirror.outbox.remove(a1.id);
    expect(mirror.outbox.byClientId('a1')).toBeUndefined();
    expect(mirror.outbox.next(accountId + 1)).toBeUndefined();
  });

  it('makes waiting items due now and queues in-flight ones again, for one account only', () => {
    const other = mirror.accounts.create({ kind: 'portfolio', name: 'Other', baseUrl: 'http://127.0.0.1:2' }, 1000).id;
    const a = conversation('a');
    const o = conversation('o', other);
    const waiting = add(a, 'w', 1000);
    const due = add(conversation('d'), 'd', 1000);
    const theirs = mirror.outbox.add({ accountId: other, conversationId: o, kind: 'read', payload: [], clientId: 'o', now: 1000 });
    mirror.outbox.setState(waiting.id, 'queued', { nextAttemptAt: 9000 });
    mirror.outbox.setState(theirs.id, 'queued', { nextAttemptAt: 9000 });
    mirror.outbox.setState(due.id, 'queued', { nextAttemptAt: 2000 });
    expect(mirror.outbox.dueNow(accountId, 3000)).toBe(1);
    expect(mirror.outbox.byClientId('w')?.nextAttemptAt).toBe(3000);
    expect(mirror.outbox.byClientId('d')?.nextAttemptAt).toBe(2000);
    expect(mirror.outbox.byClientId('o')?.nextAttemptAt).toBe(9000);

    mirror.outbox.setState(waiting.id, 'in-flight');
    mirror.outbox.setState(theirs.id, 'in-flight');
    mirror.outbox.setState(due.id, 'failed');
    expect(mirror.outbox.dueNow(accountId, 10_000)).toBe(0);
    expect(mirror.outbox.requeueInFlight(accountId)).toBe(1);
    expect(mirror.outbox.byClientId('w')?.state).toBe('queued');
    expect(mirror.outbox.byClientId('d')?.state).toBe('failed');
    expect(mirror.outbox.byClientId('o')?.state).toBe('in-flight');
    mirror.outbox.setPayload(waiting.id, { text: 'edited' });
    expect(mirror.outbox.byClientId('w')?.payload).toBe('{"text":"edited"}');
    expect(mirror.outbox.counts(other)).toEqual({ pending: 1, failed: 0 });
  });
});

describe('SyncCursorsRepo', () => {
  it('keeps one value per account and scope', () => {
    const other = mirror.accounts.create({ kind: 'portfolio', name: 'Other', baseUrl: 'http://127.0.0.1:2' }, 1000).id;
    expect(mirror.cursors.get(accountId, 'account')).toBeNull();
    mirror.cursors.set(accountId, 'account', 'p2', 1000);
    mirror.cursors.set(accountId, 'conversation:1', 'm9', 1000);
    mirror.cursors.set(other, 'account', 'x', 1000);
    mirror.cursors.set(accountId, 'account', 'p3', 2000);
    expect(mirror.cursors.get(accountId, 'account')).toBe('p3');
    expect(mirror.cursors.get(accountId, 'conversation:1')).toBe('m9');
    expect(mirror.cursors.get(other, 'account')).toBe('x');
  });
});

describe('MembersRepo', () => {
  it('replaces the list, says whether anything changed, and lists the most present first, then by name and id', () => {
    const c = conversation('room');
    const members = mirror.conversations.members;
    const zed = { remoteId: 'u9', name: 'Zed', presence: 'online' as const };
    const amy = { remoteId: 'u2', name: 'Amy', presence: 'away' as const };
    const bob = { remoteId: 'u3', name: 'Bob', presence: 'online' as const };
    const anon = { remoteId: 'u1', name: null, presence: 'offline' as const };
    const anon2 = { remoteId: 'u0', name: null, presence: 'offline' as const };
    const busy = { remoteId: 'u5', name: 'Abe', presence: 'busy' as const };
    expect(mirror.transaction(() => members.replace(c, [zed, amy, bob, anon, anon2, busy, { ...zed, name: 'Zed again' }], 1000))).toBe(true);
    expect(members.list(c)).toEqual([
      { id: 'u3', name: 'Bob', presence: 'online' },
      { id: 'u9', name: 'Zed', presence: 'online' },
      { id: 'u5', name: 'Abe', presence: 'busy' },
      { id: 'u2', name: 'Amy', presence: 'away' },
      { id: 'u0', name: null, presence: 'offline' },
      { id: 'u1', name: null, presence: 'offline' },
    ]);
    expect(mirror.transaction(() => members.replace(c, [zed, amy, bob, anon, anon2, busy], 2000))).toBe(false);
    expect(mirror.transaction(() => members.replace(c, [zed, amy, bob, anon, anon2, { ...busy, presence: 'online' }], 2000))).toBe(true);
    expect(members.list(c).map((m) => m.id)).toEqual(['u5', 'u3', 'u9', 'u2', 'u0', 'u1']);
    expect(mirror.transaction(() => members.replace(c, [zed, amy, bob, anon, anon2, { ...busy, presence: 'online', name: 'Abel' }], 2000))).toBe(true);
    expect(members.list(c)[0]).toEqual({ id: 'u5', name: 'Abel', presence: 'online' });
    expect(mirror.transaction(() => members.replace(c, [zed], 3000))).toBe(true);
    expect(members.list(c)).toEqual([{ id: 'u9', name: 'Zed', presence: 'online' }]);
  });

  it('a stored presence this version does not know reads as offline', () => {
    const c = conversation('room');
    mirror.transaction(() => mirror.conversations.members.replace(c, [{ remoteId: 'u1', name: 'Ana', presence: 'online' }], 1000));
    ctx.database.sqlite.prepare("UPDATE conversation_members SET presence = 'dnd'").run();
    expect(mirror.conversations.members.list(c)).toEqual([{ id: 'u1', name: 'Ana', presence: 'offline' }]);
  });
});

describe('FeedRepo', () => {
  it('keeps payloads as JSON (none: null), reads an unreadable one as null, and pages and counts per account', () => {
    const other = mirror.accounts.create({ kind: 'django-notifications', name: 'Other', baseUrl: 'http://127.0.0.1:2' }, 1000).id;
    const added = mirror.transaction(() =>
      mirror.feed.add(accountId, [
        { remoteId: 'n1', type: 'invite', title: 'Invited', body: 'to a room', payload: { room: 7 }, createdAt: 100 },
        { remoteId: 'n2', type: 'note', title: 'Note', body: '', createdAt: 200 },
        { remoteId: 'n3', type: 'note', title: 'Null', body: '', payload: null, createdAt: 300 },
      ]),
    );
    mirror.transaction(() => mirror.feed.add(other, [{ remoteId: 'n1', type: 'note', title: 'Theirs', body: '', createdAt: 250 }]));
    expect(added.map((e) => [e.remoteId, e.payload, e.readAt])).toEqual([['n1', { room: 7 }, null], ['n2', null, null], ['n3', null, null]]);
    expect(mirror.feed.get(added[0]!.id)).toEqual(added[0]);
    expect(mirror.feed.get(added[1]!.id)?.payload).toBeNull();
    ctx.database.sqlite.prepare('UPDATE feed_entries SET payload = ? WHERE id = ?').run('{not json', added[0]!.id);
    expect(mirror.feed.get(added[0]!.id)?.payload).toBeNull();
    expect(mirror.feed.get(added[2]!.id + 100)).toBeUndefined();

    const page = mirror.feed.page(2, undefined, accountId);
    expect(page.items.map((e) => e.remoteId)).toEqual(['n3', 'n2']);
    expect(mirror.feed.page(2, page.nextCursor!, accountId)).toEqual({ items: [expect.objectContaining({ remoteId: 'n1', accountId })], nextCursor: null });
    expect(mirror.feed.page(10).items.map((e) => e.title)).toEqual(['Null', 'Theirs', 'Note', 'Invited']);
    expect(mirror.feed.unread(accountId)).toBe(3);
    expect(mirror.feed.unread(other)).toBe(1);
    expect(mirror.feed.unread()).toBe(4);
    expect(mirror.feed.markAllRead(500, other).map((e) => e.title)).toEqual(['Theirs']);
    expect(mirror.feed.unread()).toBe(3);
    expect(mirror.feed.markAllRead(600).map((e) => [e.title, e.readAt])).toEqual([['Invited', 600], ['Note', 600], ['Null', 600]]);
    expect(mirror.feed.unread()).toBe(0);
  });
});

describe('rows', () => {
  it('a cursor decodes only with the expected number of non-negative whole parts', () => {
    expect(decodeCursor(encodeCursor(1_700_000_000_000, 42, 7), 3)).toEqual([1_700_000_000_000, 42, 7]);
    expect(encodeCursor(35, 36)).toBe('z:10');
    expect(decodeCursor('z:10', 2)).toEqual([35, 36]);
    expect(decodeCursor('z:10', 3)).toBeNull();
    expect(decodeCursor('z:10:1', 2)).toBeNull();
    expect(decodeCursor('-1:10', 2)).toBeNull();
    expect(decodeCursor('0:10', 2)).toEqual([0, 36]);
    expect(decodeCursor('!:10', 2)).toBeNull();
    expect(decodeCursor('zzzzzzzzzzzz:1', 2)).toBeNull();
  });

  it('an unreadable payload reads as null', () => {
    expect(parsePayload(null)).toBeNull();
    expect(parsePayload('{"a":1}')).toEqual({ a: 1 });
    expect(parsePayload('{nope')).toBeNull();
  });
});

describe('AttentionRepo.facts', () => {
  it("tells a muted conversation from one that is not", () => {
    const muted = conversation('m');
    const loud = conversation('l');
    mirror.conversations.setMuted(muted, true, 2000);
    expect(mirror.attention.facts(muted)).toMatchObject({ accountId, muted: true, status: 'active', unreadCount: 0 });
    expect(mirror.attention.facts(loud)).toMatchObject({ muted: false });
    expect(mirror.attention.facts(loud + 100)).toBeNull();
  });
});

describe('MembersRepo order within a presence', () => {
  it('a member without a name comes before the named ones', () => {
    const c = conversation('room');
    mirror.transaction(() =>
      mirror.conversations.members.replace(c, [{ remoteId: 'u7', name: 'Amy', presence: 'offline' }, { remoteId: 'u8', name: null, presence: 'offline' }], 1000),
    );
    expect(mirror.conversations.members.list(c).map((m) => m.id)).toEqual(['u8', 'u7']);
  });
});
