// The other members of a room (jwt-ws) and their last known presence, for the details pane.
// A conversation's list is replaced as a whole whenever its connector sends one: members who
// left are gone, and only rows that changed are written.
import type BetterSqlite3 from 'better-sqlite3';
import { Presence, type RoomMember } from '../../../shared/domain';
import type { RemoteMember } from './types';

/** Online first, then busy, away, offline; by name within each. */
const RANK: Record<Presence, number> = { online: 0, busy: 1, away: 2, offline: 3 };

export class MembersRepo {
  private readonly listStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;

  constructor(sqlite: BetterSqlite3.Database) {
    this.listStmt = sqlite.prepare<{ id: number }, { memberId: string; name: string | null; presence: string }>(
      'SELECT member_id AS memberId, name, presence FROM conversation_members WHERE conversation_id = @id',
    );
    this.upsertStmt = sqlite.prepare<{ id: number; memberId: string; name: string | null; presence: string; now: number }>(
      `INSERT INTO conversation_members (conversation_id, member_id, name, presence, updated_at) VALUES (@id, @memberId, @name, @presence, @now)
       ON CONFLICT (conversation_id, member_id) DO UPDATE SET name = excluded.name, presence = excluded.presence, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = sqlite.prepare<{ id: number; memberId: string }>('DELETE FROM conversation_members WHERE conversation_id = @id AND member_id = @memberId');
  }

  /** Replaces the conversation's members; true when anything changed. Call inside a transaction. */
  replace(conversationId: number, members: readonly RemoteMember[], now: number): boolean {
    const before = new Map(this.listStmt.all({ id: conversationId }).map((m) => [m.memberId, m]));
    let changed = false;
    const seen = new Set<string>();
    for (const m of members) {
      if (seen.has(m.remoteId)) continue;
      seen.add(m.remoteId);
      const old = before.get(m.remoteId);
      if (old && old.name === m.name && old.presence === m.presence) continue;
      this.upsertStmt.run({ id: conversationId, memberId: m.remoteId, name: m.name, presence: m.presence, now });
      changed = true;
    }
    for (const id of before.keys()) {
      if (seen.has(id)) continue;
      this.deleteStmt.run({ id: conversationId, memberId: id });
      changed = true;
    }
    return changed;
  }

  /** Most present first. A stored presence this version does not know reads as offline. */
  list(conversationId: number): RoomMember[] {
    return this.listStmt
      .all({ id: conversationId })
      .map((m) => ({ id: m.memberId, name: m.name, presence: Presence.safeParse(m.presence).data ?? 'offline' }))
      .sort((a, b) => RANK[a.presence] - RANK[b.presence] || (a.name ?? '').localeCompare(b.name ?? '') || a.id.localeCompare(b.id));
  }
}
