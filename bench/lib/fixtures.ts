// Mirror profiles with years of history, written straight into a migrated database with the rows
// the mirror itself would write (conversations, messages, both FTS indexes, unread counts,
// previews). Building through the repositories would take minutes at a million messages; how fast
// the mirror writes is measured by the ingest benchmark, not here.
//
// A profile is a browser-mode data folder (switchboard.sqlite, no secrets): its one account points
// at an unreachable site, so the inbox opens from the mirror alone.
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../src/main/core/core';
import { openDatabase } from '../../src/main/core/db/open';
import { backfillSearchTerms } from '../../src/main/core/mirror/search-terms';
import type { BenchContext } from './context';
import { Rng, language, messageText, visitor, type Language } from './data';
import { nowMs } from './report';

export interface ProfileSpec {
  name: string;
  conversations: number;
  /** Every message, the big conversation's included. */
  messages: number;
  /** One long-running conversation with this many messages (a regular customer). */
  bigConversation?: number;
  /** Conversations still "active" (the inbox's default view); the rest are resolved or closed. */
  active: number;
  seed: number;
}

export interface Profile {
  dir: string;
  dbFile: string;
  accountId: number;
  /** Local id of the big conversation, if the spec has one. */
  bigConversationId: number | null;
  spec: ProfileSpec;
  buildMs: number;
  bytes: number;
}

const GENERATOR_VERSION = 5;
const YEAR = 365 * 24 * 3600 * 1000;
const UNREACHABLE = 'http://127.0.0.1:9';

/** The text of message `index`, derived from the seed alone so it can be regenerated at will. */
export const contentOf = (seed: number, index: number, lang: Language): string => messageText(new Rng((seed * 7919) ^ (index * 2654435761)), lang);

/** Builds the profile once per fixture folder (cached across runs when BENCH_FIXTURES is set). */
export function profile(ctx: BenchContext, spec: ProfileSpec): Profile {
  const journal = readFileSync(join(ctx.migrationsDir, 'meta', '_journal.json'), 'utf8');
  const key = createHash('sha256').update(JSON.stringify({ spec, GENERATOR_VERSION, journal })).digest('hex').slice(0, 12);
  const dir = join(ctx.fixtures, `${spec.name}-${key}`);
  const marker = join(dir, 'profile.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')) as Profile;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  ctx.log(`building fixture ${spec.name}: ${spec.conversations.toLocaleString('en')} conversations, ${spec.messages.toLocaleString('en')} messages`);
  const start = nowMs();
  const built = build(dir, spec, ctx.migrationsDir);
  const result: Profile = { ...built, buildMs: Math.round(nowMs() - start) };
  writeFileSync(marker, JSON.stringify(result));
  ctx.log(`fixture ${spec.name} built in ${(result.buildMs / 1000).toFixed(1)} s (${(result.bytes / 1e6).toFixed(0)} MB)`);
  return result;
}

/** A private copy of a profile, for benchmarks that write to it. */
export function copyProfile(source: Profile, dir: string): Profile {
  rmSync(dir, { recursive: true, force: true });
  cpSync(source.dir, dir, { recursive: true });
  return { ...source, dir, dbFile: join(dir, DATABASE_FILE) };
}

