// Saved replies in the mirror: the migration that adds them, and the ConsoleApi methods over a
// real SQLite file (unique titles, edits, removal, import as one transaction, change events).
import { afterEach, describe, expect, it } from 'vitest';
import { savedReplyHandlers } from '../../src/main/core/api/saved-replies-handlers';
import { openDatabase } from '../../src/main/core/db/open';
import { readMigrations } from '../../src/main/core/db/migrate';
import { EventBus } from '../../src/main/core/events';
import { ConsoleError } from '../../src/shared/errors';
import { MAX_SAVED_REPLIES } from '../../src/shared/saved-replies';
import { migrationsDir, openTempMirror, tempDir, type TempDir } from '../support/temp-db';

let temp: TempDir | undefined;
let closeMirror: (() => void) | undefined;
afterEach(() => {
  closeMirror?.();
  closeMirror = undefined;
  temp?.cleanup();
  temp = undefined;
});

describe('migration 0005_saved_replies', () => {
  it('adds the table to a database written under 0002, keeping its rows, with unique titles', () => {
    const index = readMigrations(migrationsDir).findIndex((m) => m.tag === '0005_saved_replies');
    expect(index).toBeGreaterThan(0);
    temp = tempDir();
    const before = openDatabase({ file: temp.file, migrationsDir, migrateTo: index });
    before.sqlite.exec("INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('portfolio', 'Site', 'http://x', 1)");
    expect(before.sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'saved_replies'").get()).toBeUndefined();
    before.close();

    const after = openDatabase({ file: temp.file, migrationsDir, migrateTo: index + 1 });
    expect(after.sqlite.prepare('SELECT name FROM accounts').all()).toEqual([{ name: 'Site' }]);
    after.sqlite.prepare("INSERT INTO saved_replies (title, content, created_at, updated_at) VALUES ('Hello', 'Hi! How can I help?', 1, 1)").run();
    expect(() => after.sqlite.prepare("INSERT INTO saved_replies (title, content, created_at, updated_at) VALUES ('Hello', 'again', 2, 2)").run()).toThrow(/UNIQUE/);
    expect(() => after.sqlite.prepare("INSERT INTO saved_replies (title, created_at, updated_at) VALUES ('No text', 2, 2)").run()).toThrow(/NOT NULL/);
    after.close();
  });
});

function setup(start = 1_000) {
  const opened = openTempMirror();
  closeMirror = opened.close;
  const events = new EventBus();
  const seen: unknown[] = [];
  events.subscribe((name, payload) => name === 'savedReplies.changed' && seen.push(payload));
  let now = start;
  const api = savedReplyHandlers({ mirror: opened.mirror, events, clock: () => now++ });
  return { api, seen, mirror: opened.mirror };
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof ConsoleError ? e.code : 'not a ConsoleError';
  }
  return 'no error';
};

describe('saved replies', () => {
  it('saves, lists by title (any case, any language), edits and removes, announcing each change', () => {
    const { api, seen } = setup();
    const hello = api['savedReplies.save']({ title: 'hello', content: 'Hi! How can I help you today?' });
    api['savedReplies.save']({ title: 'Salam', content: 'Halo! Ada yang bisa kami bantu?' });
    api['savedReplies.save']({ title: 'Bye', content: 'Thanks for writing, have a nice day.' });
    expect(api['savedReplies.list']().map((r) => r.title)).toEqual(['Bye', 'hello', 'Salam']);

    const edited = api['savedReplies.save']({ id: hello.id, title: 'Hello', content: 'Hello! How can I help?' });
    expect(edited).toMatchObject({ id: hello.id, title: 'Hello', content: 'Hello! How can I help?' });
    expect(edited.updatedAt).toBeGreaterThan(hello.updatedAt);
    expect(api['savedReplies.remove']({ id: hello.id })).toBeNull();
    expect(api['savedReplies.list']().map((r) => r.title)).toEqual(['Bye', 'Salam']);
    expect(seen).toEqual([{ count: 1 }, { count: 2 }, { count: 3 }, { count: 3 }, { count: 2 }]);
  });

  it('refuses a second reply with the same title, and edits or removals of a reply that is gone', () => {
    const { api, seen } = setup();
    const a = api['savedReplies.save']({ title: 'Hours', content: 'We answer 9–17.' });
    const b = api['savedReplies.save']({ title: 'Prices', content: 'See the pricing page.' });
    expect(codeOf(() => api['savedReplies.save']({ title: 'Hours', content: 'Other text' }))).toBe('bad-request');
    expect(codeOf(() => api['savedReplies.save']({ id: b.id, title: 'Hours', content: 'Other text' }))).toBe('bad-request');
    // Keeping its own title while editing is fine.
    expect(api['savedReplies.save']({ id: a.id, title: 'Hours', content: 'We answer 9–18.' }).content).toBe('We answer 9–18.');
    expect(codeOf(() => api['savedReplies.save']({ id: 999, title: 'New', content: 'x' }))).toBe('not-found');
    expect(codeOf(() => api['savedReplies.remove']({ id: 999 }))).toBe('not-found');
    expect(seen).toHaveLength(3);
  });

  it('imports a file: new titles are added, known titles take the file’s text, unchanged ones are left alone', () => {
    const { api, seen } = setup();
    api['savedReplies.save']({ title: 'Hours', content: 'We answer 9–17.' });
    api['savedReplies.save']({ title: 'Same', content: 'Unchanged.' });
    const result = api['savedReplies.import']({
      replies: [
        { title: 'Hours', content: 'Kami menjawab pukul 9–17.' },
        { title: 'Same', content: 'Unchanged.' },
        { title: 'Ongkir', content: 'Ongkos kirim dihitung saat checkout.' },
      ],
    });
    expect(result).toEqual({ added: 1, updated: 1 });
    expect(api['savedReplies.list']().map((r) => [r.title, r.content])).toEqual([
      ['Hours', 'Kami menjawab pukul 9–17.'],
      ['Ongkir', 'Ongkos kirim dihitung saat checkout.'],
      ['Same', 'Unchanged.'],
    ]);
    expect(seen.at(-1)).toEqual({ count: 3 });
  });

  it('an import that would pass the limit changes nothing', () => {
    const { api, mirror } = setup();
    mirror.transaction(() => {
      for (let i = 0; i < MAX_SAVED_REPLIES - 1; i++) mirror.savedReplies.create({ title: `Reply ${i}`, content: 'x' }, 1);
    });
    expect(codeOf(() => api['savedReplies.import']({ replies: [{ title: 'Reply 0', content: 'changed' }, { title: 'New A', content: 'a' }, { title: 'New B', content: 'b' }] }))).toBe('bad-request');
    expect(mirror.savedReplies.count()).toBe(MAX_SAVED_REPLIES - 1);
    expect(mirror.savedReplies.byTitle('Reply 0')?.content).toBe('x');
    expect(codeOf(() => api['savedReplies.save']({ title: 'One more', content: 'fits' }))).toBe('no error');
    expect(codeOf(() => api['savedReplies.save']({ title: 'Too many', content: 'does not' }))).toBe('bad-request');
  });
});
