// A loopback stand-in for a jwt-ws server's `/ws` endpoint (backends.md §4), in the test's own
// process: real WebSocket upgrades on 127.0.0.1, and the test decides what each connection gets
// (the `auth` frame, other frames, a close code, an HTTP answer instead of the upgrade, silence).
// The real server is covered by tests/integration/jwt-ws-wire.test.ts and jwt-ws-sync.test.ts;
// this one exists so the socket and the connector can be driven fast enough for mutation testing.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

// Captured before a test fakes the global timers: waiting for a condition must not depend on them.
const realSetTimeout = globalThis.setTimeout;

/** Polls until `fn` returns something truthy (a condition, never a fixed sleep); fails after timeoutMs. */
export async function until<T>(fn: () => T | undefined | null | false, what: string, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => realSetTimeout(r, 2));
  }
}

export interface ClientFrame {
  type: string;
  data: unknown;
}

/** One accepted connection, as the server sees it. */
export interface Dial {
  url: string;
  token: string | null;
  ws: WebSocket;
  /** Client frames received, parsed. */
  received: ClientFrame[];
  /** The close code the client sent, once the connection ended. */
  closedWith: number | null;
  send(type: string, data: unknown): void;
}

export const authFrame = (userId: string) => ({ type: 'auth', data: { status: 'connected', user_id: userId }, timestamp: '2026-12-01T10:00:00.000Z', id: 'a-1' });

export class LoopbackJwtWs {
  readonly dials: Dial[] = [];
  /** Answers given instead of the next upgrades, in order (e.g. a 429 with X-RateLimit-Reset). */
  readonly upgradeAnswers: { status: number; headers?: Record<string, string> }[] = [];
  /** Upgrade requests that were answered with an HTTP status instead. */
  readonly refusedUpgrades: { token: string | null; status: number }[] = [];
  /** What a new connection gets: by default the server's `auth` frame for `userId`. */
  onDial: (d: Dial) => void = (d) => d.ws.send(JSON.stringify(authFrame(this.userId)));
  /** Answer every app-level `ping` with a `pong` frame, like the server does. */
  answerPings = true;
  userId = 'u-self';

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
  ) {}

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<LoopbackJwtWs> {
    const http = createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const server = new LoopbackJwtWs(http, wss, (http.address() as { port: number }).port);
    http.on('upgrade', (req, socket, head) => server.upgrade(req.url ?? '/', socket, head, req));
    return server;
  }

  private upgrade(url: string, socket: Duplex, head: Buffer, req: IncomingMessage): void {
    const token = new URL(url, 'http://x').searchParams.get('token');
    const answer = this.upgradeAnswers.shift();
    if (answer) {
      this.refusedUpgrades.push({ token, status: answer.status });
      const headers = Object.entries(answer.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(`HTTP/1.1 ${answer.status} No\r\n${headers}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const dial: Dial = {
        url,
        token,
        ws,
        received: [],
        closedWith: null,
        send: (type, data) => ws.send(JSON.stringify({ type, data, timestamp: '2026-12-01T10:00:00.000Z', id: `f-${this.dials.length}` })),
      };
      this.dials.push(dial);
      ws.on('message', (raw) => {
        const f = JSON.parse(String(raw)) as ClientFrame;
        dial.received.push(f);
        if (f.type === 'ping' && this.answerPings) dial.send('pong', {});
      });
      ws.on('close', (code) => (dial.closedWith = code));
      this.onDial(dial);
    });
  }

  /** The newest connection. */
  get last(): Dial {
    const d = this.dials.at(-1);
    if (!d) throw new Error('no connection yet');
    return d;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }
}
