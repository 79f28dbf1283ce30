// The whole as-deployed reference site: Pusher-protocol server + the deployed chat API + demo
// seed + visitor simulator, configured like the real site (AUTH_SECRET, PUSHER_*).
import { randomBytes } from 'node:crypto';
import { startPusherServer, type PusherServerHandle } from '../pusher/server';
import { startDeployedChatApi, type DeployedChatApiHandle } from './server';
import { seedDeployedDemo } from './seed';
import { startDeployedSimulator, type DeployedSimulatorHandle, type DeployedSimulatorOptions } from './simulator';

/** The demo admin of --as-deployed --seed-demo (same as the plan flavour's). */
export const DEPLOYED_DEMO_ADMIN = { email: 'admin@example.com', password: 'switchboard-demo', name: 'Demo Admin' } as const;

export interface DeployedBackendOptions {
  host?: string;
  port?: number;
  pusherPort?: number;
  dataDir?: string;
  dbPath?: string;
  publicDir?: string;
  authSecret?: string | null;
  app?: { id?: string; key?: string; secret?: string; cluster?: string };
  admin?: { email: string; password: string; name?: string };
  seedDemo?: boolean;
  simulate?: number;
  simulator?: Partial<Omit<DeployedSimulatorOptions, 'apiUrl' | 'visitors' | 'pusher'>>;
  /** false = --no-ai: the settings row is created with the AI off. */
  ai?: boolean;
  autoReplyDelayMs?: number;
  sessionTtlSeconds?: number;
  activityTimeout?: number;
  nativeBinding?: string;
  log?: (line: string) => void;
}

export interface DeployedBackendHandle {
  apiUrl: string;
  visitorUrl: string;
  loginUrl: string;
  authSecret: string;
  pusher: { appId: string; key: string; secret: string; host: string; port: number; cluster: string };
  admin: { id: number; email: string; password: string } | null;
  api: DeployedChatApiHandle;
  pusherServer: PusherServerHandle;
  simulator: DeployedSimulatorHandle | null;
  close(): Promise<void>;
}

export async function startDeployedBackend(opts: DeployedBackendOptions = {}): Promise<DeployedBackendHandle> {
  const host = opts.host ?? '127.0.0.1';
  const app = {
    id: opts.app?.id ?? 'portfolio',
    key: opts.app?.key ?? 'portfolio-key',
    secret: opts.app?.secret ?? randomBytes(16).toString('hex'),
    cluster: opts.app?.cluster ?? 'mt1',
  };
  const admin = opts.admin ?? (opts.seedDemo ? { ...DEPLOYED_DEMO_ADMIN } : undefined);
  const pusherServer = await startPusherServer({
    host,
    port: opts.pusherPort ?? 6001,
    apps: [{ id: app.id, key: app.key, secret: app.secret, enableClientEvents: true }],
    activityTimeout: opts.activityTimeout,
    log: opts.log,
  });
  let api: DeployedChatApiHandle;
  try {
    api = await startDeployedChatApi({
      host,
      port: opts.port ?? 8080,
      dataDir: opts.dataDir,
      dbPath: opts.dbPath,
      publicDir: opts.publicDir,
      authSecret: opts.authSecret,
      pusher: { appId: app.id, key: app.key, secret: app.secret, host, port: pusherServer.port },
      publicPusher: { key: app.key, cluster: app.cluster, wsHost: host, wsPort: pusherServer.port, forceTLS: false },
      admin,
      aiEnabledAtCreation: opts.ai !== false,
      autoReplyDelayMs: opts.autoReplyDelayMs,
      sessionTtlSeconds: opts.sessionTtlSeconds,
      nativeBinding: opts.nativeBinding,
      log: opts.log,
    });
  } catch (err) {
    await pusherServer.close();
    throw err;
  }
  const adminId = admin ? (api.store.userByEmail(admin.email)?.id ?? null) : null;
  if (opts.seedDemo) seedDeployedDemo(api.store, adminId);

  const simulator =
    opts.simulate && opts.simulate > 0
      ? startDeployedSimulator({
          ...opts.simulator,
          apiUrl: api.url,
          visitors: opts.simulate,
          pusher: { key: app.key, cluster: app.cluster, wsHost: host, wsPort: pusherServer.port, forceTLS: false },
          log: opts.simulator?.log ?? opts.log,
        })
      : null;

  let closing: Promise<void> | null = null;
  return {
    apiUrl: api.url,
    visitorUrl: `${api.url}/`,
    loginUrl: `${api.url}/admin/login`,
    authSecret: api.authSecret,
    pusher: { appId: app.id, key: app.key, secret: app.secret, host, port: pusherServer.port, cluster: app.cluster },
    admin: admin && adminId !== null ? { id: adminId, email: admin.email, password: admin.password } : null,
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
