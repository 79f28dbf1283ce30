// Browser mode's start and stop, apart from the CLI (index.ts) so tests can run it in-process:
// a private profile (0700/0600), one process per profile, the core, then the host.
import { join } from 'node:path';
import { DEFAULT_ACCOUNTS_GRACE_MS } from '../core/accounts/start-gate';
import { createCore, type Core } from '../core/core';
import type { DemoBackendLauncher } from '../core/demo/demo';
import { makeProfilePrivate, restrictNewFiles } from '../core/platform/private-profile';
import { acquireProfileLock } from '../core/platform/profile-lock';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../core/settings/settings-store';
import { startWebServer, type WebServer } from './server';

export interface BrowserModeOptions {
  dataDir: string;
  rendererDir: string;
  migrationsDir: string;
  demoPublicDir?: string;
  /** "Try the demo": the reference backend, handed in by the CLI (the core never imports it). */
  demoBackend?: DemoBackendLauncher;
  port?: number;
  version: string;
  log: (message: string) => void;
  /** Where the start links go (the terminal). */
  print: (line: string) => void;
  systemLanguage?: () => 'en' | 'id';
  /** core.start() waits this long for a first inbox page before connecting the accounts (0: at once). */
  accountsGraceMs?: number;
}

export interface BrowserMode {
  core: Core;
  server: WebServer;
  close(): Promise<void>;
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const { dataDir, log } = options;
  restrictNewFiles();
  makeProfilePrivate(dataDir, log);
  const lock = acquireProfileLock(dataDir);
  let core: Core | undefined;
  try {
    core = createCore({
      dataDir,
      migrationsDir: options.migrationsDir,
      settings: new JsonFileSettingsStore(join(dataDir, 'settings.json'), log),
      secrets: new PlainFileSecretStore(join(dataDir, 'secrets.json'), log),
      mode: 'web',
      version: options.version,
      log,
      accountsGraceMs: options.accountsGraceMs ?? DEFAULT_ACCOUNTS_GRACE_MS,
      ...(options.systemLanguage ? { systemLanguage: options.systemLanguage } : {}),
      ...(options.demoPublicDir ? { demoPublicDir: options.demoPublicDir } : {}),
      ...(options.demoBackend ? { demoBackend: options.demoBackend } : {}),
    });
    // Files from an older version, and the mirror just opened.
    makeProfilePrivate(dataDir, log);
    const opened = core;
    const server = await startWebServer({
      core,
      rendererDir: options.rendererDir,
      ...(options.port === undefined ? {} : { port: options.port }),
      log,
      onStartUrl: (url) => options.print(`Start link for one more browser (works once, for 5 minutes): ${url}`),
      // The last tab went away: nobody is looking at any conversation now.
      onLastPageClosed: () => opened.attention.focus.report({ focused: false, conversationId: null }),
    });
    return {
      core,
      server,
      close: async () => {
        await server.close();
        await opened.close();
        lock.release();
      },
    };
  } catch (error) {
    await core?.close();
    lock.release();
    throw error;
  }
}
