// The profile (mirror, settings, secrets, notification log) is for its owner only: folder 0700,
// files 0600. Both composition roots call these before they open anything, and again after the
// mirror is open (SQLite gives its -wal/-shm the database file's mode from then on).
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** New files and folders this process creates are private (umask 077). */
export function restrictNewFiles(proc: { umask(mask: number): number } = process): void {
  proc.umask(0o077);
}

/**
 * Creates the profile folder if needed and makes it and what sits directly in it private.
 * Subfolders get 0700 too, which closes everything below them (Chromium's caches in the app).
 */
export function makeProfilePrivate(dataDir: string, log: (message: string) => void = () => {}): void {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dataDir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const path = join(dataDir, entry.name);
    try {
      if (entry.isDirectory()) chmodSync(path, PRIVATE_DIR_MODE);
      else if (entry.isFile()) chmodSync(path, PRIVATE_FILE_MODE);
    } catch (error) {
      log(`profile: could not make ${path} private: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
