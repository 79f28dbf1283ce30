// ConversationsRepo on a real SQLite file: what an upsert changes and keeps, the details pane's
// visitor facts, previews, local status, ghosts, the remembered status counts and the inbox pages.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import type { RemoteConversation } from '../../src/main/core/mirror/types';
import { openTempMirrorWithAccount, type TempMirror } from '../support/temp-mirror-account';

let ctx: TempMirror;
let mirror: Mirror;
let accountId: number;

beforeEach(() => ({ ctx, mirror, accountId } = openTempMirrorWithAccount()));
afterEach(() => ctx.close());

const upsert = (remote: RemoteConversation, now = 5000, account = accountId, source: 'server' | 'sync' = 'sync') =>
  mirror.transaction(() => mirror.conversations.upsert(account, remote, now, source));
const history = (id: number) => mirror.conversations.details(id)?.statusHistory;
const visitorHits = (text: string) => mirror.searchIndex.search(text, 10).filter((h) => h.messageId === null && h.conversationId !== null);

describe('ConversationsRepo.upsert', () => {
  it('a new conversation: active on the server unless the kind has no status, last active when created, written once to the history', () => {
    const { row, created } = upsert({ remoteId: 'a', createdAt: 2000 }, 3000);
    expect(created).toBe(true);
    expect(mirror.conversations.get(row.id)).toMatchObject({
      status: 'active',
      statusIsLocal: false,
      lastMessageAt: 2000,
      lastMessagePreview: null,
      visitorName: null,
      visitorEmail: null,
      visitorUsername: null,
      visitorOnline: false,
      visitorPresence: null,
      createdAt: 2000,
    });
    expect(mirror.conversations.getRow(row.id)?.updatedAt).toBe(3000);
    expect(history(row.id)).toEqual([{ status: 'active', at: 3000, source: 'initial' }]);

    const local = upsert({ remoteId: 'b', createdAt: 2000, serverStatus: null }).row;
    expect(mirror.conversations.get(local.id)).toMatchObject({ status: 'active', statusIsLocal: true });
    const resolved = upsert({ remoteId: 'c', createdAt: 2000, serverStatus: 'resolved', lastMessageAt: 2500, lastMessagePreview: 'bye', visitorOnline: true, visitorPresence: 'away' }).row;
    expect(mirror.conversations.get(resolved.id)).toMatchObject({ status: 'resolved', lastMessageAt: 2500, lastMessagePreview: 'bye', visitorOnline: true, visitorPresence: 'away' });
  });

  it('changes each field the backend sends and leaves the ones it omits', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 2000, visitorName: 'Ana', visitorEmail: 'ana@example.com', visitorUsername: 'ana', visitorOnline: true, visitorPresence: 'online' });
    const same = upsert({ remoteId: 'a', createdAt: 2000 }, 9000);
    expect(same).toEqual({ row: mirror.conversations.getRow(row.id), created: false });
    expect(same.row.updatedAt).toBe(5000);

    upsert({ remoteId: 'a', createdAt: 2000, visitorEmail: 'ana@work.example' }, 6000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ visitorName: 'Ana', visitorEmail: 'ana@work.example', visitorUsername: 'ana', visitorOnline: true });
    upsert({ remoteId: 'a', createdAt: 2000, visitorUsername: 'ana2' }, 6000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ visitorEmail: 'ana@work.example', visitorUsername: 'ana2' });
    upsert({ remoteId: 'a', createdAt: 2000, visitorOnline: false }, 6000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ visitorOnline: false, visitorPresence: 'online' });
    upsert({ remoteId: 'a', createdAt: 2000, visitorPresence: 'busy' }, 6000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ visitorOnline: false, visitorPresence: 'busy', visitorUsername: 'ana2' });
    expect(mirror.conversations.getRow(row.id)?.updatedAt).toBe(6000);
  });

  it("an earlier creation time replaces a placeholder's guess; a later one does not", () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 5000 });
    upsert({ remoteId: 'a', createdAt: 7000 });
    expect(mirror.conversations.get(row.id)?.createdAt).toBe(5000);
    upsert({ remoteId: 'a', createdAt: 4000 });
    expect(mirror.conversations.get(row.id)?.createdAt).toBe(4000);
  });

  it('the last activity and preview only move forward, and the preview stays when the newer time comes without one', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000, lastMessageAt: 3000, lastMessagePreview: 'three' });
    upsert({ remoteId: 'a', createdAt: 1000, lastMessageAt: 2000, lastMessagePreview: 'two' });
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 3000, lastMessagePreview: 'three' });
    upsert({ remoteId: 'a', createdAt: 1000, lastMessageAt: 3000, lastMessagePreview: 'three again' });
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 3000, lastMessagePreview: 'three' });
    upsert({ remoteId: 'a', createdAt: 1000, lastMessageAt: 4000 });
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 4000, lastMessagePreview: 'three' });
    upsert({ remoteId: 'a', createdAt: 1000, lastMessageAt: 5000, lastMessagePreview: 'five' });
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 5000, lastMessagePreview: 'five' });
  });

  it('a renamed visitor is found by the new name and email, no longer by the old ones', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000, visitorName: 'Marisol', visitorEmail: 'ana@example.com' });
    expect(visitorHits('Marisol').map((h) => h.conversationId)).toEqual([row.id]);
    upsert({ remoteId: 'a', createdAt: 1000, visitorName: 'Pilar' });
    expect(visitorHits('Marisol')).toEqual([]);
    expect(visitorHits('Pilar').map((h) => h.conversationId)).toEqual([row.id]);
    expect(visitorHits('ana@example.com').map((h) => h.conversationId)).toEqual([row.id]);
    upsert({ remoteId: 'a', createdAt: 1000, visitorEmail: 'rosa@example.org' });
    expect(visitorHits('ana@example.com')).toEqual([]);
    expect(visitorHits('rosa@example.org').map((h) => h.conversationId)).toEqual([row.id]);
    expect(visitorHits('Pilar').map((h) => h.conversationId)).toEqual([row.id]);
  });

  it('a status change is written to the history with its source; an unchanged one is not', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000 }, 1000);
    upsert({ remoteId: 'a', createdAt: 1000, serverStatus: 'resolved' }, 2000, accountId, 'server');
    upsert({ remoteId: 'a', createdAt: 1000, serverStatus: 'resolved', visitorName: 'Ana' }, 3000);
    upsert({ remoteId: 'a', createdAt: 1000, serverStatus: 'closed' }, 4000);
    expect(history(row.id)).toEqual([
      { status: 'closed', at: 4000, source: 'sync' },
      { status: 'resolved', at: 2000, source: 'server' },
      { status: 'active', at: 1000, source: 'initial' },
    ]);
  });
});

