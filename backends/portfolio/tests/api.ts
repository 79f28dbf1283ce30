// REST helpers for the chat API tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPortfolioBackend, type PortfolioBackendHandle, type PortfolioBackendOptions } from '../src/index';

export const ADMIN = { email: 'owner@example.com', password: 'correct horse battery staple', name: 'Site Owner' };
export const JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';

export interface Res<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { success: boolean; data: T; error?: string; details?: unknown } & Record<string, unknown>;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'portfolio-test-'));
}

export async function startTestBackend(opts: PortfolioBackendOptions = {}): Promise<PortfolioBackendHandle & { dir: string; cleanup(): Promise<void> }> {
  const dir = opts.dataDir ?? tempDir();
  const b = await startPortfolioBackend({
    port: 0,
    pusherPort: 0,
    dataDir: dir,
    admin: ADMIN,
    jwtSecret: JWT_SECRET,
    presenceSyncMs: 0,
    ...opts,
  });
  return Object.assign(b, {
    dir,
    async cleanup() {
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export function client(base: string) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    o: { json?: unknown; raw?: string; token?: string; session?: string; headers?: Record<string, string> } = {},
  ): Promise<Res<T>> {
    const headers: Record<string, string> = { ...o.headers };
    let body: string | undefined;
    if (o.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.raw !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = o.raw;
    }
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    if (o.session) headers['X-Session-Token'] = o.session;
    const res = await fetch(base + path, { method, headers, body });
    const text = await res.text();
    let parsed: Res<T>['body'];
    try {
      parsed = JSON.parse(text) as Res<T>['body'];
    } catch {
      throw new Error(`non-JSON response ${res.status} for ${method} ${path}: ${text.slice(0, 200)}`);
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }
  return {
    call,
    async login(email = ADMIN.email, password = ADMIN.password): Promise<string> {
      const r = await call<{ token: string }>('POST', '/api/admin/login', { json: { email, password } });
      if (r.status !== 200) throw new Error(`login failed ${r.status}`);
      return r.body.data.token;
    },
    async session(): Promise<string> {
      const r = await call<{ sessionToken: string }>('POST', '/api/chat/session');
      return r.body.data.sessionToken;
    },
    async visitorSays(session: string, content: string, extra: Record<string, unknown> = {}): Promise<Res<{ messageId: number; conversationId: number }>> {
      return call('POST', '/api/chat/send', { session, json: { content, ...extra } });
    },
  };
}
