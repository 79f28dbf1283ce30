// Applies the drizzle-kit migrations in /migrations, in journal order, inside one transaction.
// PRAGMA user_version counts the migrations applied, and schema_migrations keeps each one's
// hash: a database written by a newer app version, or by a migration edited after it landed,
// is refused instead of being silently misread.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

export interface MigrationFile {
  index: number;
  tag: string;
  hash: string;
  statements: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface Journal {
  entries: { idx: number; tag: string }[];
}

export function readMigrations(dir: string): MigrationFile[] {
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as Journal;
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map((entry, position) => {
      if (entry.idx !== position) throw new MigrationError(`Migration journal has a gap at ${position}.`);
      const sql = readFileSync(join(dir, `${entry.tag}.sql`), 'utf8');
      return {
        index: entry.idx,
        tag: entry.tag,
        hash: createHash('sha256').update(sql).digest('hex'),
        statements: sql
          .split('--> statement-breakpoint')
          .map((s) => s.trim())
          .filter((s) => s.replace(/^--.*$/gm, '').trim().length > 0),
      };
    });
}

export interface MigrateOptions {
  /** Apply only the first `target` migrations (tests migrate to N-1 first). */
  target?: number;
}

/** Returns how many migrations were applied by this call. */
export function migrate(sqlite: Database.Database, migrations: MigrationFile[], options: MigrateOptions = {}): number {
  const target = options.target ?? migrations.length;
  const current = sqlite.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new MigrationError(
      `This database was written by a newer version of Switchboard (schema ${current}, this version knows ${migrations.length}). ` +
        'Update Switchboard, or choose another data folder.',
    );
  }
  const run = sqlite.transaction(() => {
    sqlite.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (idx INTEGER PRIMARY KEY, tag TEXT NOT NULL, hash TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const applied = sqlite.prepare('SELECT idx, tag, hash FROM schema_migrations ORDER BY idx').all() as {
      idx: number;
      tag: string;
      hash: string;
    }[];
    for (const row of applied) {
      const file = migrations[row.idx];
      if (!file || file.hash !== row.hash) {
        throw new MigrationError(`Migration ${row.tag} differs from the one this database was built with; refusing to continue.`);
      }
    }
    const insert = sqlite.prepare('INSERT INTO schema_migrations (idx, tag, hash, applied_at) VALUES (?, ?, ?, ?)');
    let count = 0;
    for (const m of migrations.slice(current, target)) {
      for (const statement of m.statements) sqlite.exec(statement);
      insert.run(m.index, m.tag, m.hash, Date.now());
      count++;
    }
    sqlite.pragma(`user_version = ${Math.max(current, target)}`);
    return count;
  });
  return run.immediate();
}
