// Issue 16, items 13 and 14: browser mode's profile is private (folder 0700, files 0600, the
// mirror included) and one profile is open in one process only.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonFileDecisionLogStore } from '../../src/main/core/notifications/decision-log';
import { LOCK_FILE, acquireProfileLock } from '../../src/main/core/platform/profile-lock';
import { JsonFileSettingsStore } from '../../src/main/core/settings/settings-store';
import { startBrowserMode } from '../../src/main/web/browser-mode';
import { migrationsDir, tempDir, type TempDir } from '../support/temp-db';

let temp: TempDir;
let rendererDir: string;
const mode = (path: string) => statSync(path).mode & 0o777;
const options = (dataDir: string) => ({ dataDir, rendererDir, migrationsDir, version: 'test', log: () => {}, print: () => {} });

function child(dataDir: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../support/browser-mode-child.ts'), dataDir, rendererDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exitCode = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    process: proc,
    exitCode,
    stderr: () => err,
    output: (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (pattern.test(out) ? resolve() : waiters.push(check));
        void exitCode.then((code) => reject(new Error(`child exited with ${code}: ${err}`)));
        check();
      }),
  };
}

beforeAll(() => {
  temp = tempDir();
  rendererDir = join(temp.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<html><head><script type="module" src="./assets/index.js"></script></head></html>');
});
afterAll(() => temp.cleanup());

describe('the browser-mode profile', () => {
  it('is 0700 with 0600 files, including an older world-readable profile and the mirror (item 13)', async () => {
    const dataDir = join(temp.dir, 'old-profile');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'settings.json'), '{}', { mode: 0o644 });
    chmodSync(join(dataDir, 'settings.json'), 0o644);
    const app = await startBrowserMode(options(dataDir));
    try {
      expect((await app.core.dispatch('settings.update', { doNotDisturb: true })).ok).toBe(true);
      // The mirror is open: its -wal and -shm exist now.
      expect(mode(dataDir)).toBe(0o700);
      for (const file of ['settings.json', 'switchboard.sqlite', 'switchboard.sqlite-wal', 'switchboard.sqlite-shm', LOCK_FILE]) {
        expect(mode(join(dataDir, file)), file).toBe(0o600);
      }
    } finally {
      await app.close();
    }
  });

  it('settings and the notification log are written 0600 whatever the umask (item 13)', () => {
    const dir = join(temp.dir, 'stores');
    const previous = process.umask(0o022);
    try {
      new JsonFileSettingsStore(join(dir, 'settings.json')).update({ doNotDisturb: true });
      new JsonFileDecisionLogStore(join(dir, 'notification-log.json')).save([]);
    } finally {
      process.umask(previous);
    }
    expect(mode(join(dir, 'settings.json'))).toBe(0o600);
    expect(mode(join(dir, 'notification-log.json'))).toBe(0o600);
  });

  it('opens in one process only, with a clear message, and again once closed (item 14)', async () => {
    const dataDir = join(temp.dir, 'shared');
    const first = child(dataDir);
    try {
      await first.output(/ready/);
      const second = child(dataDir);
      expect(await second.exitCode).toBe(1);
      expect(second.stderr()).toMatch(/already open in another Switchboard \(process \d+\)\. Close that one first/);
    } finally {
      first.process.kill('SIGTERM');
      expect(await first.exitCode).toBe(0);
    }
    const again = await startBrowserMode(options(dataDir));
    await again.close();
  });

  it('takes over a lock left by a process that is gone (kill -9)', () => {
    const dataDir = join(temp.dir, 'stale');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, LOCK_FILE), '999999\n');
    const lock = acquireProfileLock(dataDir, { isAlive: (pid) => pid !== 999999 });
    expect(() => acquireProfileLock(dataDir, { pid: 4242, isAlive: () => true })).toThrow(/process \d+/);
    lock.release();
    acquireProfileLock(dataDir, { pid: 4242 }).release();
  });
});
