// The portfolio chat API (seed §6 + the extensions in backends.md §1), persisted in SQLite and
// triggering realtime events through the official `pusher` SDK like the seed's §8.3.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import Pusher from 'pusher';
import { type z } from 'zod';
import {
  type ChatDb,
  type ConversationRow,
  type ConversationStatus,
  type MessageJson,
  type MessageRow,
  type SessionRow,
  nowIso,
  openChatDb,
  toMessageJson,
} from './db';
import type { BackendFaults } from '../faults';
import { hashPassword, signAdminJwt, verifyAdminJwt, verifyPassword } from './auth';
import {
  adminLoginSchema,
  conversationsQuerySchema,
  createSessionSchema,
  formatZodError,
  markReadSchema,
  messagesQuerySchema,
  sendMessageSchema,
  updateConversationSchema,
} from './validation';

export interface ChatApiPusherConfig {
  appId: string;
  key: string;
  secret: string;
  host: string;
  port: number;
  /** Defaults to 'mt1' (pusher-js requires a cluster even with wsHost). */
  cluster?: string;
  /** Host/port the browser and the console should use (defaults: host/port). */
  wsHost?: string;
  wsPort?: number;
  forceTLS?: boolean;
  useTLS?: boolean;
}

export interface ChatApiOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Directory for portfolio.sqlite (created if missing). */
  dataDir?: string;
  /** Or an explicit database path (':memory:' allowed). */
  dbPath?: string;
  pusher: ChatApiPusherConfig;
  admin?: { email: string; password: string; name?: string };
  jwtSecret?: string;
  jwtTtlSeconds?: number;
  /** Visitor session lifetime (default 7 days, CHAT_SESSION_EXPIRY_DAYS in the seed). */
  sessionTtlSeconds?: number;
  /** Default true. false = the bare seed: no clientMessageId, after=, updatedSince=, config, read receipts, visitor-online. */
  extensions?: boolean;
  /** Default 10 messages per 60 s per visitor session. */
  visitorRateLimit?: { max: number; windowMs: number };
  /** Default 10 attempts per 60 s per client address. */
  loginRateLimit?: { max: number; windowMs: number };
  /** How often visitor presence is reconciled with the Pusher server's HTTP API (default 10 s; 0 = never). */
  presenceSyncMs?: number;
  /** Directory with index.html / widget.js / widget.css (defaults to backends/portfolio/public). */
  publicDir?: string;
  /** better-sqlite3 addon for the running ABI (the console under Electron); default: Node's. */
  nativeBinding?: string;
  /** Test switches (../faults.ts); also serves POST /api/test/faults. */
  faults?: BackendFaults;
  log?: (line: string) => void;
}

export interface ChatApiHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  /** false => every /api route answers 503 JSON (outage tests). */
  setAvailable(available: boolean): void;
  /** Test helpers reading the database directly. */
  listAllMessages(): MessageJson[];
  countConversations(): number;
  /** Makes a visitor session expire now. */
  expireSession(token: string): void;
  /** Conversations whose visitor is currently online (from presence). */
  onlineVisitors(): number[];
  /** Re-reads visitor presence from the Pusher server. */
  syncPresence(): Promise<void>;
  /** Creates or updates an admin account. */
  upsertAdmin(email: string, password: string, name: string): Promise<void>;
  chatDb: ChatDb;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

type Identity =
  | { kind: 'admin'; adminId: number; name: string; email: string }
  | { kind: 'visitor'; session: SessionRow }
  | { kind: 'none' };

const MAX_BODY = 64 * 1024;
const SOCKET_ID_RE = /^\d+\.\d+$/;
const ADMIN_CHANNEL = 'private-admin-notifications';
const ADMIN_PRESENCE = 'presence-admin-chat';

// No import.meta here: the module must load as CommonJS too (tsx, Playwright, the console's bundle).
// Bundlers that move this file should pass `publicDir`.
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  return resolve(process.cwd(), 'backends/portfolio/src/api');
}

function localRequire(): NodeRequire {
  if (typeof require === 'function') return require;
  return createRequire(join(process.cwd(), 'package.json'));
}

