// The core host as an Electron utilityProcess (Electron's Node, so the same better-sqlite3
// build the main process used): the shell's end of the channel over the UtilityProcess's
// postMessage and its parentPort on the other side (src/main/core-host/index.ts).
import type { UtilityProcess } from 'electron';
import type { ChildPort, HostExit } from '../core-host/protocol';

/** The part of Electron's utilityProcess module this uses. */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' }): UtilityProcessLike;
}

export type UtilityProcessLike = Pick<UtilityProcess, 'postMessage' | 'kill'> & {
  readonly pid: number | undefined;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
};

export function utilityCoreHost(utilityProcess: UtilityProcessModule, entry: string): ChildPort {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Switchboard core', stdio: 'inherit' });
  let exited: ((exit: HostExit) => void) | undefined;
  let alive = true;
  child.on('exit', (code) => {
    alive = false;
    exited?.({ code, signal: null });
  });
  return {
    postMessage: (message) => {
      if (alive) child.postMessage(message);
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => {
      exited = listener;
    },
    kill: () => void child.kill(),
  };
}
