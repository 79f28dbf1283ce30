// The words of the message index (search_terms), kept so that search can expand the prefix of
// the last word typed into the whole words that start with it. FTS5 answers a prefix by merging
// the postings of every word that starts with it before ORDER BY rowid DESC LIMIT can stop
// (bench search5m: 51-60 ms CPU for "saya"* over 5,000,000 messages), while an OR of whole words
// is walked newest first and stops at the limit (0.03-0.06 ms).
//
// Words are found by the index's own tokenizer: the text goes through a scratch FTS5 table made
// with messages_fts's tokenize option, and its vocabulary is added to search_terms. Callers do it
// in the transaction that writes the same text to messages_fts, so the table holds every word the
// index holds (it may hold more: a deleted or edited message's words stay, and match nothing).
import type BetterSqlite3 from 'better-sqlite3';

/** The tokenize option an FTS5 table was created with (its CREATE statement in the schema). */
export function tokenizerOf(sqlite: BetterSqlite3.Database, table: string): string {
  const sql = sqlite.prepare<[string], string>('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table) ?? '';
  const tokenize = /tokenize\s*=\s*'([^']*)'/i.exec(sql)?.[1];
  if (!tokenize) throw new Error(`${table} has no tokenize option in its schema`);
  return tokenize;
}

/**
 * The smallest string above every string that starts with `prefix` (code point order is SQLite's
 * binary order of UTF-8); null when there is none (the prefix is all U+10FFFF).
 */
export function prefixEnd(prefix: string): string | null {
  const points = [...prefix];
  const last = points.pop()?.codePointAt(0);
  if (last === undefined) return null;
  if (last === 0x10ffff) return prefixEnd(points.join(''));
  // Surrogate code points cannot be stored as UTF-8: the next one after them is U+E000.
  const next = last + 1 >= 0xd800 && last + 1 <= 0xdfff ? 0xe000 : last + 1;
  return points.join('') + String.fromCodePoint(next);
}

/**
 * Fills search_terms from the index itself (what migration 0009 does for an older file): for a
 * mirror whose messages_fts was written directly, as the benchmarks' fixtures write it.
 */
export function backfillSearchTerms(sqlite: BetterSqlite3.Database): void {
  sqlite.exec(`
    CREATE VIRTUAL TABLE temp.search_terms_backfill USING fts5vocab(main, messages_fts, row);
    INSERT OR IGNORE INTO search_terms (term) SELECT term FROM temp.search_terms_backfill;
    DROP TABLE temp.search_terms_backfill;
  `);
}

export class SearchTerms {
  private readonly scratchRange;
  private readonly scratchText;
  private readonly addScratchTerms;
  private readonly clearScratch;
  private readonly wordInsert;
  private readonly wordTokens;
  private readonly wordClear;
  private readonly range;

  constructor(sqlite: BetterSqlite3.Database) {
    const tokenize = tokenizerOf(sqlite, 'messages_fts');
    // Contentless: only the vocabulary is read, and 'delete-all' empties it in one step.
    sqlite.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms_scratch USING fts5(content, content='', detail=none, columnsize=0, tokenize='${tokenize}');
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms_scratch_vocab USING fts5vocab(temp, search_terms_scratch, row);
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_word USING fts5(content, content='', tokenize='${tokenize}');
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_word_vocab USING fts5vocab(temp, search_word, instance);
    `);
    this.scratchRange = sqlite.prepare<[number, number]>('INSERT INTO temp.search_terms_scratch (rowid, content) SELECT id, content FROM messages WHERE id > ? AND id <= ? AND deleted_at IS NULL');
    // Emptied after each use, so one rowid does (columnsize=0 wants it given).
    this.scratchText = sqlite.prepare<[string]>('INSERT INTO temp.search_terms_scratch (rowid, content) VALUES (1, ?)');
    this.addScratchTerms = sqlite.prepare('INSERT OR IGNORE INTO search_terms (term) SELECT term FROM temp.search_terms_scratch_vocab');
    this.clearScratch = sqlite.prepare("INSERT INTO temp.search_terms_scratch (search_terms_scratch) VALUES ('delete-all')");
    this.wordInsert = sqlite.prepare<[string]>('INSERT INTO temp.search_word (rowid, content) VALUES (1, ?)');
    this.wordTokens = sqlite.prepare<[], string>('SELECT term FROM temp.search_word_vocab ORDER BY offset').pluck();
    this.wordClear = sqlite.prepare("INSERT INTO temp.search_word (search_word) VALUES ('delete-all')");
    this.range = sqlite.prepare<[string, string, number], string>('SELECT term FROM search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?').pluck();
  }

  /** Adds the words of messages id in (from, to] that are not deleted, as indexRange indexes them. Call in that transaction. */
  addRange(from: number, to: number): void {
    this.scratchRange.run(from, to);
    this.flush();
  }

  /** Adds the words of a text written to messages_fts. Call in that transaction. */
  addText(text: string): void {
    this.scratchText.run(text);
    this.flush();
  }

  /** The tokens of `word` as the index makes them (lower case, diacritics removed), in order. */
  tokens(word: string): string[] {
    this.wordInsert.run(word);
    try {
      return this.wordTokens.all();
    } finally {
      this.wordClear.run();
    }
  }

  /** The stored words that start with `prefix` (a token), in order; null when there are more than `cap`. */
  startingWith(prefix: string, cap: number): string[] | null {
    const end = prefixEnd(prefix);
    if (end === null) return null;
    const terms = this.range.all(prefix, end, cap + 1);
    return terms.length > cap ? null : terms;
  }

  private flush(): void {
    this.addScratchTerms.run();
    this.clearScratch.run();
  }
}
