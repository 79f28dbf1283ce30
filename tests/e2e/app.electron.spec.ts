// The real Electron app: built main + sandboxed preload + renderer, on a throwaway profile.
// Needs the Electron binary; where it was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD) the
// whole file is skipped (support/electron.ts).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { SKIP_WITHOUT_ELECTRON, electronExecutable, repoRoot as root } from './support/electron';

const executablePath = electronExecutable();
test.skip(executablePath === undefined, SKIP_WITHOUT_ELECTRON);

let app: ElectronApplication;
let page: Page;
let userData: string;
const errors: string[] = [];

test.beforeAll(async () => {
  userData = mkdtempSync(join(tmpdir(), 'switchboard-electron-'));
  app = await electron.launch({
    executablePath: executablePath!,
    // Chromium refuses to run as root with its OS sandbox (CI containers); webPreferences.sandbox stays on.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), join(root, 'out', 'main', 'index.js')],
    cwd: root,
    env: { ...process.env, SWITCHBOARD_USER_DATA_DIR: userData, ELECTRON_ENABLE_LOGGING: '1' } as Record<string, string>,
  });
  page = await app.firstWindow();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
});

test.afterAll(async () => {
  await app?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

test('opens on the empty inbox', async () => {
  await expect(page.getByText('No conversations yet')).toBeVisible();
  expect(await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'))).toBe(userData);
  expect(errors).toEqual([]);
});

test('the core runs in a utilityProcess: the mirror is open there, not in the main process', async () => {
  const { readdirSync, readlinkSync } = await import('node:fs');
  const metrics = await app.evaluate(({ app: electronApp }) => ({ main: process.pid, processes: electronApp.getAppMetrics().map((m) => ({ pid: m.pid, type: m.type, name: m.name ?? null })) }));
  const host = metrics.processes.find((p) => p.type === 'Utility' && p.name === 'Switchboard core');
  expect(host, JSON.stringify(metrics.processes)).toBeDefined();
  expect(host!.pid).not.toBe(metrics.main);
  // The contract still answers through the preload, main and the host.
  const accounts = await page.evaluate(() => (window as unknown as { switchboard: { invoke(method: string): Promise<unknown> } }).switchboard.invoke('accounts.list'));
  expect(accounts).toEqual({ ok: true, value: [] });
  if (process.platform === 'linux') {
    const openFiles = (pid: number) =>
      readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
        try {
          return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
        } catch {
          return [];
        }
      });
    const mirror = join(userData, 'switchboard.sqlite');
    expect(openFiles(host!.pid)).toContain(mirror);
    expect(openFiles(metrics.main)).not.toContain(mirror);
  }
});

test('every webContents is isolated and sandboxed, without Node', async () => {
  const all = await app.evaluate(({ webContents }) =>
    webContents.getAllWebContents().map((contents) => {
      // getLastWebPreferences() is not in electron.d.ts but exists at runtime.
      const prefs = (contents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }).getLastWebPreferences();
      return {
        url: contents.getURL(),
        contextIsolation: prefs?.contextIsolation,
        sandbox: prefs?.sandbox,
        nodeIntegration: prefs?.nodeIntegration,
        nodeIntegrationInSubFrames: prefs?.nodeIntegrationInSubFrames,
        webSecurity: prefs?.webSecurity,
      };
    }),
  );
  expect(all.length).toBeGreaterThan(0);
  for (const contents of all) {
    expect(contents, contents.url).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(contents.nodeIntegrationInSubFrames, contents.url).not.toBe(true);
  }
  // And from inside the page: no Node, no ipcRenderer.
  expect(await page.evaluate(() => [typeof (globalThis as Record<string, unknown>).require, typeof (globalThis as Record<string, unknown>).process])).toEqual(['undefined', 'undefined']);
});

test('window.switchboard is exactly the ConsoleTransport', async () => {
  const shape = await page.evaluate(() => {
    const api = (window as unknown as { switchboard: Record<string, unknown> }).switchboard;
    return { keys: Object.keys(api).sort(), types: Object.values(api).map((v) => typeof v) };
  });
  expect(shape).toEqual({ keys: ['invoke', 'on'], types: ['function', 'function'] });

  // Every call resolves to { ok, value | error }: a rejection crossing the contextBridge would
  // keep only its message, so errors travel as values and keep their code.
  const info = await page.evaluate(() =>
    (window as unknown as { switchboard: { invoke(method: string): Promise<unknown> } }).switchboard.invoke('app.info'),
  );
  expect(info).toMatchObject({ ok: true, value: { mode: 'electron', dataDir: userData } });

  const refused = await page.evaluate(() =>
    (window as unknown as { switchboard: { invoke(method: string, input: unknown): Promise<unknown> } }).switchboard
      .invoke('conversations.get', { conversationId: 'not a number' })
      .then(
        (result) => result,
        (error: unknown) => `rejected: ${error instanceof Error ? error.message : String(error)}`,
      ),
  );
  expect(refused).toEqual({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('Invalid argument for conversations.get') } });
  const missing = await page.evaluate(() =>
    (window as unknown as { switchboard: { invoke(method: string, input: unknown): Promise<unknown> } }).switchboard.invoke('messages.page', { conversationId: 999_999 }),
  );
  expect(missing).toEqual({ ok: false, error: { code: 'not-found', message: 'Conversation 999999 does not exist.' } });
});

test('navigation away from the app and new windows are refused', async () => {
  const before = page.url();
  await page.evaluate(() => {
    window.open('about:blank');
    window.location.href = 'about:blank';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe(before);
  expect(app.windows()).toHaveLength(1);
});

test('the window title carries the unread count, and only notifications are ever permitted', async () => {
  await expect(page).toHaveTitle('Switchboard');
  const permissions = await page.evaluate(async () => ({
    notifications: await navigator.permissions.query({ name: 'notifications' }).then((s) => s.state),
    geolocation: await new Promise<string>((resolve) => navigator.geolocation.getCurrentPosition(() => resolve('granted'), () => resolve('denied'))),
  }));
  expect(permissions.geolocation).toBe('denied');
  expect(permissions.notifications).not.toBe('denied');
});

test('a second launch exits and hands its switchboard:// link to the running app', async () => {
  const { spawnSync } = await import('node:child_process');
  const second = spawnSync(
    executablePath!,
    [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), join(root, 'out', 'main', 'index.js'), 'switchboard://open'],
    { env: { ...process.env, SWITCHBOARD_USER_DATA_DIR: userData }, timeout: 20_000 },
  );
  expect(second.status).toBe(0);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isVisible())).toBe(true);
});

test('window bounds are remembered in electron-store', async () => {
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.setBounds({ x: 40, y: 30, width: 1000, height: 640 }));
  await expect
    .poll(() => {
      const file = join(userData, 'window-state.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { window?: { bounds?: { width: number } } }).window?.bounds?.width : undefined;
    })
    .toBe(1000);
});

test('closing the window keeps Switchboard running in the tray', async () => {
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
  await page.waitForTimeout(300);
  const state = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => ({ visible: w.isVisible(), destroyed: w.isDestroyed() })));
  expect(state).toEqual([{ visible: false, destroyed: false }]);
  const hint = await app.evaluate(async ({ BrowserWindow }) => {
    const w = BrowserWindow.getAllWindows()[0]!;
    return w.webContents.executeJavaScript('window.switchboard.invoke("settings.get").then((r) => r.ok && r.value.hints.closeToTray)');
  });
  expect(hint).toBe(true);
});
