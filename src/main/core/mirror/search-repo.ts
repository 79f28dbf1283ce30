// Full-text search over the mirror. User input never reaches FTS5 syntax: each word becomes a
// quoted phrase, the last one a prefix (from three letters on), so any text is a valid query.
import type BetterSqlite3 from 'better-sqlite3';
import type { SearchHit } from '../../../shared/domain';
import type { MessageIndex } from './message-index';
import { tokenizerOf } from './search-terms';

// Private-use markers for snippet(); message text cannot forge a highlight that matters,
// because the snippet is rendered as text either way.
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * A shorter last word is matched whole. FTS5 answers a prefix by merging the postings of every
 * word that starts with it, and one or two letters start most words of a long history (bench:
 * 1-letter prefixes took 70-190 ms and 2-letter ones up to 40 ms over 1,000,000 messages,
 * against 2 ms for the rest). Short words ("ok", "di", "5") are still found as words.
 */
export const MIN_PREFIX = 3;

/**
 * Visitor matches from which walking the recency index beats sorting the matches: sorting reads
 * one row per match, the walk about limit × conversations / matches index entries (with 20 of
 * 250,000 conversations they cost the same at about 2,200 matches).
 */
export const RECENCY_WALK_FROM = 2_000;

/** The words of a search as typed (NFKC, split at spaces, punctuation and symbols), at most 16. */
export function queryWords(input: string): string[] {
  return input
    .normalize('NFKC')
    .split(/[\s\p{P}\p{S}\p{C}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 16);
}

const phrase = (w: string) => `"${w.replaceAll('"', '""')}"`;

/** Whether the last word is matched as a prefix (from MIN_PREFIX letters on). */
const isPrefix = (word: string) => [...word].length >= MIN_PREFIX;

export function toFtsQuery(input: string): string | null {
  const words = queryWords(input);
  if (words.length === 0) return null;
  return words.map((w, i) => `${phrase(w)}${i === words.length - 1 && isPrefix(w) ? '*' : ''}`).join(' ');
}

/**
 * Above this many words starting with the prefix, the prefix query is asked instead of their OR
 * (bench search5m, BENCHMARKS.md "Prefix search through a term table").
 */
export const PREFIX_TERM_CAP = 200;

export interface SearchRepoOptions {
  /** Words a prefix may expand to (0: always ask FTS5 for the prefix). */
  prefixTermCap?: number;
}

export function splitSnippet(snippet: string): SearchHit['snippet'] {
  const parts: SearchHit['snippet'] = [];
  let rest = snippet;
  while (rest.length > 0) {
    const open = rest.indexOf(OPEN);
    if (open === -1) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), match: false });
    const close = rest.indexOf(CLOSE, open + 1);
    const end = close === -1 ? rest.length : close;
    parts.push({ text: rest.slice(open + 1, end), match: true });
    rest = close === -1 ? '' : rest.slice(close + 1);
  }
  return parts.filter((p) => p.text.length > 0);
}

interface MessageHitRow {
  id: number;
  conversation_id: number;
  created_at: number;
  visitor_name: string | null;
  snip: string;
}
interface MessageRowHit {
  id: number;
  conversation_id: number;
  created_at: number;
  visitor_name: string | null;
}
interface ConversationHitRow {
  id: number;
  visitor_name: string | null;
  last_message_at: number;
}

interface FeedHitRow {
  id: number;
  created_at: number;
  snip: string;
}

