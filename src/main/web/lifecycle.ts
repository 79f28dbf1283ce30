// Browser mode's stop, shared by the CLI (index.ts) and the test that runs it in a child process:
// SIGINT/SIGTERM/SIGHUP closes the core, bounded. (The process guard is core/platform/last-resort.ts.)

/** How long a stop may take to close the mirror before the process exits without it. */
export const STOP_LIMIT_MS = 10_000;

/** What the stop needs of `process`. */
export interface LifecycleProcess {
  once(event: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): unknown;
  exit(code: number): void;
}

/**
 * SIGINT, SIGTERM or SIGHUP (the terminal that ran `npm run start:web` was closed: Node's
 * default would end the process without closing the mirror) closes the core (the mirror marked
 * cleanly closed) and exits 0. Should the close never end, the process still goes after limitMs
 * with 1 (the next start checks the mirror) instead of waiting for a kill -9: a safety net, each
 * cause is fixed where it is.
 */
export function stopOnSignals(proc: LifecycleProcess, close: () => Promise<void>, log: (message: string) => void, limitMs = STOP_LIMIT_MS): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const limit = setTimeout(() => {
      log(`stop: still closing after ${limitMs} ms; exiting without closing the mirror`);
      proc.exit(1);
    }, limitMs);
    limit.unref();
    try {
      await close();
    } catch (error) {
      log(`stop: close failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      proc.exit(1);
      return;
    }
    clearTimeout(limit);
    proc.exit(0);
  };
  proc.once('SIGINT', () => void stop());
  proc.once('SIGTERM', () => void stop());
  proc.once('SIGHUP', () => void stop());
}
