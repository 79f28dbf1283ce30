// Reads a core's mirror from a second, read-only connection (WAL lets it read while the core
// writes): what the mirror holds, to check nothing was lost or stored twice.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../src/main/core/core';

export class MirrorReader {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    this.db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  }

  count(accountId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.account_id = ?').get(accountId) as { n: number }).n;
  }

  /** The local id of a conversation, by its id on the site. */
  conversationId(accountId: number, remoteId: string): number | undefined {
    return (this.db.prepare('SELECT id FROM conversations WHERE account_id = ? AND remote_id = ?').get(accountId, remoteId) as { id: number } | undefined)?.id;
  }

  /** Remote message ids per conversation remote id (a pending reply has none and is skipped). */
  snapshot(accountId: number): Record<string, string[]> {
    const rows = this.db
      .prepare('SELECT c.remote_id AS c, m.remote_id AS m FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.account_id = ? AND m.remote_id IS NOT NULL ORDER BY m.id')
      .all(accountId) as { c: string; m: string }[];
    const out: Record<string, string[]> = {};
    for (const r of rows) (out[r.c] ??= []).push(r.m);
    return out;
  }

  close(): void {
    this.db.close();
  }
}

/** Compares the backend's message ids with the mirror's: what is missing, what is there twice, what is extra. */
export function compare(backend: Record<string, readonly (number | string)[]>, mirror: Record<string, string[]>): { backend: number; mirror: number; lost: number; duplicated: number; extra: number } {
  let lost = 0;
  let duplicated = 0;
  let extra = 0;
  let backendCount = 0;
  let mirrorCount = 0;
  for (const [conversation, ids] of Object.entries(backend)) {
    backendCount += ids.length;
    const have = mirror[conversation] ?? [];
    const seen = new Map<string, number>();
    for (const id of have) seen.set(id, (seen.get(id) ?? 0) + 1);
    for (const id of ids) if (!seen.has(String(id))) lost++;
    for (const n of seen.values()) if (n > 1) duplicated += n - 1;
    const expected = new Set(ids.map(String));
    for (const id of seen.keys()) if (!expected.has(id)) extra++;
  }
  for (const [conversation, ids] of Object.entries(mirror)) {
    mirrorCount += ids.length;
    if (!(conversation in backend)) extra += ids.length;
  }
  return { backend: backendCount, mirror: mirrorCount, lost, duplicated, extra };
}
