// Finds the committed migrations folder: beside the app's resources when packaged, or at the
// repository root when running from a checkout (tests, browser mode, electron-vite preview).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder `relative` above `start` that contains `marker`. */
export function findUp(start: string, relative: string, marker: string): string | null {
  let dir = start;
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(join(candidate, marker))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function findMigrationsDir(start: string): string {
  const dir = findUp(start, 'migrations', join('meta', '_journal.json'));
  if (!dir) throw new Error(`No migrations folder found above ${start}.`);
  return dir;
}

/** The demo site's visitor page, from a checkout (the packaged app passes its resources path). */
export const findDemoPublicDir = (start: string): string | undefined => findUp(start, join('backends', 'portfolio', 'public'), 'index.html') ?? undefined;
