// The WebSocket side of the jwt-ws server, shaped like the gorilla/websocket chat hub it copies:
// the upgrade is accepted before the token is checked (a bad token closes the socket at once),
// every outbound frame is `{type, data, timestamp, id}` and frames queued together leave in ONE
// WebSocket message joined with "\n", inbound messages over 512 bytes close the socket (1009),
// inbound newlines become spaces, and protocol pings go out every pingIntervalMs with the
// socket dropped when no pong arrives within pongWaitMs.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { nowIso } from './db';

export interface HubOptions {
  /** Largest inbound WebSocket message (default 512 bytes, gorilla's SetReadLimit). */
  maxMessageBytes?: number;
  /** Protocol-level ping period (default 54 s). */
  pingIntervalMs?: number;
  /** The socket is dropped when no pong arrives this long after connect or the last pong (default 60 s). */
  pongWaitMs?: number;
  /** Frames queued within this window leave together (default 0 = same event-loop turn). */
  batchWindowMs?: number;
  log?: (line: string) => void;
}

export interface HubHandlers {
  /** Resolves the user of a token, or null (then the socket is closed right after the upgrade). */
  authenticate(token: string): Promise<string | null>;
  onConnect(userId: string, first: boolean): void;
  onDisconnect(userId: string, last: boolean): void;
  onFrame(userId: string, type: string, data: unknown, reply: (type: string, data: unknown) => void): void;
}

interface Client {
  ws: WebSocket;
  userId: string;
  queue: string[];
  flushScheduled: boolean;
  pongTimer: NodeJS.Timeout | null;
}

export function encodeFrame(type: string, data: unknown): string {
  return JSON.stringify({ type, data, timestamp: nowIso(), id: randomUUID() });
}

/** The bearer token of a socket request: `?token=` first, then `Authorization: Bearer`. */
export function socketToken(req: IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = url.searchParams.get('token');
  if (q) return q;
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? '';
}

export class Hub {
  private readonly wss: WebSocketServer;
  private readonly clients = new Map<string, Set<Client>>();
  private readonly pingTimer: NodeJS.Timeout;
  private readonly batchWindowMs: number;
  private readonly pongWaitMs: number;
  private readonly log: (line: string) => void;
  /** Sockets that passed the upgrade but are still being authenticated. */
  private readonly pending = new Set<WebSocket>();
  private framesSent = 0;

