// Builds the core from its parts. Both composition roots (the Electron app in src/main/index.ts
// and browser mode in src/main/web/index.ts) call this with their own stores and paths.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { createDispatch, type Dispatch } from './api/dispatch';
import { createHandlers } from './api/handlers';
import { AccountService, type ConnectorFactory } from './accounts/account-service';
import { AccountsStartGate } from './accounts/start-gate';
import { Attention, type UiLanguage } from './attention/attention';
import { builtInKinds } from './connectors/kinds';
import { KindRegistry, type AnyKindDefinition } from './connectors/registry';
import type { SiteSignIn } from './connectors/site-sign-in';
import type { PollIntervals } from './sync/poller';
import { realTimers, type Timers } from './sync/timers';
import { Demo, type DemoBackendLauncher } from './demo/demo';
import { WorkerCheckpointRunner } from './db/checkpoint-worker';
import { openMirrorDatabase } from './db/recover';
import { EventBus } from './events';
import { Mirror } from './mirror/mirror';
import type { Notifier, OsDndProbe } from './notifications/types';
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
  /** The backend kinds this core speaks; all built-in kinds when omitted. */
  kinds?: readonly AnyKindDefinition[];
  /** Tests pass their own connectors; the app builds each account's from its kind. */
  connectorFactory?: ConnectorFactory;
  /** Poll timing for kinds without an account-wide realtime channel (tests shorten it). */
  pollIntervals?: PollIntervals;
  /** Starts the demo site (src/main/demo-backend.ts); without it "Try the demo" says the build has none. */
  demoBackend?: DemoBackendLauncher;
  fetch?: typeof fetch;
  /** The demo site's visitor page files (backends/portfolio/public). */
  demoPublicDir?: string;
  /** Native notifications (the app); browser mode pushes them to the page instead. */
  notifier?: Notifier;
  osDnd?: OsDndProbe;
  /** The OS language for settings.language = 'system'; English when omitted. */
  systemLanguage?: () => UiLanguage;
  /** Minutes since local midnight, for quiet hours; the machine's time zone when omitted. */
  localMinutes?: (at: number) => number;
  /** The desktop app's sign-in window (src/main/shell/site-sign-in.ts); browser mode has none. */
  siteSignIn?: SiteSignIn;
  /**
   * start() connects the saved accounts once the first inbox page (conversations.page, feed.page) has been
   * answered, or after this many ms when no window asks (accounts/start-gate.ts). Omitted or 0:
   * at once (tests that drive the core directly; a core host restarted after a crash).
   */
  accountsGraceMs?: number;
}

export interface Core {
  mirror: Mirror;
  events: EventBus;
  accounts: AccountService;
  attention: Attention;
  handlers: ReturnType<typeof createHandlers>;
  dispatch: Dispatch;
  /**
   * Connects every saved account (call once the transports are up); with accountsGraceMs, after
   * the first inbox page or the grace period. Resolves when they have started.
   */
  start(): Promise<void>;
  /** Laptop resume or network change: catch up on every account. */
  resync(reason: string): void;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'switchboard.sqlite';
/** What the window asks for first: its inbox page (a notification feed's, for feed accounts). */
const FIRST_PAGE_METHODS: ReadonlySet<unknown> = new Set(['conversations.page', 'feed.page']);

export function createCore(options: CoreOptions): Core {
  mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? (() => {});
  const file = join(options.dataDir, DATABASE_FILE);
  const { database, recovery } = openMirrorDatabase(
    {
      file,
      migrationsDir: options.migrationsDir,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    },
    options.clock ?? Date.now,
    log,
  );
  // WAL checkpoints on a second connection in a worker thread, so they never hold this thread
  // (db/checkpoint-worker.ts); on this connection if the worker cannot start or dies.
  const checkpointRunner = new WorkerCheckpointRunner({ file, log, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  const mirror = new Mirror(database, { timers: options.timers ?? realTimers, log, checkpointRunner });
  const events = new EventBus();
  const accounts = new AccountService({
    mirror,
    events,
    secrets: options.secrets,
    kinds: new KindRegistry(options.kinds ?? builtInKinds),
    ...(options.connectorFactory ? { connectorFactory: options.connectorFactory } : {}),
    ...(options.pollIntervals ? { pollIntervals: options.pollIntervals } : {}),
    clock: options.clock ?? Date.now,
    random: options.random ?? Math.random,
    timers: options.timers ?? realTimers,
    log,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.siteSignIn ? { siteSignIn: options.siteSignIn } : {}),
  });
  const attention = new Attention({
    mirror,
    events,
    settings: options.settings,
    accounts,
    ...(options.notifier ? { notifier: options.notifier } : {}),
    ...(options.osDnd ? { osDnd: options.osDnd } : {}),
    ...(options.localMinutes ? { localMinutes: options.localMinutes } : {}),
    systemLanguage: options.systemLanguage ?? (() => 'en'),
    logFile: join(options.dataDir, 'notification-log.json'),
    clock: options.clock ?? Date.now,
    timers: options.timers ?? realTimers,
    log,
  });
  const demo = new Demo({
    ...(options.demoBackend ? { launch: options.demoBackend } : {}),
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
    attention,
    app: { version: options.version, mode: options.mode, dataDir: options.dataDir },
    clock: options.clock ?? Date.now,
    mirrorRecovery: () => recovery,
  });
  const dispatch = createDispatch(handlers, log);
  const gate = options.accountsGraceMs ? new AccountsStartGate({ timers: options.timers ?? realTimers, graceMs: options.accountsGraceMs }) : undefined;
  const connectAccounts = async () => {
    try {
      await demo.resume();
    } catch (error) {
      log(`demo: could not restart the demo backend: ${error instanceof Error ? error.message : String(error)}`);
    }
    await accounts.startAll();
  };
  return {
    mirror,
    events,
    accounts,
    attention,
    handlers,
    dispatch: gate
      ? async (method, input) => {
          const result = await dispatch(method, input);
          if (FIRST_PAGE_METHODS.has(method)) gate.pageAnswered();
          return result;
        }
      : dispatch,
    start: async () => {
      attention.start();
      if (recovery) events.emit('mirror.recovered', recovery);
      await accounts.setAvailability(options.settings.get().availability);
      // Nothing saved, nothing to hold back (an account added meanwhile starts on its own).
      if (gate && mirror.accounts.list().length > 0) {
        const by = await gate.opened();
        if (by === 'stopped') return;
        log(`accounts: connecting ${mirror.accounts.list().length} after the ${by}`);
      }
      await connectAccounts();
    },
    resync: (reason) => accounts.resync(reason),
    close: async () => {
      gate?.stop();
      attention.stop();
      await accounts.stopAll();
      await demo.stop();
      mirror.close();
    },
  };
}
