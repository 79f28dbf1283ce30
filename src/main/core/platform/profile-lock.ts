// One process per profile: two (two browser-mode instances, or the app and browser mode on one
// --data-dir) would fight over the mirror and the outbox. A lock file holds the owner's pid;
// a lock whose process is gone (killed, crashed) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'switchboard.lock';

export class ProfileLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`This profile (${dataDir}) is already open in another Switchboard (process ${pid}). Close that one first, or start this one with another --data-dir.`);
    this.name = 'ProfileLockedError';
  }
}

export interface ProfileLock {
  release(): void;
}

export interface ProfileLockOptions {
  pid?: number;
  /** Whether a process is running (default: signal 0). */
  isAlive?: (pid: number) => boolean;
}

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export function acquireProfileLock(dataDir: string, options: ProfileLockOptions = {}): ProfileLock {
  const file = join(dataDir, LOCK_FILE);
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processAlive;
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder !== null && holder !== pid && isAlive(holder)) throw new ProfileLockedError(dataDir, holder);
      // Stale (its process is gone) or unreadable: take it over once.
      unlinkSync(file);
      continue;
    }
    writeSync(fd, `${pid}\n`);
    closeSync(fd);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        if (readHolder(file) === pid) unlinkSync(file);
      },
    };
  }
  throw new Error(`Could not lock the profile ${dataDir}: ${file} keeps coming back.`);
}

function readHolder(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
