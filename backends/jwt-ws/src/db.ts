// SQLite storage of the jwt-ws chat server: users, device sessions (refresh tokens), rooms,
// room members, messages (soft-deleted, with edits) and read receipts. Ids are uuids like the
// Go server's; `seq` only orders messages that share a created_at.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type RoomType = 'direct' | 'group' | 'public' | 'broadcast';
export const USER_STATUSES = ['online', 'offline', 'away', 'busy', 'invisible'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface UserRow {
  id: string;
  email: string;
  username: string;
  display_name: string;
  password_hash: string;
  status: UserStatus;
  last_seen: string | null;
  created_at: string;
}

export interface SessionRow {
  id: string;
  user_id: string;
  device_id: string;
  device_type: string;
  refresh_hash: string;
  refresh_expires_at: string;
  revoked: number;
  created_at: string;
}

export interface RoomRow {
  id: string;
  name: string;
  type: RoomType;
  description: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface MemberRow {
  room_id: string;
  user_id: string;
  role: 'owner' | 'admin' | 'member';
  joined_at: string;
}

export interface MessageRow {
  seq: number;
  id: string;
  room_id: string;
  sender_id: string;
  reply_to_id: string | null;
  type: string;
  content: string;
  metadata: string | null;
  is_edited: number;
  edited_at: string | null;
  is_deleted: number;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'offline',
  last_seen TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  device_type TEXT NOT NULL,
  refresh_hash TEXT NOT NULL UNIQUE,
  refresh_expires_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_sessions_user_device ON sessions(user_id, device_id);
CREATE TABLE IF NOT EXISTS rooms (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('direct', 'group', 'public', 'broadcast')),
  description TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS room_members (
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT 'member',
  joined_at TEXT NOT NULL,
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX IF NOT EXISTS idx_members_user ON room_members(user_id);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  sender_id TEXT NOT NULL REFERENCES users(id),
  reply_to_id TEXT,
  type TEXT NOT NULL DEFAULT 'text',
  content TEXT NOT NULL,
  metadata TEXT,
  is_edited INTEGER NOT NULL DEFAULT 0,
  edited_at TEXT,
  is_deleted INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_messages_room ON messages(room_id, created_at, seq);
CREATE TABLE IF NOT EXISTS message_reads (
  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  read_at TEXT NOT NULL,
  PRIMARY KEY (message_id, user_id)
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export const nowIso = (): string => new Date().toISOString();

function prepareAll(db: Database.Database) {
  return {
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    setSetting: db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),

    insertUser: db.prepare<[string, string, string, string, string, string]>(
      "INSERT INTO users (id, email, username, display_name, password_hash, status, created_at) VALUES (?, ?, ?, ?, ?, 'offline', ?)",
    ),
    updateUserPassword: db.prepare<[string, string, string]>('UPDATE users SET password_hash = ?, display_name = ? WHERE id = ?'),
    getUser: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    getUserByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    getUserByUsername: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
    setUserStatus: db.prepare<[string, string, string]>('UPDATE users SET status = ?, last_seen = ? WHERE id = ?'),
    /** Nobody is connected when the server starts. */
    resetStatuses: db.prepare<[]>("UPDATE users SET status = 'offline' WHERE status != 'invisible'"),
    countUsers: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users'),

    insertSession: db.prepare<[string, string, string, string, string, string, string]>(
      'INSERT INTO sessions (id, user_id, device_id, device_type, refresh_hash, refresh_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    getSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    getSessionByRefresh: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE refresh_hash = ?'),
    rotateRefresh: db.prepare<[string, string, string]>('UPDATE sessions SET refresh_hash = ?, refresh_expires_at = ? WHERE id = ?'),
    revokeSession: db.prepare<[string]>('UPDATE sessions SET revoked = 1 WHERE id = ?'),
    revokeDeviceSessions: db.prepare<[string, string]>('UPDATE sessions SET revoked = 1 WHERE user_id = ? AND device_id = ? AND revoked = 0'),

    insertRoom: db.prepare<[string, string, string, string, string, string, string]>(
      'INSERT INTO rooms (id, name, type, description, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    getRoom: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?'),
    touchRoom: db.prepare<[string, string]>('UPDATE rooms SET updated_at = ? WHERE id = ?'),
    roomsOfUser: db.prepare<[string], RoomRow>(
      'SELECT r.* FROM rooms r JOIN room_members m ON m.room_id = r.id WHERE m.user_id = ? ORDER BY r.updated_at DESC, r.id',
    ),
    directRoomBetween: db.prepare<[string, string], RoomRow>(
      `SELECT r.* FROM rooms r
         JOIN room_members a ON a.room_id = r.id AND a.user_id = ?
         JOIN room_members b ON b.room_id = r.id AND b.user_id = ?
       WHERE r.type = 'direct' LIMIT 1`,
    ),

    insertMember: db.prepare<[string, string, string, string]>(
      'INSERT OR IGNORE INTO room_members (room_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)',
    ),
    deleteMember: db.prepare<[string, string]>('DELETE FROM room_members WHERE room_id = ? AND user_id = ?'),
    getMember: db.prepare<[string, string], MemberRow>('SELECT * FROM room_members WHERE room_id = ? AND user_id = ?'),
    membersOf: db.prepare<[string], MemberRow & UserRow>(
      'SELECT m.*, u.* FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY m.joined_at, u.username',
    ),
    memberIds: db.prepare<[string], { user_id: string }>('SELECT user_id FROM room_members WHERE room_id = ?'),
    roomMatesOf: db.prepare<[string], { user_id: string }>(
      'SELECT DISTINCT b.user_id FROM room_members a JOIN room_members b ON b.room_id = a.room_id WHERE a.user_id = ?',
    ),

    insertMessage: db.prepare<[string, string, string, string | null, string, string, string | null, string, string]>(
      `INSERT INTO messages (id, room_id, sender_id, reply_to_id, type, content, metadata, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getMessage: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE id = ?'),
    editMessage: db.prepare<[string, string, string, string]>('UPDATE messages SET content = ?, is_edited = 1, edited_at = ?, updated_at = ? WHERE id = ?'),
    deleteMessage: db.prepare<[string, string, string]>("UPDATE messages SET is_deleted = 1, content = '', deleted_at = ?, updated_at = ? WHERE id = ?"),
    pageMessages: db.prepare<[string, number, number], MessageRow>(
      'SELECT * FROM messages WHERE room_id = ? ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?',
    ),
    countMessages: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM messages WHERE room_id = ?'),
    lastMessage: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE room_id = ? ORDER BY created_at DESC, seq DESC LIMIT 1'),
    unreadCount: db.prepare<[string, string, string], { n: number }>(
      `SELECT COUNT(*) AS n FROM messages m WHERE m.room_id = ? AND m.sender_id != ? AND m.is_deleted = 0
         AND NOT EXISTS (SELECT 1 FROM message_reads r WHERE r.message_id = m.id AND r.user_id = ?)`,
    ),
    allMessages: db.prepare<[], MessageRow>('SELECT * FROM messages ORDER BY created_at, seq'),
    markRead: db.prepare<[string, string, string]>('INSERT OR IGNORE INTO message_reads (message_id, user_id, read_at) VALUES (?, ?, ?)'),
    getRead: db.prepare<[string, string], { read_at: string }>('SELECT read_at FROM message_reads WHERE message_id = ? AND user_id = ?'),
  };
}

export type Queries = ReturnType<typeof prepareAll>;
export interface ChatDb {
  db: Database.Database;
  q: Queries;
  close(): void;
}

export function openChatDb(path: string, opts: { nativeBinding?: string } = {}): ChatDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return { db, q: prepareAll(db), close: () => db.close() };
}
