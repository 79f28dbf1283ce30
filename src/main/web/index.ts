// Browser mode composition root: the same core as the Electron app, under plain Node.
//   node out/main/web.js [--port N] [--data-dir DIR]
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { findDemoPublicDir, findMigrationsDir } from '../core/db/locate';
import { launchDemoBackend } from '../demo-backend';
import { startBrowserMode } from './browser-mode';
import { guardProcess } from '../core/platform/last-resort';
import { stopOnSignals } from './lifecycle';

const log = (message: string) => console.error(`[switchboard] ${message}`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
    allowPositionals: false,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
  const dataDir = resolve(values['data-dir'] ?? process.env.SWITCHBOARD_DATA_DIR ?? join(homedir(), '.local', 'share', 'switchboard', 'browser-mode'));
  guardProcess(process, log);

  const demoPublicDir = findDemoPublicDir(__dirname);
  const app = await startBrowserMode({
    dataDir,
    rendererDir: resolve(__dirname, '../renderer'),
    migrationsDir: findMigrationsDir(__dirname),
    ...(demoPublicDir ? { demoPublicDir } : {}),
    port,
    version,
    log,
    print: (line) => console.log(line),
    // The machine's language stands in for the OS language the app would read.
    systemLanguage: () => ((process.env.LANG ?? Intl.DateTimeFormat().resolvedOptions().locale).toLowerCase().startsWith('id') ? 'id' : 'en'),
    demoBackend: launchDemoBackend,
  });
  log(`profile: ${dataDir}`);
  log('warning: browser mode keeps account secrets in a plain file (0600), not encrypted by the OS keyring.');
  // Before the accounts start: they wait for the first page (or the grace period), and a stop
  // meanwhile must still close the mirror cleanly.
  stopOnSignals(process, () => app.close(), log);
  console.log(`Switchboard is running at ${app.server.url}`);
  await app.core.start();
}

main().catch((error: unknown) => {
  console.error(`Switchboard could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
