// 1. Ingest: the real sync engine (AccountSync) catching up 100,000 messages from an in-memory
// connector into the mirror (rows, FTS, previews, unread counts, cursors; pages of 100, as from a
// real backend; the search index follows in batches and the time runs until it has caught up), against raw better-sqlite3 inserts of the same rows in
// the same transactions without FTS. Then single live messages, each its own burst: from the
// connector's report to the "messages.added" event, which is emitted right after the commit.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerCheckpointRunner } from '../src/main/core/db/checkpoint-worker';
import { openDatabase } from '../src/main/core/db/open';
import { EventBus } from '../src/main/core/events';
import { Mirror } from '../src/main/core/mirror/mirror';
import type { RemoteConversation, RemoteMessage } from '../src/main/core/mirror/types';
import { AccountSync } from '../src/main/core/sync/account-sync';
import { sized, type Bench, type BenchContext } from './lib/context';
import { Rng, language, messageText, visitor } from './lib/data';
import { LiveAttribution, describeAttribution, recordingTimers } from './lib/live-attribution';
import { MemoryConnector } from './lib/memory-connector';
import { figure, median, nowMs, round, sleep, summary } from './lib/report';

const PAGE = 100;

interface Corpus {
  conversations: RemoteConversation[];
  messages: Map<string, RemoteMessage[]>;
  total: number;
}

/** A backend's history: conversations of very different lengths, ids in arrival order. */
export function corpus(total: number, conversationCount: number, seed: number): Corpus {
  const rng = new Rng(seed);
  const weights = Array.from({ length: conversationCount }, () => rng.logNormal(60, 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / sum) * total)));
  let assigned = sizes.reduce((a, b) => a + b, 0);
  for (let k = 0; assigned < total; k = (k + 1) % conversationCount, assigned++) sizes[k]!++;
  const start = Date.now() - 365 * 24 * 3600_000;
  const conversations: RemoteConversation[] = [];
  const messages = new Map<string, RemoteMessage[]>();
  let id = 0;
  for (let k = 0; k < conversationCount; k++) {
    const remoteId = String(k + 1);
    const who = visitor(rng);
    const lang = language(rng);
    const list: RemoteMessage[] = [];
    let t = start + k * 60_000;
    for (let j = 0; j < sizes[k]!; j++) {
      t += Math.round(rng.logNormal(45_000, 1.2));
      const sender = j === 0 || rng.chance(0.55) ? 'visitor' : 'admin';
      list.push({
        remoteId: String(++id),
        seq: id,
        clientId: null,
        senderType: sender,
        senderId: sender === 'admin' ? '1' : null,
        content: messageText(rng, lang),
        createdAt: t,
        // History is read, except the newest visitor messages of some conversations.
        readAt: sender === 'visitor' && j >= sizes[k]! - 2 && rng.chance(0.3) ? null : t + 30_000,
      });
    }
    messages.set(remoteId, list);
    const last = list.at(-1)!;
    conversations.push({
      remoteId,
      visitorName: who.name,
      visitorEmail: who.email,
      serverStatus: 'active',
      createdAt: list[0]!.createdAt,
      lastMessageAt: last.createdAt,
      lastMessagePreview: last.content.slice(0, 200),
      visitorOnline: false,
    });
  }
  return { conversations, messages, total };
}

interface MirrorRun {
  ms: number;
  /** FTS index bytes / message table bytes, for an index built page by page as the app builds it. */
  ftsToTable: number;
  mirror: Mirror;
  sync: AccountSync;
  connector: MemoryConnector;
  events: EventBus;
  file: string;
  /** When each timer callback of the engine and the mirror ran (for the live samples' attribution). */
  timerRuns: { start: number; end: number }[];
  close(): Promise<void>;
}

