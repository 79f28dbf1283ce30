import { asc, eq, sql } from 'drizzle-orm';
import type { SavedReply, SavedReplyInput } from '../../../shared/saved-replies';
import type { Db } from '../db/open';
import { savedReplies } from '../db/schema';

const toReply = (row: typeof savedReplies.$inferSelect): SavedReply => ({ id: row.id, title: row.title, content: row.content, updatedAt: row.updatedAt });

/** The owner's saved replies. Titles are unique: saving or importing a known title updates it. */
export class SavedRepliesRepo {
  constructor(private readonly db: Db) {}

  list(): SavedReply[] {
    return this.db
      .select()
      .from(savedReplies)
      .orderBy(asc(sql`lower(${savedReplies.title})`), asc(savedReplies.id))
      .all()
      .map(toReply);
  }

  get(id: number): SavedReply | null {
    const row = this.db.select().from(savedReplies).where(eq(savedReplies.id, id)).get();
    return row ? toReply(row) : null;
  }

  byTitle(title: string): SavedReply | null {
    const row = this.db.select().from(savedReplies).where(eq(savedReplies.title, title)).get();
    return row ? toReply(row) : null;
  }

  count(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(savedReplies).get()?.n ?? 0;
  }

  create(input: SavedReplyInput, now: number): SavedReply {
    return toReply(this.db.insert(savedReplies).values({ title: input.title, content: input.content, createdAt: now, updatedAt: now }).returning().get());
  }

  /** Null when there is no such reply. */
  update(id: number, input: SavedReplyInput, now: number): SavedReply | null {
    const row = this.db.update(savedReplies).set({ title: input.title, content: input.content, updatedAt: now }).where(eq(savedReplies.id, id)).returning().get();
    return row ? toReply(row) : null;
  }

  remove(id: number): boolean {
    return this.db.delete(savedReplies).where(eq(savedReplies.id, id)).run().changes > 0;
  }
}
