// The core in a child process, as the Electron app runs it in a utilityProcess: the real host
// entry (src/main/core-host/index.ts) forked with the same messages, and a client here that only
// forwards calls and events. Under Node the "main process" is this one. The host's own log
// (sync warnings, failed fetches) goes to this process's stderr.
import { join } from 'node:path';
import { CoreHostClient } from '../../src/main/core-host/client';
import { forkCoreHost } from '../../src/main/core-host/ports';
import { repoRoot } from './context';

export interface HostCore {
  dispatch: CoreHostClient['dispatch'];
  events: CoreHostClient['events'];
  start(): Promise<void>;
  /** A catch-up on every account, as on resume. */
  resync(reason: string): void;
  close(): Promise<void>;
  pid: number | undefined;
}

export async function hostCore(dataDir: string, migrationsDir: string, log: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<HostCore> {
  const { port, child } = forkCoreHost({ entry: join(repoRoot, 'src/main/core-host/index.ts'), execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const secrets = new Map<string, string>();
  const client = new CoreHostClient({ port, secrets: { set: (k, v) => secrets.set(k, v), delete: (k) => secrets.delete(k) }, log });
  await client.init({ mode: 'web', version: 'bench', dataDir, migrationsDir, systemLanguage: 'en', gnomeDnd: false, secrets: { encrypted: false, values: {} } });
  return {
    dispatch: client.dispatch,
    events: client.events,
    start: () => client.start(),
    resync: (reason) => client.resync(reason),
    close: async () => void (await client.close()),
    pid: child.pid,
  };
}
