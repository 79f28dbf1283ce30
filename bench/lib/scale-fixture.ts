// The 5,000,000-message mirror of the scale benchmark (issue 15.6). Built by the same direct-SQL
// writer as the other profiles (bench/lib/fixtures.ts: the rows the mirror writes, both FTS
// indexes filled in batches of 5,000 as the mirror's indexer does), because the mirror's own
// ingest path would take many minutes at this size; how fast the mirror writes is the ingest
// benchmark's figure. It takes a few minutes to build and 1.4 GB of disk, so it is kept between
// runs in a temp folder (or BENCH_FIXTURES), under a key made of the spec, the generator's
// version and the migration journal (the schema version): a schema change builds a new one and
// the stale copies of the same profile are deleted.
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { BenchContext } from './context';
import { profile, type Profile, type ProfileSpec } from './fixtures';

/** Where the scale profile lives between runs. */
export const scaleCacheDir = (): string => (process.env.BENCH_FIXTURES ? resolve(process.env.BENCH_FIXTURES) : join(tmpdir(), 'switchboard-bench-fixtures'));

export const scaleSpec = (ctx: Pick<BenchContext, 'scale'>): ProfileSpec =>
  ctx.scale === 'full'
    ? { name: 'scale-5m', conversations: 250_000, messages: 5_000_000, active: 2_500, seed: 13 }
    : { name: 'scale-quick', conversations: 2_500, messages: 50_000, active: 250, seed: 13 };

/** The scale profile, built once per schema version; full-scale copies are cached, quick ones live in the run's folder. */
export function scaleProfile(ctx: BenchContext): Profile {
  const spec = scaleSpec(ctx);
  const fixtures = ctx.scale === 'full' ? scaleCacheDir() : ctx.fixtures;
  const built = profile({ ...ctx, fixtures }, spec);
  for (const entry of readdirSync(fixtures)) {
    if (entry.startsWith(`${spec.name}-`) && entry !== basename(built.dir)) {
      ctx.log(`removing a stale copy of ${spec.name} (another schema or generator version): ${entry}`);
      rmSync(join(fixtures, entry), { recursive: true, force: true });
    }
  }
  return built;
}
