// A Pusher Channels protocol v7 server: the WebSocket endpoint pusher-js connects to, the HTTP
// API the official `pusher` SDK calls, and webhooks. See /work/shared/protocols/pusher-channels.md.
// Compatible with Pusher's hosted service and soketi from the clients' point of view.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomInt } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { hmacHex, md5Hex, safeEqual, signApiRequest, signChannel, signUser } from './signing';

export interface PusherAppConfig {
  id: string;
  key: string;
  secret: string;
  /** URLs that receive webhooks (channel existence, presence and client events). */
  webhooks?: string[];
  /** Client events on private and presence channels (default true). */
  enableClientEvents?: boolean;
}

export interface PusherServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  apps: PusherAppConfig[];
  /** Seconds of silence before the server pings a client; sent in connection_established (default 120). */
  activityTimeout?: number;
  /** Seconds the server waits for a pong before closing with 4201 (default 30). */
  pongTimeout?: number;
  /** Client events per second per connection (default 10). */
  clientEventRateLimit?: number;
  /** Largest event payload in bytes, HTTP API and client events (default 10 KB). */
  maxEventBytes?: number;
  /** Largest inbound WebSocket frame that is answered with pusher:error instead of dropping (default 100 KB). */
  maxFrameBytes?: number;
  /** Webhook delivery attempts before giving up (default 5; backoff 0.5 s doubling). */
  webhookAttempts?: number;
  /** Test switches (../faults.ts): a refusal sent to each new connection. */
  faults?: { connection(): { code: number; message: string } | null };
  log?: (line: string) => void;
}

export interface PusherServerHandle {
  host: string;
  port: number;
  /** Base URL, e.g. http://127.0.0.1:6001 (WebSocket at ws://host:port/app/{key}). */
  url: string;
  /** Closes every connection with 4200 (reconnect), then stops listening. */
  close(): Promise<void>;
  /** Replaces an app's webhook URLs (used when the receiver starts after this server). */
  setWebhooks(appId: string, urls: string[]): void;
  /** Connections and channels per app, for tests and the demo banner. */
  stats(): { connections: number; channels: Record<string, number> };
  /** Resolves when every webhook queued so far has been delivered or given up. */
  flushWebhooks(): Promise<void>;
}

export const CHANNEL_NAME_RE = /^[A-Za-z0-9_\-=@,.;]+$/;
export const MAX_CHANNEL_NAME = 164;
export const MAX_EVENT_NAME = 200;
export const MAX_CHANNELS_PER_TRIGGER = 100;
export const MAX_BATCH = 10;
export const MAX_PRESENCE_MEMBERS = 100;
export const MAX_PRESENCE_USER_ID = 128;
export const MAX_PRESENCE_USER_INFO = 1024;
const SERVER_TO_USER = '#server-to-user-';
const CACHE_TTL_MS = 30 * 60 * 1000;
const TIMESTAMP_GRACE_S = 600;

interface Member {
  info: unknown;
  sockets: Set<string>;
}

interface ChannelState {
  name: string;
  sockets: Map<string, Connection>;
  members: Map<string, Member>;
}

interface CachedEvent {
  event: string;
  data: string;
  at: number;
}

interface AppState {
  config: PusherAppConfig;
  connections: Map<string, Connection>;
  channels: Map<string, ChannelState>;
  cache: Map<string, CachedEvent>;
  webhooks: string[];
}

interface Connection {
  ws: WebSocket;
  app: AppState;
  socketId: string;
  channels: Set<string>;
  /** presence channel -> user id this socket joined as */
  presenceIds: Map<string, string>;
  userId: string | null;
  userInfo: unknown;
  lastSeen: number;
  pingSentAt: number | null;
  clientEventTimes: number[];
  closed: boolean;
}

type ChannelKind = 'public' | 'private' | 'encrypted' | 'presence' | 'user';

export function channelKind(name: string): ChannelKind {
  if (name.startsWith(SERVER_TO_USER)) return 'user';
  if (name.startsWith('private-encrypted-')) return 'encrypted';
  if (name.startsWith('private-')) return 'private';
  if (name.startsWith('presence-')) return 'presence';
  return 'public';
}

function isCacheChannel(name: string): boolean {
  return /^(cache-|private-cache-|private-encrypted-cache-|presence-cache-)/.test(name);
}

