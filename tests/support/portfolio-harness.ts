// The real reference portfolio backend (chat API + Pusher-protocol server, restartable on the
// same port) and a real core on a temp data dir, connected through the contract like the UI does.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  DEMO_ADMIN,
  seedDemo,
  startChatApi,
  startPusherServer,
  type ChatApiHandle,
  type PusherServerHandle,
} from '../../backends/portfolio/src/index';
import { createCore, type Core, type CoreOptions } from '../../src/main/core/core';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import type { ConnectionState } from '../../src/shared/domain';
import { migrationsDir, tempDir, type TempDir } from './temp-db';

export interface TestBackend {
  apiUrl: string;
  readonly api: ChatApiHandle;
  pusherPort: number;
  app: { id: string; key: string; secret: string };
  admin: { email: string; password: string };
  /** Manual Pusher settings for accounts.connect (backends without /api/chat/config). */
  pusherSettings: { key: string; cluster: string; wsHost: string; wsPort: number; forceTLS: boolean };
  stopPusher(): Promise<void>;
  startPusher(): Promise<void>;
  restartPusher(): Promise<void>;
  /** Restarts the chat API on the same port and database, e.g. with a new JWT secret (every token becomes invalid). */
  restartApi(options?: { jwtSecret?: string }): Promise<void>;
  close(): Promise<void>;
  temp: TempDir;
}

export interface TestBackendOptions {
  seed?: boolean;
  extensions?: boolean;
  jwtTtlSeconds?: number;
  visitorRateLimit?: { max: number; windowMs: number };
  /** Reuse a data dir and ports (restart the whole backend). */
  dataDir?: string;
  port?: number;
  pusherPort?: number;
  jwtSecret?: string;
}

export async function startTestBackend(options: TestBackendOptions = {}): Promise<TestBackend> {
  const temp = tempDir('switchboard-backend-');
  const app = { id: 'portfolio', key: 'portfolio-key', secret: randomBytes(16).toString('hex') };
  const host = '127.0.0.1';
  let pusherServer: PusherServerHandle | null = await startPusherServer({ host, port: options.pusherPort ?? 0, apps: [{ ...app, enableClientEvents: true }] });
  const pusherPort = pusherServer.port;
  const admin = { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password };
  const startApi = (port: number, jwtSecret = options.jwtSecret) => startChatApi({
    host,
    port,
    dataDir: options.dataDir ?? temp.dir,
    pusher: { appId: app.id, key: app.key, secret: app.secret, host, port: pusherPort },
    admin: { ...admin, name: DEMO_ADMIN.name },
    extensions: options.extensions ?? true,
    ...(options.jwtTtlSeconds ? { jwtTtlSeconds: options.jwtTtlSeconds } : {}),
    ...(jwtSecret ? { jwtSecret } : {}),
    visitorRateLimit: options.visitorRateLimit ?? { max: 1_000_000, windowMs: 60_000 },
    loginRateLimit: { max: 1_000_000, windowMs: 60_000 },
    presenceSyncMs: 0,
    log: () => {},
  });
  let api = await startApi(options.port ?? 0);
  const webhooks = () => pusherServer?.setWebhooks(app.id, [`${api.url}/api/pusher/webhook`]);
  webhooks();
  if (options.seed) seedDemo(api.chatDb, api.chatDb.q.getAdminByEmail.get(admin.email)?.id ?? null);

  const backend: TestBackend = {
    apiUrl: api.url,
    get api() {
      return api;
    },
    pusherPort,
    app,
    admin,
    pusherSettings: { key: app.key, cluster: 'mt1', wsHost: host, wsPort: pusherPort, forceTLS: false },
    temp,
    async stopPusher() {
      const s = pusherServer;
      pusherServer = null;
      await s?.close();
    },
    async startPusher() {
      if (pusherServer) return;
      pusherServer = await startPusherServer({ host, port: pusherPort, apps: [{ ...app, enableClientEvents: true }] });
      webhooks();
    },
    async restartPusher() {
      await backend.stopPusher();
      await backend.startPusher();
    },
    async restartApi(restart = {}) {
      await api.close();
      api = await startApi(api.port, restart.jwtSecret);
      webhooks();
    },
    async close() {
      await backend.stopPusher();
      await api.close();
      if (!options.dataDir) temp.cleanup();
    },
  };
  return backend;
}

/** A visitor of the site: one session, one conversation. */
export class Visitor {
  token = '';
  conversationId: number | null = null;
  constructor(
    private readonly apiUrl: string,
    readonly name: string,
  ) {}

