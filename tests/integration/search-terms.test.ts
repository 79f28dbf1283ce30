// Prefix search through the term table (mirror/search-terms.ts): search_terms holds every word
// messages_fts holds, written in the index's own transactions, and expanding the last word's
// prefix into those words gives exactly the hits of the prefix query: same rows, same order,
// same snippets.
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../src/main/core/db/open';
import { INDEX_BATCH } from '../../src/main/core/mirror/message-index';
import type { Mirror } from '../../src/main/core/mirror/mirror';
import { SearchRepo } from '../../src/main/core/mirror/search-repo';
import { backfillSearchTerms, prefixEnd, tokenizerOf } from '../../src/main/core/mirror/search-terms';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { openTempMirror } from '../support/temp-db';

let opened: ReturnType<typeof openTempMirror> | undefined;
afterEach(() => opened?.close());

const msg = (id: number, content: string): RemoteMessage => ({ remoteId: String(id), seq: id, senderType: 'visitor', content, createdAt: id * 1000 });

function start(): { mirror: Mirror; database: OpenedDatabase; conversationId: number } {
  opened = openTempMirror();
  const { mirror, database } = opened;
  const accountId = mirror.accounts.create({ kind: 'portfolio', name: 'A', baseUrl: 'http://127.0.0.1:1' }, 1).id;
  const conversationId = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: 'c1', visitorName: 'Ana', createdAt: 1 }, 1)).row.id;
  return { mirror, database, conversationId };
}

/** Words in messages_fts that search_terms lacks. */
function missingTerms(database: OpenedDatabase): string[] {
  const { sqlite } = database;
  sqlite.exec('DROP TABLE IF EXISTS temp.index_vocab; CREATE VIRTUAL TABLE temp.index_vocab USING fts5vocab(main, messages_fts, row);');
  return sqlite.prepare('SELECT term FROM temp.index_vocab EXCEPT SELECT term FROM search_terms ORDER BY 1').pluck().all() as string[];
}

const terms = (database: OpenedDatabase) => database.sqlite.prepare('SELECT term FROM search_terms ORDER BY term').pluck().all() as string[];

// Varied text: Indonesian and English, diacritics (composed and decomposed), full-width and
// ligature forms (NFKC), quotes of every kind, and long messages where several words of one prefix
// fall in different snippet windows (snippet() counts each word of an OR as a phrase of its own).
const TEXTS = [
  'Saya mau pesan kopi',
  'sayang sekali, stoknya habis',
  'Sayangnya kami tutup hari Minggu; saya minta maaf',
  'Café Zoë buka jam 8, naïve question: is the café open?',
  'Cafe\u0301 decomposed and CAFÉ upper case',
  'ｃａｆｅ full width and the ﬁnal ligature ﬁle',
  'He said "saya" and \'sayap\' and “sayur” and «sayuran»',
  'paket pengiriman pengirim pengiriman-ulang pengirimannya',
  'the theme of the theatre: then there, thereafter, these, they',
  `${'kata pembuka yang panjang sekali '.repeat(4)}saya di tengah ${'isi pesan yang tidak relevan '.repeat(4)}sayang di akhir sayangku sayap`,
  `pengiriman ${'lorem ipsum dolor sit amet '.repeat(5)} paket pengirim ${'consectetur adipiscing elit '.repeat(5)} pengirimannya paket`,
  'Ünïcödé Ǆemal Straße STRASSE İstanbul ıstanbul',
  'angka 12345 dan 123abc serta ١٢٣ arab',
  'Ok di pasar, oke?',
  'the',
];

const QUERIES = [
  ...['saya', 'sayang', 'sayangku', 'sayu', 'sayur', 'caf', 'café', 'CAFE', 'ｃａｆ', 'ﬁna', 'ﬁl', 'fil', 'pen', 'pengi', 'pengiriman', 'the', 'ther', 'them', 'str', 'straß', 'üni', 'uni', 'ǆem', 'dže', 'ist', 'ıst', '123', '١٢٣', 'zoe', 'naï'],
  ...['kopi say', 'Saya mau pes', 'paket pengi', '"saya" sayu', "'saya", '“sayur', 'kata saya', 'di sayan', 'pesan say', 'sit amet pengi', 'the the', 'nothing here', 'zzz', 'ok', 'di'],
];

