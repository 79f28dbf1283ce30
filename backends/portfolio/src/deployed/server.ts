// The as-deployed portfolio site (backends.md §1 "As deployed"): the same SQLite + official
// `pusher` SDK approach as the plan flavour, with the deployed site's routes and quirks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import Pusher from 'pusher';
import { getAdminPage, getLoginPage, postLogin, postLogout, upsertSiteAdmin } from './admin-pages';
import { createAiResponder, settingsHandlers, type AiResponder } from './ai-responder';
import { listConversations, listMessages, markRead, patchConversation, sendHandler } from './chat-routes';
import type { Handler, SiteContext } from './context';
import { HttpError, sendHtml, sendJson, sendMethodNotAllowed, sendNotFound } from './http';
import { pusherAuthHandler } from './pusher-auth';
import { mintAdminSession, SESSION_TTL_SECONDS } from './session-cookie';
import { openDeployedStore, type DeployedStore } from './store';
import { messageJson, type DeployedMessageJson } from './wire';

export interface DeployedChatApiOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Directory for portfolio-deployed.sqlite (created if missing). */
  dataDir?: string;
  dbPath?: string;
  /** AUTH_SECRET; when null or missing one is generated and kept in the database. */
  authSecret?: string | null;
  /** Where the `pusher` SDK triggers (the reference Pusher-protocol server). */
  pusher: { appId: string; key: string; secret: string; host: string; port: number; useTLS?: boolean };
  /** What the visitor page is built with (NEXT_PUBLIC_PUSHER_KEY / _CLUSTER, plus a local host/port). */
  publicPusher: { key: string; cluster: string; wsHost?: string; wsPort?: number; forceTLS: boolean };
  admin?: { email: string; password: string; name?: string };
  /** aiEnabled when the settings row is first created (default true, like the site). */
  aiEnabledAtCreation?: boolean;
  /** autoReplyDelay (ms) when the settings row is first created (default 1500). */
  autoReplyDelayMs?: number;
  sessionTtlSeconds?: number;
  /** Secure on the cookie (default: NODE_ENV === 'production', like the site). */
  secureCookies?: boolean;
  publicDir?: string;
  nativeBinding?: string;
  log?: (line: string) => void;
}

export interface DeployedChatApiHandle {
  url: string;
  port: number;
  authSecret: string;
  store: DeployedStore;
  ai: AiResponder;
  close(): Promise<void>;
  /** false => every /api route answers 503 (outage tests). */
  setAvailable(available: boolean): void;
  upsertAdmin(email: string, password: string, name: string): Promise<number>;
  /** A session token exactly as /admin/login would set it (tests; the console's site-secret mode mints the same). */
  mintSession(userId: number, ttlSeconds?: number, nowMs?: number): Promise<string>;
  listAllMessages(): DeployedMessageJson[];
  countConversations(): number;
}

// No import.meta: the module must load as CommonJS too (see ../api/server.ts).
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  return resolve(process.cwd(), 'backends/portfolio/src/deployed');
}
function localRequire(): NodeRequire {
  if (typeof require === 'function') return require;
  return createRequire(join(process.cwd(), 'package.json'));
}

type Methods = Partial<Record<'GET' | 'POST' | 'PATCH', Handler>>;

