// Other users writing in rooms (--simulate N): N accounts that talk to the server over the same
// REST + WebSocket path as any client, each from its own X-Real-IP so they do not eat the
// owner's rate limit. Each has a direct room with the owner and all share a group with the owner;
// they type before they write, sometimes edit or delete what they wrote, change their status,
// and answer the owner. They refresh their short-lived tokens and reconnect after a restart.
import WebSocket from 'ws';

export interface SimulatorOptions {
  url: string;
  ownerId: string;
  users: number;
  /** Pause between a user's own messages (default 2-8 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Messages each user sends on its own initiative (default unlimited). */
  messages?: number;
  /** Chance that a user edits (0.1) or deletes (0.05) the message it just sent. */
  editRate?: number;
  deleteRate?: number;
  /** Answer the owner (default true). */
  replyToOwner?: boolean;
  groupName?: string;
  log?: (line: string) => void;
}

export interface SimulatorStats {
  users: number;
  sent: number;
  edited: number;
  deleted: number;
  replies: number;
  received: number;
  typingSent: number;
  statusChanges: number;
  refreshes: number;
  reconnects: number;
  rateLimited: number;
  errors: number;
}

export interface SimulatorHandle {
  stats(): SimulatorStats;
  /** The simulated users' ids, emails and rooms. */
  users(): { id: string; email: string; directRoomId: string | null }[];
  groupRoomId(): string | null;
  stop(): Promise<void>;
}

export const SIM_PASSWORD = 'simulated-user-password';
const LINES = [
  'Hi! Do you have a minute?',
  'The invoice for last month looks wrong.',
  'Bisa dibantu cek pesanan saya?',
  'Thanks, that fixed it.',
  'When is the next release?',
  'I sent you the logs by email.',
  'Sounds good 👍',
  'Can we talk tomorrow morning?',
];
const REPLIES = ['Thanks!', 'Got it.', 'Perfect, thank you 🙏', 'Ok, I will try that.', 'Makasih ya!'];
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

class SimUser {
  id = '';
  directRoomId: string | null = null;
  private access = '';
  private refreshToken = '';
  private ws: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sentOwn = 0;