/** A channel name the protocol accepts, or an error message. */
export function validateChannelName(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'Channel name must be a non-empty string';
  if (name.length > MAX_CHANNEL_NAME) return `Channel name too long (max ${MAX_CHANNEL_NAME} characters)`;
  if (name.startsWith(SERVER_TO_USER)) {
    const id = name.slice(SERVER_TO_USER.length);
    return id.length > 0 && CHANNEL_NAME_RE.test(id) ? null : 'Invalid user channel';
  }
  if (!CHANNEL_NAME_RE.test(name)) return 'Channel name contains invalid characters';
  return null;
}

function newSocketId(): string {
  return `${randomInt(1, 2 ** 31 - 1)}.${randomInt(1, 2 ** 31 - 1)}`;
}

const SOCKET_ID_RE = /^\d+\.\d+$/;

function frame(event: string, data?: unknown, channel?: string, userId?: string): string {
  const msg: Record<string, unknown> = { event };
  if (channel !== undefined) msg.channel = channel;
  if (data !== undefined) msg.data = data;
  if (userId !== undefined) msg.user_id = userId;
  return JSON.stringify(msg);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startPusherServer(opts: PusherServerOptions): Promise<PusherServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const activityTimeout = opts.activityTimeout ?? 120;
  const pongTimeout = opts.pongTimeout ?? 30;
  const clientRate = opts.clientEventRateLimit ?? 10;
  const maxEventBytes = opts.maxEventBytes ?? 10 * 1024;
  const maxFrameBytes = opts.maxFrameBytes ?? 100 * 1024;
  const webhookAttempts = opts.webhookAttempts ?? 5;
  const log = opts.log ?? (() => undefined);
  if (opts.apps.length === 0) throw new Error('startPusherServer: at least one app is required');

  const apps = new Map<string, AppState>();
  const appsByKey = new Map<string, AppState>();
  for (const config of opts.apps) {
    const state: AppState = {
      config,
      connections: new Map(),
      channels: new Map(),
      cache: new Map(),
      webhooks: [...(config.webhooks ?? [])],
    };
    apps.set(config.id, state);
    appsByKey.set(config.key, state);
  }

  let closing = false;
  const pendingWebhooks = new Set<Promise<void>>();
  const webhookQueues = new Map<AppState, Record<string, unknown>[]>();

  // ---------------------------------------------------------------- webhooks
  function queueWebhook(app: AppState, event: Record<string, unknown>): void {
    if (app.webhooks.length === 0) return;
    let queue = webhookQueues.get(app);
    if (!queue) {
      queue = [];
      webhookQueues.set(app, queue);
      setImmediate(() => {
        const events = webhookQueues.get(app) ?? [];
        webhookQueues.delete(app);
        if (events.length > 0) sendWebhook(app, events);
      });
    }
    queue.push(event);
  }

  function sendWebhook(app: AppState, events: Record<string, unknown>[]): void {
    const body = JSON.stringify({ time_ms: Date.now(), events });
    const signature = hmacHex(app.config.secret, body);
    for (const url of app.webhooks) {
      const p = (async () => {
        for (let attempt = 0; attempt < webhookAttempts; attempt++) {
          if (attempt > 0) {
            if (closing) return;
            await new Promise((r) => setTimeout(r, 500 * 2 ** (attempt - 1)));
          }
          try {
            const res = await fetch(url, {
              method: 'POST',
              headers: {
                'Content-Type': 'application/json',
                'X-Pusher-Key': app.config.key,
                'X-Pusher-Signature': signature,
              },
              body,
              signal: AbortSignal.timeout(5000),
            });
            await res.arrayBuffer().catch(() => undefined);
            if (res.ok) return;
            log(`webhook ${url} answered ${res.status}`);
          } catch (err) {
            log(`webhook ${url} failed: ${(err as Error).message}`);
          }
        }
      })();
      pendingWebhooks.add(p);
      void p.finally(() => pendingWebhooks.delete(p));
    }
  }

  async function flushWebhooks(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (pendingWebhooks.size > 0) await Promise.allSettled([...pendingWebhooks]);
  }

  // ---------------------------------------------------------------- channels
  function send(conn: Connection, text: string): void {
    if (conn.closed || conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ws.send(text);
  }

  function sendError(conn: Connection, message: string, code: number | null): void {
    send(conn, frame('pusher:error', { message, code }));
  }

  function subscriptionError(conn: Connection, channel: string, type: string, error: string, status: number): void {
    send(conn, frame('pusher:subscription_error', { type, error, status }, channel));
  }

  function presencePayload(ch: ChannelState): string {
    const ids = [...ch.members.keys()];
    const hash: Record<string, unknown> = {};
    for (const [id, m] of ch.members) hash[id] = m.info ?? {};
    return JSON.stringify({ presence: { ids, hash, count: ids.length } });
  }

  function getChannel(app: AppState, name: string): ChannelState {
    let ch = app.channels.get(name);
    if (!ch) {
      ch = { name, sockets: new Map(), members: new Map() };
      app.channels.set(name, ch);
    }
    return ch;
  }

  function subscribe(conn: Connection, data: Record<string, unknown>): void {
    const name = data.channel;
    const invalid = validateChannelName(name);
    if (invalid !== null || typeof name !== 'string') {
      const ch = typeof name === 'string' ? name : '';
      subscriptionError(conn, ch, 'InvalidChannel', invalid ?? 'Invalid channel', 400);
      return;
    }
    const app = conn.app;
    const kind = channelKind(name);
    const already = conn.channels.has(name);
    let member: { id: string; info: unknown } | null = null;

    if (kind === 'user') {
      if (conn.userId === null || name !== SERVER_TO_USER + conn.userId) {
        subscriptionError(conn, name, 'AuthError', 'Only the signed-in user may subscribe to its own #server-to-user channel', 403);
        return;
      }
    } else if (kind === 'private' || kind === 'encrypted' || kind === 'presence') {
      const auth = typeof data.auth === 'string' ? data.auth : '';
      let channelData: string | undefined;
      if (kind === 'presence') {
        if (typeof data.channel_data === 'string') channelData = data.channel_data;
        else if (data.channel_data !== undefined && data.channel_data !== null) channelData = JSON.stringify(data.channel_data);
      }
      const expected = signChannel(app.config.secret, conn.socketId, name, channelData);
      const prefix = `${app.config.key}:`;
      const given = auth.startsWith(prefix) ? auth.slice(prefix.length) : '';
      if (!safeEqual(given, expected)) {
        const signed = channelData === undefined ? `${conn.socketId}:${name}` : `${conn.socketId}:${name}:${channelData}`;
        subscriptionError(
          conn,
          name,
          'AuthError',
          `Invalid signature: Expected HMAC SHA256 hex digest of ${signed}, but got ${auth}`,
          401,
        );
        return;
      }
      if (kind === 'presence') {
        let parsed: unknown = null;
        if (channelData !== undefined) {
          try {
            parsed = JSON.parse(channelData);
          } catch {
            subscriptionError(conn, name, 'AuthError', 'channel_data is not valid JSON', 400);
            return;
          }
        } else if (conn.userId !== null) {
          parsed = { user_id: conn.userId, user_info: conn.userInfo };
        }
        const p = parsed as { user_id?: unknown; user_info?: unknown } | null;
        const rawId = p?.user_id;
        const id = typeof rawId === 'number' ? String(rawId) : typeof rawId === 'string' ? rawId : '';
        if (id.length === 0) {
          subscriptionError(conn, name, 'AuthError', 'Presence channel_data must contain a user_id', 400);
          return;
        }
        if (id.length > MAX_PRESENCE_USER_ID) {
          subscriptionError(conn, name, 'LimitReached', `Presence user_id longer than ${MAX_PRESENCE_USER_ID} characters`, 400);
          return;
        }
        const info = p?.user_info ?? {};
        if (Buffer.byteLength(JSON.stringify(info)) > MAX_PRESENCE_USER_INFO) {
          subscriptionError(conn, name, 'LimitReached', 'Presence user_info larger than 1 KB', 400);
          return;
        }
        const existing = app.channels.get(name);
        const prev = conn.presenceIds.get(name);
        if (existing && !existing.members.has(id) && prev === undefined && existing.members.size >= MAX_PRESENCE_MEMBERS) {
          subscriptionError(conn, name, 'LimitReached', `The maximum of ${MAX_PRESENCE_MEMBERS} members per presence channel was reached`, 403);
          return;
        }
        member = { id, info };
      }
    }

    if (already) {
      // Idempotent: acknowledge again with the current state.
      const ch = app.channels.get(name);
      send(conn, frame('pusher_internal:subscription_succeeded', kind === 'presence' && ch ? presencePayload(ch) : '{}', name));
      return;
    }

    const ch = getChannel(app, name);
    const wasEmpty = ch.sockets.size === 0;
    ch.sockets.set(conn.socketId, conn);
    conn.channels.add(name);
    if (wasEmpty) queueWebhook(app, { name: 'channel_occupied', channel: name });

    if (member) {
      conn.presenceIds.set(name, member.id);
      const m = ch.members.get(member.id);
      if (m) {
        m.sockets.add(conn.socketId);
      } else {
        ch.members.set(member.id, { info: member.info, sockets: new Set([conn.socketId]) });
        const added = frame('pusher_internal:member_added', JSON.stringify({ user_id: member.id, user_info: member.info }), name);
        for (const other of ch.sockets.values()) if (other !== conn) send(other, added);
        queueWebhook(app, { name: 'member_added', channel: name, user_id: member.id });
      }
      send(conn, frame('pusher_internal:subscription_succeeded', presencePayload(ch), name));
    } else {
      send(conn, frame('pusher_internal:subscription_succeeded', '{}', name));
    }

    if (isCacheChannel(name)) {
      const cached = app.cache.get(name);
      if (cached && Date.now() - cached.at < CACHE_TTL_MS) {
        send(conn, frame(cached.event, cached.data, name));
      } else {
        send(conn, frame('pusher:cache_miss', undefined, name));
        queueWebhook(app, { name: 'cache_miss', channel: name });
      }
    }
  }

  function unsubscribe(conn: Connection, name: string): void {
    if (!conn.channels.delete(name)) return;
    const app = conn.app;
    const ch = app.channels.get(name);
    if (!ch) return;
    ch.sockets.delete(conn.socketId);
    const userId = conn.presenceIds.get(name);
    if (userId !== undefined) {
      conn.presenceIds.delete(name);
      const m = ch.members.get(userId);
      if (m) {
        m.sockets.delete(conn.socketId);
        if (m.sockets.size === 0) {
          ch.members.delete(userId);
          const removed = frame('pusher_internal:member_removed', JSON.stringify({ user_id: userId }), name);
          for (const other of ch.sockets.values()) send(other, removed);
          queueWebhook(app, { name: 'member_removed', channel: name, user_id: userId });
        }
      }
    }
    if (ch.sockets.size === 0) {
      app.channels.delete(name);
      queueWebhook(app, { name: 'channel_vacated', channel: name });
    }
  }

  function clientEvent(conn: Connection, event: string, channel: unknown, rawData: unknown): void {
    const app = conn.app;
    if (app.config.enableClientEvents === false) {
      sendError(conn, 'To send client events, you must enable this feature in the Settings page of your dashboard.', null);
      return;
    }
    if (typeof channel !== 'string') {
      sendError(conn, 'Client event rejected - no channel given', null);
      return;
    }
    const kind = channelKind(channel);
    if (kind !== 'private' && kind !== 'presence' && kind !== 'encrypted') {
      sendError(conn, 'Client event rejected - only supported on private and presence channels', null);
      return;
    }
    if (!conn.channels.has(channel)) {
      sendError(conn, `Client event rejected - not subscribed to ${channel}`, null);
      return;
    }
    if (event.length > MAX_EVENT_NAME) {
      sendError(conn, `Client event rejected - event name longer than ${MAX_EVENT_NAME} characters`, null);
      return;
    }
    const data = typeof rawData === 'string' ? rawData : JSON.stringify(rawData ?? {});
    if (Buffer.byteLength(data) > maxEventBytes) {
      sendError(conn, `Client event rejected - data larger than ${Math.round(maxEventBytes / 1024)} KB`, 4301);
      return;
    }
    const now = Date.now();
    conn.clientEventTimes = conn.clientEventTimes.filter((t) => now - t < 1000);
    if (conn.clientEventTimes.length >= clientRate) {
      sendError(conn, `Client event rejected - rate limit exceeded (${clientRate} per second)`, 4301);
      return;
    }
    conn.clientEventTimes.push(now);
    const ch = app.channels.get(channel);
    if (!ch) return;
    const userId = kind === 'presence' ? conn.presenceIds.get(channel) : undefined;
    const text = frame(event, data, channel, userId);
    for (const other of ch.sockets.values()) if (other !== conn) send(other, text);
    const hook: Record<string, unknown> = { name: 'client_event', channel, event, data, socket_id: conn.socketId };
    if (userId !== undefined) hook.user_id = userId;
    queueWebhook(app, hook);
  }

  function signin(conn: Connection, data: Record<string, unknown>): void {
    const auth = typeof data.auth === 'string' ? data.auth : '';
    const userData = typeof data.user_data === 'string' ? data.user_data : '';
    const prefix = `${conn.app.config.key}:`;
    const given = auth.startsWith(prefix) ? auth.slice(prefix.length) : '';
    if (!safeEqual(given, signUser(conn.app.config.secret, conn.socketId, userData))) {
      sendError(conn, 'Invalid signature for pusher:signin', null);
      return;
    }
    let parsed: { id?: unknown; user_info?: unknown } | null;
    try {
      parsed = JSON.parse(userData) as { id?: unknown; user_info?: unknown };
    } catch {
      parsed = null;
    }
    if (!parsed || typeof parsed.id !== 'string' || parsed.id.length === 0) {
      sendError(conn, 'user_data must contain a non-empty string id', null);
      return;
    }
    conn.userId = parsed.id;
    conn.userInfo = parsed.user_info ?? {};
    send(conn, frame('pusher:signin_success', { user_data: userData }));
  }

  function handleMessage(conn: Connection, raw: RawData, isBinary: boolean): void {
    conn.lastSeen = Date.now();
    conn.pingSentAt = null;
    const buf = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    if (isBinary) {
      sendError(conn, 'Binary frames are not supported; send JSON text frames', null);
      return;
    }
    if (buf.length > maxFrameBytes) {
      sendError(conn, `Frame too large (${buf.length} bytes; max ${maxFrameBytes})`, null);
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(buf.toString('utf8'));
    } catch {
      sendError(conn, 'Invalid JSON', null);
      return;
    }
    if (typeof msg !== 'object' || msg === null || typeof (msg as { event?: unknown }).event !== 'string') {
      sendError(conn, 'Invalid message: expected {"event": string, ...}', null);
      return;
    }
    const { event, channel } = msg as { event: string; channel?: unknown };
    let data: unknown = (msg as { data?: unknown }).data;
    if (typeof data === 'string' && (event === 'pusher:subscribe' || event === 'pusher:unsubscribe' || event === 'pusher:signin')) {
      try {
        data = JSON.parse(data);
      } catch {
        sendError(conn, 'Invalid JSON in data', null);
        return;
      }
    }
    const obj = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    switch (event) {
      case 'pusher:ping':
        send(conn, frame('pusher:pong', {}));
        return;
      case 'pusher:pong':
        return;
      case 'pusher:subscribe':
        subscribe(conn, obj);
        return;
      case 'pusher:unsubscribe':
        if (typeof obj.channel === 'string') unsubscribe(conn, obj.channel);
        return;
      case 'pusher:signin':
        signin(conn, obj);
        return;
      default:
        if (event.startsWith('client-')) {
          clientEvent(conn, event, channel, data);
        } else {
          sendError(conn, `Unsupported event ${event.slice(0, 100)}: client events must start with client-`, null);
        }
    }
  }

  function onConnection(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/app\/([^/]+)$/.exec(url.pathname);
    const fail = (code: number, message: string): void => {
      ws.send(frame('pusher:error', { message, code }));
      ws.close(code, message);
    };
    if (closing) return fail(4200, 'Server shutting down; reconnect');
    if (!m) return fail(4005, 'Path not found');
    const app = appsByKey.get(decodeURIComponent(m[1] ?? ''));
    if (!app) return fail(4001, `App key ${m[1] ?? ''} not in this cluster`);
    const protocolParam = url.searchParams.get('protocol');
    if (protocolParam === null) return fail(4008, 'No protocol version supplied');
    const protocol = Number(protocolParam);
    if (!Number.isInteger(protocol) || protocol < 5 || protocol > 7) return fail(4007, `Unsupported protocol version ${protocolParam}`);

    const conn: Connection = {
      ws,
      app,
      socketId: newSocketId(),
      channels: new Set(),
      presenceIds: new Map(),
      userId: null,
      userInfo: null,
      lastSeen: Date.now(),
      pingSentAt: null,
      clientEventTimes: [],
      closed: false,
    };
    while (app.connections.has(conn.socketId)) conn.socketId = newSocketId();
    app.connections.set(conn.socketId, conn);
    ws.on('message', (raw, isBinary) => {
      try {
        handleMessage(conn, raw, isBinary);
      } catch (err) {
        log(`error handling frame: ${(err as Error).stack ?? String(err)}`);
        sendError(conn, 'Internal error', null);
      }
    });
    ws.on('pong', () => {
      conn.lastSeen = Date.now();
      conn.pingSentAt = null;
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      conn.closed = true;
      for (const name of [...conn.channels]) unsubscribe(conn, name);
      app.connections.delete(conn.socketId);
    });
    send(conn, frame('pusher:connection_established', JSON.stringify({ socket_id: conn.socketId, activity_timeout: activityTimeout })));
    const refusal = opts.faults?.connection();
    if (refusal) {
      sendError(conn, refusal.message, refusal.code);
      ws.close(refusal.code, refusal.message);
    }
  }

  // ---------------------------------------------------------------- HTTP API
  function deliver(app: AppState, channel: string, event: string, data: string, exceptSocket?: string): void {
    if (isCacheChannel(channel)) app.cache.set(channel, { event, data, at: Date.now() });
    const ch = app.channels.get(channel);
    if (!ch) return;
    const text = frame(event, data, channel);
    for (const conn of ch.sockets.values()) if (conn.socketId !== exceptSocket) send(conn, text);
  }

  function parseInfo(info: unknown): string[] {
    if (info === undefined || info === null || info === '') return [];
    if (typeof info !== 'string') throw new HttpError(400, 'info must be a comma-separated string');
    const attrs = info.split(',').map((s) => s.trim()).filter(Boolean);
    for (const a of attrs) {
      if (a !== 'user_count' && a !== 'subscription_count' && a !== 'cache') throw new HttpError(400, `Unknown info attribute ${a}`);
    }
    return attrs;
  }

  function channelInfo(app: AppState, name: string, attrs: string[]): Record<string, unknown> {
    const ch = app.channels.get(name);
    const out: Record<string, unknown> = {};
    for (const a of attrs) {
      if (a === 'user_count') {
        if (channelKind(name) !== 'presence') throw new HttpError(400, 'user_count is only available for presence channels');
        out.user_count = ch ? ch.members.size : 0;
      } else if (a === 'subscription_count') {
        out.subscription_count = ch ? ch.sockets.size : 0;
      } else if (a === 'cache') {
        if (!isCacheChannel(name)) throw new HttpError(400, 'cache is only available for cache channels');
        const c = app.cache.get(name);
        if (c && Date.now() - c.at < CACHE_TTL_MS) {
          out.cache = { data: c.data, ttl: Math.max(0, Math.round((CACHE_TTL_MS - (Date.now() - c.at)) / 1000)) };
        }
      }
    }
    return out;
  }

  interface EventInput {
    name: string;
    data: string;
    channels: string[];
    socketId?: string;
    info: string[];
  }

  function parseEvent(raw: unknown, batch: boolean): EventInput {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'Event must be a JSON object');
    const e = raw as Record<string, unknown>;
    if (typeof e.name !== 'string' || e.name.length === 0) throw new HttpError(400, 'Missing event name');
    if (e.name.length > MAX_EVENT_NAME) throw new HttpError(400, `Event name too long (max ${MAX_EVENT_NAME} characters)`);
    if (e.data === undefined || e.data === null) throw new HttpError(400, 'Missing data');
    const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
    if (Buffer.byteLength(data) > maxEventBytes) throw new HttpError(413, `Event data too large (max ${Math.round(maxEventBytes / 1024)} KB)`);
    let channels: unknown[];
    if (batch) channels = [e.channel];
    else if (Array.isArray(e.channels)) channels = e.channels;
    else if (e.channel !== undefined) channels = [e.channel];
    else throw new HttpError(400, 'Missing channels');
    if (channels.length === 0) throw new HttpError(400, 'Missing channels');
    if (channels.length > MAX_CHANNELS_PER_TRIGGER) throw new HttpError(400, `Too many channels (max ${MAX_CHANNELS_PER_TRIGGER})`);
    for (const c of channels) {
      const bad = validateChannelName(c);
      if (bad !== null) throw new HttpError(400, `${bad}: ${String(c).slice(0, 200)}`);
    }
    let socketId: string | undefined;
    if (e.socket_id !== undefined && e.socket_id !== null) {
      if (typeof e.socket_id !== 'string' || !SOCKET_ID_RE.test(e.socket_id)) throw new HttpError(400, 'Invalid socket_id');
      socketId = e.socket_id;
    }
    return { name: e.name, data, channels: channels as string[], socketId, info: parseInfo(e.info) };
  }

  function authenticate(app: AppState, method: string, path: string, query: URLSearchParams, body: Buffer): void {
    const params: Record<string, string> = {};
    for (const [k, v] of query) params[k] = v;
    const { auth_key: key, auth_timestamp: ts, auth_version: version, auth_signature: sig } = params;
    if (!key || !ts || !sig) throw new HttpError(401, 'Missing auth_key, auth_timestamp or auth_signature');
    if (version !== undefined && version !== '1.0') throw new HttpError(401, 'Unsupported auth_version');
    if (key !== app.config.key) throw new HttpError(401, 'Invalid auth_key');
    const now = Math.floor(Date.now() / 1000);
    const tsNum = Number(ts);
    if (!Number.isFinite(tsNum) || Math.abs(now - tsNum) > TIMESTAMP_GRACE_S) {
      throw new HttpError(401, `Timestamp expired: Given timestamp (${ts}) not within ${TIMESTAMP_GRACE_S}s of server time (${now})`);
    }
    if (body.length > 0) {
      const md5 = md5Hex(body);
      if (params.body_md5 !== md5) throw new HttpError(401, 'Invalid body_md5');
    }
    const expected = signApiRequest(app.config.secret, method, path, params);
    if (!safeEqual(sig, expected)) throw new HttpError(401, 'Invalid signature');
  }

  function routeApi(app: AppState, method: string, rest: string, query: URLSearchParams, body: Buffer): unknown {
    const parseBody = (): unknown => {
      try {
        return JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpError(400, 'Body is not valid JSON');
      }
    };
    if (rest === '/events') {
      if (method !== 'POST') throw new HttpError(405, 'Method not allowed');
      const ev = parseEvent(parseBody(), false);
      for (const c of ev.channels) deliver(app, c, ev.name, ev.data, ev.socketId);
      if (ev.info.length === 0) return {};
      const channels: Record<string, unknown> = {};
      for (const c of ev.channels) channels[c] = channelInfo(app, c, ev.info);
      return { channels };
    }
    if (rest === '/batch_events') {
      if (method !== 'POST') throw new HttpError(405, 'Method not allowed');
      const b = parseBody() as { batch?: unknown };
      if (typeof b !== 'object' || b === null || !Array.isArray(b.batch)) throw new HttpError(400, 'Missing batch');
      if (b.batch.length > MAX_BATCH) throw new HttpError(400, `Batch too large (max ${MAX_BATCH} events)`);
      const events = b.batch.map((e) => parseEvent(e, true));
      for (const ev of events) for (const c of ev.channels) deliver(app, c, ev.name, ev.data, ev.socketId);
      if (events.every((ev) => ev.info.length === 0)) return {};
      return { batch: events.map((ev) => (ev.info.length ? channelInfo(app, ev.channels[0] ?? '', ev.info) : {})) };
    }
    if (rest === '/channels') {
      if (method !== 'GET') throw new HttpError(405, 'Method not allowed');
      const prefix = query.get('filter_by_prefix') ?? '';
      const attrs = parseInfo(query.get('info') ?? undefined);
      if (attrs.includes('user_count') && !prefix.startsWith('presence-')) {
        throw new HttpError(400, 'user_count requires filter_by_prefix=presence-');
      }
      if (attrs.includes('cache')) throw new HttpError(400, 'cache is not available when listing channels');
      const channels: Record<string, unknown> = {};
      for (const [name, ch] of app.channels) {
        if (ch.sockets.size === 0 || !name.startsWith(prefix) || name.startsWith('#')) continue;
        channels[name] = channelInfo(app, name, attrs);
      }
      return { channels };
    }
    const users = /^\/channels\/([^/]+)\/users$/.exec(rest);
    if (users) {
      if (method !== 'GET') throw new HttpError(405, 'Method not allowed');
      const name = decodeURIComponent(users[1] ?? '');
      if (channelKind(name) !== 'presence') throw new HttpError(400, 'Users are only available for presence channels');
      const ch = app.channels.get(name);
      return { users: ch ? [...ch.members.keys()].map((id) => ({ id })) : [] };
    }
    const one = /^\/channels\/([^/]+)$/.exec(rest);
    if (one) {
      if (method !== 'GET') throw new HttpError(405, 'Method not allowed');
      const name = decodeURIComponent(one[1] ?? '');
      const bad = validateChannelName(name);
      if (bad !== null) throw new HttpError(400, bad);
      const attrs = parseInfo(query.get('info') ?? undefined);
      const ch = app.channels.get(name);
      return { occupied: !!ch && ch.sockets.size > 0, ...channelInfo(app, name, attrs) };
    }
    const term = /^\/users\/([^/]+)\/terminate_connections$/.exec(rest);
    if (term) {
      if (method !== 'POST') throw new HttpError(405, 'Method not allowed');
      const userId = decodeURIComponent(term[1] ?? '');
      for (const conn of app.connections.values()) {
        // 4200 lets pusher-js reconnect; the app's user-auth endpoint decides whether the user gets back in.
        if (conn.userId === userId) conn.ws.close(4200, 'Connection terminated by the app');
      }
      return {};
    }
    throw new HttpError(404, 'Not found');
  }

  const MAX_HTTP_BODY = 1024 * 1024;

  function json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname === '/' || url.pathname === '/health') {
      json(res, 200, { ok: true, server: 'switchboard-pusher', protocol: 7 });
      return;
    }
    const m = /^\/apps\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (!m) {
      json(res, 404, { error: 'Not found' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_HTTP_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      try {
        if (tooBig) throw new HttpError(413, 'Request body too large');
        const app = apps.get(decodeURIComponent(m[1] ?? ''));
        if (!app) throw new HttpError(404, 'Unknown app');
        const body = Buffer.concat(chunks);
        authenticate(app, method, url.pathname, url.searchParams, body);
        json(res, 200, routeApi(app, method, m[2] ?? '', url.searchParams, body));
      } catch (err) {
        if (err instanceof HttpError) json(res, err.status, { error: err.message });
        else {
          log(`HTTP API error: ${(err as Error).stack ?? String(err)}`);
          json(res, 500, { error: 'Internal error' });
        }
      }
    });
  }

  // ---------------------------------------------------------------- server
  const server: Server = createServer(onRequest);
  server.keepAliveTimeout = 5000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, perMessageDeflate: false });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req));
  });

  const ticker = setInterval(() => {
    const now = Date.now();
    for (const app of apps.values()) {
      for (const conn of app.connections.values()) {
        if (conn.pingSentAt !== null) {
          if (now - conn.pingSentAt > pongTimeout * 1000) {
            sendError(conn, 'Pong reply not received', 4201);
            conn.ws.close(4201, 'Pong reply not received');
          }
        } else if (now - conn.lastSeen > activityTimeout * 1000) {
          conn.pingSentAt = now;
          send(conn, frame('pusher:ping', {}));
        }
      }
    }
  }, 500);
  ticker.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;

  let closed: Promise<void> | null = null;
  async function close(): Promise<void> {
    if (closed) return closed;
    closing = true;
    closed = (async () => {
      clearInterval(ticker);
      // Stop accepting first, so clients reconnecting after 4200 do not land on this instance.
      const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      const sockets = [...wss.clients];
      for (const ws of sockets) {
        try {
          ws.close(4200, 'Server shutting down; reconnect');
        } catch {
          ws.terminate();
        }
      }
      const deadline = Date.now() + 1000;
      while ([...wss.clients].some((ws) => ws.readyState !== ws.CLOSED) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const ws of wss.clients) ws.terminate();
      await Promise.race([flushWebhooks(), new Promise((r) => setTimeout(r, 1000))]);
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
      });
      server.closeAllConnections();
      await listenerClosed;
    })();
    return closed;
  }

  return {
    host,
    port,
    url: `http://${host}:${port}`,
    close,
    setWebhooks(appId, urls) {
      const app = apps.get(appId);
      if (!app) throw new Error(`Unknown app ${appId}`);
      app.webhooks = [...urls];
    },
    stats() {
      let connections = 0;
      const channels: Record<string, number> = {};
      for (const [id, app] of apps) {
        connections += app.connections.size;
        channels[id] = app.channels.size;
      }
      return { connections, channels };
    },
    flushWebhooks,
  };
}
