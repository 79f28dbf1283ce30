// SQLite storage for the portfolio chat: the seed's §5 schema (conversations, messages,
// chat_sessions) plus read_at, client_message_id, updated_at, and an admins table.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type ConversationStatus = 'active' | 'resolved' | 'closed';
export type SenderType = 'visitor' | 'admin';

export interface ConversationRow {
  id: number;
  visitor_id: string;
  visitor_name: string | null;
  visitor_email: string | null;
  status: ConversationStatus;
  last_message_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessageRow {
  id: number;
  conversation_id: number;
  sender_type: SenderType;
  sender_id: number | null;
  content: string;
  is_read: number;
  read_at: string | null;
  client_message_id: string | null;
  created_at: string;
}

export interface SessionRow {
  id: number;
  session_token: string;
  conversation_id: number | null;
  ip_address: string | null;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
}

export interface AdminRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
}

export interface MessageJson {
  id: number;
  conversationId: number;
  content: string;
  senderType: SenderType;
  senderId: number | null;
  isRead: boolean;
  readAt: string | null;
  clientMessageId: string | null;
  createdAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS conversations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  visitor_id TEXT NOT NULL,
  visitor_name TEXT,
  visitor_email TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'resolved', 'closed')),
  last_message_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_conversations_visitor_id ON conversations(visitor_id);
CREATE INDEX IF NOT EXISTS idx_conversations_status ON conversations(status);
CREATE INDEX IF NOT EXISTS idx_conversations_updated_at ON conversations(updated_at);

CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  sender_type TEXT NOT NULL CHECK (sender_type IN ('visitor', 'admin')),
  sender_id INTEGER,
  content TEXT NOT NULL,
  is_read INTEGER NOT NULL DEFAULT 0,
  read_at TEXT,
  client_message_id TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_messages_conversation_id ON messages(conversation_id, id);
CREATE INDEX IF NOT EXISTS idx_messages_created_at ON messages(created_at);
CREATE UNIQUE INDEX IF NOT EXISTS idx_messages_client_message_id ON messages(client_message_id) WHERE client_message_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS chat_sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_token TEXT NOT NULL UNIQUE,
  conversation_id INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
  ip_address TEXT,
  user_agent TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_chat_sessions_token ON chat_sessions(session_token);

CREATE TABLE IF NOT EXISTS admins (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

export function toMessageJson(r: MessageRow): MessageJson {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    content: r.content,
    senderType: r.sender_type,
    senderId: r.sender_id,
    isRead: r.is_read === 1,
    readAt: r.read_at,
    clientMessageId: r.client_message_id,
    createdAt: r.created_at,
  };
}

/** Timestamps are ISO strings with milliseconds; updated_at never goes backwards within a row. */
export function nowIso(): string {
  return new Date().toISOString();
}

export type ChatDb = ReturnType<typeof openChatDb>;

export interface OpenChatDbOptions {
  /**
   * Path to a better-sqlite3 addon built for the running ABI. The console passes its own under
   * Electron, whose ABI differs from Node's; plain Node leaves it out and gets the default.
   */
  nativeBinding?: string;
}

export function openChatDb(path: string, options: OpenChatDbOptions = {}) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (err) {
    if (!options.nativeBinding) throw err;
    throw new Error(`Could not open ${path} with the SQLite addon at ${options.nativeBinding}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);

  const q = {
    getConversation: db.prepare<[number], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
    insertConversation: db.prepare<[string, string | null, string | null, string, string, string, string | null]>(
      `INSERT INTO conversations (visitor_id, visitor_name, visitor_email, status, created_at, updated_at, last_message_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    touchConversation: db.prepare<[string, number]>(`UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?`),
    setLastMessage: db.prepare<[string, string, number]>(
      `UPDATE conversations SET last_message_at = ?, updated_at = max(updated_at, ?) WHERE id = ?`,
    ),
    setStatus: db.prepare<[string, string, number]>(`UPDATE conversations SET status = ?, updated_at = max(updated_at, ?) WHERE id = ?`),
    fillVisitor: db.prepare<[string | null, string | null, number]>(
      `UPDATE conversations SET visitor_name = coalesce(visitor_name, ?), visitor_email = coalesce(visitor_email, ?) WHERE id = ?`,
    ),
    insertMessage: db.prepare<[number, string, number | null, string, number, string | null, string | null, string]>(
      `INSERT INTO messages (conversation_id, sender_type, sender_id, content, is_read, read_at, client_message_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    getMessage: db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE id = ?'),
    getMessageByClientId: db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE client_message_id = ?'),
    messagesBefore: db.prepare<[number, number, number], MessageRow>(
      'SELECT * FROM messages WHERE conversation_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
    ),
    messagesAfter: db.prepare<[number, number, number], MessageRow>(
      'SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id ASC LIMIT ?',
    ),
    lastMessage: db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT 1'),
    unreadCount: db.prepare<[number], { n: number }>(
      `SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND sender_type = 'visitor' AND is_read = 0`,
    ),
    getSession: db.prepare<[string], SessionRow>('SELECT * FROM chat_sessions WHERE session_token = ?'),
    insertSession: db.prepare<[string, string | null, string | null, string, string]>(
      `INSERT INTO chat_sessions (session_token, ip_address, user_agent, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
    ),
    setSessionConversation: db.prepare<[number, string]>('UPDATE chat_sessions SET conversation_id = ? WHERE session_token = ?'),
    setSessionExpiry: db.prepare<[string, string]>('UPDATE chat_sessions SET expires_at = ? WHERE session_token = ?'),
    getAdminByEmail: db.prepare<[string], AdminRow>('SELECT * FROM admins WHERE email = ?'),
    getAdmin: db.prepare<[number], AdminRow>('SELECT * FROM admins WHERE id = ?'),
    upsertAdmin: db.prepare<[string, string, string, string]>(
      `INSERT INTO admins (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(email) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash`,
    ),
    countAdmins: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM admins'),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    setSetting: db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    allMessages: db.prepare<[], MessageRow>('SELECT * FROM messages ORDER BY id ASC'),
    countConversations: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM conversations'),
  };

  return { db, q, close: () => db.close() };
}