describe('ConversationsRepo.details', () => {
  it("counts the visitor's conversations on this account by email, whatever its case, since the first one", () => {
    const first = upsert({ remoteId: 'a', createdAt: 1000, visitorEmail: 'Ana@Example.com' }).row;
    const second = upsert({ remoteId: 'b', createdAt: 3000, visitorEmail: 'ana@example.com' }).row;
    upsert({ remoteId: 'c', createdAt: 500, visitorEmail: 'other@example.com' });
    const other = mirror.accounts.create({ kind: 'portfolio', name: 'Other site', baseUrl: 'http://127.0.0.1:2' }, 1000).id;
    upsert({ remoteId: 'a', createdAt: 100, visitorEmail: 'ana@example.com' }, 5000, other);
    expect(mirror.conversations.details(second.id)).toMatchObject({ conversationId: second.id, firstSeenAt: 1000, conversationCount: 2, members: [] });
    expect(mirror.conversations.details(first.id)).toMatchObject({ firstSeenAt: 1000, conversationCount: 2 });
  });

  it('without an email the conversation stands alone; an unknown id has no details', () => {
    upsert({ remoteId: 'a', createdAt: 1000 });
    const alone = upsert({ remoteId: 'b', createdAt: 3000 }).row;
    expect(mirror.conversations.details(alone.id)).toMatchObject({ firstSeenAt: 3000, conversationCount: 1 });
    expect(mirror.conversations.details(alone.id + 100)).toBeUndefined();
  });
});