export class SearchRepo {
  private readonly messageHits;
  private readonly feedHits;
  private readonly conversationHits;
  private readonly conversationHitsByRecency;
  private readonly conversationMatches;
  private readonly clearHighlight;
  private readonly addHighlighted;
  private readonly highlights;
  private readonly highlightAll: (query: string, ids: number[]) => Map<number, string>;
  private readonly messageRows;
  private readonly snippetsOf: (query: string, ids: number[]) => Map<number, string>;
  private readonly prefixTermCap: number;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly index: MessageIndex,
    options: SearchRepoOptions = {},
  ) {
    this.prefixTermCap = options.prefixTermCap ?? PREFIX_TERM_CAP;
    // Newest first by rowid: FTS5 walks its doclists backwards and stops at the limit, instead of
    // sorting every match. Message ids grow with arrival, so rowid order is recency order.
    const newestMessages = (snippet: string) =>
      `SELECT m.id, m.conversation_id, m.created_at, c.visitor_name${snippet}
         FROM messages_fts
         JOIN messages m ON m.id = messages_fts.rowid
         JOIN conversations c ON c.id = m.conversation_id
        WHERE messages_fts MATCH ?
        ORDER BY messages_fts.rowid DESC
        LIMIT ?`;
    this.messageHits = sqlite.prepare<[string, number], MessageHitRow>(newestMessages(`, snippet(messages_fts, 0, '${OPEN}', '${CLOSE}', '…', 16) AS snip`));
    // Notification feed entries (title and body), newest first like messages.
    this.feedHits = sqlite.prepare<[string, number], FeedHitRow>(
      `SELECT f.id, f.created_at, snippet(feed_fts, -1, '${OPEN}', '${CLOSE}', '…', 16) AS snip
         FROM feed_fts
         JOIN feed_entries f ON f.id = feed_fts.rowid
        WHERE feed_fts MATCH ?
        ORDER BY feed_fts.rowid DESC
        LIMIT ?`,
    );
    // Visitors by latest activity: every match is sorted, so the highlight is made afterwards
    // for the few shown, not for all of them (bench: a common first name matched 2,500 of
    // 50,000 conversations and highlighting them all took most of 8-45 ms).
    this.conversationHits = sqlite.prepare<[string, number], ConversationHitRow>(
      `SELECT c.id, c.visitor_name, c.last_message_at
         FROM conversations_fts
         JOIN conversations c ON c.id = conversations_fts.rowid
        WHERE conversations_fts MATCH ?
        ORDER BY c.last_message_at DESC, c.id DESC
        LIMIT ?`,
    );
    // A common name (bench search5m: "Budi" in 12,677 of 250,000 conversations) costs a row
    // lookup per match to sort them (20 ms). Past a few thousand matches, walking the recency
    // index newest first and stopping at the limit reads fewer rows than sorting them all.
    this.conversationHitsByRecency = sqlite.prepare<[string, number], ConversationHitRow>(
      `SELECT c.id, c.visitor_name, c.last_message_at
         FROM conversations c INDEXED BY conversations_recent
        WHERE c.id IN (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ?)
        ORDER BY c.last_message_at DESC, c.id DESC
        LIMIT ?`,
    );
    this.conversationMatches = sqlite.prepare<[string, number], number>('SELECT count(*) FROM (SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ? LIMIT ?)').pluck();
    // The highlight of the visitors shown, made in a scratch index of just those rows. Asking
    // conversations_fts for one row's highlight evaluates the whole MATCH again (a prefix's
    // postings are merged before the rowid is looked at): 1.1 ms a row, 22 ms for 20 visitors
    // named "Budi" over 250,000 conversations (bench search5m), against 0.2 ms here. Same
    // tokenizer as conversations_fts, so the same words are marked.
    sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.visitor_highlight USING fts5(visitor_name, visitor_email, tokenize='${tokenizerOf(sqlite, 'conversations_fts')}')`);
    this.clearHighlight = sqlite.prepare('DELETE FROM temp.visitor_highlight');
    this.addHighlighted = sqlite.prepare<[number]>(
      `INSERT INTO temp.visitor_highlight (rowid, visitor_name, visitor_email)
       SELECT id, coalesce(visitor_name, ''), coalesce(visitor_email, '') FROM conversations WHERE id = ?`,
    );
    this.highlights = sqlite.prepare<[string], { id: number; snip: string }>(
      `SELECT rowid AS id,
              coalesce(highlight(visitor_highlight, 0, '${OPEN}', '${CLOSE}'), '') || ' ' ||
              coalesce(highlight(visitor_highlight, 1, '${OPEN}', '${CLOSE}'), '') AS snip
         FROM temp.visitor_highlight
        WHERE visitor_highlight MATCH ?`,
    );
    // The expanded query's rows, without snippets: they are made from the query as typed below.
    this.messageRows = sqlite.prepare<[string, number], MessageRowHit>(newestMessages(''));
    // snippet() scores a fragment by the distinct phrases in it, and each word of the OR is a
    // phrase of its own where the prefix is one: the snippets of the rows found are made with the
    // prefix query as typed, in a scratch index of just those rows (same tokenizer as
    // messages_fts), so they are the ones the prefix query over messages_fts makes.
    sqlite.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.message_snippet USING fts5(content, tokenize='${tokenizerOf(sqlite, 'messages_fts')}')`);
    const clearSnippets = sqlite.prepare('DELETE FROM temp.message_snippet');
    const addSnippeted = sqlite.prepare<[string]>('INSERT INTO temp.message_snippet (rowid, content) SELECT id, content FROM messages WHERE id IN (SELECT value FROM json_each(?))');
    const snippets = sqlite.prepare<[string], { id: number; snip: string }>(
      `SELECT rowid AS id, snippet(message_snippet, 0, '${OPEN}', '${CLOSE}', '…', 16) AS snip FROM temp.message_snippet WHERE message_snippet MATCH ?`,
    );
    this.snippetsOf = sqlite.transaction((query: string, ids: number[]) => {
      clearSnippets.run();
      addSnippeted.run(JSON.stringify(ids));
      const out = new Map(snippets.all(query).map((r) => [r.id, r.snip]));
      clearSnippets.run();
      return out;
    });
    this.highlightAll = sqlite.transaction((query: string, ids: number[]) => {
      this.clearHighlight.run();
      for (const id of ids) this.addHighlighted.run(id);
      const out = new Map(this.highlights.all(query).map((r) => [r.id, r.snip.trim()]));
      this.clearHighlight.run();
      return out;
    });
  }

  /** Matching visitors by latest activity, sorted or walked in recency order, whichever reads fewer rows. */
  private visitorHits(query: string, limit: number): ConversationHitRow[] {
    const many = this.conversationMatches.get(query, RECENCY_WALK_FROM) === RECENCY_WALK_FROM;
    return (many ? this.conversationHitsByRecency : this.conversationHits).all(query, limit);
  }

  /**
   * The message query with the last word's prefix expanded to the OR of the stored words that
   * start with it (the same rows, found newest first without merging every word's postings);
   * undefined when the prefix query is asked as typed, null when no stored word starts with it.
   */
  private expandedQuery(input: string): string | null | undefined {
    const words = queryWords(input);
    const last = words.at(-1);
    if (this.prefixTermCap <= 0 || last === undefined || !isPrefix(last)) return undefined;
    // The prefix as the index tokenizes it; a word it splits in several tokens is left to FTS5.
    const tokens = this.index.terms.tokens(last);
    if (tokens.length !== 1) return undefined;
    const terms = this.index.terms.startingWith(tokens[0]!, this.prefixTermCap);
    if (terms === null) return undefined;
    if (terms.length === 0) return null;
    // FTS5 joins phrases by juxtaposition but a bracketed OR only by an explicit AND.
    return [...words.slice(0, -1).map(phrase), `(${terms.map(phrase).join(' OR ')})`].join(' AND ');
  }

  private messageHitsOf(input: string, query: string, limit: number): SearchHit[] {
    const hit = (r: MessageRowHit, snip: string): SearchHit => ({ conversationId: r.conversation_id, messageId: r.id, visitorName: r.visitor_name, snippet: splitSnippet(snip), createdAt: r.created_at });
    const expanded = this.expandedQuery(input);
    if (expanded === undefined) return this.messageHits.all(query, limit).map((r) => hit(r, r.snip));
    if (expanded === null) return [];
    const rows = this.messageRows.all(expanded, limit);
    const snippets = rows.length ? this.snippetsOf(query, rows.map((r) => r.id)) : new Map<number, string>();
    return rows.map((r) => hit(r, snippets.get(r.id) ?? ''));
  }

  search(input: string, limit: number): SearchHit[] {
    const query = toFtsQuery(input);
    if (!query) return [];
    // Messages committed since the index last caught up are found too.
    this.index.catchUp();
    const visitors = this.visitorHits(query, Math.min(limit, 20));
    const highlighted = visitors.length ? this.highlightAll(query, visitors.map((r) => r.id)) : new Map<number, string>();
    const people = visitors.map(
      (r): SearchHit => ({
        conversationId: r.id,
        messageId: null,
        visitorName: r.visitor_name,
        snippet: splitSnippet(highlighted.get(r.id) ?? ''),
        createdAt: r.last_message_at,
      }),
    );
    const texts = this.messageHitsOf(input, query, limit);
    const feed = this.feedHits.all(query, Math.min(limit, 20)).map(
      (r): SearchHit => ({ conversationId: null, feedEntryId: r.id, messageId: null, visitorName: null, snippet: splitSnippet(r.snip), createdAt: r.created_at }),
    );
    return [...people, ...texts, ...feed];
  }
}
