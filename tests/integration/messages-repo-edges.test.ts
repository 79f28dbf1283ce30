// The message repository's edges that the mutation run of the mirror (session 6) found untested:
// a fetched page deleting or re-sending a known message, our pending reply met in a fetch, a
// payload a later copy leaves out, live edits of deleted or unchanged messages, the last page of
// a conversation and a text longer than a row keeps. Real SQLite file, in process.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageIndex } from '../../src/main/core/mirror/message-index';
import { MAX_MESSAGE_CHARS, mergeApplied } from '../../src/main/core/mirror/messages-repo';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import type { openTempMirror } from '../support/temp-db';
import { openTempRoom, remoteMessage } from '../support/temp-room';

let ctx: ReturnType<typeof openTempMirror>;
afterEach(() => ctx?.close());

function setUp() {
  const room = openTempRoom();
  ctx = room.ctx;
  const { mirror } = ctx;
  return { mirror, conversationId: room.conversationId, apply: (messages: RemoteMessage[]) => mirror.transaction(() => mirror.messages.apply(room.conversationId, messages)) };
}

const msg = remoteMessage;

describe('messages a later fetch changes', () => {
  it('a fetched page saying a known message is deleted hides it and reports it removed', () => {
    const { mirror, conversationId, apply } = setUp();
    const id = apply([msg('a', 'halo kak', 200), msg('b', 'nomor rekening 123', 300)]).added[1]!.id;
    expect(mirror.searchIndex.search('rekening', 10).map((h) => h.messageId)).toEqual([id]);
    const result = apply([msg('b', 'nomor rekening 123', 300, { deletedAt: 400 })]);
    expect(result).toEqual({ added: [], updated: [], removed: [id] });
    expect(mirror.messages.all(conversationId).map((m) => m.remoteId)).toEqual(['a']);
    expect(mirror.searchIndex.search('rekening', 10)).toEqual([]);
    // Deleted stays deleted: a later page with an edited text neither shows it nor indexes it.
    expect(apply([msg('b', 'nomor rekening 456 diganti', 300, { editedAt: 500 })])).toEqual({ added: [], updated: [], removed: [] });
    expect(mirror.searchIndex.search('diganti', 10)).toEqual([]);
  });

  it('a fetched copy of our pending reply with other text does not overwrite what the user wrote', () => {
    const { mirror, conversationId, apply } = setUp();
    const pending = mirror.transaction(() => mirror.messages.insertPending({ conversationId, clientId: 'c1', senderType: 'admin', senderName: null, content: 'see you at 5', createdAt: 500 }));
    expect(pending).toMatchObject({ kind: 'text', delivery: 'pending' });
    apply([msg('r1', 'see you at 5 (formatted by the server)', 510, { clientId: 'c1', senderType: 'admin' })]);
    expect(mirror.messages.all(conversationId).map((m) => [m.remoteId, m.content])).toEqual([['r1', 'see you at 5']]);
  });

  it('a later copy without a payload keeps the stored one, unchanged it is no update, edited it keeps it', () => {
    const { mirror, conversationId, apply } = setUp();
    const id = apply([msg('e', 'tool ran', 200, { kind: 'event', payload: { tool: 'search' } })]).added[0]!.id;
    expect(apply([msg('e', 'tool ran', 200)])).toEqual({ added: [], updated: [], removed: [] });
    expect(apply([msg('e', 'tool ran', 200, { kind: 'event', payload: { tool: 'search' } })])).toEqual({ added: [], updated: [], removed: [] });
    const edited = apply([msg('e', 'tool ran twice', 200, { editedAt: 300 })]);
    expect(edited.updated.map((m) => [m.id, m.content, m.payload])).toEqual([[id, 'tool ran twice', { tool: 'search' }]]);
    expect(mirror.messages.get(id)?.payload).toEqual({ tool: 'search' });
    // A new payload with the same text is an update that carries it.
    const repaid = apply([msg('e', 'tool ran twice', 200, { payload: { tool: 'fetch' } })]);
    expect(repaid.updated.map((m) => m.payload)).toEqual([{ tool: 'fetch' }]);
    expect(mirror.messages.get(id)?.payload).toEqual({ tool: 'fetch' });
    void conversationId;
  });

  it('a copy naming the client id of another, acknowledged row updates its own row and drops neither', () => {
    const { mirror, conversationId, apply } = setUp();
    apply([msg('r1', 'first reply', 200, { clientId: 'c1', senderType: 'admin' }), msg('r2', 'second', 210)]);
    apply([msg('r2', 'second', 210, { clientId: 'c1' })]);
    expect(mirror.messages.all(conversationId).map((m) => m.remoteId)).toEqual(['r1', 'r2']);
  });

  it('a page naming one message twice stores it once, shows it added once, and its later copy still counts', () => {
    const { mirror, conversationId, apply } = setUp();
    const result = apply([msg('a', 'halo', 200), msg('b', 'kak', 210), msg('a', 'halo', 200, { readAt: 250 })]);
    expect(result.added.map((m) => m.remoteId)).toEqual(['a', 'b']);
    expect(result.updated.map((m) => [m.remoteId, m.readAt])).toEqual([['a', 250]]);
    expect(mirror.messages.all(conversationId).map((m) => [m.remoteId, m.readAt])).toEqual([
      ['a', 250],
      ['b', null],
    ]);
    // Our reply's echo and a copy of it in the same page: one row, the pending one, now sent.
    const pending = mirror.transaction(() => mirror.messages.insertPending({ conversationId, clientId: 'c9', senderType: 'admin', senderName: null, content: 'ok', createdAt: 300 }));
    const echo = apply([msg('r9', 'ok', 310, { clientId: 'c9', senderType: 'admin' }), msg('r9', 'ok', 310, { clientId: 'c9', senderType: 'admin' })]);
    expect(echo.added).toEqual([]);
    expect(echo.updated.map((m) => [m.id, m.remoteId, m.delivery])).toEqual([[pending.id, 'r9', 'sent']]);
    expect(mirror.messages.all(conversationId).map((m) => m.remoteId)).toEqual(['a', 'b', 'r9']);
  });
});

