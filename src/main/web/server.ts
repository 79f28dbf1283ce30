// Browser mode host: serves the built renderer on 127.0.0.1 and carries the ConsoleApi over a
// WebSocket. Access needs the start token (one exchange, a few minutes) traded for an HttpOnly
// cookie named after this instance's port; every request and upgrade must name this host in Host
// and the socket must come from this origin, so other local pages cannot drive the core.
// Nothing a client sends may throw out of a listener: a bad target, escape, frame or unreadable
// file is answered, logged and forgotten (tests/integration/web-server-fuzz.test.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WireRequest, type WireResponse } from '../../shared/contract';
import { ShownConversations } from '../core/api/shown-conversations';
import type { Core } from '../core/core';
import { decodePath, parseRequestTarget } from './request-target';
import { sameSecret, StartToken } from './start-token';
import { HTML_TYPE, plain, serveStatic } from './static-files';

export interface WebServerOptions {
  core: Pick<Core, 'dispatch' | 'events'>;
  /** Every page has disconnected. */
  onLastPageClosed?: () => void;
  /** A new start link after the previous one was used or expired (print it for the user). */
  onStartUrl?: (url: string) => void;
  rendererDir: string;
  port?: number;
  /** How long a start token can be exchanged (default five minutes). */
  tokenTtlMs?: number;
  log?: (message: string) => void;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  /** The session cookie's name (one per instance, so two side by side never clash). */
  cookieName: string;
  close(): Promise<void>;
}