  async open(): Promise<this> {
    const res = await fetch(`${this.apiUrl}/api/chat/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const json = (await res.json()) as { data: { sessionToken: string } };
    this.token = json.data.sessionToken;
    return this;
  }

  /** Sends one message; retries while the API is down (503) so nothing the test counts is lost. */
  async send(content: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.apiUrl}/api/chat/send`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Session-Token': this.token },
          body: JSON.stringify({ conversationId: this.conversationId, content, visitorName: this.name }),
        });
      } catch (error) {
        if (attempt > 200) throw error;
        await sleep(50);
        continue;
      }
      const json = (await res.json()) as { success: boolean; data?: { messageId: number; conversationId: number }; error?: string };
      if (res.status === 503 || res.status === 429) {
        await sleep(100);
        continue;
      }
      if (!json.success || !json.data) throw new Error(`visitor send failed: ${res.status} ${json.error}`);
      this.conversationId = json.data.conversationId;
      return json.data.messageId;
    }
  }
}

export interface TestCore {
  core: Core;
  dataDir: string;
  states: { state: ConnectionState; detail: string | null; at: number }[];
  progress: { done: number; total: number | null }[];
  logs: string[];
  state(): ConnectionState | undefined;
  close(): Promise<void>;
}

export async function startTestCore(dataDir: string, extra: Partial<CoreOptions> = {}): Promise<TestCore> {
  const logs: string[] = [];
  const core = createCore({
    ...extra,
    dataDir,
    migrationsDir,
    settings: new JsonFileSettingsStore(join(dataDir, 'settings.json')),
    secrets: new PlainFileSecretStore(join(dataDir, 'secrets.json')),
    mode: 'web',
    version: 'test',
    log: (m) => {
      logs.push(m);
      if (process.env.SWITCHBOARD_TEST_LOG) console.log(m);
    },
  });
  const states: TestCore['states'] = [];
  const progress: TestCore['progress'] = [];
  core.events.subscribe((name, payload) => {
    if (name === 'connection.state') {
      const p = payload as { state: ConnectionState; detail: string | null };
      states.push({ state: p.state, detail: p.detail, at: Date.now() });
    } else if (name === 'sync.progress') {
      const p = payload as { done: number; total: number | null };
      progress.push({ done: p.done, total: p.total });
    }
  });
  await core.start();
  let closed = false;
  return {
    core,
    dataDir,
    states,
    progress,
    logs,
    state: () => states.at(-1)?.state,
    close: async () => {
      if (closed) return;
      closed = true;
      await core.close();
    },
  };
}

export async function connectAccount(core: Core, backend: TestBackend, manualPusher = false): Promise<number> {
  const result = await core.dispatch('accounts.connect', {
    kind: 'portfolio',
    siteUrl: backend.apiUrl,
    email: backend.admin.email,
    password: backend.admin.password,
    ...(manualPusher ? { pusher: backend.pusherSettings } : {}),
  });
  if (!result.ok) throw new Error(`accounts.connect failed: ${result.error.code} ${result.error.message}`);
  return (result.value as { id: number }).id;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const start = Date.now();
  for (;;) {
    let v: T | undefined | null | false;
    try {
      v = fn();
    } catch {
      v = undefined;
    }
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export interface SnapshotMessage {
  id: string;
  content: string;
  senderType: string;
}
export type Snapshot = Record<string, { status: string; messages: SnapshotMessage[] }>;

/** The backend's database, per conversation, messages in server order. */
export function backendSnapshot(backend: TestBackend): Snapshot {
  const out: Snapshot = {};
  const convs = backend.api.chatDb.db.prepare('SELECT id, status FROM conversations ORDER BY id').all() as { id: number; status: string }[];
  for (const c of convs) out[String(c.id)] = { status: c.status, messages: [] };
  for (const m of backend.api.listAllMessages()) {
    out[String(m.conversationId)]!.messages.push({ id: String(m.id), content: m.content, senderType: m.senderType });
  }
  return out;
}

/** The mirror, per conversation remote id, messages in display order. */
export function mirrorSnapshot(core: Core, accountId: number): Snapshot {
  const out: Snapshot = {};
  let cursor: string | undefined;
  for (;;) {
    const page = core.mirror.conversations.page('all', 500, cursor, accountId);
    for (const c of page.items) {
      out[c.remoteId] = {
        status: c.status,
        messages: core.mirror.messages.all(c.id).map((m) => ({ id: m.remoteId ?? `pending:${m.clientId}`, content: m.content, senderType: m.senderType })),
      };
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

export function countMessages(s: Snapshot): number {
  return Object.values(s).reduce((n, c) => n + c.messages.length, 0);
}

export function mirrorEqualsBackend(core: Core, accountId: number, backend: TestBackend): boolean {
  return JSON.stringify(sortKeys(mirrorSnapshot(core, accountId))) === JSON.stringify(sortKeys(backendSnapshot(backend)));
}

export function sortKeys(s: Snapshot): Snapshot {
  return Object.fromEntries(Object.entries(s).sort(([a], [b]) => Number(a) - Number(b)));
}
