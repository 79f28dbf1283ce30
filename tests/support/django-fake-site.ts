// A Django Channels site played in-process for unit tests of the django-chat and
// django-notifications connectors: REST through a fake fetch (routed by method and path), sockets
// through a loopback `ws` server on the same origin (a handshake can be refused with an HTTP
// status), and a sink that records what a connector reports. It stands in for backends/django
// (daphne); tests/integration/django-chat-*.test.ts and django-notifications.test.ts cover the
// real site.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Credentials, CredentialsPort } from '../../src/main/core/connectors/credentials';

export interface FetchCall {
  method: string;
  /** Path and query, e.g. `/en/api/v1/chat/teacher/conversations/?page=1&page_size=20`. */
  path: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

export interface SiteSocket {
  path: string;
  headers: http.IncomingHttpHeaders;
  ws: WebSocket;
}

export class FakeDjangoSite {
  readonly calls: FetchCall[] = [];
  readonly sockets: SiteSocket[] = [];
  /** Every socket handshake the site saw, refused or accepted. */
  handshakes = 0;
  /** Answers every REST call; unknown paths are 404. */
  rest: (call: FetchCall) => Response | Promise<Response> = () => json(404, { detail: 'Not found.' });
  /** A status to refuse socket handshakes with (403: no session or a refused Origin); null accepts. */
  refuse: number | null = null;
  /** Called for every accepted socket. */
  onSocket: (s: SiteSocket) => void = () => {};
  readonly url: string;

  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
  ) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<FakeDjangoSite> {
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const site = new FakeDjangoSite(server, wss);
    server.on('upgrade', (req, socket, head) => {
      site.handshakes++;
      if (site.refuse !== null) {
        socket.end(`HTTP/1.1 ${site.refuse} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const s = { path: req.url ?? '', headers: req.headers, ws };
        site.sockets.push(s);
        site.onSocket(s);
      });
    });
    return site;
  }

  /** Sockets still open on the site's side. */
  open(): SiteSocket[] {
    return this.sockets.filter((s) => s.ws.readyState === s.ws.OPEN);
  }

  fetch: typeof fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const call: FetchCall = {
      method: init.method ?? 'GET',
      path: url.pathname + url.search,
      url,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    this.calls.push(call);
    return this.rest(call);
  }) as unknown as typeof fetch;

  async close(): Promise<void> {
    for (const s of this.sockets) s.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export { recordingSink } from './recording-sink';

/** Saved credentials as the Django sign-in leaves them; `refresh` renews or refuses as the test says. */
export function djangoCredentials(
  over: Partial<Credentials> = {},
  renew: () => Promise<Credentials> = () => Promise.reject(new Error('no renewal in this test')),
): CredentialsPort & { set: (c: Credentials | undefined) => void } {
  let current: Credentials | undefined = { access: 'access-1', refresh: 'refresh-1', sessionid: 'sess-1', csrftoken: null, userId: 3, expiresAt: null, issuedAt: null, ...over };
  return {
    current: () => current,
    refresh: async () => {
      current = await renew();
      return current;
    },
    set: (c) => {
      current = c;
    },
  };
}

/** Waits for a condition (sockets and fetches settle on the event loop), failing after 15 s (a loaded machine). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > 15_000) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
