// Messages that change after they arrive (backends.md: jwt-ws edits and deletes, OpenManus
// events with payloads): the mirror updates the text and its search entry on an edit, and hides
// a deleted message everywhere — the conversation page, the list preview, search and unread.
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { openTempMirror } from '../support/temp-db';
import { openTempRoom, remoteMessage } from '../support/temp-room';

let ctx: ReturnType<typeof openTempMirror>;
afterEach(() => ctx?.close());

function setUp() {
  let conversationId: number;
  ({ ctx, conversationId } = openTempRoom());
  const { mirror } = ctx;
  const row = { id: conversationId };
  const apply = (messages: RemoteMessage[]) =>
    mirror.transaction(() => {
      const result = mirror.messages.apply(row.id, messages);
      const newest = result.added.at(-1);
      if (newest) mirror.conversations.touch(row.id, newest.createdAt, newest.content, 1);
      mirror.conversations.recountUnreadFor(row.id);
      return result;
    });
  return { mirror, conversationId: row.id, apply };
}

const msg = remoteMessage;

describe('edited and deleted messages', () => {
  it('an edit found while fetching replaces the text and its search entry', () => {
    const { mirror, conversationId, apply } = setUp();
    apply([msg('a', 'kopi susu dingin', 200)]);
    const result = apply([msg('a', 'teh tarik panas', 200, { editedAt: 300 })]);
    expect(result.updated).toHaveLength(1);
    expect(result.updated[0]).toMatchObject({ content: 'teh tarik panas', editedAt: 300 });
    expect(mirror.searchIndex.search('kopi', 10)).toEqual([]);
    expect(mirror.searchIndex.search('tarik', 10).map((h) => h.messageId)).toEqual([result.updated[0]!.id]);
    expect(mirror.messages.all(conversationId).map((m) => m.content)).toEqual(['teh tarik panas']);
  });

  it('a live edit (new text only) updates a known message and names the unknown ones', () => {
    const { mirror, conversationId, apply } = setUp();
    apply([msg('a', 'first', 200)]);
    const { updated, unknown } = mirror.transaction(() => mirror.messages.edit(conversationId, [
      { remoteId: 'a', content: 'first, edited', editedAt: 250 },
      { remoteId: 'zz', content: 'not here yet', editedAt: 250 },
    ]));
    expect(updated.map((m) => [m.content, m.editedAt])).toEqual([['first, edited', 250]]);
    expect(unknown).toEqual(['zz']);
    expect(mirror.searchIndex.search('edited', 10)).toHaveLength(1);
  });

  it('a deleted message is hidden from the page, the preview, search and unread, and stays deleted', () => {
    const { mirror, conversationId, apply } = setUp();
    apply([msg('a', 'halo kak', 200), msg('b', 'nomor rekening saya 123', 300)]);
    expect(mirror.conversations.get(conversationId)).toMatchObject({ unreadCount: 2, lastMessagePreview: 'nomor rekening saya 123' });
    const hidden = mirror.transaction(() => {
      const ids = mirror.messages.markDeleted(conversationId, ['b'], 400);
      mirror.conversations.refreshPreview(conversationId, 400);
      mirror.conversations.recountUnreadFor(conversationId);
      return ids;
    });
    expect(hidden).toHaveLength(1);
    expect(mirror.messages.page(conversationId, 50).items.map((m) => m.remoteId)).toEqual(['a']);
    expect(mirror.messages.all(conversationId).map((m) => m.remoteId)).toEqual(['a']);
    expect(mirror.searchIndex.search('rekening', 10)).toEqual([]);
    expect(mirror.conversations.get(conversationId)).toMatchObject({ unreadCount: 1, lastMessagePreview: 'halo kak', lastMessageAt: 200 });
    // A later page still carrying it does not bring it back.
    const again = apply([msg('b', 'nomor rekening saya 123', 300)]);
    expect(again.added).toEqual([]);
    expect(mirror.messages.page(conversationId, 50).items).toHaveLength(1);
  });

  it('a message first seen already deleted is kept out of sight; a fetched deletion is reported as removed', () => {
    const { mirror, conversationId, apply } = setUp();
    const first = apply([msg('a', 'gone', 200, { deletedAt: 250 }), msg('b', 'kept', 300)]);
    expect(first.added.map((m) => m.remoteId)).toEqual(['b']);
    const second = apply([msg('b', 'kept', 300, { deletedAt: 500 })]);
    expect(second.removed).toHaveLength(1);
    expect(mirror.messages.page(conversationId, 50).items).toEqual([]);
    expect(mirror.searchIndex.search('kept', 10)).toEqual([]);
  });

  it("other room members' messages count as unread like a visitor's; the owner's and the AI's do not", () => {
    const { mirror, conversationId, apply } = setUp();
    apply([msg('m1', 'from a member', 200, { senderType: 'member', senderName: 'Budi' }), msg('a1', 'from the site AI', 210, { senderType: 'ai' }), msg('o1', 'from me', 220, { senderType: 'admin' })]);
    expect(mirror.conversations.get(conversationId)!.unreadCount).toBe(1);
    expect(mirror.messages.unreadRemoteIds(conversationId)).toEqual(['m1']);
  });

  it('events keep their kind and JSON payload', () => {
    const { mirror, conversationId, apply } = setUp();
    apply([msg('s1', 'Using browser_use', 200, { senderType: 'tool', kind: 'event', payload: { event: 'agent.tools_prepared', tool_name: 'browser_use', args: { url: 'https://example.com' } } })]);
    const [event] = mirror.messages.all(conversationId);
    expect(event).toMatchObject({ kind: 'event', senderType: 'tool', payload: { event: 'agent.tools_prepared', tool_name: 'browser_use', args: { url: 'https://example.com' } } });
    expect(mirror.searchIndex.search('browser_use', 10)).toHaveLength(1);
  });
});

describe('feed entries', () => {
  it('are added once by remote id, paged newest first, read locally and counted', () => {
    ctx = openTempMirror();
    const { mirror } = ctx;
    const account = mirror.accounts.create({ kind: 'django-notifications', name: 'Challenges', baseUrl: 'http://x' }, 1);
    const added = mirror.transaction(() =>
      mirror.feed.add(account.id, [
        { remoteId: 'invite:1', type: 'new_challenge_invite', title: 'Budi invited you', body: 'Sprint', createdAt: 100, payload: { id: 1 } },
        { remoteId: 'invite:2', type: 'new_challenge_invite', title: 'Sari invited you', body: 'Kata', createdAt: 200 },
      ]),
    );
    expect(added).toHaveLength(2);
    expect(mirror.transaction(() => mirror.feed.add(account.id, [{ remoteId: 'invite:1', type: 'x', title: 'again', body: '', createdAt: 100 }]))).toEqual([]);
    const page = mirror.feed.page(1);
    expect(page.items.map((e) => e.remoteId)).toEqual(['invite:2']);
    expect(mirror.feed.page(1, page.nextCursor!).items.map((e) => [e.remoteId, e.payload])).toEqual([['invite:1', { id: 1 }]]);
    expect(mirror.feed.unread(account.id)).toBe(2);
    expect(mirror.feed.markRead([added[0]!.id], 300).map((e) => e.readAt)).toEqual([300]);
    expect(mirror.feed.markRead([added[0]!.id], 400)).toEqual([]);
    expect(mirror.feed.markAllRead(500, account.id).map((e) => e.remoteId)).toEqual(['invite:2']);
    expect(mirror.feed.unread()).toBe(0);
  });
});
