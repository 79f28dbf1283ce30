// "Try the demo": runs the reference portfolio backend (backends/portfolio) inside the app, on
// loopback only, with demo conversations and simulated visitors, and connects an account to it.
// Its data lives in the profile, so the demo's history survives a restart like a real site's.
// The backend itself is started by a launcher the composition root passes in (src/main/demo-backend.ts):
// the core never imports a backend.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleError } from '../../../shared/contract';
import type { AccountService } from '../accounts/account-service';
import type { Mirror } from '../mirror/mirror';

/** A running demo site. */
export interface DemoBackend {
  apiUrl: string;
  visitorUrl: string;
  admin: { email: string; password: string };
  pusher: { key: string; cluster: string; host: string; port: number };
  close(): Promise<void>;
}

export type DemoBackendLauncher = (options: {
  dataDir: string;
  seedDemo: boolean;
  simulate: number;
  publicDir?: string;
  nativeBinding?: string;
  log: (line: string) => void;
}) => Promise<DemoBackend>;

export interface DemoDeps {
  /** Starts the demo site; without one the build has no demo. */
  launch?: DemoBackendLauncher;
  dataDir: string;
  mirror: Mirror;
  accounts: AccountService;
  log: (message: string) => void;
  /** Simulated visitors chatting on the demo site. */
  visitors?: number;
  publicDir?: string;
  /** The better-sqlite3 addon the core opens its own database with (Electron's ABI); default: Node's. */
  nativeBinding?: string;
}

export const DEMO_ACCOUNT_NAME = 'Demo site (on this computer)';

export class Demo {
  private backend: DemoBackend | null = null;

  constructor(private readonly deps: DemoDeps) {}

  get visitorUrl(): string | null {
    return this.backend?.visitorUrl ?? null;
  }

  private demoAccount() {
    return this.deps.mirror.accounts.list().find((a) => (JSON.parse(a.config) as { demo?: boolean }).demo === true);
  }

  private async startBackend(): Promise<DemoBackend> {
    if (this.backend) return this.backend;
    const launch = this.deps.launch;
    if (!launch) throw new ConsoleError('unavailable', 'This build has no demo site.');
    const dataDir = join(this.deps.dataDir, 'demo-backend');
    const fresh = !existsSync(join(dataDir, 'portfolio.sqlite'));
    try {
      this.backend = await launch({
        dataDir,
        seedDemo: fresh,
        simulate: this.deps.visitors ?? 3,
        ...(this.deps.publicDir ? { publicDir: this.deps.publicDir } : {}),
        ...(this.deps.nativeBinding ? { nativeBinding: this.deps.nativeBinding } : {}),
        log: (line) => this.deps.log(`demo backend: ${line}`),
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.deps.log(`demo: the demo backend did not start: ${error instanceof Error ? (error.stack ?? detail) : detail}`);
      throw new ConsoleError('unavailable', `The demo site could not start: ${detail}`);
    }
    return this.backend;
  }

  /** Before accounts start: a demo account from an earlier run gets its backend back (new ports). */
  async resume(): Promise<void> {
    const account = this.demoAccount();
    if (!account) return;
    const backend = await this.startBackend();
    this.deps.mirror.accounts.update(account.id, { baseUrl: backend.apiUrl, config: this.config(backend) });
  }

  private config(backend: DemoBackend) {
    return {
      demo: true,
      extensions: true,
      pusher: { key: backend.pusher.key, cluster: backend.pusher.cluster, wsHost: backend.pusher.host, wsPort: backend.pusher.port, forceTLS: false },
    };
  }

  async start(): Promise<{ accountId: number; visitorUrl: string }> {
    const backend = await this.startBackend();
    const existing = this.demoAccount();
    if (existing) return { accountId: existing.id, visitorUrl: backend.visitorUrl };
    const account = await this.deps.accounts.connect(
      { kind: 'portfolio', siteUrl: backend.apiUrl, email: backend.admin.email, password: backend.admin.password, name: DEMO_ACCOUNT_NAME },
      { demo: true },
    );
    return { accountId: account.id, visitorUrl: backend.visitorUrl };
  }

  async stop(): Promise<void> {
    const backend = this.backend;
    this.backend = null;
    await backend?.close();
  }
}
