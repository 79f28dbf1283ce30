import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/open';
import { syncCursors } from '../db/schema';

/** Where each catch-up resumes: 'account' for the conversation list, 'conversation:<id>' per conversation. */
export class SyncCursorsRepo {
  constructor(private readonly db: Db) {}

  get(accountId: number, scope: string): string | null {
    return this.db.select({ value: syncCursors.value }).from(syncCursors).where(and(eq(syncCursors.accountId, accountId), eq(syncCursors.scope, scope))).get()?.value ?? null;
  }

  set(accountId: number, scope: string, value: string, now: number): void {
    this.db
      .insert(syncCursors)
      .values({ accountId, scope, value, updatedAt: now })
      .onConflictDoUpdate({ target: [syncCursors.accountId, syncCursors.scope], set: { value, updatedAt: now } })
      .run();
  }
}
