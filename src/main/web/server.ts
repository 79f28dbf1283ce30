// Browser mode host: serves the built renderer on 127.0.0.1 and carries the ConsoleApi over a
// WebSocket. Access needs the random per-start token (exchanged once per browser for an
// HttpOnly cookie); the socket also checks Origin, so other local pages cannot drive the core.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { WireRequest, type WireResponse } from '../../shared/contract';
import type { Core } from '../core/core';

export interface WebServerOptions {
  core: Pick<Core, 'dispatch' | 'events'>;
  /** Every page has disconnected. */
  onLastPageClosed?: () => void;
  rendererDir: string;
  port?: number;
  log?: (message: string) => void;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'sb_session';
const BRIDGE_SCRIPT = '<script type="module" src="./assets/web-bridge.js"></script>';
const MAX_FRAME = 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? (() => {});
  const token = randomBytes(24).toString('base64url');
  const sessions = new Set<string>();
  const indexFile = join(options.rendererDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`The renderer is not built (${indexFile} is missing). Run "npm run build" first.`);
  const indexHtml = readFileSync(indexFile, 'utf8').replace(/(<script type="module")/, `${BRIDGE_SCRIPT}\n    $1`);
  let origin = '';

  const hasSession = (req: IncomingMessage) => {
    const value = cookieOf(req);
    return value !== undefined && [...sessions].some((s) => sameSecret(s, value));
  };

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' data:; font-src 'self'; connect-src 'self' ${origin.replace('http', 'ws')}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  };

  const deny = (res: ServerResponse) => {
    res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('401 Unauthorized: open Switchboard with the URL it printed at start-up (it carries a one-time token).\n');
  };

  const server = createServer((req, res) => {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', origin);
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (!sameSecret(offered, token)) return deny(res);
      const session = randomBytes(32).toString('base64url');
      sessions.add(session);
      res.writeHead(303, {
        'Set-Cookie': `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
      });
      return res.end();
    }
    if (!hasSession(req)) return deny(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405);
      return res.end();
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-store' });
      return res.end(indexHtml);
    }
    const file = normalize(join(options.rendererDir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(options.rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('Not found');
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (path !== '/ws' || req.headers.origin !== origin || !hasSession(req)) {
      log(`web: refused a WebSocket (path ${path}, origin ${req.headers.origin ?? 'none'})`);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, message: WireResponse) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  wss.on('connection', (ws) => {
    const unsubscribe = options.core.events.subscribe((name, payload) => send(ws, { type: 'event', name, payload }));
    ws.on('close', () => {
      unsubscribe();
      // The last tab went away: nobody is looking at any conversation now.
      if (wss.clients.size === 0) options.onLastPageClosed?.();
    });
    ws.on('message', async (data, isBinary) => {
      let raw: unknown;
      try {
        raw = isBinary ? undefined : JSON.parse(String(data));
      } catch {
        raw = undefined;
      }
      const parsed = WireRequest.safeParse(raw);
      if (!parsed.success) {
        log('web: refused a malformed frame');
        const id = (raw as { id?: unknown } | undefined)?.id;
        if (typeof id === 'number' && Number.isInteger(id)) {
          send(ws, { type: 'result', id, ok: false, error: { code: 'bad-request', message: 'Malformed request frame.' } });
        }
        return;
      }
      const request = parsed.data;
      const result = await options.core.dispatch(request.method, request.input);
      send(ws, result.ok ? { type: 'result', id: request.id, ok: true, value: result.value } : { type: 'result', id: request.id, ok: false, error: result.error });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
