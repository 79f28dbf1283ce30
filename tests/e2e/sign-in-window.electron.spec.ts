// "Sign in with the site's page" in the real Electron app, against the as-deployed reference site
// (`--as-deployed`): the site's own /admin/login opens in a window of its own on an in-memory
// session with no preload and no Node; navigation away and new windows are refused; closing the
// window cancels; signing in there connects the account and the window closes by itself.
// Needs the Electron binary: skipped where it was never downloaded (support/electron.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { startDeployedBackend, type DeployedBackendHandle } from '../../backends/portfolio/src/index';
import { SKIP_WITHOUT_ELECTRON, electronExecutable, repoRoot, rootArgs } from './support/electron';

const executablePath = electronExecutable();
test.skip(executablePath === undefined, SKIP_WITHOUT_ELECTRON);
test.describe.configure({ mode: 'serial' });

const ADMIN = { email: 'owner@example.com', password: 'deployed site password', name: 'Owner' };

let app: ElectronApplication;
let page: Page;
let site: DeployedBackendHandle;
let userData: string;
let siteDir: string;

test.beforeAll(async () => {
  siteDir = mkdtempSync(join(tmpdir(), 'switchboard-signin-site-'));
  site = await startDeployedBackend({ port: 0, pusherPort: 0, dataDir: siteDir, seedDemo: true, ai: false, admin: ADMIN });
  userData = mkdtempSync(join(tmpdir(), 'switchboard-signin-electron-'));
  app = await electron.launch({
    executablePath: executablePath!,
    args: [...rootArgs(), join(repoRoot, 'out', 'main', 'index.js')],
    cwd: repoRoot,
    env: { ...process.env, SWITCHBOARD_USER_DATA_DIR: userData, ELECTRON_ENABLE_LOGGING: '1' } as Record<string, string>,
  });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
  await site?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
});

async function fillForm(): Promise<void> {
  await page.getByRole('button', { name: 'Connect your site' }).click();
  await page.getByRole('textbox', { name: 'Site URL' }).fill(site.apiUrl);
  await page.getByRole('textbox', { name: /^Pusher key/ }).fill(site.pusher.key);
  await page.getByRole('textbox', { name: 'Pusher cluster' }).fill(site.pusher.cluster);
  await page.getByText('Advanced').click();
  await page.getByRole('textbox', { name: /^Realtime server/ }).fill(`ws://${site.pusher.host}:${site.pusher.port}`);
}

async function openSignInWindow(): Promise<Page> {
  const opened = app.waitForEvent('window');
  await page.getByRole('button', { name: "Sign in with the site's page" }).click();
  const signIn = await opened;
  await expect(signIn).toHaveURL(`${site.apiUrl}/admin/login`);
  return signIn;
}

test('closing the sign-in window cancels: nothing is connected', async () => {
  await fillForm();
  const signIn = await openSignInWindow();
  const closed = signIn.waitForEvent('close');
  await app.evaluate(({ BrowserWindow }, url) => BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().startsWith(url))?.close(), `${site.apiUrl}/admin/login`);
  await closed;
  await expect(page.getByRole('alert')).toContainText('The sign-in window was closed before you signed in.');
  expect(await page.evaluate(() => (window as unknown as { switchboard: { invoke(m: string): Promise<{ value: unknown[] }> } }).switchboard.invoke('accounts.list').then((r) => r.value.length))).toBe(0);
});

test('the sign-in window is isolated, stays on the site, and signing in there connects the account', async () => {
  const signIn = await openSignInWindow();
  const prefs = await app.evaluate(({ webContents, session }, url) => {
    const contents = webContents.getAllWebContents().find((c) => c.getURL().startsWith(url))!;
    // getLastWebPreferences() is not in electron.d.ts but exists at runtime.
    const p = (contents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
    return {
      contextIsolation: p.contextIsolation,
      sandbox: p.sandbox,
      nodeIntegration: p.nodeIntegration,
      preload: p.preload ? String(p.preload) : null,
      defaultSession: contents.session === session.defaultSession,
      persistent: contents.session.isPersistent(),
    };
  }, `${site.apiUrl}/admin/login`);
  expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: null, defaultSession: false, persistent: false });
  expect(await signIn.evaluate(() => [typeof (globalThis as Record<string, unknown>).require, typeof (globalThis as Record<string, unknown>).switchboard])).toEqual(['undefined', 'undefined']);

  // New windows are refused, and so is leaving the site's origin.
  const windowsBefore = app.windows().length;
  await signIn.evaluate(() => {
    window.open(`${location.origin}/admin`);
    window.open('https://example.org/');
  });
  await signIn.evaluate(() => {
    location.href = 'https://example.org/phish';
  });
  // Still the site's form (a navigation would have replaced it).
  await signIn.getByLabel(/email/i).fill(ADMIN.email);
  await expect(signIn).toHaveURL(`${site.apiUrl}/admin/login`);
  expect(app.windows()).toHaveLength(windowsBefore);

  const closed = signIn.waitForEvent('close');
  await signIn.getByLabel(/password/i).fill(ADMIN.password);
  await signIn.getByLabel(/password/i).press('Enter');
  await closed;

  const conversations = page.getByRole('list', { name: 'Conversations' });
  await expect(conversations.getByRole('listitem', { name: /^Alice Tan/ })).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  // Kept like a pasted cookie: it ends in a day, so the account says when to sign in again.
  await expect(page.getByRole('status').filter({ hasText: /Your sign-in to .* ends on/ })).toBeVisible();
  // The site's cookie never reached the app's own session.
  expect(await app.evaluate(({ session }) => session.defaultSession.cookies.get({ name: 'admin_session' }).then((c) => c.length))).toBe(0);
});
