// Test helpers for the jwt-ws server: a server on a free port with a temp database, a REST
// client, and a WebSocket client that records every raw message and the frames inside it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startJwtWsBackend, type JwtWsBackendHandle, type JwtWsBackendOptions } from '../src/index';

export const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple', displayName: 'Site Owner', username: 'owner' };
export const PASSWORD = 'member-password-123';

export type TestBackend = JwtWsBackendHandle & { dir: string; cleanup(): Promise<void> };

export async function startTestBackend(opts: JwtWsBackendOptions = {}): Promise<TestBackend> {
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'jwt-ws-test-'));
  const b = await startJwtWsBackend({ port: 0, dataDir: dir, owner: OWNER, jwtSecret: 'test-secret-0123456789abcdef0123456789', rateLimit: false, ...opts });
  return Object.assign(b, {
    dir,
    async cleanup() {
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export interface Res<T = unknown> {
  status: number;
  headers: Headers;
  body: { success: boolean; message: string; data: T; error?: string; meta?: { page: number; limit: number; total: number; total_pages: number } };
}

export function api(base: string, defaults: { ip?: string } = {}) {
  async function call<T = Record<string, unknown>>(method: string, path: string, o: { json?: unknown; raw?: string; token?: string; ip?: string } = {}): Promise<Res<T>> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (o.json !== undefined) body = JSON.stringify(o.json);
    if (o.raw !== undefined) body = o.raw;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    const ip = o.ip ?? defaults.ip;
    if (ip) headers['X-Real-IP'] = ip;
    const res = await fetch(base + path, { method, headers, body });
    const text = await res.text();
    try {
      return { status: res.status, headers: res.headers, body: JSON.parse(text) as Res<T>['body'] };
    } catch {
      throw new Error(`non-JSON ${res.status} for ${method} ${path}: ${text.slice(0, 200)}`);
    }
  }
  return {
    call,
    async login(email: string, password: string, deviceId = `dev-${email}`): Promise<{ token: string; refresh: string; userId: string; sessionId: string; expiresAt: string }> {
      const r = await call<{ access_token: string; refresh_token: string; user: { id: string }; session_id: string; expires_at: string }>('POST', '/api/v1/auth/login', {
        json: { email, password, device_id: deviceId, device_type: 'desktop' },
      });
      if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status} ${r.body.message}`);
      return { token: r.body.data.access_token, refresh: r.body.data.refresh_token, userId: r.body.data.user.id, sessionId: r.body.data.session_id, expiresAt: r.body.data.expires_at };
    },
    async register(username: string): Promise<{ token: string; userId: string; email: string }> {
      const email = `${username}@example.com`;
      const r = await call('POST', '/api/v1/auth/register', { json: { email, username, password: PASSWORD, display_name: `User ${username}` } });
      if (r.status !== 201) throw new Error(`register ${username}: ${r.status} ${r.body.message}`);
      const l = await this.login(email, PASSWORD);
      return { token: l.token, userId: l.userId, email };
    },
  };
}

export interface Frame {
  type: string;
  data: Record<string, unknown> | null;
  timestamp: string;
  id: string;
}

/** A WebSocket client that keeps every raw message and every frame (split on "\n"). */
export class FrameSocket {
  readonly raw: string[] = [];
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  opened = false;
  readonly ws: WebSocket;

  constructor(url: string, opts: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, opts);
    this.ws.on('open', () => (this.opened = true));
    this.ws.on('message', (d) => {
      const text = d.toString();
      this.raw.push(text);
      for (const line of text.split('\n')) this.frames.push(JSON.parse(line) as Frame);
    });
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    this.ws.on('error', () => undefined);
  }

  static async connect(wsUrl: string, token: string, opts: WebSocket.ClientOptions = {}): Promise<FrameSocket> {
    const s = new FrameSocket(`${wsUrl}?token=${encodeURIComponent(token)}`, opts);
    await waitFor(
      () => {
        if (s.closed) throw new Error(`socket closed ${s.closed.code} before the auth frame`);
        return s.frames.find((f) => f.type === 'auth');
      },
      10_000,
      'auth frame',
    );
    return s;
  }

  of(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  next(type: string, pred: (f: Frame) => boolean = () => true, from = 0): Promise<Frame> {
    return waitFor(() => this.frames.slice(from).find((f) => f.type === type && pred(f)), 10_000, `${type} frame`);
  }

  send(obj: unknown): void {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  close(): void {
    this.ws.close();
  }
}

/** Polls until fn returns (or resolves to) a truthy value; fn throwing fails at once. */
export function waitFor<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = async (): Promise<void> => {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return resolve(v);
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(() => void tick().catch(reject), 10);
    };
    void tick().catch(reject);
  });
}
