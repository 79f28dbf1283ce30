import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import { syncCursors } from '../db/schema';
import { placeholderSet } from './rows';

/** Where each catch-up resumes: 'account' for the conversation list, 'conversation:<id>' per conversation. */
export class SyncCursorsRepo {
  // Prepared once: a catch-up reads and moves a cursor for every page it fetches.
  private readonly getStmt;
  private readonly setStmt;

  constructor(db: Db) {
    const p = sql.placeholder;
    this.getStmt = db
      .select({ value: syncCursors.value })
      .from(syncCursors)
      .where(and(eq(syncCursors.accountId, p('accountId')), eq(syncCursors.scope, p('scope'))))
      .prepare();
    this.setStmt = db
      .insert(syncCursors)
      .values({ accountId: p('accountId'), scope: p('scope'), value: p('value'), updatedAt: p('now') })
      .onConflictDoUpdate({ target: [syncCursors.accountId, syncCursors.scope], set: placeholderSet<typeof syncCursors.$inferInsert>({ value: p('value'), updatedAt: p('now') }) })
      .prepare();
  }

  get(accountId: number, scope: string): string | null {
    return this.getStmt.get({ accountId, scope })?.value ?? null;
  }

  set(accountId: number, scope: string, value: string, now: number): void {
    this.setStmt.run({ accountId, scope, value, now });
  }
}
