// SQLite storage of the as-deployed site: users, conversations, messages (visitor | admin | ai)
// and the AI auto-reply settings row. Its own database file, so both flavours can share a --data dir.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type DeployedStatus = 'active' | 'resolved' | 'closed';
export type DeployedSender = 'visitor' | 'admin' | 'ai';

export interface DeployedConversationRow {
  id: number;
  visitor_id: string;
  visitor_name: string | null;
  visitor_email: string | null;
  status: DeployedStatus;
  last_message_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeployedMessageRow {
  id: number;
  conversation_id: number;
  sender_id: number | null;
  sender_type: DeployedSender;
  content: string;
  is_read: number;
  created_at: string;
}

export interface ChatSettingsRow {
  id: number;
  ai_enabled: number;
  ai_model: string;
  ai_temperature: number;
  system_prompt: string;
  auto_reply_delay: number;
  created_at: string;
  updated_at: string;
}

export interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
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
CREATE INDEX IF NOT EXISTS idx_d_conversations_status ON conversations(status);
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  sender_id INTEGER,
  sender_type TEXT NOT NULL CHECK (sender_type IN ('visitor', 'admin', 'ai')),
  content TEXT NOT NULL,
  is_read INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_d_messages_conversation ON messages(conversation_id, id);
CREATE TABLE IF NOT EXISTS chat_settings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ai_enabled INTEGER NOT NULL,
  ai_model TEXT NOT NULL,
  ai_temperature REAL NOT NULL,
  system_prompt TEXT NOT NULL,
  auto_reply_delay INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS site_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export interface SettingsPatch {
  aiEnabled?: boolean;
  aiModel?: string;
  aiTemperature?: number;
  systemPrompt?: string;
  autoReplyDelay?: number;
}

export type DeployedStore = ReturnType<typeof openDeployedStore>;

export function openDeployedStore(path: string, options: { nativeBinding?: string } = {}) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const s = {
    conversation: db.prepare<[number], DeployedConversationRow>('SELECT * FROM conversations WHERE id = ?'),
    byStatus: db.prepare<[string], DeployedConversationRow>(
      'SELECT * FROM conversations WHERE status = ? ORDER BY coalesce(last_message_at, created_at) DESC, id DESC',
    ),
    insertConversation: db.prepare<[string, string | null, string | null, string, string, string]>(
      `INSERT INTO conversations (visitor_id, visitor_name, visitor_email, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    insertMessage: db.prepare<[number, number | null, string, string, number, string]>(
      `INSERT INTO messages (conversation_id, sender_id, sender_type, content, is_read, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    touch: db.prepare<[string, string, number]>('UPDATE conversations SET last_message_at = ?, updated_at = ? WHERE id = ?'),
    message: db.prepare<[number], DeployedMessageRow>('SELECT * FROM messages WHERE id = ?'),
    messages: db.prepare<[number], DeployedMessageRow>('SELECT * FROM messages WHERE conversation_id = ? ORDER BY id ASC'),
    lastMessage: db.prepare<[number], DeployedMessageRow>('SELECT * FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT 1'),
    unread: db.prepare<[number], { n: number }>(
      `SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND sender_type = 'visitor' AND is_read = 0`,
    ),
    markRead: db.prepare<[number]>(`UPDATE messages SET is_read = 1 WHERE conversation_id = ? AND sender_type = 'visitor' AND is_read = 0`),
    settings: db.prepare<[], ChatSettingsRow>('SELECT * FROM chat_settings ORDER BY id ASC LIMIT 1'),
    insertSettings: db.prepare<[number, string, number, string, number, string, string]>(
      `INSERT INTO chat_settings (ai_enabled, ai_model, ai_temperature, system_prompt, auto_reply_delay, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    user: db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?'),
    upsertUser: db.prepare<[string, string, string, string]>(
      `INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(email) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash`,
    ),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM site_meta WHERE key = ?'),
    setMeta: db.prepare<[string, string]>('INSERT INTO site_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    allMessages: db.prepare<[], DeployedMessageRow>('SELECT * FROM messages ORDER BY id ASC'),
    countConversations: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM conversations'),
  };

  const now = (): string => new Date().toISOString();

  return {
    db,
    close: () => db.close(),
    conversation: (id: number) => s.conversation.get(id),
    conversationsWithStatus: (status: string) => s.byStatus.all(status),
    unreadCount: (conversationId: number) => s.unread.get(conversationId)?.n ?? 0,
    lastMessage: (conversationId: number) => s.lastMessage.get(conversationId),
    messages: (conversationId: number) => s.messages.all(conversationId),
    createConversation(visitorId: string, name: string | null, email: string | null, status: DeployedStatus = 'active', at = now()): DeployedConversationRow {
      const r = s.insertConversation.run(visitorId, name, email, status, at, at);
      return s.conversation.get(Number(r.lastInsertRowid)) as DeployedConversationRow;
    },
    /** Stores a message and moves the conversation's lastMessageAt / updatedAt. */
    addMessage(conversationId: number, senderType: DeployedSender, senderId: number | null, content: string, isRead = false, at = now()): DeployedMessageRow {
      return db.transaction(() => {
        const r = s.insertMessage.run(conversationId, senderId, senderType, content, isRead ? 1 : 0, at);
        s.touch.run(at, at, conversationId);
        return s.message.get(Number(r.lastInsertRowid)) as DeployedMessageRow;
      })();
    },
    /** Marks every unread visitor message read; returns how many changed. */
    markVisitorMessagesRead(conversationId: number): number {
      return s.markRead.run(conversationId).changes;
    },
    updateConversation(id: number, patch: { status?: DeployedStatus; visitorName?: string | null; visitorEmail?: string | null }): DeployedConversationRow | undefined {
      const fields: [string, string | null | undefined][] = [
        ['status', patch.status],
        ['visitor_name', patch.visitorName],
        ['visitor_email', patch.visitorEmail],
      ];
      const given = fields.filter(([, v]) => v !== undefined) as [string, string | null][];
      const sets = [...given.map(([col]) => `${col} = ?`), 'updated_at = ?'];
      const values = [...given.map(([, v]) => v), now()];
      db.prepare(`UPDATE conversations SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
      return s.conversation.get(id);
    },
    settings: () => s.settings.get(),
    createSettings(aiEnabled: boolean, autoReplyDelay: number): ChatSettingsRow {
      const at = now();
      s.insertSettings.run(aiEnabled ? 1 : 0, 'canned-replies', 0.7, 'You are the friendly assistant of this portfolio site.', autoReplyDelay, at, at);
      return s.settings.get() as ChatSettingsRow;
    },
    updateSettings(id: number, patch: SettingsPatch): ChatSettingsRow {
      const cols: [keyof SettingsPatch, string][] = [
        ['aiEnabled', 'ai_enabled'],
        ['aiModel', 'ai_model'],
        ['aiTemperature', 'ai_temperature'],
        ['systemPrompt', 'system_prompt'],
        ['autoReplyDelay', 'auto_reply_delay'],
      ];
      const sets: string[] = ['updated_at = ?'];
      const values: (string | number)[] = [now()];
      for (const [field, col] of cols) {
        const v = patch[field];
        if (v === undefined) continue;
        sets.push(`${col} = ?`);
        values.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
      }
      db.prepare(`UPDATE chat_settings SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
      return s.settings.get() as ChatSettingsRow;
    },
    userByEmail: (email: string) => s.userByEmail.get(email),
    user: (id: number) => s.user.get(id),
    upsertUser: (email: string, name: string, passwordHash: string) => s.upsertUser.run(email, name, passwordHash, now()),
    meta: (key: string) => s.getMeta.get(key)?.value,
    setMeta: (key: string, value: string) => s.setMeta.run(key, value),
    allMessages: () => s.allMessages.all(),
    countConversations: () => s.countConversations.get()?.n ?? 0,
  };
}
