// Builds the core from its parts. Both composition roots (the Electron app in src/main/index.ts
// and browser mode in src/main/web/index.ts) call this with their own stores and paths.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { createDispatch, type Dispatch } from './api/dispatch';
import { createHandlers, type ConnectionStatus } from './api/handlers';
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
  log?: (message: string) => void;
}

export interface Core {
  mirror: Mirror;
  events: EventBus;
  handlers: ReturnType<typeof createHandlers>;
  dispatch: Dispatch;
  close(): void;
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
  const connections = new Map<number, ConnectionStatus>();
  const handlers = createHandlers({
    mirror,
    events,
    settings: options.settings,
    secrets: options.secrets,
    clock: options.clock ?? Date.now,
    app: { version: options.version, mode: options.mode, dataDir: options.dataDir },
    connectionOf: (id) => connections.get(id),
  });
  return {
    mirror,
    events,
    handlers,
    dispatch: createDispatch(handlers, log),
    close: () => mirror.close(),
  };
}
