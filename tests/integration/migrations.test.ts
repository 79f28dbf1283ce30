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
    expect(tables(sqlite)).toEqual(expect.arrayContaining(['accounts', 'conversations', 'messages', 'outbox', 'sync_cursors', 'presence', 'messages_fts', 'conversations_fts']));
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
