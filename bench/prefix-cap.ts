// How many words a prefix may expand to (PREFIX_TERM_CAP in src/main/core/mirror/search-repo.ts):
// over the 5,000,000-message scale fixture, the search dialog's call for prefixes that start
// 1 to ~450 stored words, through the OR of those words and through the prefix query, in CPU ms
// (the machine is shared). Not part of `npm run bench`: run it by hand after search5m built the
// fixture, `npx tsx bench/prefix-cap.ts <fixture dir>/switchboard.sqlite`.
import { openDatabase } from '../src/main/core/db/open';
import { Mirror } from '../src/main/core/mirror/mirror';
import { SearchRepo } from '../src/main/core/mirror/search-repo';
import { summary } from './lib/report';

const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/prefix-cap.ts <switchboard.sqlite of the scale fixture>');
const database = openDatabase({ file, migrationsDir: new URL('../migrations', import.meta.url).pathname });
const mirror = new Mirror(database);
const { sqlite } = database;
const expanding = new SearchRepo(sqlite, mirror.messageIndex, { prefixTermCap: 1_000_000 });
const asTyped = new SearchRepo(sqlite, mirror.messageIndex, { prefixTermCap: 0 });

// Prefixes of three to five characters of stored words, bucketed by how many words they start.
const BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 300, 500];
const counts = sqlite
  .prepare<[], { p: string; n: number }>(
    `SELECT p, count(*) AS n FROM (
       SELECT substr(term, 1, 3) AS p FROM search_terms UNION ALL
       SELECT substr(term, 1, 4) FROM search_terms WHERE length(term) >= 4 UNION ALL
       SELECT substr(term, 1, 5) FROM search_terms WHERE length(term) >= 5)
     WHERE length(p) >= 3 GROUP BY p`,
  )
  .all();
const cpu = (fn: () => void): number => {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const rows: Record<string, unknown>[] = [];
for (const [i, low] of BUCKETS.entries()) {
  const high = BUCKETS[i + 1] ?? Infinity;
  const picked = counts.filter((c) => c.n >= low && c.n < high).slice(0, 8);
  if (picked.length === 0) continue;
  const expanded: number[] = [];
  const typed: number[] = [];
  for (const { p } of picked) {
    expanding.search(p, 50);
    asTyped.search(p, 50);
    for (let k = 0; k < 3; k++) {
      expanded.push(cpu(() => expanding.search(p, 50)));
      typed.push(cpu(() => asTyped.search(p, 50)));
    }
  }
  const e = summary(expanded);
  const t = summary(typed);
  rows.push({ words: `${low}-${high === Infinity ? '' : high - 1}`, prefixes: picked.map((c) => `${c.p}:${c.n}`).join(' '), orP50: e.p50.toFixed(2), orMax: e.max.toFixed(2), prefixP50: t.p50.toFixed(2), prefixMax: t.max.toFixed(2) });
}
console.table(rows);
mirror.close();