describe('previews', () => {
  const message = (conversationId: number, remoteId: string, content: string, createdAt: number) =>
    mirror.transaction(() => mirror.messages.apply(conversationId, [{ remoteId, seq: Number(remoteId), senderType: 'visitor', content, createdAt }]));

  it('touch moves the preview forward only', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000 });
    mirror.conversations.touch(row.id, 2000, 'two', 9000);
    mirror.conversations.touch(row.id, 1500, 'older', 9100);
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 2000, lastMessagePreview: 'two' });
    expect(mirror.conversations.getRow(row.id)?.updatedAt).toBe(9000);
    mirror.conversations.touch(row.id, 2000, 'two too', 9200);
    expect(mirror.conversations.get(row.id)?.lastMessagePreview).toBe('two too');
  });

  it('forgetPreviewOf goes back to the newest message left only when the preview showed the removed one', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000 });
    message(row.id, '1', 'first', 2000);
    const long = 'x'.repeat(250);
    mirror.conversations.touch(row.id, 3000, long.slice(0, 200), 3000);
    mirror.conversations.forgetPreviewOf(row.id, { createdAt: 3000, content: 'something else' }, 4000);
    mirror.conversations.forgetPreviewOf(row.id, { createdAt: 2999, content: long }, 4000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 3000, lastMessagePreview: long.slice(0, 200) });
    mirror.conversations.forgetPreviewOf(row.id, { createdAt: 3000, content: long }, 4000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 2000, lastMessagePreview: 'first' });
    expect(mirror.conversations.getRow(row.id)?.updatedAt).toBe(4000);

    const empty = upsert({ remoteId: 'b', createdAt: 1500 }).row;
    mirror.conversations.touch(empty.id, 2500, 'gone', 2500);
    mirror.conversations.forgetPreviewOf(empty.id, { createdAt: 2500, content: 'gone' }, 4000);
    expect(mirror.conversations.get(empty.id)).toMatchObject({ lastMessageAt: 1500, lastMessagePreview: null });
    expect(() => mirror.conversations.forgetPreviewOf(empty.id + 100, { createdAt: 1, content: '' }, 4000)).not.toThrow();
  });

  it('refreshPreview follows the newest visible message, cut to 200 characters, and writes nothing when it already does', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000 });
    const long = 'y'.repeat(300);
    message(row.id, '1', long, 2000);
    mirror.conversations.refreshPreview(row.id, 3000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 2000, lastMessagePreview: long.slice(0, 200) });
    expect(mirror.conversations.getRow(row.id)?.updatedAt).toBe(3000);
    mirror.conversations.refreshPreview(row.id, 4000);
    expect(mirror.conversations.getRow(row.id)?.updatedAt).toBe(3000);
    // An edit of the newest message: same time, new text.
    mirror.transaction(() => mirror.messages.edit(row.id, [{ remoteId: '1', content: 'edited', editedAt: 4500 }]));
    mirror.conversations.refreshPreview(row.id, 4500);
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 2000, lastMessagePreview: 'edited' });

    mirror.transaction(() => mirror.messages.markDeleted(row.id, ['1'], 5000));
    mirror.conversations.refreshPreview(row.id, 5000);
    expect(mirror.conversations.get(row.id)).toMatchObject({ lastMessageAt: 1000, lastMessagePreview: null });
    expect(() => mirror.conversations.refreshPreview(row.id + 100, 5000)).not.toThrow();
  });
});