/** `ftsAutomerge`: try the FTS5 setting proposed in BENCHMARKS.md (not what the app does today). */
async function mirrorIngest(ctx: BenchContext, data: Corpus, ftsAutomerge?: number): Promise<MirrorRun> {
  const dir = mkdtempSync(join(ctx.work, 'ingest-mirror-'));
  const file = join(dir, 'mirror.sqlite');
  const database = openDatabase({ file, migrationsDir: ctx.migrationsDir });
  const timerRuns: { start: number; end: number }[] = [];
  const timers = recordingTimers(timerRuns);
  // FTS5 takes its settings as literals, not bound parameters.
  if (ftsAutomerge) database.sqlite.exec(`INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', ${Math.trunc(ftsAutomerge)})`);
  // As the app runs it: new messages are indexed for search in batches after their commits, and
  // the WAL is checkpointed on a worker's connection (core.ts).
  const mirror = new Mirror(database, { timers, checkpointRunner: new WorkerCheckpointRunner({ file, log: (m) => ctx.log(m) }) });
  const events = new EventBus();
  const account = mirror.accounts.create({ kind: 'portfolio', name: 'bench', baseUrl: 'http://127.0.0.1:9' }, Date.now());
  const connector = new MemoryConnector(data.conversations, data.messages);
  const sync = new AccountSync({ accountId: account.id, connector, mirror, events, clock: Date.now, timers, log: () => {} });
  const live = new Promise<void>((resolve) => events.subscribe((name, payload) => name === 'connection.state' && (payload as { state: string }).state === 'live' && resolve()));
  const start = nowMs();
  await sync.start();
  await live;
  // Done when every message is also searchable: what the index has not yet caught up with counts.
  mirror.messageIndex.catchUp();
  const ms = nowMs() - start;
  const stored = database.sqlite.prepare('SELECT count(*) AS n FROM messages').get() as { n: number };
  if (stored.n !== data.total) throw new Error(`mirror ingest stored ${stored.n} of ${data.total} messages`);
  const sizes = database.sqlite.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE name = 'messages' OR name LIKE 'messages_fts%' GROUP BY name").all() as { name: string; bytes: number }[];
  const table = sizes.find((x) => x.name === 'messages')?.bytes ?? 1;
  const fts = sizes.filter((x) => x.name !== 'messages').reduce((a, b) => a + b.bytes, 0);
  return {
    ms,
    ftsToTable: round(fts / table),
    mirror,
    sync,
    connector,
    events,
    file,
    timerRuns,
    close: async () => {
      await sync.stop();
      mirror.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same rows, the same transactions, prepared statements, no FTS (and optionally with it). */
function rawIngest(ctx: BenchContext, data: Corpus, withFts: boolean): number {
  const dir = mkdtempSync(join(ctx.work, 'ingest-raw-'));
  const database = openDatabase({ file: join(dir, 'raw.sqlite'), migrationsDir: ctx.migrationsDir });
  const { sqlite } = database;
  const accountId = Number(sqlite.prepare("INSERT INTO accounts (kind, name, base_url, created_at) VALUES ('portfolio', 'bench', 'http://127.0.0.1:9', ?)").run(Date.now()).lastInsertRowid);
  const insertConversation = sqlite.prepare(
    'INSERT INTO conversations (account_id, remote_id, visitor_name, visitor_email, server_status, last_message_at, last_message_preview, visitor_online, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertMessage = sqlite.prepare(
    'INSERT INTO messages (conversation_id, remote_id, client_id, seq, sender_type, sender_id, sender_name, content, created_at, read_at, delivery) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertFts = sqlite.prepare('INSERT INTO messages_fts (rowid, content) VALUES (?, ?)');
  const now = Date.now();
  const start = nowMs();
  const localIds: number[] = [];
  for (let from = 0; from < data.conversations.length; from += PAGE) {
    sqlite.transaction(() => {
      for (const c of data.conversations.slice(from, from + PAGE)) {
        localIds.push(
          Number(insertConversation.run(accountId, c.remoteId, c.visitorName, c.visitorEmail, c.serverStatus, c.lastMessageAt, c.lastMessagePreview, 0, c.createdAt, now).lastInsertRowid),
        );
      }
    })();
  }
  data.conversations.forEach((c, k) => {
    const list = data.messages.get(c.remoteId)!;
    for (let from = 0; from < list.length; from += PAGE) {
      sqlite.transaction(() => {
        for (const m of list.slice(from, from + PAGE)) {
          const id = insertMessage.run(localIds[k]!, m.remoteId, m.clientId ?? null, m.seq ?? 0, m.senderType, m.senderId ?? null, m.senderName ?? null, m.content, m.createdAt, m.readAt ?? null, 'sent').lastInsertRowid;
          if (withFts) insertFts.run(id, m.content);
        }
      })();
    }
  });
  const ms = nowMs() - start;
  database.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function liveCommits(run: MirrorRun, data: Corpus, count: number, attribution: LiveAttribution): Promise<number[]> {
  const sink = run.connector.sink;
  if (!sink) throw new Error('the engine is not connected');
  const rng = new Rng(99);
  let waiting: { resolve: () => void } | null = null;
  const unsubscribe = run.events.subscribe((name) => {
    if (name === 'messages.added' && waiting) waiting.resolve();
  });
  const samples: number[] = [];
  let id = data.total;
  const t0 = Date.now();
  for (let i = 0; i < count; i++) {
    const c = data.conversations[rng.int(data.conversations.length)]!;
    const m: RemoteMessage = { remoteId: String(++id), seq: id, senderType: 'visitor', content: messageText(rng, 'mixed'), createdAt: t0 + i, readAt: null };
    const added = new Promise<void>((resolve) => (waiting = { resolve }));
    const done = attribution.begin();
    const start = nowMs();
    sink.messages(c.remoteId, [m]);
    await added;
    const ms = nowMs() - start;
    done(ms);
    samples.push(ms);
    waiting = null;
    // A live stream, not a tight loop: the next message comes a moment later.
    await sleep(1);
  }
  unsubscribe();
  return samples;
}

export const bench: Bench = {
  name: 'ingest',
  title: '1. Ingest into the mirror (FTS) vs raw inserts; one live message',
  async run(ctx) {
    const total = sized(ctx, 100_000, 5_000);
    const data = corpus(total, sized(ctx, 1_000, 60), 1);
    const rounds = sized(ctx, 3, 1);
    const raw: number[] = [];
    const rawFts: number[] = [];
    const mirrorMs: number[] = [];
    let last: MirrorRun | null = null;
    // Alternate, so a noisy moment on the shared machine hits both sides.
    for (let r = 0; r < rounds; r++) {
      raw.push(rawIngest(ctx, data, false));
      await last?.close();
      last = await mirrorIngest(ctx, data);
      mirrorMs.push(last.ms);
      rawFts.push(rawIngest(ctx, data, true));
      ctx.log(`round ${r + 1}/${rounds}: raw ${Math.round(raw.at(-1)!)} ms, mirror ${Math.round(mirrorMs.at(-1)!)} ms, raw+FTS ${Math.round(rawFts.at(-1)!)} ms`);
    }
    const rate = (ms: number) => (total / ms) * 1000;
    // The proposal (an FTS5 setting, so a migration): merge index segments 8 at a time, not 4.
    const proposal = await mirrorIngest(ctx, data, 8);
    await proposal.close();
    ctx.log(`mirror with the proposed FTS automerge 8: ${Math.round(proposal.ms)} ms`);
    const rawRate = rate(median(raw));
    const mirrorRate = rate(median(mirrorMs));
    last!.timerRuns.length = 0;
    const attribution = new LiveAttribution(last!.mirror, last!.file, last!.timerRuns);
    const live = await liveCommits(last!, data, sized(ctx, 2_000, 200), attribution);
    // The samples at and above the p99 (nearest rank): the 21 slowest of 2,000, the p99 the last of them.
    const why = attribution.finish(live.length - Math.ceil(0.99 * live.length) + 1);
    ctx.log(describeAttribution(why));
    await last!.close();
    const liveSummary = summary(live);
    return {
      figures: [
        figure({
          id: 'ingest.rate',
          name: `ingest ${total.toLocaleString('en')} msgs (mirror+FTS)`,
          value: round(mirrorRate),
          unit: 'msg/s',
          limit: round(0.45 * rawRate),
          direction: 'min',
          limitNote: `0.45 × raw ${Math.round(rawRate).toLocaleString('en')} msg/s`,
        }),
        figure({ id: 'ingest.live.p99', name: 'one live message committed, p99', value: liveSummary.p99, unit: 'ms', limit: 1 }),
        figure({ id: 'ingest.live.p50', name: 'one live message committed, p50', value: liveSummary.p50, unit: 'ms' }),
      ],
      info: {
        messages: total,
        conversations: data.conversations.length,
        rounds,
        rawMs: raw.map((x) => Math.round(x)),
        mirrorMs: mirrorMs.map((x) => Math.round(x)),
        rawWithFtsMs: rawFts.map((x) => Math.round(x)),
        rawRate: Math.round(rawRate),
        rawWithFtsRate: Math.round(rate(median(rawFts))),
        mirrorRate: Math.round(mirrorRate),
        mirrorToRaw: round(mirrorRate / rawRate),
        ftsToTableBuiltByPages: last!.ftsToTable,
        proposedFtsAutomerge8: { ms: Math.round(proposal.ms), rate: Math.round(rate(proposal.ms)), toRaw: round(rate(proposal.ms) / rawRate) },
        liveCommitMs: liveSummary,
        liveSlowest: why,
      },
    };
  },
};