export async function startDeployedChatApi(opts: DeployedChatApiOptions): Promise<DeployedChatApiHandle> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => undefined);
  const dbPath = opts.dbPath ?? (opts.dataDir ? join(opts.dataDir, 'portfolio-deployed.sqlite') : null);
  if (!dbPath) throw new Error('startDeployedChatApi: dataDir or dbPath is required');
  const store = openDeployedStore(dbPath, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  const publicDir = opts.publicDir ?? resolve(moduleDir(), '../../public');

  let authSecret = opts.authSecret ?? store.meta('auth_secret');
  if (!authSecret) {
    authSecret = randomBytes(32).toString('base64url');
    store.setMeta('auth_secret', authSecret);
  }

  const pusher = new Pusher({
    appId: opts.pusher.appId,
    key: opts.pusher.key,
    secret: opts.pusher.secret,
    host: opts.pusher.host,
    port: String(opts.pusher.port),
    useTLS: opts.pusher.useTLS ?? false,
    timeout: 5000,
  });

  const ctx: SiteContext = {
    store,
    authSecret,
    sessionTtlSeconds: opts.sessionTtlSeconds ?? SESSION_TTL_SECONDS,
    secureCookies: opts.secureCookies ?? process.env.NODE_ENV === 'production',
    log,
    async trigger(channel, event, data) {
      try {
        await pusher.trigger(channel, event, data);
      } catch (err) {
        log(`pusher trigger ${event} on ${channel} failed: ${(err as Error).message}`);
      }
    },
  };
  if (opts.admin) await upsertSiteAdmin(ctx, opts.admin.email, opts.admin.password, opts.admin.name ?? 'Admin');

  const ai = createAiResponder(ctx, { enabledAtCreation: opts.aiEnabledAtCreation ?? true, autoReplyDelayMs: opts.autoReplyDelayMs ?? 1500 });
  const settings = settingsHandlers(ai);

  const routes: [string | RegExp, Methods][] = [
    ['/admin/login', { GET: getLoginPage, POST: postLogin }],
    ['/admin/logout', { POST: postLogout }],
    ['/admin', { GET: getAdminPage }],
    ['/api/chat/conversations', { GET: listConversations }],
    [/^\/api\/chat\/conversations\/[^/]+$/, { PATCH: patchConversation }],
    ['/api/chat/messages', { GET: listMessages }],
    ['/api/chat/messages/mark-read', { POST: markRead }],
    ['/api/chat/send', { POST: sendHandler(ai) }],
    ['/api/chat/settings', { GET: settings.get, PATCH: settings.patch }],
    ['/api/pusher/auth', { POST: pusherAuthHandler(pusher) }],
  ];

  // ------------------------------------------------------------ the visitor page
  const pageConfig = JSON.stringify({
    pusherKey: opts.publicPusher.key,
    pusherCluster: opts.publicPusher.cluster,
    wsHost: opts.publicPusher.wsHost ?? null,
    wsPort: opts.publicPusher.wsPort ?? null,
    forceTLS: opts.publicPusher.forceTLS,
  }).replace(/</g, '\\u003c');
  const STATIC: Record<string, [string, string]> = {
    '/widget.js': [join(publicDir, 'deployed', 'widget.js'), 'text/javascript; charset=utf-8'],
    '/widget.css': [join(publicDir, 'widget.css'), 'text/css; charset=utf-8'],
  };
  async function serveStatic(path: string, res: ServerResponse): Promise<boolean> {
    if (path === '/' || path === '/index.html') {
      // Like NEXT_PUBLIC_* variables, the Pusher key and cluster are baked into the page.
      const html = (await readFile(join(publicDir, 'deployed', 'index.html'), 'utf8')).replace('{{CHAT_CONFIG}}', pageConfig);
      sendHtml(res, 200, html);
      return true;
    }
    let entry = STATIC[path];
    if (path === '/vendor/pusher.min.js') {
      const copy = join(publicDir, 'vendor', 'pusher.min.js');
      entry = [existsSync(copy) ? copy : localRequire().resolve('pusher-js/dist/web/pusher.min.js'), 'text/javascript; charset=utf-8'];
    }
    if (!entry) return false;
    const content = await readFile(entry[0]);
    res.writeHead(200, { 'Content-Type': entry[1], 'Content-Length': content.length, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    res.end(content);
    return true;
  }

  // ------------------------------------------------------------ dispatch
  let available = true;
  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (!available && path.startsWith('/api/')) {
      req.resume();
      sendJson(res, 503, { success: false, error: 'Service unavailable' }, { 'Retry-After': '5' });
      return;
    }
    const route = routes.find(([p]) => (typeof p === 'string' ? p === path : p.test(path)));
    if (!route) {
      if ((req.method === 'GET' || req.method === 'HEAD') && (await serveStatic(path, res))) return;
      req.resume();
      sendNotFound(res);
      return;
    }
    const handler = route[1][req.method as keyof Methods];
    if (!handler) {
      req.resume();
      sendMethodNotAllowed(res, Object.keys(route[1]));
      return;
    }
    try {
      await handler(ctx, req, res, url);
    } catch (err) {
      if (err instanceof HttpError) {
        const body: Record<string, unknown> = { success: false, error: err.message };
        if (err.details !== undefined) body.details = err.details;
        sendJson(res, err.status, body);
      } else {
        log(`request ${req.method} ${path} failed: ${(err as Error).stack ?? String(err)}`);
        sendJson(res, 500, { success: false, error: 'Internal server error' });
      }
    }
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

  let closed: Promise<void> | null = null;
  const secret = authSecret;
  return {
    url: `http://${host}:${port}`,
    port,
    authSecret: secret,
    store,
    ai,
    close() {
      closed ??= (async () => {
        ai.stop();
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
        store.close();
      })();
      return closed;
    },
    setAvailable(v) {
      available = v;
    },
    upsertAdmin: (email, password, name) => upsertSiteAdmin(ctx, email, password, name),
    mintSession: async (userId, ttlSeconds = ctx.sessionTtlSeconds, nowMs = Date.now()) => (await mintAdminSession(secret, userId, ttlSeconds, nowMs)).token,
    listAllMessages: () => store.allMessages().map(messageJson),
    countConversations: () => store.countConversations(),
  };
}