const BRIDGE_SCRIPT = '<script type="module" src="./assets/web-bridge.js"></script>';
const MAX_FRAME = 1024 * 1024;

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? (() => {});
  const sessions = new Set<string>();
  const indexFile = join(options.rendererDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`The renderer is not built (${indexFile} is missing). Run "npm run build" first.`);
  const indexHtml = readFileSync(indexFile, 'utf8').replace(/(<script type="module")/, `${BRIDGE_SCRIPT}\n    $1`);
  let origin = '';
  let host = '';
  let cookieName = '';
  const startToken = new StartToken({
    ...(options.tokenTtlMs === undefined ? {} : { ttlMs: options.tokenTtlMs }),
    onRenewed: (token) => options.onStartUrl?.(`${origin}/?token=${token}`),
  });

  const hasSession = (req: IncomingMessage) => {
    const value = cookieOf(req, cookieName);
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

  const deny = (res: ServerResponse, why = 'open Switchboard with the URL it printed at start-up (it carries a one-time token).') =>
    plain(res, 401, `401 Unauthorized: ${why}\n`);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still says Host: evil.example.
    if (req.headers.host !== host) return plain(res, 421, 'Misdirected request: this server only answers for its own address.\n');
    const target = parseRequestTarget(req.url);
    if (!target) return plain(res, 400, 'Bad request target.\n');
    const offered = target.query.get('token');
    if (offered !== null) {
      // A browser already signed in (a reload of the start link) just goes on to the inbox.
      if (!hasSession(req)) {
        const exchange = startToken.exchange(offered);
        if (exchange === 'used-or-expired') return deny(res, 'this start link was already used or has expired. Open the new link Switchboard printed in its terminal.');
        if (exchange === 'wrong') return deny(res);
        const session = randomBytes(32).toString('base64url');
        sessions.add(session);
        res.setHeader('Set-Cookie', `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`);
      }
      res.writeHead(303, { Location: '/' });
      return res.end();
    }
    if (!hasSession(req)) return deny(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed.\n');
    if (target.path === '/' || target.path === '/index.html') {
      res.writeHead(200, { 'Content-Type': HTML_TYPE, 'Cache-Control': 'no-store' });
      return res.end(req.method === 'HEAD' ? undefined : indexHtml);
    }
    const path = decodePath(target.path);
    if (path === null) return plain(res, 400, 'Bad request path.\n');
    serveStatic(res, options.rendererDir, path, req.method === 'HEAD', log);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      // Last resort: one request's bug answers 500 and is logged; the host keeps serving.
      log(`web: request ${JSON.stringify(req.url?.slice(0, 200))} failed: ${describe(error)}`);
      plain(res, 500, 'Internal error.\n');
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code !== 'ECONNRESET') log(`web: malformed HTTP from a client (${error.code ?? error.message})`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  /** Each page's TCP socket under its WebSocket, to write a turn's frames together (see send). */
  const rawSockets = new WeakMap<WebSocket, Socket>();
  const corked = new Set<Socket>();
  const refuseUpgrade = (socket: Duplex, status: string, why: string) => {
    log(`web: refused a WebSocket (${why})`);
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  };
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', (error) => log(`web: socket error before the upgrade: ${error.message}`));
    try {
      const target = parseRequestTarget(req.url);
      if (req.headers.host !== host) return refuseUpgrade(socket, '421 Misdirected Request', `host ${JSON.stringify(req.headers.host ?? 'none')}`);
      if (target?.path !== '/ws') return refuseUpgrade(socket, '404 Not Found', `path ${JSON.stringify(req.url?.slice(0, 200))}`);
      if (req.headers.origin !== origin || !hasSession(req)) return refuseUpgrade(socket, '401 Unauthorized', `origin ${req.headers.origin ?? 'none'}`);
      wss.handleUpgrade(req, socket, head, (ws) => {
        rawSockets.set(ws, socket);
        wss.emit('connection', ws, req);
      });
    } catch (error) {
      log(`web: upgrade failed: ${describe(error)}`);
      socket.destroy();
    }
  });
  wss.on('wsClientError', (error, socket) => {
    log(`web: bad WebSocket handshake: ${error.message}`);
    socket.destroy();
  });

  // Message events only for the conversations a page has loaded (one set for every tab: a
  // reconnecting page keeps what it showed).
  const shown = new ShownConversations();
  // The frames of one turn of the event loop (a committed batch brings messages, changes,
  // progress, a notification and its decision) leave in one write, each still its own frame: a
  // write per frame cost a system call and a wake-up of the page each (bench: catch-up). The
  // write waits for setImmediate, not nextTick: what the promises of that turn emit (a fetch
  // that finished with its commit says so in sync.progress) goes in the same write (bench:
  // catch-up, 138-156 writes to the page, now 59-72).
  const send = (ws: WebSocket, message: WireResponse) => {
    if (ws.readyState !== ws.OPEN) return;
    const raw = rawSockets.get(ws);
    if (raw && !corked.has(raw)) {
      corked.add(raw);
      raw.cork();
      setImmediate(() => {
        corked.delete(raw);
        raw.uncork();
      });
    }
    ws.send(JSON.stringify(message));
  };

  const answer = async (ws: WebSocket, data: unknown, isBinary: boolean) => {
    let raw: unknown;
    try {
      raw = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      raw = undefined;
    }
    const parsed = WireRequest.safeParse(raw);
    if (!parsed.success) {
      log('web: refused a malformed frame');
      const id = (raw as { id?: unknown } | null | undefined)?.id;
      if (typeof id === 'number' && Number.isInteger(id)) {
        send(ws, { type: 'result', id, ok: false, error: { code: 'bad-request', message: 'Malformed request frame.' } });
      }
      return;
    }
    const request = parsed.data;
    shown.noteRequest(request.method, request.input);
    try {
      const result = await options.core.dispatch(request.method, request.input);
      send(ws, result.ok ? { type: 'result', id: request.id, ok: true, value: result.value } : { type: 'result', id: request.id, ok: false, error: result.error });
    } catch (error) {
      log(`web: ${request.method} failed: ${describe(error)}`);
      send(ws, { type: 'result', id: request.id, ok: false, error: { code: 'internal', message: 'Switchboard could not answer this request.' } });
    }
  };

  wss.on('connection', (ws) => {
    const unsubscribe = options.core.events.subscribe((name, payload) => {
      if (shown.wants(name, payload)) send(ws, { type: 'event', name, payload });
    });
    // A protocol error (oversized, unmasked or invalid frame) closes this socket only.
    ws.on('error', (error) => log(`web: WebSocket closed on a protocol error: ${error.message}`));
    ws.on('close', () => {
      unsubscribe();
      // The last tab went away: nobody is looking at any conversation now.
      if (wss.clients.size === 0) options.onLastPageClosed?.();
    });
    ws.on('message', (data, isBinary) => {
      answer(ws, data, isBinary).catch((error: unknown) => log(`web: frame failed: ${describe(error)}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  host = `127.0.0.1:${port}`;
  cookieName = `sb_session_${port}`;
  server.on('error', (error) => log(`web: server error: ${error.message}`));

  return {
    url: `${origin}/?token=${startToken.current}`,
    port,
    token: startToken.current,
    cookieName,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