  constructor(
    readonly n: number,
    readonly email: string,
    private readonly sim: Simulator,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { 'X-Real-IP': `10.77.0.${this.n}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (auth) headers.Authorization = `Bearer ${this.access}`;
      const res = await fetch(this.sim.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = (await res.json().catch(() => ({}))) as { data?: T; message?: string };
      if (res.ok) return json.data as T;
      if (res.status === 429 && attempt < 5) {
        this.sim.counts.rateLimited++;
        const reset = Number(res.headers.get('X-RateLimit-Reset')) * 1000;
        await pause(Math.min(60_000, Math.max(250, reset - Date.now())));
        continue;
      }
      if (res.status === 401 && auth && attempt < 2) {
        await this.renew();
        continue;
      }
      throw new HttpError(res.status, `${method} ${path}: ${res.status} ${json.message ?? ''}`);
    }
  }

  async signIn(): Promise<void> {
    const login = () =>
      this.call<{ user: { id: string }; access_token: string; refresh_token: string }>(
        'POST',
        '/api/v1/auth/login',
        { email: this.email, password: SIM_PASSWORD, device_id: `simulator-${this.n}`, device_type: 'web' },
        false,
      );
    let t;
    try {
      t = await login();
    } catch (err) {
      if (!(err instanceof HttpError) || err.status !== 401) throw err;
      await this.call('POST', '/api/v1/auth/register', { email: this.email, username: `sim${this.n}`, password: SIM_PASSWORD, display_name: `Simulated ${this.n}` }, false);
      t = await login();
    }
    this.id = t.user.id;
    this.access = t.access_token;
    this.refreshToken = t.refresh_token;
  }

  private async renew(): Promise<void> {
    try {
      const t = await this.call<{ access_token: string; refresh_token: string }>('POST', '/api/v1/auth/refresh', { refresh_token: this.refreshToken }, false);
      this.access = t.access_token;
      this.refreshToken = t.refresh_token;
      this.sim.counts.refreshes++;
    } catch {
      await this.signIn();
    }
  }

  async openDirectRoom(): Promise<void> {
    const room = await this.call<{ id: string }>('POST', `/api/v1/rooms/direct/${this.sim.ownerId}`);
    this.directRoomId = room.id;
  }

  /** The shared group (found again by name after a restart of the simulator). */
  async ensureGroup(name: string, memberIds: string[]): Promise<string> {
    const rooms = await this.call<{ id: string; name: string; type: string }[]>('GET', '/api/v1/rooms/my-chats');
    const existing = rooms.find((r) => r.type === 'group' && r.name === name);
    if (existing) return existing.id;
    return (await this.call<{ id: string }>('POST', '/api/v1/rooms', { name, type: 'group', member_ids: memberIds })).id;
  }

  connect(): void {
    if (this.sim.stopped) return;
    const ws = new WebSocket(`${this.sim.url.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(this.access)}`, { headers: { 'X-Real-IP': `10.77.0.${this.n}` } });
    this.ws = ws;
    ws.on('message', (raw) => {
      for (const line of raw.toString().split('\n')) this.onFrame(line);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.sim.stopped) return;
      this.sim.counts.reconnects++;
      setTimeout(() => void this.renew().then(() => this.connect(), () => this.connect()), 500 + Math.random() * 1000);
    });
  }

  private onFrame(line: string): void {
    let f: { type?: string; data?: { user_id?: string; room_id?: string } };
    try {
      f = JSON.parse(line) as typeof f;
    } catch {
      this.sim.counts.errors++;
      return;
    }
    if (f.type !== 'message' || !f.data) return;
    this.sim.counts.received++;
    const roomId = f.data.room_id;
    if (f.data.user_id !== this.sim.ownerId || !roomId || !this.sim.replyToOwner) return;
    // In the group only the first simulated user answers, so one owner message gets one answer.
    if (roomId !== this.directRoomId && !(roomId === this.sim.groupId && this.n === 1)) return;
    this.sim.track(this.write(roomId, pick(REPLIES)).then(() => void this.sim.counts.replies++));
  }

  private frame(type: string, data: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type, data }));
  }

  private async write(roomId: string, content: string): Promise<{ id: string }> {
    this.frame('typing_start', { room_id: roomId });
    this.sim.counts.typingSent++;
    await pause(Math.min(2000, 30 * content.length));
    this.frame('typing_stop', { room_id: roomId });
    const m = await this.call<{ id: string }>('POST', '/api/v1/messages', { room_id: roomId, content, type: 'text' });
    this.sim.counts.sent++;
    return m;
  }

  schedule(): void {
    if (this.sim.stopped || (this.sim.messages !== undefined && this.sentOwn >= this.sim.messages)) return;
    const delay = this.sim.minDelayMs + Math.random() * (this.sim.maxDelayMs - this.sim.minDelayMs);
    this.timer = setTimeout(() => this.sim.track(this.act().finally(() => this.schedule())), delay);
  }

  private async act(): Promise<void> {
    const roomId = Math.random() < 0.6 || !this.sim.groupId ? this.directRoomId : this.sim.groupId;
    if (!roomId) return;
    this.sentOwn++;
    const m = await this.write(roomId, pick(LINES));
    const roll = Math.random();
    if (roll < this.sim.deleteRate) {
      await this.call('DELETE', `/api/v1/messages/${m.id}`);
      this.sim.counts.deleted++;
    } else if (roll < this.sim.deleteRate + this.sim.editRate) {
      await this.call('PUT', `/api/v1/messages/${m.id}`, { content: `${pick(LINES)} (edited)` });
      this.sim.counts.edited++;
    }
    if (Math.random() < 0.1) {
      this.frame('user_status_change', { status: pick(['online', 'away', 'busy'] as const) });
      this.sim.counts.statusChanges++;
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000);
  }
}

class Simulator {
  readonly counts: Omit<SimulatorStats, 'users'> = {
    sent: 0, edited: 0, deleted: 0, replies: 0, received: 0, typingSent: 0, statusChanges: 0, refreshes: 0, reconnects: 0, rateLimited: 0, errors: 0,
  };
  stopped = false;
  groupId: string | null = null;
  readonly url: string;
  readonly ownerId: string;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly messages: number | undefined;
  readonly editRate: number;
  readonly deleteRate: number;
  readonly replyToOwner: boolean;
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(private readonly opts: SimulatorOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.ownerId = opts.ownerId;
    this.minDelayMs = opts.minDelayMs ?? 2000;
    this.maxDelayMs = Math.max(this.minDelayMs, opts.maxDelayMs ?? 8000);
    this.messages = opts.messages;
    this.editRate = opts.editRate ?? 0.1;
    this.deleteRate = opts.deleteRate ?? 0.05;
    this.replyToOwner = opts.replyToOwner ?? true;
  }

  track(p: Promise<unknown>): void {
    const t = p.catch((err: unknown) => {
      if (this.stopped) return;
      this.counts.errors++;
      this.opts.log?.(`simulator: ${(err as Error).message}`);
    });
    this.inflight.add(t);
    void t.finally(() => this.inflight.delete(t));
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  groupName(): string {
    return this.opts.groupName ?? 'Simulated group';
  }
}

export async function startSimulator(opts: SimulatorOptions): Promise<SimulatorHandle> {
  const sim = new Simulator(opts);
  const users = Array.from({ length: opts.users }, (_, i) => new SimUser(i + 1, `sim${i + 1}@example.com`, sim));
  for (const u of users) await u.signIn();
  for (const u of users) await u.openDirectRoom();
  const first = users[0];
  if (first) sim.groupId = await first.ensureGroup(sim.groupName(), [opts.ownerId, ...users.map((u) => u.id)]);
  for (const u of users) u.connect();
  for (const u of users) u.schedule();
  return {
    stats: () => ({ users: users.length, ...sim.counts }),
    users: () => users.map((u) => ({ id: u.id, email: u.email, directRoomId: u.directRoomId })),
    groupRoomId: () => sim.groupId,
    async stop() {
      sim.stopped = true;
      for (const u of users) u.stop();
      await sim.drain();
    },
  };
}
