import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { MigrationError, migrate, readMigrations } from '../../src/main/core/db/migrate';
import { migrationsDir, tempDir, type TempDir } from '../support/temp-db';

let temp: TempDir;
afterEach(() => temp?.cleanup());

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  const all = readMigrations(migrationsDir);

  it('applies every migration to an empty file, in order, and records them', () => {
    temp = tempDir();
    const { sqlite, close } = openDatabase({ file: temp.file, migrationsDir });
    expect(sqlite.pragma('user_version', { simple: true })).toBe(all.length);
    expect(tables(sqlite)).toEqual(
      expect.arrayContaining(['accounts', 'conversations', 'messages', 'outbox', 'sync_cursors', 'presence', 'messages_fts', 'conversations_fts', 'conversation_status_history']),
    );
    const applied = sqlite.prepare('SELECT idx, tag FROM schema_migrations ORDER BY idx').all();
    expect(applied).toEqual(all.map((m) => ({ idx: m.index, tag: m.tag })));
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    close();
    // Opening again applies nothing new.
    const again = openDatabase({ file: temp.file, migrationsDir });
    expect(migrate(again.sqlite, all)).toBe(0);
    again.close();
  });

  it('0000_init: an empty file gets the mirror tables with their constraints', () => {
    temp = tempDir();
    const { sqlite, close } = openDatabase({ file: temp.file, migrationsDir, migrateTo: 1 });
    sqlite.prepare("INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('portfolio', 'Site', 'http://x', 1)").run();
    sqlite.prepare("INSERT INTO conversations (account_id, remote_id, last_message_at, created_at, updated_at) VALUES (1, '7', 1, 1, 1)").run();
    expect(sqlite.prepare('SELECT status FROM conversations').get()).toEqual({ status: 'active' });
    expect(() => sqlite.prepare("INSERT INTO conversations (account_id, remote_id, last_message_at, created_at, updated_at) VALUES (1, '7', 1, 1, 1)").run()).toThrow(/UNIQUE/);
    expect(() => sqlite.prepare("INSERT INTO conversations (account_id, remote_id, last_message_at, created_at, updated_at) VALUES (99, '8', 1, 1, 1)").run()).toThrow(/FOREIGN KEY/);
    close();
  });

  it('0001_fts: rows written under 0000 are searchable after migrating to 0001', () => {
    temp = tempDir();
    const before = openDatabase({ file: temp.file, migrationsDir, migrateTo: 1 });
    before.sqlite.exec(`
      INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('portfolio', 'Site', 'http://x', 1);
      INSERT INTO conversations (account_id, remote_id, visitor_name, visitor_email, last_message_at, created_at, updated_at)
        VALUES (1, '1', 'Zoë Ardiansyah', 'zoe@example.com', 1, 1, 1);
      INSERT INTO messages (conversation_id, remote_id, sender_type, content, created_at) VALUES (1, '10', 'visitor', 'Apakah jasa desain café tersedia?', 1);
    `);
    expect(tables(before.sqlite)).not.toContain('messages_fts');
    before.close();

    const after = openDatabase({ file: temp.file, migrationsDir, migrateTo: 2 });
    const hit = after.sqlite.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'cafe'").all();
    expect(hit).toEqual([{ rowid: 1 }]);
    const person = after.sqlite.prepare("SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH 'zoe'").all();
    expect(person).toEqual([{ rowid: 1 }]);
    after.close();
  });

  it('0002_status_history: conversations written under 0001 start their history with their current status', () => {
    temp = tempDir();
    const before = openDatabase({ file: temp.file, migrationsDir, migrateTo: 2 });
    before.sqlite.exec(`
      INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('portfolio', 'Site', 'http://x', 1);
      INSERT INTO conversations (account_id, remote_id, visitor_email, server_status, last_message_at, created_at, updated_at)
        VALUES (1, '1', 'ana@example.com', 'resolved', 1, 1, 1);
      INSERT INTO conversations (account_id, remote_id, server_status, local_status, last_message_at, created_at, updated_at)
        VALUES (1, '2', NULL, 'closed', 1, 1, 1);
      INSERT INTO conversations (account_id, remote_id, last_message_at, created_at, updated_at) VALUES (1, '3', 1, 1, 1);
    `);
    expect(tables(before.sqlite)).not.toContain('conversation_status_history');
    before.close();

    const t0 = Date.now();
    const after = openDatabase({ file: temp.file, migrationsDir, migrateTo: 3 });
    const rows = after.sqlite.prepare('SELECT conversation_id, status, source, changed_at FROM conversation_status_history ORDER BY conversation_id').all() as {
      conversation_id: number;
      status: string;
      source: string;
      changed_at: number;
    }[];
    expect(rows.map(({ conversation_id, status, source }) => ({ conversation_id, status, source }))).toEqual([
      { conversation_id: 1, status: 'resolved', source: 'initial' },
      { conversation_id: 2, status: 'closed', source: 'initial' },
      { conversation_id: 3, status: 'active', source: 'initial' },
    ]);
    // Recorded at upgrade time, in epoch milliseconds like every other timestamp.
    for (const r of rows) {
      expect(r.changed_at).toBeGreaterThanOrEqual(t0 - 1000);
      expect(r.changed_at).toBeLessThanOrEqual(Date.now() + 1000);
    }
    const indexes = (table: string) => (after.sqlite.prepare(`PRAGMA index_list(${table})`).all() as { name: string }[]).map((i) => i.name);
    expect(indexes('conversation_status_history')).toContain('conversation_status_history_order');
    expect(indexes('conversations')).toContain('conversations_account_visitor_email');
    // The visitor lookup and the history page use their indexes.
    const plan = (query: string) => (after.sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan("SELECT count(*) FROM conversations WHERE account_id = 1 AND lower(visitor_email) = lower('ANA@example.com')")).toContain('conversations_account_visitor_email');
    expect(plan('SELECT * FROM conversation_status_history WHERE conversation_id = 1 ORDER BY changed_at DESC, id DESC LIMIT 100')).toContain('conversation_status_history_order');
    // Deleting a conversation deletes its history; history for a missing conversation is refused.
    after.sqlite.prepare('DELETE FROM conversations WHERE id = 1').run();
    expect(after.sqlite.prepare('SELECT count(*) AS n FROM conversation_status_history WHERE conversation_id = 1').get()).toEqual({ n: 0 });
    expect(() => after.sqlite.prepare("INSERT INTO conversation_status_history (conversation_id, status, source, changed_at) VALUES (99, 'active', 'sync', 1)").run()).toThrow(/FOREIGN KEY/);
    after.close();
  });

  it('0003_message_kinds_feed: messages written under 0002 read as text, not edited, not deleted; feed entries are searchable', () => {
    temp = tempDir();
    const before = openDatabase({ file: temp.file, migrationsDir, migrateTo: 3 });
    before.sqlite.exec(`
      INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('portfolio', 'Site', 'http://x', 1);
      INSERT INTO conversations (account_id, remote_id, last_message_at, created_at, updated_at) VALUES (1, '1', 1, 1, 1);
      INSERT INTO messages (conversation_id, remote_id, sender_type, content, created_at) VALUES (1, '10', 'visitor', 'Halo', 1);
    `);
    expect(tables(before.sqlite)).not.toContain('feed_entries');
    before.close();

    const after = openDatabase({ file: temp.file, migrationsDir, migrateTo: 4 });
    expect(after.sqlite.prepare('SELECT kind, payload, edited_at, deleted_at FROM messages').get()).toEqual({ kind: 'text', payload: null, edited_at: null, deleted_at: null });
    after.sqlite.prepare("INSERT INTO feed_entries (account_id, remote_id, type, title, body, created_at) VALUES (1, 'invite:5', 'new_challenge_invite', 'Budi invited you', 'Sprint kata', 5)").run();
    after.sqlite.prepare("INSERT INTO feed_fts (rowid, title, body) VALUES (1, 'Budi invited you', 'Sprint kata')").run();
    expect(after.sqlite.prepare("SELECT rowid FROM feed_fts WHERE feed_fts MATCH 'kata'").all()).toEqual([{ rowid: 1 }]);
    expect(() => after.sqlite.prepare("INSERT INTO feed_entries (account_id, remote_id, type, title, body, created_at) VALUES (1, 'invite:5', 'x', 't', 'b', 6)").run()).toThrow(/UNIQUE/);
    // Unread counting (visitors and other room members) still uses its partial index.
    const plan = (after.sqlite.prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM messages WHERE conversation_id = 1 AND read_at IS NULL AND sender_type IN ('visitor', 'member') AND deleted_at IS NULL").all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan).toContain('messages_unread');
    after.sqlite.prepare('DELETE FROM accounts WHERE id = 1').run();
    expect(after.sqlite.prepare('SELECT count(*) AS n FROM feed_entries').get()).toEqual({ n: 0 });
    after.close();
  });

  it('0008_room_members: conversations written under 0007 have no presence word and no members; members go with their conversation', () => {
    temp = tempDir();
    const before = openDatabase({ file: temp.file, migrationsDir, migrateTo: 8 });
    before.sqlite.exec(`
      INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('jwt-ws', 'Rooms', 'http://x', 1);
      INSERT INTO conversations (account_id, remote_id, visitor_online, last_message_at, created_at, updated_at) VALUES (1, 'room-1', 1, 1, 1, 1);
    `);
    expect(tables(before.sqlite)).not.toContain('conversation_members');
    before.close();

    const after = openDatabase({ file: temp.file, migrationsDir, migrateTo: 9 });
    expect(after.sqlite.prepare('SELECT visitor_online, visitor_presence FROM conversations').get()).toEqual({ visitor_online: 1, visitor_presence: null });
    after.sqlite.prepare("INSERT INTO conversation_members (conversation_id, member_id, name, updated_at) VALUES (1, 'u1', 'Alice', 2)").run();
    expect(after.sqlite.prepare('SELECT presence FROM conversation_members').get()).toEqual({ presence: 'offline' });
    expect(() => after.sqlite.prepare("INSERT INTO conversation_members (conversation_id, member_id, name, updated_at) VALUES (1, 'u1', 'Again', 3)").run()).toThrow(/UNIQUE|PRIMARY/);
    expect(() => after.sqlite.prepare("INSERT INTO conversation_members (conversation_id, member_id, name, updated_at) VALUES (99, 'u2', 'Nobody', 3)").run()).toThrow(/FOREIGN KEY/);
    after.sqlite.prepare('DELETE FROM conversations WHERE id = 1').run();
    expect(after.sqlite.prepare('SELECT count(*) AS n FROM conversation_members').get()).toEqual({ n: 0 });
    after.close();
  });

  it('0009_search_terms: the words of messages indexed under 0008 are in search_terms, folded as the index folds them', () => {
    temp = tempDir();
    const at = all.findIndex((m) => m.tag === '0009_search_terms');
    expect(at).toBeGreaterThan(0);
    const before = openDatabase({ file: temp.file, migrationsDir, migrateTo: at });
    before.sqlite.exec(`
      INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('portfolio', 'Site', 'http://x', 1);
      INSERT INTO conversations (account_id, remote_id, last_message_at, created_at, updated_at) VALUES (1, '1', 1, 1, 1);
      INSERT INTO messages (conversation_id, remote_id, sender_type, content, created_at) VALUES (1, '10', 'visitor', 'Sayang, CAFÉ buka?', 1);
      INSERT INTO messages_fts (rowid, content) VALUES (1, 'Sayang, CAFÉ buka?');
    `);
    expect(tables(before.sqlite)).not.toContain('search_terms');
    before.close();

    const after = openDatabase({ file: temp.file, migrationsDir, migrateTo: at + 1 });
    expect(after.sqlite.prepare('SELECT term FROM search_terms ORDER BY term').pluck().all()).toEqual(['buka', 'cafe', 'sayang']);
    expect(tables(after.sqlite)).not.toContain('search_terms_backfill');
    expect(() => after.sqlite.prepare("INSERT INTO search_terms (term) VALUES ('buka')").run()).toThrow(/UNIQUE|PRIMARY/);
    after.close();
  });

  it('refuses a database written by a newer version, leaving it untouched', () => {
    temp = tempDir();
    openDatabase({ file: temp.file, migrationsDir }).close();
    const raw = new Database(temp.file);
    raw.pragma(`user_version = ${all.length + 1}`);
    raw.close();
    expect(() => openDatabase({ file: temp.file, migrationsDir })).toThrow(/newer version of Switchboard/);
    const check = new Database(temp.file);
    expect(check.pragma('user_version', { simple: true })).toBe(all.length + 1);
    check.close();
  });

  it('refuses a database built with a migration that was edited after it landed', () => {
    temp = tempDir();
    openDatabase({ file: temp.file, migrationsDir }).close();
    const raw = new Database(temp.file);
    raw.prepare("UPDATE schema_migrations SET hash = 'edited' WHERE idx = 0").run();
    raw.close();
    expect(() => openDatabase({ file: temp.file, migrationsDir })).toThrow(MigrationError);
  });

  it('rolls back a failing migration as a whole', () => {
    temp = tempDir();
    const sqlite = new Database(temp.file);
    const broken = [...all.slice(0, 1), { index: 1, tag: '0001_broken', hash: 'x', statements: ['CREATE TABLE ok_table (a)', 'THIS IS NOT SQL'] }];
    expect(() => migrate(sqlite, broken)).toThrow();
    expect(sqlite.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(sqlite)).not.toContain('accounts');
    expect(tables(sqlite)).not.toContain('ok_table');
    sqlite.close();
  });

  it('landed migrations are never edited (hashes pinned in migrations/landed.json)', () => {
    const landed = JSON.parse(readFileSync(join(migrationsDir, 'landed.json'), 'utf8')) as Record<string, string>;
    const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'));
    for (const file of files) {
      const hash = createHash('sha256').update(readFileSync(join(migrationsDir, file))).digest('hex');
      expect(landed[file], `${file} is new: add its hash to migrations/landed.json when it lands`).toBeDefined();
      expect(hash, `${file} was edited after it landed; add a new migration instead`).toBe(landed[file]);
    }
  });
});
