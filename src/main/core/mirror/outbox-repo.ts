// The outbox table: what the user did that the backend has not confirmed yet.
import type BetterSqlite3 from 'better-sqlite3';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/open';
import { outbox } from '../db/schema';

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxKind = 'reply' | 'status' | 'read';

export class OutboxRepo {
  private readonly headStmt;

  constructor(
    private readonly db: Db,
    sqlite: BetterSqlite3.Database,
  ) {
    // The next item to send: the oldest queued item of each conversation (order per
    // conversation), soonest due first.
    this.headStmt = sqlite.prepare<{ accountId: number }, Record<string, unknown>>(
      `SELECT o.id FROM outbox o
        WHERE o.account_id = @accountId AND o.state = 'queued'
          AND o.id = (SELECT min(i.id) FROM outbox i WHERE i.conversation_id = o.conversation_id AND i.state IN ('queued', 'in-flight'))
        ORDER BY o.next_attempt_at, o.id LIMIT 1`,
    );
  }

  add(item: { accountId: number; conversationId: number; kind: OutboxKind; payload: unknown; clientId: string; now: number }): OutboxRow {
    return this.db
      .insert(outbox)
      .values({
        accountId: item.accountId,
        conversationId: item.conversationId,
        kind: item.kind,
        payload: JSON.stringify(item.payload),
        clientId: item.clientId,
        nextAttemptAt: item.now,
        createdAt: item.now,
      })
      .returning()
      .get();
  }

  next(accountId: number): OutboxRow | undefined {
    const head = this.headStmt.get({ accountId }) as { id: number } | undefined;
    return head ? this.db.select().from(outbox).where(eq(outbox.id, head.id)).get() : undefined;
  }

  byClientId(clientId: string): OutboxRow | undefined {
    return this.db.select().from(outbox).where(eq(outbox.clientId, clientId)).get();
  }

  setState(id: number, state: 'queued' | 'in-flight' | 'failed', patch: { attempts?: number; nextAttemptAt?: number; lastError?: string | null } = {}): void {
    this.db.update(outbox).set({ state, ...patch }).where(eq(outbox.id, id)).run();
  }

  setPayload(id: number, payload: unknown): void {
    this.db.update(outbox).set({ payload: JSON.stringify(payload) }).where(eq(outbox.id, id)).run();
  }

  remove(id: number): void {
    this.db.delete(outbox).where(eq(outbox.id, id)).run();
  }

  /** The link is back: whatever waits for a backoff timer is due now. */
  dueNow(accountId: number, now: number): number {
    return this.db
      .update(outbox)
      .set({ nextAttemptAt: now })
      .where(and(eq(outbox.accountId, accountId), eq(outbox.state, 'queued'), sql`${outbox.nextAttemptAt} > ${now}`))
      .run().changes;
  }

  /** After a crash or restart, whatever was in flight is queued again (idempotent, or reconciled before it is resent). */
  requeueInFlight(accountId: number): number {
    return this.db
      .update(outbox)
      .set({ state: 'queued' })
      .where(and(eq(outbox.accountId, accountId), eq(outbox.state, 'in-flight')))
      .run().changes;
  }

  counts(accountId: number): { pending: number; failed: number } {
    const rows = this.db
      .select({ state: outbox.state, n: sql<number>`count(*)` })
      .from(outbox)
      .where(and(eq(outbox.accountId, accountId), inArray(outbox.state, ['queued', 'in-flight', 'failed'])))
      .groupBy(outbox.state)
      .all();
    let pending = 0;
    let failed = 0;
    for (const r of rows) {
      if (r.state === 'failed') failed += r.n;
      else pending += r.n;
    }
    return { pending, failed };
  }
}
