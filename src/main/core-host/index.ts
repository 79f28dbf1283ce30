// Core host entry (out/main/core-host.js): started by the shell as an Electron utilityProcess
// (src/main/shell/core-process.ts), or with child_process.fork by tests and benchmarks. Never
// imports electron: a utilityProcess has Node's APIs and process.parentPort, nothing more.
import { guardProcess } from '../core/platform/last-resort';
import { restrictNewFiles } from '../core/platform/private-profile';
import { launchDemoBackend } from '../demo-backend';
import { runCoreHost } from './host';
import { forkedHost, parentPortHost, type ParentPortLike } from './ports';

const log = (message: string) => console.error(`[switchboard core] ${message}`);
// A stdout/stderr whose reader went away must not loop the last resort (see last-resort.ts).
guardProcess(process, log);
// Everything the core writes (mirror, settings, logs) is for the owner only.
restrictNewFiles();

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
const port = parentPort ? parentPortHost(parentPort) : forkedHost(process);
const exit = (code: number) => {
  // Let the last message ('closed', 'failed') leave before the process ends.
  setImmediate(() => process.exit(code));
};
const host = runCoreHost({ port, log, demoBackend: launchDemoBackend, exit });
// A forked host whose shell died without closing it: close the mirror cleanly and go.
port.onDisconnect?.(() => {
  log('core host: the shell went away; closing');
  void host.close();
});
