// What every benchmark gets from the runner: the scale, a work folder shared by the benchmarks of
// one run (fixtures are built once there), and where the repository is.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Figure, Scale } from './report';

export interface BenchContext {
  scale: Scale;
  /** Shared by every benchmark of one run. */
  work: string;
  /** Where fixtures are built once and reused (BENCH_FIXTURES keeps them across runs). */
  fixtures: string;
  root: string;
  migrationsDir: string;
  log(message: string): void;
}

export interface BenchOutput {
  figures: Figure[];
  info: Record<string, unknown>;
}

export interface Bench {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchOutput>;
}

export const repoRoot = resolve(__dirname, '../..');

export function createContext(scale: Scale, work: string, fixtures: string, log: (message: string) => void): BenchContext {
  return { scale, work, fixtures, root: repoRoot, migrationsDir: join(repoRoot, 'migrations'), log };
}

/** Picks the full or the quick size. */
export const sized = <T>(ctx: Pick<BenchContext, 'scale'>, full: T, quick: T): T => (ctx.scale === 'full' ? full : quick);

/** The built browser-mode entry, or an error that says how to build it. */
export function builtWebEntry(root: string): string {
  const entry = join(root, 'out', 'main', 'web.js');
  if (!existsSync(entry) || !existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    throw new Error('The app is not built (out/main/web.js, out/renderer/index.html). Run "npx electron-vite build" or "npm run bench" without --no-build.');
  }
  return entry;
}

export const packageVersion = (root: string): string => (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
