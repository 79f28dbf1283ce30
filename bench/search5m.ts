// 16. Search at scale (issue 15.6): the search dialog's call (newest 50 messages with snippets,
// the matching visitors and feed entries) over a mirror of 5,000,000 messages in 250,000
// conversations, by kind of query: a common word, a rare word taken from a stored message, every
// prefix of typing a word, a visitor's name, two words (a phrase as typed: the dialog matches
// both words, the last as a prefix). And the mirror's file size per message, with and without
// the FTS indexes (SQLite's dbstat), so the disk cost of a million messages is on record.
// The profile is built by bench/lib/scale-fixture.ts (direct SQL, the mirror's rows and FTS; see
// there why) and cached between runs; the build time is in the report when it was built.
import { openDatabase } from '../src/main/core/db/open';
import { Mirror } from '../src/main/core/mirror/mirror';
import { sized, type Bench } from './lib/context';
import { QUERY_KINDS, queriesByKind } from './lib/query-kinds';
import { figure, nowMs, round, summary } from './lib/report';
import { scaleProfile } from './lib/scale-fixture';

export const bench: Bench = {
  name: 'search5m',
  title: '16. Search over 5,000,000 messages by kind of query; mirror bytes per message',
  async run(ctx) {
    const started = nowMs();
    const scale = scaleProfile(ctx);
    const builtNow = nowMs() - started > 5_000;
    const database = openDatabase({ file: scale.dbFile, migrationsDir: ctx.migrationsDir });
    const mirror = new Mirror(database);
    const { sqlite } = database;
    const messages = (sqlite.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    const queries = queriesByKind(sqlite, 5, sized(ctx, 120, 30));
    // A few searches first, as after the app has been open a moment (statements prepared, the
    // index's first pages in the cache); the figures are over the rest.
    for (const q of queriesByKind(sqlite, 6, 4)) mirror.searchIndex.search(q.query, 50);
    const samples = queries.map((q) => {
      const cpu = process.cpuUsage();
      const start = nowMs();
      const hits = mirror.searchIndex.search(q.query, 50).length;
      const ms = nowMs() - start;
      const used = process.cpuUsage(cpu);
      return { ...q, ms, cpuMs: (used.user + used.system) / 1000, hits };
    });
    const all = summary(samples.map((s) => s.ms));
    const byKind = Object.fromEntries(
      QUERY_KINDS.map((kind) => {
        const of = samples.filter((s) => s.kind === kind);
        const ms = summary(of.map((s) => s.ms));
        return [kind, { n: ms.n, p50: round(ms.p50), p95: round(ms.p95), max: round(ms.max), cpuP95: round(summary(of.map((s) => s.cpuMs)).p95), averageHits: round(of.reduce((a, s) => a + s.hits, 0) / of.length) }];
      }),
    );

    const sizes = sqlite.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[];
    const total = sizes.reduce((a, s) => a + s.bytes, 0);
    const fts = sizes.filter((s) => s.name.includes('_fts')).reduce((a, s) => a + s.bytes, 0);
    const messageFts = sizes.filter((s) => s.name.startsWith('messages_fts')).reduce((a, s) => a + s.bytes, 0);
    mirror.close();
    const perMessage = total / messages;
    const perMessageNoFts = (total - messageFts) / messages;
    const label = messages.toLocaleString('en');

    return {
      figures: [
        figure({ id: 'search5m.p95', name: `search ${label} msgs, 5 kinds of query, p95`, value: round(all.p95), unit: 'ms', limit: 10 }),
        figure({ id: 'search5m.p99', name: `search ${label} msgs, p99`, value: round(all.p99), unit: 'ms', limit: 30 }),
        ...QUERY_KINDS.map((kind) => figure({ id: `search5m.p95.${kind.replace(' ', '-')}`, name: `  ${kind}, p95`, value: (byKind[kind] as { p95: number }).p95, unit: 'ms' })),
        figure({ id: 'search5m.bytesPerMessage', name: 'mirror file per message, FTS included (B/msg = MB per million)', value: round(perMessage), unit: 'B' }),
        figure({ id: 'search5m.bytesPerMessageNoFts', name: 'mirror file per message, without the message FTS', value: round(perMessageNoFts), unit: 'B' }),
      ],
      info: {
        messages,
        conversations: scale.spec.conversations,
        queries: samples.length,
        ms: all,
        cpuMs: summary(samples.map((s) => s.cpuMs)),
        byKind,
        slowest: [...samples].sort((a, b) => b.ms - a.ms).slice(0, 10).map((s) => ({ ...s, ms: round(s.ms), cpuMs: round(s.cpuMs) })),
        bytes: { file: total, messageFts, allFts: fts, parts: Object.fromEntries(sizes.map((s) => [s.name, s.bytes])) },
        fixture: { dir: scale.dir, buildMs: scale.buildMs, builtThisRun: builtNow, how: 'direct SQL (bench/lib/fixtures.ts), cached by schema version (bench/lib/scale-fixture.ts)' },
      },
    };
  },
};
