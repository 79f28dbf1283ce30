// Opens the mirror: one SQLite file per profile, configured for a desktop app that writes
// bursts of small transactions and must survive being killed at any moment.
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate, readMigrations } from './migrate';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;

export interface OpenDatabaseOptions {
  file: string;
  migrationsDir: string;
  /** Path to a better-sqlite3 addon built for the running ABI (Electron); Node uses the default. */
  nativeBinding?: string;
  /** Apply only the first N migrations (migration tests). */
  migrateTo?: number;
}

export interface OpenedDatabase {
  sqlite: Database.Database;
  db: Db;
  close(): void;
}

export function openDatabase(options: OpenDatabaseOptions): OpenedDatabase {
  const sqlite = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    migrate(sqlite, readMigrations(options.migrationsDir), options.migrateTo === undefined ? {} : { target: options.migrateTo });
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return { sqlite, db: drizzle(sqlite, { schema }), close: () => sqlite.close() };
}