function build(dir: string, spec: ProfileSpec, migrationsDir: string): Omit<Profile, 'buildMs'> {
  const rng = new Rng(spec.seed);
  const now = Date.now();
  const C = spec.conversations;
  const M = spec.messages;
  const big = spec.bigConversation ?? 0;
  if (M < C + big - (big ? 1 : 0)) throw new Error(`fixture ${spec.name}: every conversation needs a message`);

  // Messages per conversation: a long tail (most chats are short, some go on for days).
  const counts = new Int32Array(C);
  const bigIndex = big ? Math.floor(C * 0.2) : -1;
  const weights = new Float64Array(C);
  let weightSum = 0;
  for (let k = 0; k < C; k++) {
    if (k === bigIndex) continue;
    weights[k] = rng.logNormal(6, 1.1);
    weightSum += weights[k]!;
  }
  const rest = M - big;
  let assigned = 0;
  for (let k = 0; k < C; k++) {
    if (k === bigIndex) counts[k] = big;
    else counts[k] = Math.max(1, Math.round((weights[k]! / weightSum) * rest));
    assigned += counts[k]!;
  }
  // Rounding: settle the difference one message at a time on random conversations.
  while (assigned !== M) {
    const k = rng.int(C);
    if (k === bigIndex) continue;
    if (assigned < M) {
      counts[k]!++;
      assigned++;
    } else if (counts[k]! > 1) {
      counts[k]!--;
      assigned--;
    }
  }

  // Conversation k starts at starts[k] (ascending, so remote ids follow time like the backend's).
  const span = 3 * YEAR;
  const starts = new Float64Array(C);
  for (let k = 0; k < C; k++) starts[k] = now - span + rng.next() * (span - 3600_000);
  starts.sort();
  if (bigIndex >= 0) starts[bigIndex] = now - span * 0.8;

  const conv = new Int32Array(M);
  const times = new Float64Array(M);
  const lastTime = new Float64Array(C);
  let m = 0;
  for (let k = 0; k < C; k++) {
    let t = starts[k]!;
    const isBig = k === bigIndex;
    for (let j = 0; j < counts[k]!; j++) {
      if (j > 0) {
        const long = rng.chance(isBig ? 0.05 : 0.02);
        t += long ? rng.logNormal(2 * 24 * 3600_000, 1) : rng.logNormal(isBig ? 20 * 60_000 : 45_000, 1.2);
      }
      t = Math.min(t, now - 1000);
      conv[m] = k;
      times[m] = Math.round(t);
      m++;
    }
    lastTime[k] = t;
  }
  // Global arrival order: what a live mirror sees, conversations interleaved in time.
  const order = Uint32Array.from({ length: M }, (_, i) => i);
  order.sort((a, b) => times[a]! - times[b]! || a - b);

  // The newest conversations are the active ones.
  const byRecency = Uint32Array.from({ length: C }, (_, i) => i).sort((a, b) => lastTime[b]! - lastTime[a]!);
  const status: string[] = new Array<string>(C);
  byRecency.forEach((k, rank) => (status[k] = rank < spec.active ? 'active' : rng.chance(0.8) ? 'resolved' : 'closed'));

  const database = openDatabase({ file: join(dir, DATABASE_FILE), migrationsDir });
  const { sqlite } = database;
  const accountId = Number(
    sqlite
      .prepare('INSERT INTO accounts (kind, name, base_url, config, created_at) VALUES (?, ?, ?, ?, ?)')
      .run('portfolio', 'Toko Kita', UNREACHABLE, JSON.stringify({ extensions: true, pusher: { key: 'portfolio-key', cluster: 'mt1', wsHost: '127.0.0.1', wsPort: 9, forceTLS: false } }), now - span)
      .lastInsertRowid,
  );

  const langs: Language[] = new Array<Language>(C);
  const insertConversation = sqlite.prepare(
    `INSERT INTO conversations (account_id, remote_id, visitor_name, visitor_email, server_status, last_message_at, created_at, updated_at, visitor_online)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertConversationFts = sqlite.prepare('INSERT INTO conversations_fts (rowid, visitor_name, visitor_email) VALUES (?, ?, ?)');
  const localId = new Int32Array(C);
  sqlite.transaction(() => {
    for (let k = 0; k < C; k++) {
      const v = visitor(rng);
      langs[k] = language(rng);
      const online = status[k] === 'active' && rng.chance(0.02) ? 1 : 0;
      const id = Number(insertConversation.run(accountId, String(k + 1), v.name, v.email, status[k]!, Math.round(starts[k]!), Math.round(starts[k]!), now, online).lastInsertRowid);
      localId[k] = id;
      insertConversationFts.run(id, v.name, v.email ?? '');
    }
  })();

  // Which visitor messages are still unread: the tail of some active conversations.
  const unreadTail = new Uint8Array(C);
  for (let k = 0; k < C; k++) if (status[k] === 'active' && rng.chance(0.3)) unreadTail[k] = 1;
  const seen = new Int32Array(C);
  const unread = new Int32Array(C);
  const lastPreview: string[] = new Array<string>(C);
  const insertMessage = sqlite.prepare(
    `INSERT INTO messages (conversation_id, remote_id, client_id, seq, sender_type, sender_id, sender_name, content, created_at, read_at, delivery)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMessageFts = sqlite.prepare('INSERT INTO messages_fts (rowid, content) VALUES (?, ?)');
  const BATCH = 5000;
  for (let from = 0; from < M; from += BATCH) {
    sqlite.transaction(() => {
      for (let r = from; r < Math.min(M, from + BATCH); r++) {
        const i = order[r]!;
        const k = conv[i]!;
        const j = seen[k]!++;
        const remaining = counts[k]! - j;
        // The first message is the visitor's; an unread tail is the visitor's last few messages.
        const tail = unreadTail[k] === 1 && remaining <= 3;
        const sender = j === 0 || tail || rng.chance(0.55) ? 'visitor' : 'admin';
        const content = contentOf(spec.seed, r, langs[k]!);
        const at = times[i]!;
        const read = sender === 'visitor' ? !tail : remaining > 2 || rng.chance(0.7);
        if (sender === 'visitor' && !read) unread[k]!++;
        // Replies sent from Switchboard carry our client id; some were sent from the site's own admin page.
        const clientId = sender === 'admin' && rng.chance(0.6) ? randomUUID() : null;
        const id = Number(
          insertMessage.run(
            localId[k]!,
            String(r + 1),
            clientId,
            r + 1,
            sender,
            sender === 'admin' ? '1' : null,
            null,
            content,
            at,
            read ? at + 30_000 : null,
            sender === 'admin' && read ? 'read' : 'sent',
          ).lastInsertRowid,
        );
        insertMessageFts.run(id, content);
        if (remaining === 1) lastPreview[k] = content.slice(0, 200);
      }
    })();
  }
  // Every message above is in the search index, as the mirror's indexer leaves it (search_index_progress),
  // and so are its words (search_terms).
  backfillSearchTerms(sqlite);
  sqlite.prepare("UPDATE search_index_progress SET indexed_up_to = (SELECT coalesce(max(id), 0) FROM messages) WHERE name = 'messages'").run();
  const finish = sqlite.prepare('UPDATE conversations SET last_message_at = ?, last_message_preview = ?, unread_count = ? WHERE id = ?');
  sqlite.transaction(() => {
    for (let k = 0; k < C; k++) finish.run(Math.round(lastTime[k]!), lastPreview[k] ?? null, unread[k]!, localId[k]!);
  })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = (sqlite.pragma('page_count', { simple: true }) as number) * (sqlite.pragma('page_size', { simple: true }) as number);
  database.close();
  return {
    dir,
    dbFile: join(dir, DATABASE_FILE),
    accountId,
    bigConversationId: bigIndex >= 0 ? localId[bigIndex]! : null,
    spec,
    bytes,
  };
}

/** The two shared profiles: years of history for search and cold start, a huge inbox for the UI. */
export const historySpec = (ctx: Pick<BenchContext, 'scale'>): ProfileSpec =>
  ctx.scale === 'full'
    ? { name: 'history', conversations: 50_000, messages: 1_000_000, active: 2_500, seed: 11 }
    : { name: 'history-quick', conversations: 1_000, messages: 20_000, active: 100, seed: 11 };

export const inboxSpec = (ctx: Pick<BenchContext, 'scale'>): ProfileSpec =>
  ctx.scale === 'full'
    ? { name: 'inbox', conversations: 110_000, messages: 250_000, bigConversation: 10_000, active: 100_000, seed: 7 }
    : { name: 'inbox-quick', conversations: 5_500, messages: 12_000, bigConversation: 1_000, active: 5_000, seed: 7 };
