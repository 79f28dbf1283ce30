// Command-line parsing the reference backends' CLIs share: strict flags, -h/--help, exit 2 on a
// bad flag or number (so scripts and tests can tell a usage error from a crash).
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed flags, or null after printing the help (the caller returns). */
export function parseCli<O extends Options>(options: O, usage: string): ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'] | null {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) {
    console.log(usage);
    return null;
  }
  try {
    return parseArgs({ args, options, strict: true }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/** A non-negative integer flag (a port by default), or exit 2. */
export function intArg(value: string | boolean | undefined, name: string, fallback: number, max = 65535): number {
  if (value === undefined || typeof value === 'boolean') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max) {
    console.error(`Invalid ${name}: ${value}`);
    process.exit(2);
  }
  return n;
}

/** Ctrl-C / SIGTERM closes the backend once, then exits 0 (1 when closing failed). */
export function closeOnSignals(close: () => Promise<void>, announce?: string): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (announce) console.log(announce);
    close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
