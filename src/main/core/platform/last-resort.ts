// The last line of defence in both composition roots: an error nothing else caught (a bug in
// one request, socket or timer) is logged with its stack and the process goes on, so the mirror
// and the outbox stay up. Every known failure is handled where it happens; this is for the rest.
export interface ProcessEvents {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/** process.stdout / process.stderr, as far as dropClosedStdioErrors needs them. */
export interface StdioStream {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

export function installLastResort(proc: ProcessEvents, log: (message: string) => void): void {
  proc.on('uncaughtException', (error) => log(`uncaught error (kept running): ${describe(error)}`));
  proc.on('unhandledRejection', (reason) => log(`unhandled rejection (kept running): ${describe(reason)}`));
}

/**
 * Whoever reads our stdout and stderr may go away while we run (the terminal closed, or the test
 * runner that spawned browser mode was interrupted): every write then fails with EPIPE, emitted
 * as an 'error' event on the stream. Unheard, it became an uncaught error, which the last resort
 * logged to stderr, which failed again: a loop on process.nextTick that took a whole core and
 * starved the event loop, so SIGTERM was never handled. A gone reader is nobody's fault and
 * there is nobody left to tell: those writes are dropped. Install before anything logs.
 */
export function dropClosedStdioErrors(streams: readonly StdioStream[]): void {
  for (const stream of streams) stream.on('error', () => {});
}

/** A process with its standard streams, as far as guardProcess needs it. */
export interface GuardedProcess extends ProcessEvents {
  stdout: StdioStream;
  stderr: StdioStream;
}

/** Every entry point, before anything logs: a gone reader of stdout/stderr, then the last resort. */
export function guardProcess(proc: GuardedProcess, log: (message: string) => void): void {
  dropClosedStdioErrors([proc.stdout, proc.stderr]);
  installLastResort(proc, log);
}
