// Browser mode in its own process, wired like the CLI (src/main/web/index.ts: guardProcess, then
// startBrowserMode, then stopOnSignals), with a test renderer instead of the built one:
//   node --import tsx tests/support/browser-mode-stdio-child.ts <dataDir> <rendererDir>
// Prints "Switchboard is running at <url>" like the CLI; logs to stderr like it.
import { startBrowserMode } from '../../src/main/web/browser-mode';
import { guardProcess } from '../../src/main/core/platform/last-resort';
import { stopOnSignals } from '../../src/main/web/lifecycle';
import { migrationsDir } from './temp-db';

const log = (message: string) => console.error(`[switchboard] ${message}`);
const [dataDir, rendererDir] = process.argv.slice(2);
guardProcess(process, log);
startBrowserMode({ dataDir: dataDir!, rendererDir: rendererDir!, migrationsDir, version: 'test', log, print: (line) => console.log(line) }).then(
  async (app) => {
    stopOnSignals(process, () => app.close(), log);
    console.log(`Switchboard is running at ${app.server.url}`);
    await app.core.start();
  },
  (error: unknown) => {
    console.error(`Switchboard could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
