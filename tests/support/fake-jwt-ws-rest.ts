// A fake `fetch` that plays a jwt-ws chat server's REST API in memory (backends.md §4, as
// deployed): `{success, data, meta}` envelopes, rooms with members, newest-first offset pages of
// history, users, replies and read marks, and failures queued by the test. It stands in for the
// reference backend (backends/jwt-ws), which tests/integration/jwt-ws-sync.test.ts and
// jwt-ws-wire.test.ts run for real; this one keeps unit tests of the connector fast.

export interface FakeMember {
  user_id: string;
  username: string;
  display_name?: string | null;
  status?: string;
  is_online?: boolean;
}
export interface FakeRoom {
  id: string;
  name?: string | null;
  type: string;
  created_at?: string;
  members?: FakeMember[];
  last_message?: FakeMessage | null;
}
export interface FakeMessage {
  id: string;
  room_id: string;
  sender_id: string;
  content: string;
  created_at: string;
  is_edited?: boolean;
  edited_at?: string | null;
  is_deleted?: boolean;
}
export interface Call {
  method: string;
  path: string;
  body: unknown;
  auth: string | undefined;
}
interface Failure {
  match: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Throw like a network failure instead of answering. */
  network?: boolean;
}

export class FakeJwtWsRest {
  readonly rooms = new Map<string, FakeRoom>();
  /** Each room's history, oldest first. */
  readonly history = new Map<string, FakeMessage[]>();
  readonly users = new Map<string, { id: string; username: string; display_name?: string | null }>();
  readonly calls: Call[] = [];
  /** Failures for the next matching requests, each used once. */
  readonly failures: Failure[] = [];
  /** Pages carry `meta` (total, total_pages) like the deployed server; false plays one that does not. */
  meta = true;
  selfId = 'u-self';
  now: () => number = () => Date.parse('2026-12-01T12:00:00.000Z');
  /** Called after each history page is answered (e.g. to let a message arrive between pages). */
  afterPage: (roomId: string, page: number) => void = () => undefined;
  /** Awaited before each answer (e.g. to hold a request while the test does something else). */
  beforeAnswer: (call: Call) => Promise<void> | undefined = () => undefined;
  /** The owner's password for /auth/login, and the refresh token /auth/refresh accepts. */
  password = 'pw';
  refreshToken = 'rt-1';
  /** The access token /auth/login and /auth/refresh hand out. */
  accessToken = 'access-1';
  private seq = 0;

  readonly fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const body = init.body ? (JSON.parse(String(init.body)) as unknown) : undefined;
    const path = url.pathname + url.search;
    const call = { method, path, body, auth: (init.headers as Record<string, string> | undefined)?.Authorization };
    this.calls.push(call);
    await this.beforeAnswer(call);
    const i = this.failures.findIndex((f) => f.match.test(`${method} ${path}`));
    if (i >= 0) {
      const f = this.failures.splice(i, 1)[0]!;
      if (f.network) throw new TypeError('fetch failed');
      return new Response(JSON.stringify(f.body ?? { success: false, message: `HTTP ${f.status}` }), { status: f.status, headers: f.headers });
    }
    return this.answer(method, url, body);
  }) as unknown as typeof fetch;

  /** Adds a message to a room's history (newest), as the server would store it. */
  add(roomId: string, m: Partial<FakeMessage> & { sender_id: string }): FakeMessage {
    const list = this.history.get(roomId) ?? [];
    const message: FakeMessage = { id: `m${++this.seq}`, room_id: roomId, content: `text ${this.seq}`, created_at: new Date(this.now()).toISOString(), ...m };
    list.push(message);
    this.history.set(roomId, list);
    return message;
  }

  private answer(method: string, url: URL, body: unknown): Response {
    const p = url.pathname;
    const ok = (data: unknown, status = 200, meta?: unknown) => new Response(JSON.stringify({ success: true, message: 'ok', data, ...(meta ? { meta } : {}) }), { status });
    const missing = () => new Response(JSON.stringify({ success: false, message: 'Not found' }), { status: 404 });
    let m: RegExpExecArray | null;
    const pair = () => ok({ user: { id: this.selfId, username: 'owner' }, access_token: this.accessToken, refresh_token: this.refreshToken });
    const refused = () => new Response(JSON.stringify({ success: false, message: 'Invalid credentials' }), { status: 401 });
    if (method === 'POST' && p === '/api/v1/auth/login') return (body as { password?: string }).password === this.password ? pair() : refused();
    if (method === 'POST' && p === '/api/v1/auth/refresh') return (body as { refresh_token?: string }).refresh_token === this.refreshToken ? pair() : refused();
    if (method === 'GET' && p === '/api/v1/rooms/my-chats') return ok([...this.rooms.values()]);
    if (method === 'GET' && p === '/api/v1/users/me') return ok({ id: this.selfId, username: 'owner' });
    if (method === 'GET' && (m = /^\/api\/v1\/users\/([^/]+)$/.exec(p))) {
      const u = this.users.get(decodeURIComponent(m[1]!));
      return u ? ok(u) : missing();
    }
    if (method === 'GET' && (m = /^\/api\/v1\/rooms\/([^/]+)\/messages$/.exec(p))) {
      const roomId = decodeURIComponent(m[1]!);
      const page = Number(url.searchParams.get('page'));
      const limit = Number(url.searchParams.get('limit'));
      const newest = [...(this.history.get(roomId) ?? [])].reverse();
      const items = newest.slice((page - 1) * limit, page * limit);
      const meta = this.meta ? { page, limit, total: newest.length, total_pages: Math.ceil(newest.length / limit) } : undefined;
      const res = ok(items, 200, meta);
      this.afterPage(roomId, page);
      return res;
    }
    if (method === 'GET' && (m = /^\/api\/v1\/rooms\/([^/]+)$/.exec(p))) {
      const room = this.rooms.get(decodeURIComponent(m[1]!));
      return room ? ok(room) : missing();
    }
    if (method === 'POST' && p === '/api/v1/messages') {
      const b = body as { room_id: string; content: string };
      return ok(this.add(b.room_id, { sender_id: this.selfId, content: b.content }), 201);
    }
    if (method === 'POST' && /^\/api\/v1\/messages\/[^/]+\/read$/.test(p)) return ok(null);
    if (method === 'POST' && (m = /^\/api\/v1\/rooms\/direct\/([^/]+)$/.exec(p))) return ok({ id: `direct-${decodeURIComponent(m[1]!)}`, type: 'direct' }, 201);
    return missing();
  }

  /** The calls made, as "METHOD path", for assertions. */
  get requests(): string[] {
    return this.calls.map((c) => `${c.method} ${c.path}`);
  }
}
