// The message search index follows the committed rows in batches (mirror/message-index.ts):
// search never misses a committed message, edits and deletes of rows not yet indexed leave the
// index consistent, and a crash between the rows and their indexing loses nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/main/core/db/open';
import { readMigrations } from '../../src/main/core/db/migrate';
import { INDEX_BATCH, INDEX_DELAY_MS } from '../../src/main/core/mirror/message-index';
import { Mirror } from '../../src/main/core/mirror/mirror';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { FakeTimers } from '../support/fake-timers';
import { migrationsDir, tempDir, type TempDir } from '../support/temp-db';

let temp: TempDir;
const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
  temp?.cleanup();
});

const msg = (id: number, content: string, extra: Partial<RemoteMessage> = {}): RemoteMessage => ({ remoteId: String(id), seq: id, senderType: 'visitor', content, createdAt: id * 1000, ...extra });

function start(timers?: FakeTimers): { mirror: Mirror; database: OpenedDatabase; conversationId: number } {
  const database = openDatabase({ file: temp.file, migrationsDir });
  const mirror = new Mirror(database, timers ? { timers } : {});
  open.push(mirror);
  const accountId = mirror.accounts.list()[0]?.id ?? mirror.accounts.create({ kind: 'portfolio', name: 'A', baseUrl: 'http://127.0.0.1:1' }, 1).id;
  const conversationId = mirror.transaction(() => mirror.conversations.upsert(accountId, { remoteId: 'c1', visitorName: 'Ana', createdAt: 1 }, 1)).row.id;
  return { mirror, database, conversationId };
}

const indexed = (database: OpenedDatabase, word: string): number =>
  (database.sqlite.prepare('SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?').get(`"${word}"`) as { n: number }).n;
/**
 * The index holds exactly the visible rows' words. (FTS5's own integrity-check with rank 1 compares
 * against every content row, and deleted rows are kept but deliberately not indexed.) Compared
 * term by term, row by row, position by position, with an index built from scratch.
 */
function integrity(database: OpenedDatabase): void {
  const { sqlite } = database;
  sqlite.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES('integrity-check', 0)").run();
  sqlite.exec(`
    DROP TABLE IF EXISTS temp.expected_fts; DROP TABLE IF EXISTS temp.expected_v; DROP TABLE IF EXISTS temp.actual_v;
    CREATE VIRTUAL TABLE temp.expected_fts USING fts5(content, tokenize='unicode61 remove_diacritics 2');
    INSERT INTO temp.expected_fts (rowid, content) SELECT id, content FROM messages WHERE deleted_at IS NULL;
    CREATE VIRTUAL TABLE temp.expected_v USING fts5vocab(temp, expected_fts, instance);
    CREATE VIRTUAL TABLE temp.actual_v USING fts5vocab(main, messages_fts, instance);
  `);
  const missing = 'SELECT term, doc, offset FROM temp.expected_v EXCEPT SELECT term, doc, offset FROM temp.actual_v';
  const extra = 'SELECT term, doc, offset FROM temp.actual_v EXCEPT SELECT term, doc, offset FROM temp.expected_v';
  const diff = sqlite.prepare(`SELECT (SELECT count(*) FROM (${missing})) + (SELECT count(*) FROM (${extra})) AS n`).get() as { n: number };
  if (diff.n !== 0) throw new Error(`the search index differs from the visible rows in ${diff.n} entries`);
}

