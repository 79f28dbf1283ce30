// The last line of defence in both composition roots: an error nothing else caught (a bug in
// one request, socket or timer) is logged with its stack and the process goes on, so the mirror
// and the outbox stay up. Every known failure is handled where it happens; this is for the rest.
export interface ProcessEvents {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

export function installLastResort(proc: ProcessEvents, log: (message: string) => void): void {
  proc.on('uncaughtException', (error) => log(`uncaught error (kept running): ${describe(error)}`));
  proc.on('unhandledRejection', (reason) => log(`unhandled rejection (kept running): ${describe(reason)}`));
}
