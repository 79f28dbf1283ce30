// The visitor_username migration (issue 11: the student's username in the details pane): found
// by tag, so it keeps working when the migration is renumbered at merge.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { readMigrations } from '../../src/main/core/db/migrate';
import { Mirror } from '../../src/main/core/mirror/mirror';
import { migrationsDir, tempDir, type TempDir } from '../support/temp-db';

let temp: TempDir;
afterEach(() => temp?.cleanup());

describe('migration visitor_username', () => {
  const index = readMigrations(migrationsDir).findIndex((m) => m.tag.endsWith('_visitor_username'));

  it('keeps the conversations written before it (no username yet); the next sync of the site fills it in', () => {
    expect(index).toBeGreaterThan(0);
    temp = tempDir();
    const before = openDatabase({ file: temp.file, migrationsDir, migrateTo: index });
    before.sqlite.exec(`
      INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('django-chat', 'mentor', 'http://m', 1);
      INSERT INTO conversations (account_id, remote_id, visitor_name, visitor_email, local_status, last_message_at, created_at, updated_at)
        VALUES (1, '12', 'Ahmad Student', 'ahmad@example.com', 'resolved', 5, 1, 1);
    `);
    expect(() => before.sqlite.prepare('SELECT visitor_username FROM conversations').all()).toThrow(/no such column/);
    before.close();

    const after = openDatabase({ file: temp.file, migrationsDir, migrateTo: index + 1 });
    expect(after.sqlite.prepare('SELECT remote_id, visitor_name, visitor_email, visitor_username, status FROM conversations').all()).toEqual([
      { remote_id: '12', visitor_name: 'Ahmad Student', visitor_email: 'ahmad@example.com', visitor_username: null, status: 'resolved' },
    ]);
    after.close();

    const mirror = new Mirror(openDatabase({ file: temp.file, migrationsDir }));
    try {
      const row = mirror.conversations.findByRemote(1, '12')!;
      expect(mirror.conversations.get(row.id)).toMatchObject({ visitorName: 'Ahmad Student', visitorUsername: null, status: 'resolved' });
      mirror.conversations.upsert(1, { remoteId: '12', visitorName: 'Ahmad Student', visitorUsername: 'ahmad', createdAt: 1 }, 10);
      expect(mirror.conversations.get(row.id)).toMatchObject({ visitorUsername: 'ahmad', visitorEmail: 'ahmad@example.com', status: 'resolved' });
    } finally {
      mirror.close();
    }
  });
});