describe('live edits and deletes', () => {
  it('an edit of a deleted message changes nothing and does not bring it back into search; an unchanged text is no update', () => {
    const { mirror, conversationId, apply } = setUp();
    apply([msg('a', 'kopi susu', 200), msg('b', 'teh manis', 210)]);
    mirror.transaction(() => mirror.messages.markDeleted(conversationId, ['a'], 300));
    const deletedEdit = mirror.transaction(() => mirror.messages.edit(conversationId, [{ remoteId: 'a', content: 'kopi hitam', editedAt: 310 }]));
    expect(deletedEdit).toEqual({ updated: [], unknown: [] });
    expect(mirror.searchIndex.search('hitam', 10)).toEqual([]);
    expect(mirror.searchIndex.search('kopi', 10)).toEqual([]);
    const same = mirror.transaction(() => mirror.messages.edit(conversationId, [{ remoteId: 'b', content: 'teh manis', editedAt: 320 }]));
    expect(same).toEqual({ updated: [], unknown: [] });
    expect(mirror.messages.all(conversationId).map((m) => [m.remoteId, m.editedAt])).toEqual([['b', null]]);
  });

  it('deleting a message twice hides it once, and out of search', () => {
    const { mirror, conversationId, apply } = setUp();
    const id = apply([msg('a', 'halo', 200)]).added[0]!.id;
    expect(mirror.searchIndex.search('halo', 10)).toHaveLength(1);
    expect(mirror.transaction(() => mirror.messages.markDeleted(conversationId, ['a', 'zz'], 300))).toEqual([id]);
    expect(mirror.transaction(() => mirror.messages.markDeleted(conversationId, ['a'], 400))).toEqual([]);
    expect(mirror.searchIndex.search('halo', 10)).toEqual([]);
    // Removing the deleted row for good leaves the index matching the table (FTS5 integrity-check, rank 1).
    expect(mirror.messages.remove(id)).toBe(true);
    expect(mirror.messages.remove(id)).toBe(false);
    expect(() => ctx.database.sqlite.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES('integrity-check', 1)").run()).not.toThrow();
  });
});

describe('pages and merged changes', () => {
  it('a conversation of exactly one page has no next cursor', () => {
    const { mirror, conversationId, apply } = setUp();
    apply([msg('a', 'one', 200), msg('b', 'two', 300)]);
    expect(mirror.messages.page(conversationId, 2)).toMatchObject({ nextCursor: null });
    const first = mirror.messages.page(conversationId, 1);
    expect(first.items.map((m) => m.remoteId)).toEqual(['b']);
    expect(first.nextCursor).not.toBeNull();
  });

  it('merging a removal keeps the updated rows it does not remove', () => {
    const row = (id: number) => ({ id }) as never;
    const merged = mergeApplied({ added: [row(1)], updated: [row(2), row(3)], removed: [] }, { added: [], updated: [], removed: [3] });
    expect(merged).toEqual({ added: [row(1)], updated: [row(2)], removed: [3] });
  });
});

describe('a text longer than a row keeps', () => {
  it('keeps its beginning with a marker, never halves a surrogate pair, and the whole text comes back', () => {
    const { mirror, apply } = setUp();
    // A surrogate pair straddling the cut: the row stops before it.
    const long = `${'a'.repeat(MAX_MESSAGE_CHARS - 1)}😀${'b'.repeat(10)}`;
    const added = apply([msg('long', long, 200), msg('short', 'short one', 210)]).added;
    const [longRow, shortRow] = added;
    expect(longRow!.content).toBe(`${'a'.repeat(MAX_MESSAGE_CHARS - 1)}\n\n[Message shortened: 100,011 characters in all. The whole text is kept.]`);
    expect(mirror.messages.fullText(longRow!.id)).toBe(long);
    expect(mirror.messages.fullText(shortRow!.id)).toBe('short one');
    // Edited to another long text, the whole new text is kept.
    const edited = 'c'.repeat(MAX_MESSAGE_CHARS + 3);
    apply([msg('short', edited, 210, { editedAt: 300 })]);
    expect(mirror.messages.fullText(shortRow!.id)).toBe(edited);
    expect(mirror.messages.get(shortRow!.id)!.content.startsWith(`${'c'.repeat(MAX_MESSAGE_CHARS)}\n\n[Message shortened: 100,003`)).toBe(true);
  });
});

describe('the search index', () => {
  it('a catch-up that cannot write is logged, not thrown, and the next one indexes; a file without its progress row is named', () => {
    const { mirror, apply } = setUp();
    apply([msg('a', 'antrian panjang', 200)]);
    const logged: string[] = [];
    const index = new MessageIndex(ctx.database.sqlite, { log: (line) => logged.push(line) });
    expect(index.pending()).toBeGreaterThan(0);
    // Another connection holds the write lock; this one does not wait for it.
    const other = new Database(ctx.temp.file);
    ctx.database.sqlite.pragma('busy_timeout = 0');
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      expect(index.catchUp()).toBe(0);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(logged).toEqual([expect.stringMatching(/^search index: could not index new messages: .*lock/)]);
    expect(index.catchUp()).toBeGreaterThan(0);
    expect(mirror.searchIndex.search('antrian', 10)).toHaveLength(1);
    ctx.database.sqlite.prepare("DELETE FROM search_index_progress WHERE name = 'messages'").run();
    expect(() => new MessageIndex(ctx.database.sqlite)).toThrow('The mirror has no search index progress row (migration search_index_progress).');
  });
});
