// Browser mode's host over a real core and a real temp profile, in the test process, with a tiny
// built renderer (index.html and assets/index.js).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core } from '../../src/main/core/core';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { startWebServer, type WebServer, type WebServerOptions } from '../../src/main/web/server';
import { migrationsDir, tempDir, type TempDir } from './temp-db';

export interface TestHost {
  temp: TempDir;
  rendererDir: string;
  core: Core;
  server: WebServer;
  origin: string;
  close(): Promise<void>;
}

export async function startTestHost(options: Pick<WebServerOptions, 'log' | 'onStartUrl'> & { prepare?: (rendererDir: string) => void } = {}): Promise<TestHost> {
  const temp = tempDir();
  const rendererDir = join(temp.dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<html><head><script type="module" src="./assets/index.js"></script></head></html>');
  writeFileSync(join(rendererDir, 'assets', 'index.js'), 'export {};');
  options.prepare?.(rendererDir);
  const profile = join(temp.dir, 'profile');
  const core = createCore({
    dataDir: profile,
    migrationsDir,
    settings: new JsonFileSettingsStore(join(profile, 'settings.json')),
    secrets: new PlainFileSecretStore(join(profile, 'secrets.json')),
    mode: 'web',
    version: 'test',
  });
  const server = await startWebServer({ core, rendererDir, ...(options.log ? { log: options.log } : {}), ...(options.onStartUrl ? { onStartUrl: options.onStartUrl } : {}) });
  return {
    temp,
    rendererDir,
    core,
    server,
    origin: new URL(server.url).origin,
    close: async () => {
      await server.close();
      await core.close();
      temp.cleanup();
    },
  };
}
