// Which better-sqlite3 addon the Electron main process loads. Packaged builds use the copy that
// electron-builder rebuilt for Electron; a checkout uses the one scripts/electron-native.mjs built.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ELECTRON_NATIVE_ADDON = join('build', 'electron-native', 'better_sqlite3.node');

export interface NativeBindingOptions {
  packaged: boolean;
  /** Where to start looking upwards for the repository root (usually __dirname of out/main). */
  start: string;
  log?: (message: string) => void;
  exists?: (path: string) => boolean;
}

export function findNativeBinding(options: NativeBindingOptions): string | undefined {
  if (options.packaged) return undefined;
  const exists = options.exists ?? existsSync;
  for (let dir = options.start; ; dir = dirname(dir)) {
    if (exists(join(dir, 'package.json'))) {
      const addon = join(dir, ELECTRON_NATIVE_ADDON);
      if (exists(addon)) return addon;
    }
    if (dirname(dir) === dir) break;
  }
  options.log?.(
    `native: no ${ELECTRON_NATIVE_ADDON} found; better-sqlite3 may not load under Electron. Run "node scripts/electron-native.mjs" to rebuild it.`,
  );
  return undefined;
}