describe('local status', () => {
  it('setStatus stores a server status or a local one, writes it to the history as local, and moves the counts', () => {
    const server = upsert({ remoteId: 'a', createdAt: 1000 }, 1000).row;
    const local = upsert({ remoteId: 'b', createdAt: 1000, serverStatus: null }, 1000).row;
    expect(mirror.conversations.counts()).toEqual({ active: 2, resolved: 0, closed: 0, all: 2 });
    mirror.transaction(() => mirror.conversations.setStatus(server.id, 'resolved', 'server', 2000));
    mirror.transaction(() => mirror.conversations.setStatus(local.id, 'closed', 'local', 2000));
    expect(mirror.conversations.getRow(server.id)).toMatchObject({ serverStatus: 'resolved', localStatus: null, status: 'resolved', updatedAt: 2000 });
    expect(mirror.conversations.getRow(local.id)).toMatchObject({ serverStatus: null, localStatus: 'closed', status: 'closed', updatedAt: 2000 });
    expect(history(server.id)?.[0]).toEqual({ status: 'resolved', at: 2000, source: 'local' });
    expect(mirror.conversations.counts()).toEqual({ active: 0, resolved: 1, closed: 1, all: 2 });
    expect(mirror.conversations.counts(accountId)).toEqual({ active: 0, resolved: 1, closed: 1, all: 2 });
    mirror.transaction(() => mirror.conversations.setStatus(server.id, 'resolved', 'server', 3000));
    expect(history(server.id)).toHaveLength(2);
    expect(() => mirror.transaction(() => mirror.conversations.setStatus(local.id + 100, 'closed', 'local', 3000))).not.toThrow();
  });

  it('reopenLocally makes a locally resolved or closed conversation active again, and nothing else', () => {
    const resolved = upsert({ remoteId: 'a', createdAt: 1000, serverStatus: null }, 1000).row;
    const fresh = upsert({ remoteId: 'b', createdAt: 1000, serverStatus: null }, 1000).row;
    const server = upsert({ remoteId: 'c', createdAt: 1000, serverStatus: 'resolved' }, 1000).row;
    mirror.transaction(() => mirror.conversations.setStatus(resolved.id, 'resolved', 'local', 2000));
    // The server's status wins over a local one.
    mirror.transaction(() => mirror.conversations.setStatus(server.id, 'closed', 'local', 2000));
    expect(mirror.conversations.counts()).toEqual({ active: 1, resolved: 2, closed: 0, all: 3 });

    mirror.transaction(() => {
      for (const id of [resolved.id, fresh.id, server.id, server.id + 100]) mirror.conversations.reopenLocally(id, 'server', 3000);
    });
    expect(mirror.conversations.getRow(resolved.id)).toMatchObject({ localStatus: 'active', status: 'active', updatedAt: 3000 });
    expect(history(resolved.id)?.[0]).toEqual({ status: 'active', at: 3000, source: 'server' });
    expect(mirror.conversations.getRow(fresh.id)).toMatchObject({ localStatus: null, updatedAt: 1000 });
    expect(history(fresh.id)).toHaveLength(1);
    expect(mirror.conversations.getRow(server.id)).toMatchObject({ serverStatus: 'resolved', localStatus: 'closed', updatedAt: 2000 });
    expect(mirror.conversations.counts()).toEqual({ active: 2, resolved: 1, closed: 0, all: 3 });

    mirror.transaction(() => mirror.conversations.reopenLocally(resolved.id, 'sync', 4000));
    expect(mirror.conversations.getRow(resolved.id)?.updatedAt).toBe(3000);
  });

  it('setMuted mutes and unmutes', () => {
    const { row } = upsert({ remoteId: 'a', createdAt: 1000 });
    mirror.conversations.setMuted(row.id, true, 2000);
    expect(mirror.conversations.getRow(row.id)).toMatchObject({ muted: true, updatedAt: 2000 });
    mirror.conversations.setMuted(row.id, false, 3000);
    expect(mirror.conversations.get(row.id)?.muted).toBe(false);
  });
});

describe('ConversationsRepo.removeGhost', () => {
  it('removes a conversation nothing was written to, with its search entry and counts; keeps one with messages or outbox items', () => {
    const ghost = upsert({ remoteId: 'ghost', createdAt: 1000, visitorName: 'Casper' }).row;
    const talked = upsert({ remoteId: 'talked', createdAt: 1000 }).row;
    const replied = upsert({ remoteId: 'replied', createdAt: 1000 }).row;
    mirror.transaction(() => mirror.messages.apply(talked.id, [{ remoteId: '1', seq: 1, senderType: 'visitor', content: 'hi', createdAt: 2000 }]));
    mirror.outbox.add({ accountId, conversationId: replied.id, kind: 'status', payload: { status: 'resolved' }, clientId: 'c-1', now: 2000 });
    expect(mirror.conversations.counts()).toMatchObject({ all: 3 });

    expect(mirror.transaction(() => mirror.conversations.removeGhost(talked.id))).toBe(false);
    expect(mirror.transaction(() => mirror.conversations.removeGhost(replied.id))).toBe(false);
    expect(mirror.transaction(() => mirror.conversations.removeGhost(ghost.id))).toBe(true);
    expect(mirror.conversations.get(ghost.id)).toBeUndefined();
    expect(visitorHits('Casper')).toEqual([]);
    expect(mirror.conversations.counts()).toEqual({ active: 2, resolved: 0, closed: 0, all: 2 });
    expect(mirror.transaction(() => mirror.conversations.removeGhost(ghost.id))).toBe(false);
  });
});

