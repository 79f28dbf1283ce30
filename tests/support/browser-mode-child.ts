// Browser mode in its own process, for the profile-lock test:
//   node --import tsx tests/support/browser-mode-child.ts <dataDir> <rendererDir>
// Prints "ready" once serving; exits 1 with the reason when it cannot start.
import { startBrowserMode } from '../../src/main/web/browser-mode';
import { migrationsDir } from './temp-db';

const [dataDir, rendererDir] = process.argv.slice(2);
startBrowserMode({ dataDir: dataDir!, rendererDir: rendererDir!, migrationsDir, version: 'test', log: () => {}, print: () => {} }).then(
  (app) => {
    console.log('ready');
    process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  },
  (error: unknown) => {
    console.error(`Switchboard could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
