// 2. ORM overhead: the mirror's hot calls (a conversation's page of messages, an inbox page, a
// conversation upsert) against the same SQL run through raw better-sqlite3 prepared statements.
// The SQL is not retyped: it is captured from drizzle's own logger at run time, and parameter
// order is found by calling with sentinel values. Both sides return the same domain objects
// (checked once for equality), so the difference is what drizzle and the repository add.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { openDatabase } from '../src/main/core/db/open';
import * as schema from '../src/main/core/db/schema';
import { Mirror } from '../src/main/core/mirror/mirror';
import { decodeCursor, encodeCursor } from '../src/main/core/mirror/rows';
import type { RemoteConversation } from '../src/main/core/mirror/types';
import type { ConversationSummary, Message } from '../src/shared/domain';
import { sized, type Bench } from './lib/context';
import { Rng } from './lib/data';
import { copyProfile, inboxSpec, profile } from './lib/fixtures';
import { figure, median, nowMs, round } from './lib/report';

interface Captured {
  sql: string;
  params: unknown[];
}

/** Runs `fn` against a mirror whose drizzle logs every query, inside a transaction rolled back. */
function capture(sqlite: BetterSqlite3.Database, fn: (mirror: Mirror) => void): Captured[] {
  const logged: Captured[] = [];
  const db = drizzle(sqlite, { schema, logger: { logQuery: (sql, params) => logged.push({ sql, params }) } });
  const mirror = new Mirror({ sqlite, db, close: () => {} });
  sqlite.exec('BEGIN');
  try {
    fn(mirror);
  } finally {
    sqlite.exec('ROLLBACK');
  }
  return logged;
}

/** Maps each captured parameter back to the role whose sentinel value it carries. */
function binder(params: unknown[], roles: Record<string, unknown>): (values: Record<string, unknown>) => unknown[] {
  // A null is a column the call leaves empty (presence, username…): bound as the constant null.
  const order = params.map((p) => {
    if (p === null) return null;
    const role = Object.entries(roles).find(([, v]) => v === p)?.[0];
    if (!role) throw new Error(`captured parameter ${String(p)} has no role`);
    return role;
  });
  return (values) => order.map((role) => (role === null ? null : values[role]));
}

interface RawMessageRow {
  id: number;
  conversation_id: number;
  remote_id: string | null;
  client_id: string | null;
  seq: number;
  sender_type: string;
  sender_id: string | null;
  sender_name: string | null;
  content: string;
  created_at: number;
  read_at: number | null;
  delivery: string;
  failure_reason: string | null;
  kind: string;
  payload: string | null;
  edited_at: number | null;
}

interface RawConversationRow {
  id: number;
  account_id: number;
  remote_id: string;
  visitor_name: string | null;
  visitor_email: string | null;
  visitor_username: string | null;
  visitor_presence: string | null;
  server_status: string | null;
  local_status: string | null;
  status: string;
  last_message_at: number;
  last_message_preview: string | null;
  unread_count: number;
  muted: number;
  visitor_online: number;
  created_at: number;
  updated_at: number;
}

const toMessage = (r: RawMessageRow): Message => ({
  id: r.id,
  conversationId: r.conversation_id,
  remoteId: r.remote_id,
  clientId: r.client_id,
  senderType: r.sender_type as Message['senderType'],
  senderId: r.sender_id,
  senderName: r.sender_name,
  content: r.content,
  createdAt: r.created_at,
  readAt: r.read_at,
  delivery: r.delivery as Message['delivery'],
  failureReason: r.failure_reason,
  kind: r.kind as Message['kind'],
  payload: r.payload === null ? null : (JSON.parse(r.payload) as unknown),
  editedAt: r.edited_at,
});

const toConversation = (r: RawConversationRow): ConversationSummary => ({
  id: r.id,
  accountId: r.account_id,
  remoteId: r.remote_id,
  visitorName: r.visitor_name,
  visitorEmail: r.visitor_email,
  visitorUsername: r.visitor_username,
  status: r.status as ConversationSummary['status'],
  statusIsLocal: r.server_status === null,
  lastMessageAt: r.last_message_at,
  lastMessagePreview: r.last_message_preview,
  unreadCount: r.unread_count,
  muted: r.muted === 1,
  visitorOnline: r.visitor_online === 1,
  visitorPresence: (r.visitor_presence as ConversationSummary['visitorPresence']) ?? null,
  createdAt: r.created_at,
});

const FAR = Number.MAX_SAFE_INTEGER;

