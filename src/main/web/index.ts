// Browser mode composition root: the same core as the Electron app, under plain Node.
//   node out/main/web.js [--port N] [--data-dir DIR]
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { createCore } from '../core/core';
import { findDemoPublicDir, findMigrationsDir } from '../core/db/locate';
import { JsonFileSettingsStore, PlainFileSecretStore } from '../core/settings/settings-store';
import { launchDemoBackend } from '../demo-backend';
import { startWebServer } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
    allowPositionals: false,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
  const dataDir = resolve(values['data-dir'] ?? process.env.SWITCHBOARD_DATA_DIR ?? join(homedir(), '.local', 'share', 'switchboard', 'browser-mode'));
  const log = (message: string) => console.error(`[switchboard] ${message}`);

  const core = createCore({
    dataDir,
    migrationsDir: findMigrationsDir(__dirname),
    settings: new JsonFileSettingsStore(join(dataDir, 'settings.json'), log),
    secrets: new PlainFileSecretStore(join(dataDir, 'secrets.json'), log),
    mode: 'web',
    version,
    log,
    // The machine's language stands in for the OS language the app would read.
    systemLanguage: () => ((process.env.LANG ?? Intl.DateTimeFormat().resolvedOptions().locale).toLowerCase().startsWith('id') ? 'id' : 'en'),
    demoBackend: launchDemoBackend,
    ...(findDemoPublicDir(__dirname) ? { demoPublicDir: findDemoPublicDir(__dirname) } : {}),
  });
  const server = await startWebServer({
    core,
    rendererDir: resolve(__dirname, '../renderer'),
    port,
    log,
    // The last tab went away: nobody is looking at any conversation now.
    onLastPageClosed: () => core.attention.focus.report({ focused: false, conversationId: null }),
  });
  log(`profile: ${dataDir}`);
  log('warning: browser mode keeps account secrets in a plain file (0600), not encrypted by the OS keyring.');
  console.log(`Switchboard is running at ${server.url}`);
  await core.start();

  const stop = async () => {
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Switchboard could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
