/** Thrown after an await when the engine was stopped meanwhile: the database may be closed. */
export class Stopped extends Error {}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** better-sqlite3 errors carry SQLite's code (SQLITE_FULL, SQLITE_CORRUPT, SQLITE_IOERR_…). */
export const isStoreError = (error: unknown): boolean => error instanceof Error && String((error as { code?: unknown }).code).startsWith('SQLITE_');
