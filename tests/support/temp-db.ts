// Real SQLite files in a temp folder, migrated with the committed migrations.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type OpenedDatabase } from '../../src/main/core/db/open';
import { Mirror } from '../../src/main/core/mirror/mirror';

export const migrationsDir = resolve(__dirname, '../../migrations');

export interface TempDir {
  dir: string;
  file: string;
  cleanup(): void;
}

export function tempDir(prefix = 'switchboard-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: join(dir, 'mirror.sqlite'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openTempMirror(): { mirror: Mirror; database: OpenedDatabase; temp: TempDir; close(): void } {
  const temp = tempDir();
  const database = openDatabase({ file: temp.file, migrationsDir });
  const mirror = new Mirror(database);
  return {
    mirror,
    database,
    temp,
    close: () => {
      mirror.close();
      temp.cleanup();
    },
  };
}
