// Builds the core from its parts. Both composition roots (the Electron app in src/main/index.ts
// and browser mode in src/main/web/index.ts) call this with their own stores and paths.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { createDispatch, type Dispatch } from './api/dispatch';
import { createHandlers } from './api/handlers';
import { AccountService } from './accounts/account-service';
import { createConnector, type ConnectorFactory } from './accounts/connector-factory';
import { realTimers, type Timers } from './sync/timers';
import { Demo } from './demo/demo';
import { openDatabase } from './db/open';
import { EventBus } from './events';
import { Mirror } from './mirror/mirror';
import type { SecretStore, SettingsStore } from './settings/settings-store';

export interface CoreOptions {
  dataDir: string;
  migrationsDir: string;
  nativeBinding?: string;
  settings: SettingsStore;
  secrets: SecretStore;
  mode: 'electron' | 'web';
  version: string;
  clock?: () => number;
  random?: () => number;
  timers?: Timers;
  log?: (message: string) => void;
  /** Tests pass their own; the app uses the real connectors. */
  connectorFactory?: ConnectorFactory;
  fetch?: typeof fetch;
  /** The demo site's visitor page files (backends/portfolio/public). */
  demoPublicDir?: string;
}

export interface Core {
  mirror: Mirror;
  events: EventBus;
  accounts: AccountService;
  handlers: ReturnType<typeof createHandlers>;
  dispatch: Dispatch;
  /** Connects every saved account (call once the transports are up). */
  start(): Promise<void>;
  /** Laptop resume or network change: catch up on every account. */
  resync(reason: string): void;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'switchboard.sqlite';

export function createCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? (() => {});
  const database = openDatabase({
    file: join(options.dataDir, DATABASE_FILE),
    migrationsDir: options.migrationsDir,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  const mirror = new Mirror(database);
  const events = new EventBus();
  const accounts = new AccountService({
    mirror,
    events,
    secrets: options.secrets,
    connectorFactory: options.connectorFactory ?? createConnector(log),
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
    timers: options.timers ?? realTimers,
    log,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const demo = new Demo({
    dataDir: options.dataDir,
    mirror,
    accounts,
    log,
    ...(options.demoPublicDir ? { publicDir: options.demoPublicDir } : {}),
    // The demo backend's database needs the same Electron-ABI addon as the mirror's.
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  const handlers = createHandlers({
    mirror,
    events,
    settings: options.settings,
    secrets: options.secrets,
    accounts,
    demo,
    app: { version: options.version, mode: options.mode, dataDir: options.dataDir },
  });
  return {
    mirror,
    events,
    accounts,
    handlers,
    dispatch: createDispatch(handlers, log),
    start: async () => {
      await accounts.setAvailability(options.settings.get().availability);
      try {
        await demo.resume();
      } catch (error) {
        log(`demo: could not restart the demo backend: ${error instanceof Error ? error.message : String(error)}`);
      }
      await accounts.startAll();
    },
    resync: (reason) => accounts.resync(reason),
    close: async () => {
      await accounts.stopAll();
      await demo.stop();
      mirror.close();
    },
  };
}
