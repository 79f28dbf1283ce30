// The jwt-ws reference server: one HTTP server for the REST API and the `/ws` upgrade, its own
// SQLite database, the rate limit in front of both.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openChatDb, type ChatDb } from './db';
import { Hub, type HubOptions } from './hub';
import { RateLimiter, realIp, type RateLimitOptions } from './rate-limit';
import { buildRoutes, dispatch, sendError } from './routes';
import { ChatService, ServiceError } from './service';

export interface JwtWsServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory of jwt-ws.sqlite; or dbPath (':memory:' allowed). */
  dataDir?: string;
  dbPath?: string;
  jwtSecret?: string;
  /** Access token lifetime (default 900 s). */
  accessTtlSeconds?: number;
  /** Refresh token lifetime (default 7 days). */
  refreshTtlSeconds?: number;
  /** Default 100 requests per 60 s per client address; false = off. */
  rateLimit?: RateLimitOptions | false;
  /** Origins allowed to open the socket besides an empty one (default: the seed's list). */
  allowedOrigins?: string[];
  hub?: Omit<HubOptions, 'log'>;
  nativeBinding?: string;
  log?: (line: string) => void;
}

export interface JwtWsServerHandle {
  url: string;
  wsUrl: string;
  port: number;
  service: ChatService;
  chatDb: ChatDb;
  hub: Hub;
  rateLimiter: RateLimiter | null;
  /** Closes sockets (1001, or abruptly like a crash with `abrupt`), the HTTP server and the database. */
  close(opts?: { abrupt?: boolean }): Promise<void>;
}

export const DEFAULT_ORIGINS = ['http://localhost:3000', 'http://localhost:8080', 'https://yourapp.com'];

export async function startJwtWsServer(opts: JwtWsServerOptions = {}): Promise<JwtWsServerHandle> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => undefined);
  const dbPath = opts.dbPath ?? (opts.dataDir ? join(opts.dataDir, 'jwt-ws.sqlite') : null);
  if (!dbPath) throw new Error('startJwtWsServer: dataDir or dbPath is required');
  const chatDb = openChatDb(dbPath, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});

  chatDb.q.resetStatuses.run();
  let secret = opts.jwtSecret ?? chatDb.q.getSetting.get('jwt_secret')?.value;
  if (!secret) {
    secret = randomBytes(32).toString('hex');
    chatDb.q.setSetting.run('jwt_secret', secret);
  }
  const serviceOpts = {
    jwtKey: new TextEncoder().encode(secret),
    accessTtlSeconds: opts.accessTtlSeconds ?? 900,
    refreshTtlSeconds: opts.refreshTtlSeconds ?? 7 * 24 * 3600,
  };

  // The hub and the service need each other: the hub pushes the service's frames, the service
  // answers the hub's socket events. The sink reaches the hub only when a frame is sent.
  const service: ChatService = new ChatService(
    chatDb,
    { send: (ids, type, data, except) => hub.send(ids, type, data, except), isOnline: (id) => hub.isOnline(id) },
    serviceOpts,
  );
  const hub: Hub = new Hub(
    {
      async authenticate(token) {
        const a = await service.authenticate(token);
        return 'error' in a ? null : a.user.id;
      },
      onConnect: (userId, first) => service.connected(userId, first),
      onDisconnect: (userId, last) => service.disconnected(userId, last),
      onFrame(userId, type, data, reply) {
        try {
          const d = (data ?? {}) as Record<string, unknown>;
          switch (type) {
            case 'ping':
              reply('pong', null);
              return;
            case 'typing_start':
            case 'typing_stop':
              service.typing(userId, d.room_id, type === 'typing_start');
              return;
            case 'user_status_change':
              service.setStatus(userId, String(d.status));
              return;
            default:
              reply('error', { message: `Unknown message type: ${type.slice(0, 64)}` });
          }
        } catch (err) {
          if (err instanceof ServiceError) reply('error', { message: err.message });
          else {
            log(`frame ${type} failed: ${(err as Error).message}`);
            reply('error', { message: 'Internal server error' });
          }
        }
      },
    },
    { ...opts.hub, log },
  );

  const limiter = opts.rateLimit === false ? null : new RateLimiter(opts.rateLimit ?? { max: 100, windowMs: 60_000 });
  const origins = new Set(opts.allowedOrigins ?? DEFAULT_ORIGINS);
  const routes = buildRoutes(service);

  const server: Server = createServer((req, res) => {
    const decision = limiter?.take(realIp(req));
    if (decision) for (const [k, v] of Object.entries(decision.headers)) res.setHeader(k, v);
    if (decision && !decision.allowed) {
      sendError(res, 429, 'Rate limit exceeded');
      return;
    }
    dispatch(routes, service, req, res, log).catch((err: unknown) => {
      log(`request failed: ${(err as Error).message}`);
      sendError(res, 500, 'Internal server error');
    });
  });

  const refuse = (socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void => {
    const body = JSON.stringify({ success: false, message: text, error: text });
    const head = Object.entries({ 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    socket.end(`HTTP/1.1 ${status} ${text}\r\n${head}\r\n\r\n${body}`);
  };

  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log(`upgrade socket error: ${err.message}`));
    const decision = limiter?.take(realIp(req));
    if (decision && !decision.allowed) return refuse(socket, 429, 'Too Many Requests', decision.headers);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/ws') return refuse(socket, 404, 'Not Found');
    const origin = req.headers.origin;
    if (origin && !origins.has(origin)) return refuse(socket, 403, 'Forbidden');
    hub.handleUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}/ws`,
    port,
    service,
    chatDb,
    hub,
    rateLimiter: limiter,
    close(o = {}) {
      closing ??= (async () => {
        service.markClosed();
        hub.close(o.abrupt ?? false);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        chatDb.close();
      })();
      return closing;
    },
  };
}
