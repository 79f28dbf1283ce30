// The two ends of the shell ↔ core host channel over the transports Node and Electron offer:
// Electron's process.parentPort in a utilityProcess, and process.send / process.on('message')
// under child_process.fork (tests, benchmarks). The utilityProcess end in the shell is
// src/main/shell/core-process.ts (it needs electron).
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildPort, HostExit, HostMessage, HostPort } from './protocol';

/** Electron's ParentPort, as far as the host uses it (not exported by 'electron': a property of process). */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

export function parentPortHost(parentPort: ParentPortLike): HostPort {
  return {
    postMessage: (message) => parentPort.postMessage(message),
    onMessage: (listener) => void parentPort.on('message', (event) => listener(event.data)),
  };
}

/** The part of a forked child's `process` the host uses. */
export interface ForkedProcessLike {
  send?: (message: unknown) => boolean;
  readonly connected?: boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

export function forkedHost(proc: ForkedProcessLike): HostPort {
  const send = proc.send;
  if (!send) throw new Error('The core host was started without an IPC channel (use child_process.fork or utilityProcess.fork).');
  return {
    postMessage: (message: HostMessage) => {
      // After the shell went away there is nobody to tell.
      if (proc.connected !== false) send.call(proc, message);
    },
    onMessage: (listener) => void proc.on('message', listener),
    onDisconnect: (listener) => void proc.on('disconnect', listener),
  };
}

/** The shell's end of a host started with child_process.fork (the 'advanced' serialization: structured clone, like a MessagePort). */
export function forkedChild(child: ChildProcess): ChildPort {
  let exited: ((exit: HostExit) => void) | undefined;
  let done = false;
  const end = (exit: HostExit) => {
    if (done) return;
    done = true;
    exited?.(exit);
  };
  child.on('exit', (code, signal) => end({ code, signal }));
  // A child that could not be spawned emits 'error' and may never emit 'exit'.
  child.on('error', () => {
    if (child.exitCode === null && child.signalCode === null && child.pid === undefined) end({ code: null, signal: null });
  });
  return {
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => {
      exited = listener;
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

export interface ForkHostOptions {
  /** The host entry: out/main/core-host.js, or src/main/core-host/index.ts with execArgv ['--import', 'tsx']. */
  entry: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** 'inherit' shows the host's log on this process's stderr (the default). */
  stdio?: 'inherit' | 'ignore';
}

export function forkCoreHost(options: ForkHostOptions): { port: ChildPort; child: ChildProcess } {
  const stdio = options.stdio ?? 'inherit';
  const child = fork(options.entry, [], {
    execArgv: options.execArgv ?? [],
    env: options.env ?? process.env,
    serialization: 'advanced',
    stdio: ['ignore', stdio, stdio, 'ipc'],
  });
  return { port: forkedChild(child), child };
}
