// The benchmarks in the order the runner runs them (cheap ones first; the shared fixtures are
// built by the first benchmark that needs them).
import type { Bench } from './lib/context';

export const BENCH_NAMES = ['ingest', 'orm', 'search', 'open', 'live', 'catchup', 'deployed', 'jwtws', 'openmanus', 'djangopoll', 'load', 'loadhost', 'coldstart', 'ui', 'openmanusui', 'search5m', 'accounts5'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

export const isBenchName = (name: string): name is BenchName => (BENCH_NAMES as readonly string[]).includes(name);

/** Loaded on demand: each benchmark runs in its own process and imports only itself. */
export async function loadBench(name: BenchName): Promise<Bench> {
  switch (name) {
    case 'ingest':
      return (await import('./ingest')).bench;
    case 'orm':
      return (await import('./orm')).bench;
    case 'search':
      return (await import('./search')).bench;
    case 'open':
      return (await import('./open')).bench;
    case 'live':
      return (await import('./live')).bench;
    case 'catchup':
      return (await import('./catchup')).bench;
    case 'deployed':
      return (await import('./deployed')).bench;
    case 'jwtws':
      return (await import('./jwtws')).bench;
    case 'openmanus':
      return (await import('./openmanus')).bench;
    case 'djangopoll':
      return (await import('./djangopoll')).bench;
    case 'load':
      return (await import('./load')).bench;
    case 'loadhost':
      return (await import('./load-host')).bench;
    case 'coldstart':
      return (await import('./coldstart')).bench;
    case 'ui':
      return (await import('./ui')).bench;
    case 'openmanusui':
      return (await import('./openmanus-ui')).bench;
    case 'search5m':
      return (await import('./search5m')).bench;
    case 'accounts5':
      return (await import('./accounts5')).bench;
  }
}

/** Benchmarks that start the built app (out/). */
export const NEEDS_BUILD: readonly BenchName[] = ['coldstart', 'ui', 'openmanusui', 'accounts5'];

/** Names `--only` accepts for a group of benchmarks (issue 15.6: `npm run bench -- --only scale`). */
export const BENCH_GROUPS: Readonly<Record<string, readonly BenchName[]>> = { scale: ['search5m', 'accounts5'] };
