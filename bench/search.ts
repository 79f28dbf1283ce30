// 3. Search over a mirror with years of history (1,000,000 messages): what the search dialog
// asks for (newest 50 with snippets, plus matching visitors), for queries as users type them:
// common and rare words, Indonesian and English, names, order numbers, and every prefix on the
// way to a word, since the dialog searches while typing. And the FTS index's size beside the
// message table's, from SQLite's dbstat.
import { openDatabase } from '../src/main/core/db/open';
import { Mirror } from '../src/main/core/mirror/mirror';
import { sized, type Bench } from './lib/context';
import { Rng, searchQueries } from './lib/data';
import { historySpec, profile } from './lib/fixtures';
import { figure, nowMs, percentile, round, summary } from './lib/report';

export const bench: Bench = {
  name: 'search',
  title: '3. Search over 1,000,000 messages; FTS index size',
  async run(ctx) {
    const history = profile(ctx, historySpec(ctx));
    const database = openDatabase({ file: history.dbFile, migrationsDir: ctx.migrationsDir });
    const mirror = new Mirror(database);
    const queries = searchQueries(new Rng(3), sized(ctx, 600, 120));
    // A few searches first, as after the app has been open a moment (statements prepared, the
    // first pages of the index cached); the figures are over the rest.
    for (const q of searchQueries(new Rng(4), 20)) mirror.searchIndex.search(q, 50);
    // Wall time is the figure; CPU time beside it shows how much of a slow query was the
    // machine being busy with other work (this process was waiting, not computing).
    const samples: { query: string; ms: number; cpuMs: number; hits: number }[] = [];
    for (const query of queries) {
      const cpu = process.cpuUsage();
      const start = nowMs();
      const hits = mirror.searchIndex.search(query, 50);
      const ms = nowMs() - start;
      const used = process.cpuUsage(cpu);
      samples.push({ query, ms, cpuMs: (used.user + used.system) / 1000, hits: hits.length });
    }
    const times = samples.map((s) => s.ms);
    const stats = summary(times);
    const byLength = (test: (q: string) => boolean) => {
      const t = samples.filter((s) => test(s.query.trim()));
      const ms = t.map((s) => s.ms);
      const cpu = t.map((s) => s.cpuMs);
      return t.length ? { n: t.length, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)), max: round(Math.max(...ms)), cpuP99: round(percentile(cpu, 99)) } : null;
    };
    const lastWord = (q: string) => q.split(/\s+/).at(-1) ?? '';

    const sizes = database.sqlite.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[];
    const size = (test: (name: string) => boolean) => sizes.filter((s) => test(s.name)).reduce((a, b) => a + b.bytes, 0);
    const messageTable = size((n) => n === 'messages');
    const messageIndexes = size((n) => n.startsWith('messages_') && !n.startsWith('messages_fts'));
    const fts = size((n) => n.startsWith('messages_fts'));
    const messageCount = (database.sqlite.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    mirror.close();

    return {
      figures: [
        figure({ id: 'search.p95', name: `search ${messageCount.toLocaleString('en')} msgs, newest 50, p95`, value: stats.p95, unit: 'ms', limit: 10 }),
        figure({ id: 'search.p99', name: `search ${messageCount.toLocaleString('en')} msgs, newest 50, p99`, value: stats.p99, unit: 'ms', limit: 30 }),
        figure({ id: 'search.p50', name: 'search, p50', value: stats.p50, unit: 'ms' }),
        figure({
          id: 'search.ftsSize',
          name: 'FTS index size / message table',
          value: round(fts / messageTable),
          unit: '×',
          limit: 0.6,
          limitNote: `FTS ${(fts / 1e6).toFixed(0)} MB, table ${(messageTable / 1e6).toFixed(0)} MB`,
        }),
      ],
      info: {
        messages: messageCount,
        conversations: history.spec.conversations,
        queries: queries.length,
        ms: stats,
        cpuMs: summary(samples.map((s) => s.cpuMs)),
        byLastWord: {
          '1 char': byLength((q) => lastWord(q).length === 1),
          '2 chars': byLength((q) => lastWord(q).length === 2),
          '3+ chars': byLength((q) => lastWord(q).length >= 3),
        },
        slowest: [...samples].sort((a, b) => b.ms - a.ms).slice(0, 8).map((s) => ({ ...s, ms: round(s.ms), cpuMs: round(s.cpuMs) })),
        averageHits: round(samples.reduce((a, s) => a + s.hits, 0) / samples.length),
        bytes: { messageTable, messageIndexes, fts, ftsParts: Object.fromEntries(sizes.filter((s) => s.name.startsWith('messages_fts')).map((s) => [s.name, s.bytes])) },
        fixtureBuildMs: history.buildMs,
      },
    };
  },
};