describe('status counts', () => {
  it("are per account or for all, follow new conversations and status changes once remembered, and are not remembered inside a transaction", () => {
    const other = mirror.accounts.create({ kind: 'portfolio', name: 'Other site', baseUrl: 'http://127.0.0.1:2' }, 1000).id;
    upsert({ remoteId: 'a', createdAt: 1000 });
    upsert({ remoteId: 'b', createdAt: 1000, serverStatus: 'closed' }, 5000, other);
    expect(mirror.conversations.counts()).toEqual({ active: 1, resolved: 0, closed: 1, all: 2 });
    expect(mirror.conversations.counts(accountId)).toEqual({ active: 1, resolved: 0, closed: 0, all: 1 });
    expect(mirror.conversations.counts(other)).toEqual({ active: 0, resolved: 0, closed: 1, all: 1 });

    upsert({ remoteId: 'c', createdAt: 1000, serverStatus: 'resolved' });
    upsert({ remoteId: 'a', createdAt: 1000, serverStatus: 'closed' });
    expect(mirror.conversations.counts()).toEqual({ active: 0, resolved: 1, closed: 2, all: 3 });
    expect(mirror.conversations.counts(accountId)).toEqual({ active: 0, resolved: 1, closed: 1, all: 2 });
    expect(mirror.conversations.counts(other)).toEqual({ active: 0, resolved: 0, closed: 1, all: 1 });

    // A copy: changing what was returned changes nothing remembered.
    const returned = mirror.conversations.counts();
    returned.all = 99;
    expect(mirror.conversations.counts().all).toBe(3);

    mirror.conversations.forgetCounts();
    const inside = mirror.transaction(() => {
      const counts = mirror.conversations.counts();
      mirror.conversations.upsert(accountId, { remoteId: 'd', createdAt: 1000 }, 5000);
      return counts;
    });
    expect(inside.all).toBe(3);
    expect(mirror.conversations.counts()).toEqual({ active: 1, resolved: 1, closed: 2, all: 4 });
  });

  it('counts read inside a savepoint that is rolled back are not remembered', () => {
    upsert({ remoteId: 'a', createdAt: 1000 });
    mirror.transaction(() => {
      try {
        ctx.database.sqlite.transaction(() => {
          mirror.conversations.upsert(accountId, { remoteId: 'b', createdAt: 1000 }, 5000);
          expect(mirror.conversations.counts().all).toBe(2);
          throw new Error('rolled back to the savepoint');
        })();
      } catch {
        // The outer transaction goes on without the inner one's rows.
      }
    });
    expect(mirror.conversations.counts()).toEqual({ active: 1, resolved: 0, closed: 0, all: 1 });
  });

  it('a rolled-back transaction and a removed account forget them', () => {
    upsert({ remoteId: 'a', createdAt: 1000 });
    expect(mirror.conversations.counts()).toMatchObject({ active: 1, all: 1 });
    expect(() =>
      mirror.transaction(() => {
        mirror.conversations.upsert(accountId, { remoteId: 'b', createdAt: 1000 }, 5000);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(mirror.conversations.counts()).toEqual({ active: 1, resolved: 0, closed: 0, all: 1 });
    mirror.accounts.remove(accountId);
    expect(mirror.conversations.counts()).toEqual({ active: 0, resolved: 0, closed: 0, all: 0 });
  });
});

describe('ConversationsRepo.page', () => {
  it('newest activity first, by status and account, a page at a time', () => {
    const other = mirror.accounts.create({ kind: 'portfolio', name: 'Other site', baseUrl: 'http://127.0.0.1:2' }, 1000).id;
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) ids.push(upsert({ remoteId: `a${i}`, createdAt: 1000, lastMessageAt: 1000 * i, serverStatus: i % 2 ? 'active' : 'resolved' }).row.id);
    const theirs = upsert({ remoteId: 'o', createdAt: 1000, lastMessageAt: 2500 }, 5000, other).row.id;
    const tie = upsert({ remoteId: 'tie', createdAt: 1000, lastMessageAt: 5000 }).row.id;

    const first = mirror.conversations.page('all', 3);
    expect(first.items.map((c) => c.id)).toEqual([tie, ids[4], ids[3]]);
    const second = mirror.conversations.page('all', 3, first.nextCursor!);
    expect(second.items.map((c) => c.id)).toEqual([ids[2], theirs, ids[1]]);
    const last = mirror.conversations.page('all', 3, second.nextCursor!);
    expect(last).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect(mirror.conversations.page('all', 7).nextCursor).toBeNull();

    expect(mirror.conversations.page('all', 10, undefined, other).items.map((c) => c.id)).toEqual([theirs]);
    expect(mirror.conversations.page('active', 10).items.map((c) => c.id)).toEqual([tie, ids[4], ids[2], theirs, ids[0]]);
    expect(mirror.conversations.page('active', 10, undefined, accountId).items.map((c) => c.id)).toEqual([tie, ids[4], ids[2], ids[0]]);
    const resolved = mirror.conversations.page('resolved', 1, undefined, accountId);
    expect(resolved.items.map((c) => c.id)).toEqual([ids[3]]);
    expect(mirror.conversations.page('resolved', 1, resolved.nextCursor!, accountId).items.map((c) => c.id)).toEqual([ids[1]]);
    expect(mirror.conversations.page('closed', 10).items).toEqual([]);
    // A cursor that is not one starts from the top.
    expect(mirror.conversations.page('all', 1, 'not a cursor').items.map((c) => c.id)).toEqual([tie]);
  });
});
