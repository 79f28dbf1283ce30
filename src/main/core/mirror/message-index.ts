// The message search index (messages_fts) follows the committed rows in batches, not inside each
// write transaction. FTS5 writes an index segment per transaction and merges them as they pile
// up; indexing a catch-up's rows 5,000 at a time costs less than half of indexing them 100 at a
// time with their rows (bench: ingest). Crash-safe by construction: the rows and
// search_index_progress are committed together, so rows above the mark after a crash are simply
// indexed on the next start, never lost and never twice. Search brings the index up to date
// before it answers, so it never misses a committed message.
import type BetterSqlite3 from 'better-sqlite3';
import type { Timers } from '../sync/timers';
import { SearchTerms } from './search-terms';

/** Rows per indexing transaction. */
export const INDEX_BATCH = 5_000;
/** How long after a write the index catches up (a catch-up commits many times in this window). */
export const INDEX_DELAY_MS = 25;

export interface MessageIndexOptions {
  /** Without timers, rows are indexed only when search (or catchUp, or close) asks. */
  timers?: Timers;
  log?: (message: string) => void;
  /** After each indexing transaction commits (the mirror's WAL checkpointer counts it as a write). */
  committed?: () => void;
}

export class MessageIndex {
  /** Every message with an id at or below it is indexed, unless deleted. */
  private upTo: number;
  /** The highest id written as far as we know (a rolled-back insert may leave it too high). */
  private written: number;
  private timer: unknown = null;
  /** Catch-ups running (see hold). */
  private holds = 0;
  private readonly batchEnd;
  private readonly indexRange;
  private readonly moveMark;
  /** The index's words (search_terms), added with each batch; edits add theirs through it too. */
  readonly terms: SearchTerms;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly options: MessageIndexOptions = {},
  ) {
    const mark = sqlite.prepare<[], { upTo: number }>("SELECT indexed_up_to AS upTo FROM search_index_progress WHERE name = 'messages'").get();
    if (!mark) throw new Error('The mirror has no search index progress row (migration search_index_progress).');
    this.upTo = mark.upTo;
    this.written = sqlite.prepare<[], { max: number | null }>('SELECT max(id) AS max FROM messages').get()?.max ?? 0;
    this.batchEnd = sqlite.prepare<[number, number], number | null>('SELECT max(id) FROM (SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?)').pluck();
    // Deleted rows are kept but never searchable: they are passed over, not indexed.
    this.indexRange = sqlite.prepare('INSERT INTO messages_fts (rowid, content) SELECT id, content FROM messages WHERE id > ? AND id <= ? AND deleted_at IS NULL');
    this.moveMark = sqlite.prepare("UPDATE search_index_progress SET indexed_up_to = ? WHERE name = 'messages'");
    this.terms = new SearchTerms(sqlite);
    // Rows a crash left unindexed.
    if (this.written > this.upTo) this.schedule();
  }

  /** Whether message `id` is in the index (or would be, were it not deleted). Stable within a transaction. */
  covers(id: number): boolean {
    return id <= this.upTo;
  }

  /** A message row was written: it is indexed shortly after its transaction commits. */
  added(id: number): void {
    if (id > this.written) this.written = id;
    // While held, a full batch still goes in: a long catch-up never leaves one long pass for its end.
    if (this.holds > 0 && this.written - this.upTo < INDEX_BATCH) return;
    this.schedule();
  }

  /**
   * A catch-up is writing page after page: its rows are indexed a full batch at a time, and the
   * rest once every hold is released, not every INDEX_DELAY_MS (bench: catch-up, about 4 % of
   * its CPU). Search still indexes everything committed before it answers. Returns the release.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0 && this.written > this.upTo) this.schedule();
    };
  }

  /**
   * Indexes every committed row not yet indexed, a batch per transaction; returns how far the
   * mark moved (in ids). Inside a transaction it does nothing (the rows may yet be rolled back, and the
   * mark must move only with a commit). Failures are logged, never thrown: search still answers
   * from what is indexed, and the next write tries again.
   */
  catchUp(): number {
    if (this.written <= this.upTo || this.sqlite.inTransaction) return 0;
    let done = 0;
    try {
      for (;;) {
        const from = this.upTo;
        const to = this.batchEnd.get(from, INDEX_BATCH);
        if (to === null || to === undefined) break;
        this.sqlite
          .transaction(() => {
            this.indexRange.run(from, to);
            this.terms.addRange(from, to);
            this.moveMark.run(to);
          })
          .immediate();
        this.upTo = to;
        done += to - from;
        this.options.committed?.();
      }
      // Whatever was counted as written above the mark was rolled back.
      this.written = this.upTo;
    } catch (error) {
      this.options.log?.(`search index: could not index new messages: ${error instanceof Error ? error.message : String(error)}`);
    }
    return done;
  }

  /** Rows written but not yet searchable (an upper bound). */
  pending(): number {
    return Math.max(0, this.written - this.upTo);
  }

  close(): void {
    if (this.timer !== null) this.options.timers?.clearTimeout(this.timer);
    this.timer = null;
    this.catchUp();
  }

  private schedule(): void {
    const { timers } = this.options;
    if (!timers || this.timer !== null) return;
    this.timer = timers.setTimeout(() => {
      this.timer = null;
      this.catchUp();
    }, INDEX_DELAY_MS);
  }
}
