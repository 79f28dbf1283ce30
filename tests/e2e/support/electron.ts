// Where the Electron binary is, for the *.electron.spec.ts suites. Where it was never downloaded
// (ELECTRON_SKIP_BINARY_DOWNLOAD) this is undefined and the suites skip. It reads
// node_modules/electron/path.txt and never requires 'electron', because electron's index.js
// downloads the binary on first require.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');

export function electronExecutable(): string | undefined {
  const dir = join(repoRoot, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executable = override ? join(override, relative) : join(dir, 'dist', relative);
  return existsSync(executable) ? executable : undefined;
}

export const SKIP_WITHOUT_ELECTRON = 'Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); this suite runs where Electron is installed';

/** Chromium refuses to run as root with its OS sandbox (CI containers); webPreferences.sandbox stays on. */
export const rootArgs = (): string[] => (process.getuid?.() === 0 ? ['--no-sandbox'] : []);
