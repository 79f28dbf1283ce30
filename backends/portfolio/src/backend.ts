// The whole reference backend: Pusher-protocol server + chat API + demo seed + visitor simulator.
import { randomBytes } from 'node:crypto';
import { startPusherServer, type PusherServerHandle } from './pusher/server';
import { startChatApi, type ChatApiHandle } from './api/server';
import { seedDemo } from './seed';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from './simulator';

/** Documented demo admin, created by --seed-demo when ADMIN_EMAIL / ADMIN_PASSWORD are not set. */
export const DEMO_ADMIN = { email: 'admin@example.com', password: 'switchboard-demo', name: 'Demo Admin' } as const;

export interface PortfolioBackendOptions {
  host?: string;
  /** Chat API + visitor page port (default 8080; 0 = random). */
  port?: number;
  /** Pusher-protocol server port (default 6001; 0 = random). */
  pusherPort?: number;
  dataDir?: string;
  dbPath?: string;
  /** The visitor page files; pass it when this module is bundled away from backends/portfolio. */
  publicDir?: string;
  seedDemo?: boolean;
  /** Number of simulated visitors (default 0). */
  simulate?: number;
  simulator?: Partial<Omit<SimulatorOptions, 'apiUrl' | 'visitors'>>;
  admin?: { email: string; password: string; name?: string };
  app?: { id?: string; key?: string; secret?: string };
  extensions?: boolean;
  jwtSecret?: string;
  jwtTtlSeconds?: number;
  sessionTtlSeconds?: number;
  visitorRateLimit?: { max: number; windowMs: number };
  loginRateLimit?: { max: number; windowMs: number };
  activityTimeout?: number;
  presenceSyncMs?: number;
  /** better-sqlite3 addon for the running ABI (the console under Electron); default: Node's. */
  nativeBinding?: string;
  log?: (line: string) => void;
}

export interface PortfolioBackendHandle {
  apiUrl: string;
  visitorUrl: string;
  pusher: { appId: string; key: string; secret: string; host: string; port: number; cluster: string };
  admin: { email: string; password: string } | null;
  api: ChatApiHandle;
  pusherServer: PusherServerHandle;
  simulator: SimulatorHandle | null;
  close(): Promise<void>;
}

export async function startPortfolioBackend(opts: PortfolioBackendOptions = {}): Promise<PortfolioBackendHandle> {
  const host = opts.host ?? '127.0.0.1';
  const app = {
    id: opts.app?.id ?? 'portfolio',
    key: opts.app?.key ?? 'portfolio-key',
    secret: opts.app?.secret ?? randomBytes(16).toString('hex'),
  };
  const admin = opts.admin ?? (opts.seedDemo ? { ...DEMO_ADMIN } : undefined);
  const pusherServer = await startPusherServer({
    host,
    port: opts.pusherPort ?? 6001,
    apps: [{ ...app, enableClientEvents: true }],
    activityTimeout: opts.activityTimeout,
    log: opts.log,
  });
  let api: ChatApiHandle;
  try {
    api = await startChatApi({
      host,
      port: opts.port ?? 8080,
      dataDir: opts.dataDir,
      dbPath: opts.dbPath,
      publicDir: opts.publicDir,
      pusher: { appId: app.id, key: app.key, secret: app.secret, host, port: pusherServer.port },
      admin: admin ? { email: admin.email, password: admin.password, name: admin.name ?? 'Admin' } : undefined,
      extensions: opts.extensions,
      jwtSecret: opts.jwtSecret,
      jwtTtlSeconds: opts.jwtTtlSeconds,
      sessionTtlSeconds: opts.sessionTtlSeconds,
      visitorRateLimit: opts.visitorRateLimit,
      loginRateLimit: opts.loginRateLimit,
      presenceSyncMs: opts.presenceSyncMs,
      nativeBinding: opts.nativeBinding,
      log: opts.log,
    });
  } catch (err) {
    await pusherServer.close();
    throw err;
  }
  pusherServer.setWebhooks(app.id, [`${api.url}/api/pusher/webhook`]);

  if (opts.seedDemo) {
    const adminRow = admin ? api.chatDb.q.getAdminByEmail.get(admin.email) : undefined;
    seedDemo(api.chatDb, adminRow?.id ?? null);
  }

  let simulator: SimulatorHandle | null = null;
  if (opts.simulate && opts.simulate > 0) {
    simulator = await startSimulator({
      ...opts.simulator,
      apiUrl: api.url,
      visitors: opts.simulate,
      pusher: { key: app.key, wsHost: host, wsPort: pusherServer.port, cluster: 'mt1', forceTLS: false },
      log: opts.simulator?.log ?? opts.log,
    });
  }

  let closing: Promise<void> | null = null;
  return {
    apiUrl: api.url,
    visitorUrl: `${api.url}/`,
    pusher: { appId: app.id, key: app.key, secret: app.secret, host, port: pusherServer.port, cluster: 'mt1' },
    admin: admin ? { email: admin.email, password: admin.password } : null,
    api,
    pusherServer,
    simulator,
    close() {
      closing ??= (async () => {
        await simulator?.stop();
        await pusherServer.close();
        await api.close();
      })();
      return closing;
    },
  };
}
