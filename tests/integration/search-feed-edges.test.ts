// Search and feed edges the mutation run of the mirror (session 6) found untested: the cap on the
// words of a query, a last word the index splits in several tokens, the feed's share of a short
// result list and the feed's last page. Real SQLite file, in process.
import { afterEach, describe, expect, it } from 'vitest';
import { queryWords } from '../../src/main/core/mirror/search-repo';
import { openTempMirrorWithAccount, type TempMirror } from '../support/temp-mirror-account';

let ctx: TempMirror;
afterEach(() => ctx?.close());

function setUp() {
  ctx = openTempMirrorWithAccount().ctx;
  const { mirror } = ctx;
  const accountId = mirror.accounts.list()[0]!.id;
  const conversationId = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: 'c1', createdAt: 1 }, 1)).row.id;
  return { mirror, accountId, conversationId };
}

describe('search', () => {
  it('reads at most 16 words of a query', () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
    expect(queryWords(words.join(' '))).toEqual(words.slice(0, 16));
  });

  it('a last word the index splits in several tokens (Devanagari marks) finds only its own messages', () => {
    const { mirror, conversationId } = setUp();
    const ids = mirror
      .transaction(() =>
        mirror.messages.apply(conversationId, [
          { remoteId: '1', seq: 1, senderType: 'visitor', content: 'saya bisa हिंदी', createdAt: 100 },
          { remoteId: '2', seq: 2, senderType: 'visitor', content: 'हम यहाँ हैं', createdAt: 200 },
        ]),
      )
      .added.map((m) => m.id);
    expect(mirror.searchIndex.search('हिंदी', 10).map((h) => h.messageId)).toEqual([ids[0]]);
  });

  it('gives the feed no more hits than the limit', () => {
    const { mirror, accountId } = setUp();
    mirror.transaction(() =>
      mirror.feed.add(
        accountId,
        [1, 2, 3].map((n) => ({ remoteId: `n${n}`, type: 'note', title: `Undangan ${n}`, body: 'rapat kelas', createdAt: n * 100 })),
      ),
    );
    expect(mirror.searchIndex.search('undangan', 2).map((h) => h.feedEntryId)).toHaveLength(2);
    expect(mirror.searchIndex.search('undangan', 10).map((h) => h.feedEntryId)).toHaveLength(3);
  });
});

describe('feed pages', () => {
  it('a feed of exactly one page has no next cursor', () => {
    const { mirror, accountId } = setUp();
    mirror.transaction(() => mirror.feed.add(accountId, [1, 2].map((n) => ({ remoteId: `n${n}`, type: 'note', title: `t${n}`, body: '', createdAt: n * 100 }))));
    expect(mirror.feed.page(2)).toMatchObject({ nextCursor: null });
    expect(mirror.feed.page(2, undefined, accountId)).toMatchObject({ nextCursor: null });
    expect(mirror.feed.page(1).nextCursor).not.toBeNull();
  });
});
