// Issue 16, item 21: `npm start` without Electron's binary says so in one line, how to get it,
// and offers browser mode, instead of electron-vite's "Electron uninstall" stack trace.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(__dirname, '../../scripts/start.mjs');
const dir = mkdtempSync(join(tmpdir(), 'switchboard-electron-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start', () => {
  it('knows whether the binary is there, as node_modules/electron does', async () => {
    const { electronBinary } = (await import(script)) as { electronBinary: (dir: string, env?: object) => { present: boolean } };
    const missing = join(dir, 'missing');
    mkdirSync(missing);
    expect(electronBinary(missing, {}).present).toBe(false);
    writeFileSync(join(missing, 'path.txt'), 'electron');
    expect(electronBinary(missing, {}).present).toBe(false);
    mkdirSync(join(missing, 'dist'));
    writeFileSync(join(missing, 'dist', 'electron'), '');
    expect(electronBinary(missing, {}).present).toBe(true);
    expect(electronBinary(missing, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nowhere') }).present).toBe(false);
  });

  it('prints one line with the way to get Electron and browser mode, and exits 1', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, SWITCHBOARD_ELECTRON_DIR: empty }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Electron binary is not installed/);
    expect(lines[0]).toContain('node node_modules/electron/install.js');
    expect(lines[0]).toContain('npm run start:web');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
