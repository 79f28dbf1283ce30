import type BetterSqlite3 from 'better-sqlite3';

/** Where each catch-up resumes: 'account' for the conversation list, 'conversation:<id>' per conversation. */
export class SyncCursorsRepo {
  // Prepared once, in plain SQL: a catch-up reads and moves a cursor for every page it fetches.
  private readonly getStmt;
  private readonly setStmt;

  constructor(sqlite: BetterSqlite3.Database) {
    this.getStmt = sqlite.prepare<[number, string], string>('SELECT value FROM sync_cursors WHERE account_id = ? AND scope = ?').pluck();
    this.setStmt = sqlite.prepare<[number, string, string, number]>(
      'INSERT INTO sync_cursors (account_id, scope, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, scope) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  get(accountId: number, scope: string): string | null {
    return this.getStmt.get(accountId, scope) ?? null;
  }

  set(accountId: number, scope: string, value: string, now: number): void {
    this.setStmt.run(accountId, scope, value, now);
  }
}