describe('deferred message search index', () => {
  it('indexes committed rows after their transaction, on its timer, and search finds them before that', () => {
    temp = tempDir();
    const timers = new FakeTimers();
    const { mirror, database, conversationId } = start(timers);
    mirror.transaction(() => mirror.messages.apply(conversationId, [msg(1, 'pengiriman paket'), msg(2, 'terima kasih')]));
    // Committed, not yet in the index: the commit did not pay for it.
    expect(indexed(database, 'paket')).toBe(0);
    expect(mirror.messageIndex.pending()).toBe(2);
    timers.advance(INDEX_DELAY_MS);
    expect(indexed(database, 'paket')).toBe(1);
    expect(mirror.messageIndex.pending()).toBe(0);
    // Written again: search itself brings the index up to date before answering.
    mirror.transaction(() => mirror.messages.apply(conversationId, [msg(3, 'paket kedua')]));
    expect(indexed(database, 'kedua')).toBe(0);
    expect(mirror.searchIndex.search('kedua', 10).map((h) => h.messageId)).toHaveLength(1);
    expect(() => integrity(database)).not.toThrow();
    // The check sees an entry without its visible row.
    database.sqlite.prepare('INSERT INTO messages_fts (rowid, content) VALUES (99, ?)').run('hantu');
    expect(() => integrity(database)).toThrow(/differs/);
  });

  it('while a catch-up holds it, indexes only full batches; the rest after the last release; search still finds everything', () => {
    temp = tempDir();
    const timers = new FakeTimers();
    const { mirror, database, conversationId } = start(timers);
    const release = mirror.messageIndex.hold();
    const second = mirror.messageIndex.hold();
    mirror.transaction(() => mirror.messages.apply(conversationId, [msg(1, 'pengiriman paket'), msg(2, 'terima kasih')]));
    timers.advance(INDEX_DELAY_MS * 10);
    expect(indexed(database, 'paket')).toBe(0);
    expect(mirror.messageIndex.pending()).toBe(2);
    // A search while held still answers from everything committed.
    expect(mirror.searchIndex.search('terima', 10)).toHaveLength(1);
    mirror.transaction(() => mirror.messages.apply(conversationId, [msg(3, 'paket kedua')]));
    // A full batch waiting is indexed on the timer even while held.
    const many = Array.from({ length: INDEX_BATCH }, (_, i) => msg(10 + i, `banyak ${i}`));
    mirror.transaction(() => mirror.messages.apply(conversationId, many));
    timers.advance(INDEX_DELAY_MS);
    expect(mirror.messageIndex.pending()).toBe(0);
    expect(indexed(database, 'kedua')).toBe(1);
    mirror.transaction(() => mirror.messages.apply(conversationId, [msg(20_000, 'sisa terakhir')]));
    release();
    release(); // twice is once: the other hold still counts
    timers.advance(INDEX_DELAY_MS * 10);
    expect(indexed(database, 'terakhir')).toBe(0);
    second();
    timers.advance(INDEX_DELAY_MS);
    expect(indexed(database, 'terakhir')).toBe(1);
    expect(mirror.messageIndex.pending()).toBe(0);
    expect(() => integrity(database)).not.toThrow();
  });

  it('keeps the index consistent when a row not yet indexed is edited, deleted or removed', () => {
    temp = tempDir();
    const { mirror, database, conversationId } = start();
    const applied = mirror.transaction(() => mirror.messages.apply(conversationId, [msg(1, 'lama sekali'), msg(2, 'hapus saya'), msg(3, 'buang saya')]));
    // All three are above the index mark here.
    mirror.transaction(() => mirror.messages.edit(conversationId, [{ remoteId: '1', content: 'baru sekarang', editedAt: 5000 }]));
    mirror.transaction(() => mirror.messages.markDeleted(conversationId, ['2'], 6000));
    mirror.transaction(() => mirror.messages.remove(applied.added[2]!.id));
    // Already deleted when first seen: kept, never searchable.
    mirror.transaction(() => mirror.messages.apply(conversationId, [msg(4, 'rahasia terhapus', { deletedAt: 7000 })]));
    expect(mirror.searchIndex.search('baru', 10)).toHaveLength(1);
    for (const word of ['lama', 'hapus', 'buang', 'rahasia']) expect(mirror.searchIndex.search(word, 10), word).toHaveLength(0);
    expect(() => integrity(database)).not.toThrow();
    // And the same changes on rows that are indexed.
    mirror.transaction(() => mirror.messages.edit(conversationId, [{ remoteId: '1', content: 'ketiga kalinya', editedAt: 8000 }]));
    expect(mirror.searchIndex.search('baru', 10)).toHaveLength(0);
    expect(mirror.searchIndex.search('ketiga', 10)).toHaveLength(1);
    expect(() => integrity(database)).not.toThrow();
  });

  it('after a crash between the rows and their indexing, indexes them on the next start, once', () => {
    temp = tempDir();
    const first = start();
    const words = Array.from({ length: INDEX_BATCH + 7 }, (_, k) => msg(k + 1, `kata${k} umum`));
    first.mirror.transaction(() => first.mirror.messages.apply(first.conversationId, words));
    // The process dies: no close(), no catch-up (the connection just goes away).
    first.database.close();
    open.splice(0);
    expect(indexed(reopened(), 'umum')).toBe(0);

    const timers = new FakeTimers();
    const second = start(timers);
    expect(second.mirror.messageIndex.pending()).toBeGreaterThan(INDEX_BATCH);
    timers.advance(INDEX_DELAY_MS);
    expect(indexed(second.database, 'umum')).toBe(INDEX_BATCH + 7);
    expect(second.mirror.searchIndex.search(`kata${INDEX_BATCH + 6}`, 10)).toHaveLength(1);
    expect(() => integrity(second.database)).not.toThrow();
  });

  it('does not index rows of a transaction that rolled back, nor inside an open transaction', () => {
    temp = tempDir();
    const { mirror, database, conversationId } = start();
    expect(() =>
      mirror.transaction(() => {
        mirror.messages.apply(conversationId, [msg(1, 'batal')]);
        // Search inside a transaction answers from the index as it is.
        expect(mirror.searchIndex.search('batal', 10)).toHaveLength(0);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(mirror.searchIndex.search('batal', 10)).toHaveLength(0);
    mirror.transaction(() => mirror.messages.apply(conversationId, [msg(1, 'jadi')]));
    expect(mirror.searchIndex.search('jadi', 10)).toHaveLength(1);
    expect(() => integrity(database)).not.toThrow();
  });

  it('is caught up when the mirror closes', () => {
    temp = tempDir();
    const { mirror, conversationId } = start(new FakeTimers());
    mirror.transaction(() => mirror.messages.apply(conversationId, [msg(1, 'tutup')]));
    mirror.close();
    open.splice(0);
    expect(indexed(reopened(), 'tutup')).toBe(1);
  });
});

/** The file opened again without a Mirror (which would index what is left). */
function reopened(): OpenedDatabase {
  const database = openDatabase({ file: temp.file, migrationsDir });
  open.push(database);
  return database;
}

describe('migration search_index_progress', () => {
  const index = readMigrations(migrationsDir).findIndex((m) => m.tag.endsWith('_search_index_progress'));

  it('counts every message written before it as indexed, and the mirror indexes only what comes after', () => {
    expect(index).toBeGreaterThan(0);
    temp = tempDir();
    const before = openDatabase({ file: temp.file, migrationsDir, migrateTo: index });
    before.sqlite.exec(`
      INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('portfolio', 'A', 'http://a', 1);
      INSERT INTO conversations (account_id, remote_id, last_message_at, created_at, updated_at) VALUES (1, '7', 1, 1, 1);
      INSERT INTO messages (conversation_id, remote_id, sender_type, content, created_at) VALUES (1, '70', 'visitor', 'sudah terindeks', 1);
      INSERT INTO messages_fts (rowid, content) VALUES (1, 'sudah terindeks');
    `);
    before.close();

    const migrated = openDatabase({ file: temp.file, migrationsDir, migrateTo: index + 1 });
    expect(migrated.sqlite.prepare('SELECT name, indexed_up_to FROM search_index_progress').all()).toEqual([{ name: 'messages', indexed_up_to: 1 }]);
    migrated.close();
    // The Mirror needs every later migration too (their tables are read by its repositories).
    const after = openDatabase({ file: temp.file, migrationsDir });
    const mirror = new Mirror(after);
    open.push(mirror);
    expect(mirror.messageIndex.pending()).toBe(0);
    mirror.transaction(() => mirror.messages.apply(1, [msg(71, 'baru datang')]));
    expect(mirror.searchIndex.search('terindeks', 10)).toHaveLength(1);
    expect(mirror.searchIndex.search('datang', 10)).toHaveLength(1);
    // Indexed once each: the message from before the migration was not indexed again.
    expect(() => integrity(after)).not.toThrow();
    expect(indexed(after, 'terindeks')).toBe(1);
  });
});