class RateLimiter {
  private hits = new Map<string, number[]>();
  constructor(
    private max: number,
    private windowMs: number,
  ) {}
  /** Returns 0 when allowed, else the seconds until the next allowed hit. */
  take(key: string): number {
    const now = Date.now();
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return Math.max(1, Math.ceil((this.windowMs - (now - (list[0] ?? now))) / 1000));
    }
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) {
      for (const [k, v] of this.hits) if (v.every((t) => now - t >= this.windowMs)) this.hits.delete(k);
    }
    return 0;
  }
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(400, 'Validation failed', formatZodError(r.error));
  return r.data;
}

export async function startChatApi(opts: ChatApiOptions): Promise<ChatApiHandle> {
  const host = opts.host ?? '127.0.0.1';
  const ext = opts.extensions !== false;
  const log = opts.log ?? (() => undefined);
  const dbPath = opts.dbPath ?? (opts.dataDir ? join(opts.dataDir, 'portfolio.sqlite') : null);
  if (!dbPath) throw new Error('startChatApi: dataDir or dbPath is required');
  const chatDb = openChatDb(dbPath, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  const { db, q } = chatDb;
  const publicDir = opts.publicDir ?? resolve(moduleDir(), '../../public');
  const sessionTtl = opts.sessionTtlSeconds ?? 7 * 24 * 3600;
  const jwtTtl = opts.jwtTtlSeconds ?? 12 * 3600;
  const visitorLimiter = new RateLimiter(opts.visitorRateLimit?.max ?? 10, opts.visitorRateLimit?.windowMs ?? 60_000);
  const loginLimiter = new RateLimiter(opts.loginRateLimit?.max ?? 10, opts.loginRateLimit?.windowMs ?? 60_000);

  let jwtSecretText = opts.jwtSecret ?? q.getSetting.get('jwt_secret')?.value;
  if (!jwtSecretText) {
    jwtSecretText = randomBytes(32).toString('hex');
    q.setSetting.run('jwt_secret', jwtSecretText);
  }
  const jwtKey = new TextEncoder().encode(jwtSecretText);

  async function upsertAdmin(email: string, password: string, name: string): Promise<void> {
    const existing = q.getAdminByEmail.get(email);
    if (existing && existing.name === name && (await verifyPassword(password, existing.password_hash))) return;
    q.upsertAdmin.run(email, name, await hashPassword(password), nowIso());
  }
  if (opts.admin) await upsertAdmin(opts.admin.email, opts.admin.password, opts.admin.name ?? 'Admin');

  const pusherCluster = opts.pusher.cluster ?? 'mt1';
  const pusher = new Pusher({
    appId: opts.pusher.appId,
    key: opts.pusher.key,
    secret: opts.pusher.secret,
    host: opts.pusher.host,
    port: String(opts.pusher.port),
    useTLS: opts.pusher.useTLS ?? false,
    timeout: 5000,
  });

  async function trigger(channel: string, event: string, data: unknown): Promise<void> {
    try {
      await pusher.trigger(channel, event, data);
    } catch (err) {
      // The message is already stored; clients catch up over REST.
      const cause = (err as { error?: { code?: string; message?: string } }).error;
      const message = typeof data === 'object' && data !== null && 'id' in data ? ` (message ${String(data.id)})` : '';
      log(`pusher trigger ${event} on ${channel}${message} failed: ${(err as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`);
    }
  }

  // ------------------------------------------------------------ visitor presence
  const online = new Map<number, boolean>();
  async function setVisitorOnline(conversationId: number, isOnline: boolean): Promise<void> {
    if (!ext) return;
    if ((online.get(conversationId) ?? false) === isOnline) return;
    if (isOnline) online.set(conversationId, true);
    else online.delete(conversationId);
    if (!q.getConversation.get(conversationId)) return;
    await trigger(ADMIN_CHANNEL, 'visitor-online', { conversationId, online: isOnline });
  }

  const PRESENCE_PREFIX = 'presence-conversation-';
  async function syncPresence(): Promise<void> {
    if (!ext) return;
    try {
      const res = await pusher.get({ path: '/channels', params: { filter_by_prefix: PRESENCE_PREFIX } });
      const body = (await res.json()) as { channels?: Record<string, unknown> };
      const present = new Set<number>();
      for (const name of Object.keys(body.channels ?? {})) {
        const id = Number(name.slice(PRESENCE_PREFIX.length));
        if (!Number.isInteger(id)) continue;
        const u = await pusher.get({ path: `/channels/${name}/users` });
        const users = ((await u.json()) as { users?: { id: string }[] }).users ?? [];
        if (users.some((x) => x.id.startsWith('visitor-'))) present.add(id);
      }
      for (const id of present) await setVisitorOnline(id, true);
      for (const id of [...online.keys()]) if (!present.has(id)) await setVisitorOnline(id, false);
    } catch (err) {
      log(`presence sync failed: ${(err as Error).message}`);
    }
  }

  // ------------------------------------------------------------ helpers
  async function identify(req: IncomingMessage): Promise<Identity> {
    const authz = req.headers.authorization;
    if (authz !== undefined && authz !== '') {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      if (!m) throw new ApiError(401, 'Authorization must be "Bearer <token>"');
      const r = await verifyAdminJwt(jwtKey, m[1] ?? '');
      if (!r.ok) throw new ApiError(401, r.reason === 'expired' ? 'Token expired' : 'Invalid token');
      const admin = q.getAdmin.get(r.adminId);
      if (!admin) throw new ApiError(401, 'Invalid token');
      return { kind: 'admin', adminId: admin.id, name: admin.name, email: admin.email };
    }
    const token = req.headers['x-session-token'];
    if (typeof token === 'string' && token !== '') {
      const session = q.getSession.get(token);
      if (!session) throw new ApiError(401, 'Invalid session');
      if (new Date(session.expires_at).getTime() <= Date.now()) throw new ApiError(401, 'Session expired');
      return { kind: 'visitor', session };
    }
    return { kind: 'none' };
  }

  function requireAdmin(id: Identity): asserts id is Extract<Identity, { kind: 'admin' }> {
    if (id.kind === 'none') throw new ApiError(401, 'Unauthorized');
    if (id.kind !== 'admin') throw new ApiError(403, 'Admin only');
  }

  function conversationFor(id: Identity, conversationId: number): ConversationRow {
    const conv = q.getConversation.get(conversationId);
    if (id.kind === 'none') throw new ApiError(401, 'Unauthorized');
    if (id.kind === 'visitor') {
      if (id.session.conversation_id !== conversationId) {
        throw conv ? new ApiError(403, 'Not your conversation') : new ApiError(404, 'Conversation not found');
      }
    }
    if (!conv) throw new ApiError(404, 'Conversation not found');
    return conv;
  }

  function messageOut(r: MessageRow): Record<string, unknown> {
    const m = toMessageJson(r);
    if (ext) return { ...m };
    return { id: m.id, content: m.content, senderType: m.senderType, isRead: m.isRead, createdAt: m.createdAt };
  }

  function sendResult(r: MessageRow): Record<string, unknown> {
    const base: Record<string, unknown> = {
      messageId: r.id,
      conversationId: r.conversation_id,
      id: r.id,
      content: r.content,
      senderType: r.sender_type,
      createdAt: r.created_at,
      isRead: r.is_read === 1,
    };
    if (ext) Object.assign(base, { senderId: r.sender_id, readAt: r.read_at, clientMessageId: r.client_message_id });
    return base;
  }

  function conversationOut(c: ConversationRow): Record<string, unknown> {
    const last = q.lastMessage.get(c.id);
    const out: Record<string, unknown> = {
      id: c.id,
      visitorName: c.visitor_name,
      visitorEmail: c.visitor_email,
      status: c.status,
      lastMessage: last ? { content: last.content, createdAt: last.created_at } : null,
      unreadCount: q.unreadCount.get(c.id)?.n ?? 0,
      createdAt: c.created_at,
    };
    if (ext) Object.assign(out, { updatedAt: c.updated_at, lastMessageAt: c.last_message_at, visitorOnline: online.get(c.id) ?? false });
    return out;
  }

  // ------------------------------------------------------------ handlers
  async function createSession(req: IncomingMessage, body: unknown): Promise<[number, unknown]> {
    const input = parseWith(createSessionSchema, body ?? {});
    if (input.sessionToken) {
      const s = q.getSession.get(input.sessionToken);
      if (s && new Date(s.expires_at).getTime() > Date.now()) {
        return [200, { sessionToken: s.session_token, conversationId: s.conversation_id, expiresAt: s.expires_at }];
      }
    }
    const token = randomUUID();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + sessionTtl * 1000).toISOString();
    const ip = req.socket.remoteAddress ?? null;
    const ua = typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 1000) : null;
    q.insertSession.run(token, ip, ua, now.toISOString(), expiresAt);
    return [200, { sessionToken: token, conversationId: null, expiresAt }];
  }

  async function send(req: IncomingMessage, body: unknown): Promise<[number, unknown]> {
    const id = await identify(req);
    const input = parseWith(sendMessageSchema, body);
    if (id.kind === 'none') throw new ApiError(401, 'Session token required');
    const clientMessageId = ext ? input.clientMessageId : undefined;

    if (clientMessageId) {
      const existing = q.getMessageByClientId.get(clientMessageId);
      if (existing) {
        const mine =
          id.kind === 'admin'
            ? existing.sender_type === 'admin'
            : existing.sender_type === 'visitor' && existing.conversation_id === id.session.conversation_id;
        if (!mine) throw new ApiError(409, 'clientMessageId already used');
        return [200, sendResult(existing)];
      }
    }

    const events: [string, string, unknown][] = [];
    let row: MessageRow;
    if (id.kind === 'admin') {
      if (input.conversationId === undefined || input.conversationId === null) {
        throw new ApiError(400, 'Validation failed', [{ path: 'conversationId', message: 'Admin messages need a conversationId' }]);
      }
      const convId = input.conversationId;
      if (!q.getConversation.get(convId)) throw new ApiError(404, 'Conversation not found');
      row = db.transaction(() => {
        const now = nowIso();
        const r = q.insertMessage.run(convId, 'admin', id.adminId, input.content, 0, null, clientMessageId ?? null, now);
        q.setLastMessage.run(now, now, convId);
        return q.getMessage.get(Number(r.lastInsertRowid)) as MessageRow;
      })();
    } else {
      const session = id.session;
      let convId: number | null = session.conversation_id;
      if (input.conversationId !== undefined && input.conversationId !== null) {
        if (convId !== input.conversationId) {
          throw q.getConversation.get(input.conversationId)
            ? new ApiError(403, 'Not your conversation')
            : new ApiError(404, 'Conversation not found');
        }
      }
      const wait = visitorLimiter.take(session.session_token);
      if (wait > 0) throw new ApiError(429, 'Too many messages; try again later', undefined, { 'Retry-After': String(wait) });
      const existingConv = convId !== null ? q.getConversation.get(convId) : undefined;
      const result = db.transaction(() => {
        const now = nowIso();
        let created = false;
        let reopened = false;
        if (!existingConv) {
          const r = q.insertConversation.run(
            session.session_token,
            input.visitorName ?? null,
            input.visitorEmail ?? null,
            'active',
            now,
            now,
            now,
          );
          convId = Number(r.lastInsertRowid);
          q.setSessionConversation.run(convId, session.session_token);
          created = true;
        } else {
          q.fillVisitor.run(input.visitorName ?? null, input.visitorEmail ?? null, existingConv.id);
          if (existingConv.status !== 'active') {
            q.setStatus.run('active', now, existingConv.id);
            reopened = true;
          }
        }
        const cid = convId as number;
        const r = q.insertMessage.run(cid, 'visitor', null, input.content, 0, null, clientMessageId ?? null, now);
        q.setLastMessage.run(now, now, cid);
        return { msg: q.getMessage.get(Number(r.lastInsertRowid)) as MessageRow, created, reopened };
      })();
      row = result.msg;
      const conv = q.getConversation.get(row.conversation_id) as ConversationRow;
      if (result.created) {
        events.push([
          ADMIN_CHANNEL,
          'new-conversation',
          { conversationId: row.conversation_id, visitorName: conv.visitor_name, firstMessage: row.content.substring(0, 100), createdAt: conv.created_at },
        ]);
      }
      if (result.reopened && ext) {
        events.push([ADMIN_CHANNEL, 'conversation-updated', { conversationId: conv.id, status: conv.status, updatedAt: conv.updated_at }]);
      }
    }

    const eventData: Record<string, unknown> = {
      id: row.id,
      content: row.content,
      senderType: row.sender_type,
      createdAt: row.created_at,
      isRead: false,
    };
    if (ext) Object.assign(eventData, { conversationId: row.conversation_id, clientMessageId: row.client_message_id, senderId: row.sender_id });
    events.push([`private-conversation-${row.conversation_id}`, 'new-message', eventData]);
    if (row.sender_type === 'visitor') {
      events.push([
        ADMIN_CHANNEL,
        'new-message-alert',
        { conversationId: row.conversation_id, messagePreview: row.content.substring(0, 50), senderType: 'visitor' },
      ]);
    }
    for (const [c, e, d] of events) await trigger(c, e, d);
    return [201, sendResult(row)];
  }

  async function getMessages(req: IncomingMessage, url: URL): Promise<[number, unknown]> {
    const id = await identify(req);
    const query = parseWith(messagesQuerySchema, Object.fromEntries(url.searchParams));
    conversationFor(id, query.conversationId);
    const limit = query.limit ?? 50;
    if (ext && query.after !== undefined) {
      const rows = q.messagesAfter.all(query.conversationId, query.after, limit + 1);
      const hasMore = rows.length > limit;
      const page = rows.slice(0, limit);
      return [200, { messages: page.map(messageOut), hasMore, nextCursor: hasMore ? (page[page.length - 1]?.id ?? null) : null }];
    }
    const rows = q.messagesBefore.all(query.conversationId, query.before ?? Number.MAX_SAFE_INTEGER, limit + 1);
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit);
    return [200, { messages: page.map(messageOut), hasMore, nextCursor: hasMore ? (page[page.length - 1]?.id ?? null) : null }];
  }

  async function listConversations(req: IncomingMessage, url: URL): Promise<[number, unknown]> {
    const id = await identify(req);
    requireAdmin(id);
    const query = parseWith(conversationsQuerySchema, Object.fromEntries(url.searchParams));
    const status = query.status ?? 'all';
    const limit = query.limit ?? 20;
    const page = query.page ?? 1;
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (status !== 'all') {
      where.push('status = ?');
      params.push(status);
    }
    if (ext && query.updatedSince) {
      where.push('updated_at >= ?');
      params.push(new Date(query.updatedSince).toISOString());
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (db.prepare(`SELECT count(*) AS n FROM conversations ${whereSql}`).get(...params) as { n: number }).n;
    const order = ext && query.updatedSince ? 'updated_at DESC, id DESC' : 'coalesce(last_message_at, created_at) DESC, id DESC';
    const rows = db
      .prepare(`SELECT * FROM conversations ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, limit, (page - 1) * limit) as ConversationRow[];
    return [
      200,
      {
        conversations: rows.map(conversationOut),
        pagination: { total, page, limit, totalPages: Math.ceil(total / limit) },
      },
    ];
  }

  async function updateConversation(req: IncomingMessage, rawId: string, body: unknown): Promise<[number, unknown]> {
    const id = await identify(req);
    requireAdmin(id);
    if (!/^\d{1,15}$/.test(rawId) || Number(rawId) <= 0) throw new ApiError(400, 'Invalid conversation id');
    const convId = Number(rawId);
    const input = parseWith(updateConversationSchema, body);
    if (!q.getConversation.get(convId)) throw new ApiError(404, 'Conversation not found');
    q.setStatus.run(input.status, nowIso(), convId);
    const conv = q.getConversation.get(convId) as ConversationRow;
    if (ext) {
      await trigger(ADMIN_CHANNEL, 'conversation-updated', { conversationId: conv.id, status: conv.status as ConversationStatus, updatedAt: conv.updated_at });
      return [200, { id: conv.id, status: conv.status, updatedAt: conv.updated_at }];
    }
    return [200, { id: conv.id, status: conv.status }];
  }

  async function markRead(req: IncomingMessage, body: unknown): Promise<[number, unknown]> {
    const id = await identify(req);
    if (id.kind === 'none') throw new ApiError(401, 'Unauthorized');
    const input = parseWith(markReadSchema, body);
    conversationFor(id, input.conversationId);
    const otherSide = id.kind === 'admin' ? 'visitor' : 'admin';
    const readAt = nowIso();
    const ids = [...new Set(input.messageIds)];
    const updated = db.transaction(() => {
      const placeholders = ids.map(() => '?').join(',');
      const rows = db
        .prepare(
          `SELECT id FROM messages WHERE conversation_id = ? AND sender_type = ? AND is_read = 0 AND id IN (${placeholders}) ORDER BY id`,
        )
        .all(input.conversationId, otherSide, ...ids) as { id: number }[];
      const got = rows.map((r) => r.id);
      if (got.length > 0) {
        db.prepare(`UPDATE messages SET is_read = 1, read_at = ? WHERE id IN (${got.map(() => '?').join(',')})`).run(readAt, ...got);
        q.touchConversation.run(readAt, input.conversationId);
      }
      return got;
    })();
    if (updated.length > 0) {
      await trigger(`private-conversation-${input.conversationId}`, 'message-read', {
        messageIds: updated,
        readAt,
        conversationId: input.conversationId,
        readerType: id.kind,
      });
    }
    return [200, { conversationId: input.conversationId, messageIds: updated, readAt }];
  }

  async function login(req: IncomingMessage, body: unknown): Promise<[number, unknown]> {
    const wait = loginLimiter.take(req.socket.remoteAddress ?? 'unknown');
    if (wait > 0) throw new ApiError(429, 'Too many login attempts; try again later', undefined, { 'Retry-After': String(wait) });
    const input = parseWith(adminLoginSchema, body);
    const admin = q.getAdminByEmail.get(input.email);
    const ok = admin ? await verifyPassword(input.password, admin.password_hash) : false;
    if (!admin || !ok) throw new ApiError(401, 'Invalid email or password');
    const { token, expiresAt } = await signAdminJwt(jwtKey, { adminId: admin.id, email: admin.email, name: admin.name }, jwtTtl);
    return [200, { token, expiresAt, admin: { id: admin.id, name: admin.name, email: admin.email } }];
  }

  function config(): [number, unknown] {
    return [
      200,
      {
        pusher: {
          key: opts.pusher.key,
          cluster: pusherCluster,
          wsHost: opts.pusher.wsHost ?? opts.pusher.host,
          wsPort: opts.pusher.wsPort ?? opts.pusher.port,
          forceTLS: opts.pusher.forceTLS ?? false,
        },
      },
    ];
  }

  /** Pusher channel authorization; answers the raw `{auth, channel_data?}` pusher-js expects. */
  async function pusherAuth(req: IncomingMessage, raw: Buffer): Promise<[number, unknown]> {
    const text = raw.toString('utf8');
    let params: Record<string, unknown>;
    const ctype = String(req.headers['content-type'] ?? '');
    if (ctype.includes('application/json')) {
      try {
        params = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new ApiError(400, 'Malformed JSON');
      }
      if (typeof params !== 'object' || params === null) throw new ApiError(400, 'Malformed JSON');
    } else {
      params = Object.fromEntries(new URLSearchParams(text));
    }
    const socketId = params.socket_id;
    const channel = params.channel_name;
    if (typeof socketId !== 'string' || !SOCKET_ID_RE.test(socketId)) throw new ApiError(400, 'Invalid socket_id');
    if (typeof channel !== 'string' || channel.length === 0 || channel.length > 164) throw new ApiError(400, 'Invalid channel_name');
    const id = await identify(req);

    if (channel === ADMIN_CHANNEL) {
      if (id.kind !== 'admin') throw new ApiError(403, 'Unauthorized');
      return [200, pusher.authorizeChannel(socketId, channel)];
    }
    if (channel === ADMIN_PRESENCE) {
      if (id.kind !== 'admin') throw new ApiError(403, 'Unauthorized');
      return [200, pusher.authorizeChannel(socketId, channel, { user_id: String(id.adminId), user_info: { name: id.name, status: 'online' } })];
    }
    const conv = /^private-conversation-(\d{1,15})$/.exec(channel);
    if (conv) {
      const convId = Number(conv[1]);
      if (id.kind === 'admin') return [200, pusher.authorizeChannel(socketId, channel)];
      if (id.kind === 'visitor' && id.session.conversation_id === convId) return [200, pusher.authorizeChannel(socketId, channel)];
      throw new ApiError(403, 'Unauthorized for this conversation');
    }
    const pres = ext ? /^presence-conversation-(\d{1,15})$/.exec(channel) : null;
    if (pres) {
      const convId = Number(pres[1]);
      if (id.kind === 'admin') {
        return [200, pusher.authorizeChannel(socketId, channel, { user_id: `admin-${id.adminId}`, user_info: { type: 'admin', name: id.name } })];
      }
      if (id.kind === 'visitor' && id.session.conversation_id === convId) {
        const c = q.getConversation.get(convId);
        return [
          200,
          pusher.authorizeChannel(socketId, channel, { user_id: `visitor-${convId}`, user_info: { type: 'visitor', name: c?.visitor_name ?? null } }),
        ];
      }
      throw new ApiError(403, 'Unauthorized for this conversation');
    }
    throw new ApiError(400, 'Unknown channel');
  }

  async function webhook(req: IncomingMessage, raw: Buffer): Promise<[number, unknown]> {
    const wh = pusher.webhook({ headers: req.headers as Record<string, string>, rawBody: raw.toString('utf8') });
    if (!wh.isValid()) throw new ApiError(401, 'Invalid webhook signature');
    let events: { name: string; channel: string; user_id?: string }[];
    try {
      events = wh.getEvents() as typeof events;
    } catch {
      throw new ApiError(400, 'Malformed webhook body');
    }
    for (const e of events) {
      const m = /^presence-conversation-(\d+)$/.exec(e.channel ?? '');
      if (!m) continue;
      const convId = Number(m[1]);
      if (e.name === 'member_added' && e.user_id === `visitor-${convId}`) await setVisitorOnline(convId, true);
      else if (e.name === 'member_removed' && e.user_id === `visitor-${convId}`) await setVisitorOnline(convId, false);
      else if (e.name === 'channel_vacated') await setVisitorOnline(convId, false);
    }
    return [200, { received: events.length }];
  }

  // ------------------------------------------------------------ static files
  const STATIC: Record<string, [string, string]> = {
    '/': ['index.html', 'text/html; charset=utf-8'],
    '/index.html': ['index.html', 'text/html; charset=utf-8'],
    '/widget.js': ['widget.js', 'text/javascript; charset=utf-8'],
    '/widget.css': ['widget.css', 'text/css; charset=utf-8'],
  };
  async function serveStatic(pathname: string, res: ServerResponse): Promise<boolean> {
    let file: string | null = null;
    let type = '';
    const entry = STATIC[pathname];
    if (entry) {
      file = join(publicDir, entry[0]);
      type = entry[1];
    } else if (pathname === '/vendor/pusher.min.js') {
      // A copy in publicDir/vendor wins (for bundled builds); otherwise the installed pusher-js.
      const copy = join(publicDir, 'vendor', 'pusher.min.js');
      file = existsSync(copy) ? copy : localRequire().resolve('pusher-js/dist/web/pusher.min.js');
      type = 'text/javascript; charset=utf-8';
    }
    if (!file) return false;
    try {
      const content = await readFile(file);
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': content.length,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy':
          "default-src 'self'; connect-src 'self' ws: wss: http: https:; style-src 'self'; script-src 'self'; img-src 'self' data:",
      });
      res.end(content);
    } catch {
      sendJson(res, 404, { success: false, error: 'Not found' });
    }
    return true;
  }

  // ------------------------------------------------------------ dispatch
  let available = true;

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(text);
  }

  function readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolveBody, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      req.on('data', (c: Buffer) => {
        if (failed) return;
        size += c.length;
        if (size > MAX_BODY) {
          failed = true;
          reject(new ApiError(413, `Request body too large (max ${MAX_BODY} bytes)`));
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        if (!failed) resolveBody(Buffer.concat(chunks));
      });
      req.on('error', (err) => {
        if (!failed) reject(err);
      });
    });
  }

  function parseJson(raw: Buffer, allowEmpty: boolean): unknown {
    if (raw.length === 0) {
      if (allowEmpty) return undefined;
      throw new ApiError(400, 'Request body required');
    }
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ApiError(400, 'Malformed JSON');
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const notAllowed = (): never => {
      throw new ApiError(405, `Method ${method} not allowed`);
    };
    let result: [number, unknown];
    switch (true) {
      case path === '/api/chat/session':
        if (method !== 'POST') notAllowed();
        result = await createSession(req, parseJson(await readBody(req), true));
        break;
      case path === '/api/chat/send':
        if (method !== 'POST') notAllowed();
        result = await send(req, parseJson(await readBody(req), false));
        break;
      case path === '/api/chat/messages':
        if (method !== 'GET') notAllowed();
        result = await getMessages(req, url);
        break;
      case path === '/api/chat/messages/read' && ext:
        if (method !== 'POST') notAllowed();
        result = await markRead(req, parseJson(await readBody(req), false));
        break;
      case path === '/api/chat/conversations':
        if (method !== 'GET') notAllowed();
        result = await listConversations(req, url);
        break;
      case path.startsWith('/api/chat/conversations/'): {
        if (method !== 'PATCH') notAllowed();
        const rawId = path.slice('/api/chat/conversations/'.length);
        result = await updateConversation(req, rawId, parseJson(await readBody(req), false));
        break;
      }
      case path === '/api/chat/config' && ext:
        if (method !== 'GET') notAllowed();
        result = config();
        break;
      case path === '/api/admin/login':
        if (method !== 'POST') notAllowed();
        result = await login(req, parseJson(await readBody(req), false));
        break;
      case path === '/api/pusher/auth': {
        if (method !== 'POST') notAllowed();
        const [status, body] = await pusherAuth(req, await readBody(req));
        sendJson(res, status, body);
        return;
      }
      case path === '/api/pusher/webhook': {
        if (method !== 'POST') notAllowed();
        result = await webhook(req, await readBody(req));
        break;
      }
      case path === '/api/health':
        result = [200, { ok: true }];
        break;
      default:
        throw new ApiError(404, 'Not found');
    }
    sendJson(res, result[0], { success: true, data: result[1] });
  }

  const CORS = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, PATCH, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Session-Token',
    'Access-Control-Max-Age': '600',
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
      if (req.method === 'OPTIONS') {
        res.writeHead(204);
        res.end();
        return;
      }
      const fault = await opts.faults?.http(req.method ?? 'GET', url.pathname, () => readBody(req));
      if (fault) {
        req.resume();
        sendJson(res, fault.status, fault.body, fault.headers);
        return;
      }
      if (!available) {
        req.resume();
        sendJson(res, 503, { success: false, error: 'Service unavailable' }, { 'Retry-After': '5' });
        return;
      }
      try {
        await route(req, res, url);
      } catch (err) {
        if (err instanceof ApiError) {
          const body: Record<string, unknown> = { success: false, error: err.message };
          if (err.details !== undefined) body.details = err.details;
          if (err.status === 413) res.setHeader('Connection', 'close');
          sendJson(res, err.status, body, err.headers);
        } else {
          log(`API error: ${(err as Error).stack ?? String(err)}`);
          sendJson(res, 500, { success: false, error: 'Internal server error' });
        }
      }
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && (await serveStatic(url.pathname, res))) return;
    sendJson(res, 404, { success: false, error: 'Not found' });
  }

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      log(`request failed: ${String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { success: false, error: 'Internal server error' });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;

  const syncEvery = opts.presenceSyncMs ?? 10_000;
  const syncTimer = ext && syncEvery > 0 ? setInterval(() => void syncPresence(), syncEvery) : null;
  syncTimer?.unref();
  if (ext) void syncPresence();

  let closed: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      if (closed) return closed;
      closed = (async () => {
        if (syncTimer) clearInterval(syncTimer);
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
        chatDb.close();
      })();
      return closed;
    },
    setAvailable(v) {
      available = v;
    },
    listAllMessages: () => q.allMessages.all().map(toMessageJson),
    countConversations: () => q.countConversations.get()?.n ?? 0,
    expireSession(token) {
      q.setSessionExpiry.run(new Date(Date.now() - 1000).toISOString(), token);
    },
    onlineVisitors: () => [...online.keys()],
    syncPresence,
    upsertAdmin,
    chatDb,
  };
}
