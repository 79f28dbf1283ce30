// The hardening_data migration (issue 16 items 9 and 12): found by tag, so it keeps working when
// the migration is renumbered at merge.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { readMigrations } from '../../src/main/core/db/migrate';
import { migrationsDir, tempDir, type TempDir } from '../support/temp-db';

let temp: TempDir;
afterEach(() => temp?.cleanup());

describe('migration hardening_data', () => {
  const index = readMigrations(migrationsDir).findIndex((m) => m.tag.endsWith('_hardening_data'));

  it('keeps the messages written before it; a client id is unique per conversation, not across them; long texts get their table', () => {
    expect(index).toBeGreaterThan(0);
    temp = tempDir();
    const before = openDatabase({ file: temp.file, migrationsDir, migrateTo: index });
    before.sqlite.exec(`
      INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('portfolio', 'A', 'http://a', 1), ('portfolio', 'B', 'http://b', 1);
      INSERT INTO conversations (account_id, remote_id, last_message_at, created_at, updated_at) VALUES (1, '7', 1, 1, 1), (2, '7', 1, 1, 1);
      INSERT INTO messages (conversation_id, remote_id, client_id, sender_type, content, created_at) VALUES (1, '70', 'c-1', 'admin', 'reply', 1);
    `);
    // Before: the same reply echoed into the second account's conversation was refused.
    expect(() => before.sqlite.exec("INSERT INTO messages (conversation_id, remote_id, client_id, sender_type, content, created_at) VALUES (2, '70', 'c-1', 'admin', 'reply', 1)")).toThrow(/UNIQUE/);
    before.close();

    const after = openDatabase({ file: temp.file, migrationsDir, migrateTo: index + 1 });
    expect(after.sqlite.prepare('SELECT conversation_id, client_id FROM messages').all()).toEqual([{ conversation_id: 1, client_id: 'c-1' }]);
    after.sqlite.exec("INSERT INTO messages (conversation_id, remote_id, client_id, sender_type, content, created_at) VALUES (2, '70', 'c-1', 'admin', 'reply', 1)");
    expect(() => after.sqlite.exec("INSERT INTO messages (conversation_id, remote_id, client_id, sender_type, content, created_at) VALUES (2, '71', 'c-1', 'admin', 'again', 1)")).toThrow(/UNIQUE/);
    const plan = (after.sqlite.prepare("EXPLAIN QUERY PLAN SELECT * FROM messages WHERE conversation_id = 2 AND client_id = 'c-1'").all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan).toContain('messages_conversation_client_id');
    // A body goes with its message.
    after.sqlite.exec("INSERT INTO message_bodies (message_id, content) VALUES (1, 'the whole text')");
    after.sqlite.exec('DELETE FROM messages WHERE id = 1');
    expect(after.sqlite.prepare('SELECT count(*) AS n FROM message_bodies').get()).toEqual({ n: 0 });
    expect(() => after.sqlite.exec("INSERT INTO message_bodies (message_id, content) VALUES (99, 'x')")).toThrow(/FOREIGN KEY/);
    after.close();
  });
});
