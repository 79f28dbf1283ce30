// A user of the Django site over its real API and sockets: login (JWT + session cookies), REST
// with Bearer or session + CSRF, and sockets with the cookie and the site's Origin. The simulator
// and the tests play students (and teachers) with it.
import WebSocket from 'ws';

export interface Frame {
  type?: string;
  [key: string]: unknown;
}

export class SiteSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  error: Error | null = null;
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    // Kept for the caller (a refused handshake rejects the opening promise); never thrown.
    ws.on('error', (e) => (this.error = e));
    ws.on('message', (data) => {
      try {
        this.frames.push(JSON.parse(data.toString()) as Frame);
      } catch {
        this.frames.push({ type: '__unparsable__', raw: data.toString() });
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((r) =>
      ws.on('close', (code, reason) => {
        r({ code, reason: reason.toString() });
        for (const w of this.waiters.splice(0)) w();
      }),
    );
  }

  send(message: string): void {
    this.ws.send(JSON.stringify({ message }));
  }

  /** Resolves with the first frame (from `from` on) that matches; rejects if the socket closes first. */
  async next(match: (f: Frame) => boolean, from = 0, timeoutMs = 15_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.frames.slice(from).find(match);
      if (hit) return hit;
      if (this.ws.readyState >= WebSocket.CLOSING) throw new Error('socket closed before the frame arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }
}

export interface LoginResult {
  access: string;
  refresh: string;
  user: { id: number; username: string; email: string; full_name: string; role: string; profile_id: number };
}

export class SiteClient {
  readonly cookies = new Map<string, string>();
  access = '';
  refresh = '';
  user: LoginResult['user'] | null = null;

  constructor(
    readonly baseUrl: string,
    readonly origin = baseUrl,
  ) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const res = await this.request('POST', '/en/api/v1/auth/login/', { username, password }, 'none');
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as LoginResult;
    this.access = body.access;
    this.refresh = body.refresh;
    this.user = body.user;
    return body;
  }

  /** auth: 'bearer' (Authorization header), 'session' (cookie + X-CSRFToken + Origin) or 'none'. */
  async request(method: string, path: string, body?: unknown, auth: 'bearer' | 'session' | 'none' = 'bearer'): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth === 'bearer') headers.Authorization = `Bearer ${this.access}`;
    if (auth === 'session') {
      headers.Cookie = this.cookieHeader();
      headers['X-CSRFToken'] = this.cookies.get('csrftoken') ?? '';
      headers.Origin = this.origin;
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    this.remember(res);
    return res;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Opens a socket with the session cookie and Origin; rejects with the HTTP status on a refused handshake. */
  socket(path: string, opts: { origin?: string | null; cookie?: string | null } = {}): Promise<SiteSocket> {
    const headers: Record<string, string> = {};
    const cookie = opts.cookie === undefined ? this.cookieHeader() : opts.cookie;
    const origin = opts.origin === undefined ? this.origin : opts.origin;
    if (cookie) headers.Cookie = cookie;
    if (origin) headers.Origin = origin;
    const ws = new WebSocket(this.baseUrl.replace(/^http/, 'ws') + path, { headers });
    const socket = new SiteSocket(ws);
    return new Promise((res, rej) => {
      ws.once('open', () => res(socket));
      ws.once('unexpected-response', (_req, response) => {
        rej(Object.assign(new Error(`handshake refused: HTTP ${response.statusCode}`), { status: response.statusCode }));
        ws.terminate();
      });
      ws.once('error', rej);
    });
  }
}
