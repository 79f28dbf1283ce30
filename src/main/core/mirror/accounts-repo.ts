import { eq, sql } from 'drizzle-orm';
import type { AccountKind } from '../../../shared/domain';
import type { Db } from '../db/open';
import { accounts } from '../db/schema';

export type AccountRow = typeof accounts.$inferSelect;

export class AccountsRepo {
  private readonly listAll;
  private readonly byId;

  constructor(
    private readonly db: Db,
    private readonly onRemoved: () => void = () => {},
  ) {
    this.listAll = db.select().from(accounts).orderBy(accounts.id).prepare();
    // Prepared once: the notification rules ask for the account with every batch of new messages.
    this.byId = db.select().from(accounts).where(eq(accounts.id, sql.placeholder('id'))).prepare();
  }

  create(input: { kind: AccountKind; name: string; baseUrl: string; config?: unknown }, now: number): AccountRow {
    return this.db
      .insert(accounts)
      .values({ kind: input.kind, name: input.name, baseUrl: input.baseUrl, config: JSON.stringify(input.config ?? {}), createdAt: now })
      .returning()
      .get();
  }

  list(): AccountRow[] {
    return this.listAll.all();
  }

  /** The account already connected to this site (same kind and base URL), if any. */
  findSite(kind: AccountKind, baseUrl: string): AccountRow | undefined {
    return this.list().find((a) => a.kind === kind && a.baseUrl === baseUrl);
  }

  get(id: number): AccountRow | undefined {
    return this.byId.get({ id });
  }

  update(id: number, patch: { baseUrl?: string; config?: unknown; name?: string }): void {
    this.db
      .update(accounts)
      .set({
        ...(patch.baseUrl ? { baseUrl: patch.baseUrl } : {}),
        ...(patch.name ? { name: patch.name } : {}),
        ...(patch.config !== undefined ? { config: JSON.stringify(patch.config) } : {}),
      })
      .where(eq(accounts.id, id))
      .run();
  }

  setLastSynced(id: number, at: number): void {
    this.db.update(accounts).set({ lastSyncedAt: at }).where(eq(accounts.id, id)).run();
  }

  remove(id: number): void {
    this.db.delete(accounts).where(eq(accounts.id, id)).run();
    this.onRemoved();
  }
}