  constructor(
    private readonly handlers: HubHandlers,
    opts: HubOptions = {},
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes ?? 512, clientTracking: false });
    this.batchWindowMs = opts.batchWindowMs ?? 0;
    this.pongWaitMs = opts.pongWaitMs ?? 60_000;
    this.log = opts.log ?? (() => undefined);
    this.pingTimer = setInterval(() => this.pingAll(), opts.pingIntervalMs ?? 54_000);
    this.pingTimer.unref();
  }

  /** Accepts the upgrade, then checks the token: a bad one gets close 1008 before any frame. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.pending.add(ws);
      const early: RawData[] = [];
      const buffer = (d: RawData): void => void early.push(d);
      ws.on('message', buffer);
      ws.on('error', (err) => this.log(`socket error: ${err.message}`));
      this.handlers
        .authenticate(socketToken(req))
        .then((userId) => {
          this.pending.delete(ws);
          if (ws.readyState !== ws.OPEN) return;
          if (!userId) {
            ws.close(1008, 'invalid or expired token');
            return;
          }
          ws.off('message', buffer);
          const client = this.register(ws, userId);
          for (const d of early) this.receive(client, d);
        })
        .catch((err: unknown) => {
          this.pending.delete(ws);
          this.log(`authenticate failed: ${(err as Error).message}`);
          ws.close(1011, 'internal error');
        });
    });
  }

  private register(ws: WebSocket, userId: string): Client {
    const client: Client = { ws, userId, queue: [], flushScheduled: false, pongTimer: null };
    let set = this.clients.get(userId);
    const first = !set || set.size === 0;
    if (!set) this.clients.set(userId, (set = new Set()));
    set.add(client);
    this.armPongTimer(client);
    ws.on('pong', () => this.armPongTimer(client));
    ws.on('message', (d) => this.receive(client, d));
    ws.on('close', () => this.unregister(client));
    this.enqueue(client, encodeFrame('auth', { status: 'connected', user_id: userId }));
    this.handlers.onConnect(userId, first);
    return client;
  }

  private unregister(client: Client): void {
    if (client.pongTimer) clearTimeout(client.pongTimer);
    const set = this.clients.get(client.userId);
    if (!set?.delete(client)) return;
    const last = set.size === 0;
    if (last) this.clients.delete(client.userId);
    this.handlers.onDisconnect(client.userId, last);
  }

  private armPongTimer(client: Client): void {
    if (client.pongTimer) clearTimeout(client.pongTimer);
    client.pongTimer = setTimeout(() => {
      this.log(`no pong from ${client.userId} within ${this.pongWaitMs} ms; dropping the socket`);
      client.ws.terminate();
    }, this.pongWaitMs);
    client.pongTimer.unref();
  }

  private pingAll(): void {
    for (const set of this.clients.values()) {
      for (const c of set) if (c.ws.readyState === c.ws.OPEN) c.ws.ping();
    }
  }

  private receive(client: Client, raw: RawData): void {
    const text = (Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer)).toString('utf8').replace(/\n/g, ' ').trim();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.enqueue(client, encodeFrame('error', { message: 'Invalid message format' }));
      return;
    }
    if (!parsed || typeof parsed !== 'object' || typeof (parsed as { type?: unknown }).type !== 'string') {
      this.enqueue(client, encodeFrame('error', { message: 'Invalid message format' }));
      return;
    }
    const { type, data } = parsed as { type: string; data?: unknown };
    this.handlers.onFrame(client.userId, type, data, (t, d) => this.enqueue(client, encodeFrame(t, d)));
  }

  private enqueue(client: Client, frame: string): void {
    client.queue.push(frame);
    if (client.flushScheduled) return;
    client.flushScheduled = true;
    const flush = (): void => {
      client.flushScheduled = false;
      const batch = client.queue.splice(0);
      if (batch.length === 0 || client.ws.readyState !== client.ws.OPEN) return;
      this.framesSent += batch.length;
      client.ws.send(batch.join('\n'));
    };
    if (this.batchWindowMs > 0) setTimeout(flush, this.batchWindowMs);
    else setImmediate(flush);
  }

  /** Queues one frame for every socket of every listed user (except `exceptUserId`). */
  send(userIds: Iterable<string>, type: string, data: unknown, exceptUserId?: string): void {
    for (const id of new Set(userIds)) {
      if (id === exceptUserId) continue;
      for (const c of this.clients.get(id) ?? []) this.enqueue(c, encodeFrame(type, data));
    }
  }

  /** Queues raw text (a malformed frame, say) for a user's sockets: fault tests of clients. */
  sendRaw(userId: string, text: string): void {
    for (const c of this.clients.get(userId) ?? []) this.enqueue(c, text);
  }

  isOnline(userId: string): boolean {
    return (this.clients.get(userId)?.size ?? 0) > 0;
  }

  connectionCount(): number {
    let n = 0;
    for (const set of this.clients.values()) n += set.size;
    return n;
  }

  stats(): { connections: number; framesSent: number } {
    return { connections: this.connectionCount(), framesSent: this.framesSent };
  }

  /** Closes every socket (1001 going away, or abruptly) and stops the ping timer. */
  close(abrupt = false): void {
    clearInterval(this.pingTimer);
    for (const ws of this.pending) ws.terminate();
    for (const set of [...this.clients.values()]) {
      for (const c of [...set]) {
        if (abrupt) {
          c.ws.terminate();
          continue;
        }
        c.ws.close(1001, 'server shutting down');
        // A client that never answers the close handshake must not hold the port.
        setTimeout(() => c.ws.terminate(), 1000).unref();
      }
    }
  }
}
