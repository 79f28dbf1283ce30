// Finds the committed migrations folder: beside the app's resources when packaged, or at the
// repository root when running from a checkout (tests, browser mode, electron-vite preview).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function findMigrationsDir(start: string, extraCandidates: string[] = []): string {
  for (const candidate of extraCandidates) {
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
  }
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No migrations folder found above ${start}.`);
    dir = parent;
  }
}