describe('prefix search through the term table', () => {
  it('search_terms holds every word messages_fts holds, after batches, edits of indexed and unindexed rows, and deletes', () => {
    const { mirror, database, conversationId } = start();
    // More than one indexing batch.
    const many = Array.from({ length: INDEX_BATCH + 3 }, (_, k) => msg(k + 1, `kata${k} umum`));
    mirror.transaction(() => mirror.messages.apply(conversationId, many));
    mirror.transaction(() => mirror.messages.apply(conversationId, TEXTS.map((t, k) => msg(10_000 + k, t))));
    // Edited before it was indexed, then indexed with its new text.
    mirror.transaction(() => mirror.messages.edit(conversationId, [{ remoteId: '10000', content: 'sebelum diindeks', editedAt: 1 }]));
    mirror.messageIndex.catchUp();
    expect(missingTerms(database)).toEqual([]);
    // Edited once indexed: the new text goes straight into messages_fts, and its words with it.
    mirror.transaction(() => mirror.messages.edit(conversationId, [{ remoteId: '10001', content: 'suntingan baruterindeks', editedAt: 2 }]));
    mirror.transaction(() => mirror.messages.markDeleted(conversationId, ['10002'], 3));
    expect(missingTerms(database)).toEqual([]);
    expect(terms(database)).toEqual(expect.arrayContaining(['kata0', `kata${INDEX_BATCH + 2}`, 'umum', 'sebelum', 'diindeks', 'suntingan', 'baruterindeks', 'cafe', 'zoe', 'ﬁle', 'sayur', 'ıstanbul']));
    // The check sees a word the index holds and the table lacks.
    database.sqlite.prepare("DELETE FROM search_terms WHERE term = 'suntingan'").run();
    expect(missingTerms(database)).toEqual(['suntingan']);
  });

  it('expanding the prefix gives the hits of the prefix query: same rows, order and snippets, at every cap', () => {
    const { mirror, database, conversationId } = start();
    // Each text a few times, so that the limit cuts the matches.
    const texts = Array.from({ length: 4 }, () => TEXTS).flat();
    mirror.transaction(() => mirror.messages.apply(conversationId, texts.map((t, k) => msg(k + 1, t))));
    mirror.messageIndex.catchUp();
    const asTyped = new SearchRepo(database.sqlite, mirror.messageIndex, { prefixTermCap: 0 });
    const capped = [1, 3, 200].map((cap) => new SearchRepo(database.sqlite, mirror.messageIndex, { prefixTermCap: cap }));
    let found = 0;
    for (const query of QUERIES) {
      for (const limit of [50, 3]) {
        const expected = asTyped.search(query, limit);
        found += expected.filter((h) => h.messageId !== null).length;
        for (const [k, repo] of capped.entries()) expect(repo.search(query, limit), `${query} (limit ${limit}, repo ${k})`).toEqual(expected);
        expect(mirror.searchIndex.search(query, limit), query).toEqual(expected);
      }
    }
    // The queries find something, so the comparison compares hits, not empty lists.
    expect(found).toBeGreaterThan(300);
  });

  it('search misses the rows of a word the table lacks (the expansion is used, and needs every word)', () => {
    const { mirror, database, conversationId } = start();
    mirror.transaction(() => mirror.messages.apply(conversationId, TEXTS.map((t, k) => msg(k + 1, t))));
    expect(mirror.searchIndex.search('sayur', 50).filter((h) => h.messageId !== null)).toHaveLength(1);
    const asTyped = new SearchRepo(database.sqlite, mirror.messageIndex, { prefixTermCap: 0 });
    const before = mirror.searchIndex.search('say', 50);
    expect(before).toEqual(asTyped.search('say', 50));
    database.sqlite.prepare("DELETE FROM search_terms WHERE term = 'sayur'").run();
    // "sayuran" still brings that message, and it has other say- words.
    expect(mirror.searchIndex.search('sayur', 50).filter((h) => h.messageId !== null)).toHaveLength(1);
    expect(mirror.searchIndex.search('say', 50)).toEqual(before);
    database.sqlite.prepare("DELETE FROM search_terms WHERE term = 'sayuran'").run();
    expect(mirror.searchIndex.search('sayur', 50).filter((h) => h.messageId !== null)).toHaveLength(0);
    expect(asTyped.search('sayur', 50).filter((h) => h.messageId !== null)).toHaveLength(1);
  });

  it('prefixEnd is the least string above every string that starts with the prefix', () => {
    expect(prefixEnd('say')).toBe('saz');
    expect(prefixEnd('caf\u00e9')).toBe('caf\u00ea');
    expect(prefixEnd('a\ud7ff')).toBe('a\ue000');
    expect(prefixEnd('a\u{10fffe}')).toBe('a\u{10ffff}');
    expect(prefixEnd('ab\u{10ffff}')).toBe('ac');
    expect(prefixEnd('\u{10ffff}')).toBeNull();
    // Past the surrogates (mutation run, session 6).
    expect(prefixEnd('a\ue000')).toBe('a\ue001');
  });

  it('an older file without search_terms gets them from the index; a table without a tokenizer is named (mutation run, session 6)', () => {
    const { mirror, database, conversationId } = start();
    mirror.transaction(() => mirror.messages.apply(conversationId, TEXTS.map((t, k) => msg(k + 1, t))));
    mirror.messageIndex.catchUp();
    database.sqlite.prepare('DELETE FROM search_terms').run();
    expect(missingTerms(database)).not.toEqual([]);
    backfillSearchTerms(database.sqlite);
    expect(missingTerms(database)).toEqual([]);
    expect(() => tokenizerOf(database.sqlite, 'messages')).toThrow('messages has no tokenize option in its schema');
  });
});