export const bench: Bench = {
  name: 'orm',
  title: '2. ORM overhead on the hot queries vs the same SQL, raw',
  async run(ctx) {
    const source = profile(ctx, inboxSpec(ctx));
    const copy = copyProfile(source, join(ctx.work, 'orm-profile'));
    const database = openDatabase({ file: copy.dbFile, migrationsDir: ctx.migrationsDir });
    const { sqlite } = database;
    const mirror = new Mirror(database);
    const accountId = copy.accountId;
    const big = copy.bigConversationId!;

    // ---- capture the SQL drizzle runs, with sentinels to learn the parameter order
    const S = { conversationId: 900_001, t: 800_002, s: 700_003, id: 600_004, limit: 500_005 };
    const [messagePage] = capture(sqlite, (m) => m.messages.page(S.conversationId, S.limit, encodeCursor(S.t, S.s, S.id)));
    const [inboxPage] = capture(sqlite, (m) => m.conversations.page('active', S.limit, encodeCursor(S.t, S.id)));
    const existing = sqlite.prepare('SELECT id, remote_id, created_at FROM conversations WHERE account_id = ? ORDER BY id LIMIT 1').get(accountId) as { id: number; remote_id: string; created_at: number };
    const U = { lastMessageAt: Date.now() + 1e10, lastMessagePreview: '§preview§', updatedAt: 400_004, id: existing.id, accountId, remoteId: existing.remote_id };
    const upsertUpdate = capture(sqlite, (m) =>
      m.conversations.upsert(accountId, { remoteId: existing.remote_id, createdAt: existing.created_at, lastMessageAt: U.lastMessageAt, lastMessagePreview: U.lastMessagePreview }, U.updatedAt),
    );
    // A sentinel account (rolled back with the capture) so no parameter value is ambiguous; the
    // defaults drizzle binds (unread_count, muted) are the constant 0.
    const I = { accountId: 777_777, remoteId: '§new§', visitorName: '§name§', visitorEmail: '§email§', serverStatus: 'active', lastMessageAt: 300_003, lastMessagePreview: '§first§', visitorOnline: 1, createdAt: 200_002, updatedAt: 100_001, zero: 0 };
    const upsertInsert = capture(sqlite, (m) => {
      sqlite.prepare("INSERT INTO accounts (id, kind, name, base_url, created_at) VALUES (?, 'portfolio', 'sentinel', 'http://127.0.0.1:9', 0)").run(I.accountId);
      m.conversations.upsert(I.accountId, { remoteId: I.remoteId, visitorName: I.visitorName, visitorEmail: I.visitorEmail, serverStatus: 'active', createdAt: I.createdAt, lastMessageAt: I.lastMessageAt, lastMessagePreview: I.lastMessagePreview, visitorOnline: true }, I.updatedAt);
    });
    if (!messagePage || !inboxPage || upsertUpdate.length !== 2 || upsertInsert.length !== 2) throw new Error('could not capture the hot queries from drizzle');

    const raw = {
      messagePage: { stmt: sqlite.prepare<unknown[], RawMessageRow>(messagePage.sql), bind: binder(messagePage.params, { conversationId: S.conversationId, t: S.t, s: S.s, id: S.id, limit: S.limit + 1 }) },
      inboxPage: { stmt: sqlite.prepare<unknown[], RawConversationRow>(inboxPage.sql), bind: binder(inboxPage.params, { status: 'active', t: S.t, id: S.id, limit: S.limit + 1 }) },
      findByRemote: { stmt: sqlite.prepare<unknown[], RawConversationRow>(upsertUpdate[0]!.sql), bind: binder(upsertUpdate[0]!.params, { accountId, remoteId: U.remoteId }) },
      update: { stmt: sqlite.prepare<unknown[], RawConversationRow>(upsertUpdate[1]!.sql), bind: binder(upsertUpdate[1]!.params, { lastMessageAt: U.lastMessageAt, lastMessagePreview: U.lastMessagePreview, updatedAt: U.updatedAt, id: U.id }) },
      insert: { stmt: sqlite.prepare<unknown[], RawConversationRow>(upsertInsert[1]!.sql), bind: binder(upsertInsert[1]!.params, I) },
      ftsInsert: sqlite.prepare('INSERT INTO conversations_fts (rowid, visitor_name, visitor_email) VALUES (?, ?, ?)'),
    };

    // ---- the raw equivalents of the repository methods
    const rawMessages = (conversationId: number, limit: number, before?: string) => {
      const [t, s, id] = (before && decodeCursor(before, 3)) || [FAR, FAR, FAR];
      const rows = raw.messagePage.stmt.all(...raw.messagePage.bind({ conversationId, t, s, id, limit: limit + 1 }));
      const more = rows.length > limit;
      const page = more ? rows.slice(0, limit) : rows;
      const oldest = page.at(-1);
      return { items: page.reverse().map(toMessage), nextCursor: more && oldest ? encodeCursor(oldest.created_at, oldest.seq, oldest.id) : null };
    };
    const rawInbox = (limit: number, cursor?: string) => {
      const [t, id] = (cursor && decodeCursor(cursor, 2)) || [FAR, FAR];
      const rows = raw.inboxPage.stmt.all(...raw.inboxPage.bind({ status: 'active', t, id, limit: limit + 1 }));
      const more = rows.length > limit;
      const items = (more ? rows.slice(0, limit) : rows).map(toConversation);
      const last = items.at(-1);
      return { items, nextCursor: more && last ? encodeCursor(last.lastMessageAt ?? 0, last.id) : null };
    };
    // The two shapes the workload uses: a new conversation, and lastMessageAt + preview moving on.
    const rawUpsert = (remote: RemoteConversation, now: number) => {
      const found = raw.findByRemote.stmt.get(...raw.findByRemote.bind({ accountId, remoteId: remote.remoteId }));
      if (!found) {
        const row = raw.insert.stmt.get(
          ...raw.insert.bind({
            accountId,
            remoteId: remote.remoteId,
            visitorName: remote.visitorName ?? null,
            visitorEmail: remote.visitorEmail ?? null,
            serverStatus: remote.serverStatus ?? 'active',
            lastMessageAt: remote.lastMessageAt ?? remote.createdAt,
            lastMessagePreview: remote.lastMessagePreview ?? null,
            visitorOnline: remote.visitorOnline ? 1 : 0,
            createdAt: remote.createdAt,
            updatedAt: now,
            zero: 0,
          }),
        )!;
        raw.ftsInsert.run(row.id, row.visitor_name ?? '', row.visitor_email ?? '');
        return { row, created: true };
      }
      if (remote.lastMessageAt == null || remote.lastMessageAt <= found.last_message_at) return { row: found, created: false };
      const row = raw.update.stmt.get(...raw.update.bind({ lastMessageAt: remote.lastMessageAt, lastMessagePreview: remote.lastMessagePreview, updatedAt: now, id: found.id }))!;
      return { row, created: false };
    };

    // ---- workloads: newest pages and older pages at random depths, like a user scrolling back
    const rng = new Rng(5);
    const messageCursors: (string | undefined)[] = [undefined];
    {
      let cursor: string | null | undefined;
      do {
        const page = mirror.messages.page(big, 50, cursor ?? undefined);
        cursor = page.nextCursor;
        if (cursor && rng.chance(0.1)) messageCursors.push(cursor);
      } while (cursor && messageCursors.length < 40);
    }
    const inboxCursors: (string | undefined)[] = [undefined];
    {
      let cursor: string | null | undefined;
      for (let i = 0; i < 400 && cursor !== null; i++) {
        const page = mirror.conversations.page('active', 100, cursor ?? undefined);
        cursor = page.nextCursor;
        if (cursor && i % 10 === 0) inboxCursors.push(cursor);
      }
    }
    // Same answers from both sides, or the comparison means nothing.
    for (const c of messageCursors.slice(0, 5)) if (!isDeepStrictEqual(mirror.messages.page(big, 50, c), rawMessages(big, 50, c))) throw new Error('raw message page differs from the mirror');
    for (const c of inboxCursors.slice(0, 5)) {
      const orm = mirror.conversations.page('active', 100, c);
      if (!isDeepStrictEqual(orm, rawInbox(100, c))) throw new Error('raw inbox page differs from the mirror');
    }

    const conversationRemoteIds = (sqlite.prepare('SELECT remote_id FROM conversations WHERE account_id = ?').pluck().all(accountId) as string[]).filter((_, i) => i % 7 === 0);
    let clock = Date.now() + 1e9;
    let fresh = 0;
    /** A catch-up page of 100 conversations: nine in ten moved on, one in ten is new. */
    const upsertBatch = (): RemoteConversation[] =>
      Array.from({ length: 100 }, (_, i): RemoteConversation => {
        clock += 1000;
        if (i % 10 === 9) {
          fresh++;
          return { remoteId: `bench-${fresh}`, visitorName: `Visitor ${fresh}`, visitorEmail: `v${fresh}@example.org`, serverStatus: 'active', createdAt: clock, lastMessageAt: clock, lastMessagePreview: 'Halo kak, barangnya ready?' };
        }
        // The site reports the real creation time, never earlier than the mirror's: no createdAt change.
        return { remoteId: rng.pick(conversationRemoteIds), createdAt: clock, lastMessageAt: clock, lastMessagePreview: `Pesan baru ${clock}` };
      });

    /** An op returns the milliseconds to count when part of it (a commit) is the same SQL on both sides. */
    type Op = { orm: () => number | undefined; raw: () => number | undefined; perRound: number };
    const inside = (fn: () => void) => () => {
      const start = nowMs();
      fn();
      return nowMs() - start;
    };
    const ops: Record<'conversationPage' | 'inboxPage' | 'upsert', Op> = {
      conversationPage: {
        perRound: sized(ctx, 400, 100),
        orm: () => void mirror.messages.page(big, 50, rng.pick(messageCursors)),
        raw: () => void rawMessages(big, 50, rng.pick(messageCursors)),
      },
      inboxPage: {
        perRound: sized(ctx, 200, 50),
        orm: () => void mirror.conversations.page('active', 100, rng.pick(inboxCursors)),
        raw: () => void rawInbox(100, rng.pick(inboxCursors)),
      },
      upsert: {
        // Batches of 100 in one transaction, as a catch-up page commits, timed inside the
        // transaction: the commit writes the same pages on both sides, and the WAL checkpoint
        // that some commits run would only add noise to the comparison.
        perRound: sized(ctx, 8, 2),
        orm: () => {
          const batch = upsertBatch();
          return mirror.transaction(inside(() => batch.forEach((c) => mirror.conversations.upsert(accountId, c, clock))));
        },
        raw: () => {
          const batch = upsertBatch();
          return sqlite.transaction(inside(() => batch.forEach((c) => rawUpsert(c, clock)))).immediate();
        },
      },
    };
    const rounds = sized(ctx, 15, 3);
    const results: Record<string, { ormUs: number; rawUs: number; ratio: number; rounds: number[] }> = {};
    for (const [name, op] of Object.entries(ops)) {
      // Warm both sides (JIT, page cache) before timing.
      for (let i = 0; i < op.perRound; i++) {
        op.orm();
        op.raw();
      }
      const ormTimes: number[] = [];
      const rawTimes: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // Alternate which goes first so a slow moment on the machine hits both.
        const pair: [number[], () => number | undefined][] = r % 2 ? [[rawTimes, op.raw], [ormTimes, op.orm]] : [[ormTimes, op.orm], [rawTimes, op.raw]];
        for (const [times, fn] of pair) {
          const start = nowMs();
          let counted = 0;
          let own = false;
          for (let i = 0; i < op.perRound; i++) {
            const ms = fn();
            if (typeof ms === 'number') {
              own = true;
              counted += ms;
            }
          }
          times.push(((own ? counted : nowMs() - start) / op.perRound) * 1000);
        }
      }
      const ormUs = median(ormTimes);
      const rawUs = median(rawTimes);
      results[name] = { ormUs: round(ormUs), rawUs: round(rawUs), ratio: round(ormUs / rawUs), rounds: ormTimes.map((t, i) => round(t / rawTimes[i]!)) };
    }
    mirror.close();
    const k = (n: number) => (n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));
    const labels: Record<string, string> = {
      conversationPage: `conversation page (50 of ${k(copy.spec.bigConversation ?? 0)} msgs)`,
      inboxPage: `inbox page (100 of ${k(copy.spec.active)} active)`,
      upsert: 'conversation upsert (per 100 in a tx)',
    };
    return {
      figures: Object.entries(results).map(([name, r]) =>
        figure({
          id: `orm.${name}`,
          name: `ORM ${labels[name]}`,
          value: r.ormUs,
          unit: 'µs',
          limit: round(1.3 * r.rawUs),
          limitNote: `1.3 × raw ${r.rawUs} µs; ORM/raw ${r.ratio}×`,
        }),
      ),
      info: { results, sql: { messagePage: messagePage.sql, inboxPage: inboxPage.sql, update: upsertUpdate[1]!.sql, insert: upsertInsert[1]!.sql }, fixture: { conversations: copy.spec.conversations, messages: copy.spec.messages } },
    };
  },
};
