// "Connect your site" against the portfolio site as deployed (`--as-deployed`): the site has no
// login API and no config endpoint, so the owner pastes the admin_session cookie and types the
// Pusher key and cluster (and, here, the local realtime server). The demo history arrives with
// the site's AI shown as "Assistant", and a reply reaches the site.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startDeployedBackend, type DeployedBackendHandle } from '../../backends/portfolio/src/index';
import { startWebApp, type WebApp } from './support/web-app';

let app: WebApp;
let site: DeployedBackendHandle;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-deployed-site-'));
  site = await startDeployedBackend({ port: 0, pusherPort: 0, dataDir, seedDemo: true, ai: false });
  app = await startWebApp();
});
test.afterAll(async () => {
  await app?.stop();
  await site?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('connect a deployed site by pasted session cookie', async ({ page }) => {
  const login = await fetch(`${site.apiUrl}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: site.admin!.email, password: site.admin!.password }).toString(),
    redirect: 'manual',
  });
  const cookie = /admin_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Connect your site' }).click();
  await page.getByRole('textbox', { name: 'Site URL' }).fill(site.apiUrl);
  await page.getByRole('textbox', { name: 'Session cookie' }).fill(cookie);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  // No config endpoint: the form says what is missing.
  await expect(page.getByRole('alert')).toContainText('Pusher key and cluster');
  await page.getByRole('textbox', { name: 'Pusher key' }).fill(site.pusher.key);
  await page.getByRole('textbox', { name: 'Pusher cluster' }).fill(site.pusher.cluster);
  await page.getByText('Advanced').click();
  await page.getByRole('textbox', { name: 'Realtime server (self-hosted)' }).fill(`ws://${site.pusher.host}:${site.pusher.port}`);
  await page.screenshot({ path: 'docs/screenshots/connect-deployed-site.png', fullPage: true });
  await page.getByRole('button', { name: 'Connect', exact: true }).click();

  const conversations = page.getByRole('list', { name: 'Conversations' });
  await expect(conversations.getByRole('listitem', { name: /^Alice Tan/ })).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  // The pasted cookie lasts a day and cannot be renewed: the account says when to sign in again.
  await expect(page.getByRole('status').filter({ hasText: /Your sign-in to .* ends on/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in again' })).toBeVisible();
  // The visitor the site could not name, answered by the site's AI.
  const items = conversations.getByRole('listitem');
  await expect(items).toHaveCount(2);
  await items.filter({ hasNotText: 'Alice Tan' }).first().click();
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Halo, apakah template portfolio ini open source?');
  await expect(messages.getByRole('listitem', { name: /^Assistant,/ })).toHaveCount(1);

  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Yes, it is open source.');
  await reply.press('Enter');
  await expect.poll(() => site.api.listAllMessages().filter((m) => m.content === 'Yes, it is open source.').length).toBe(1);

  // The site's AI: switched on from the conversation header, it answers the visitor's next message.
  const aiSwitch = page.getByRole('switch', { name: 'AI replies' });
  await expect(aiSwitch).not.toBeChecked();
  await aiSwitch.check();
  await expect.poll(() => site.api.store.settings()?.ai_enabled).toBe(1);
  const conv = site.api.store.conversationsWithStatus('active').find((c) => c.visitor_name === null)!;
  await fetch(`${site.apiUrl}/api/chat/send`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ conversationId: conv.id, content: 'Great, and what is your price?', visitorId: conv.visitor_id }),
  });
  await expect(messages.getByRole('listitem', { name: /^Assistant,/ })).toHaveCount(2);
  await expect(messages).toContainText('Pricing depends');
  await page.screenshot({ path: 'docs/screenshots/deployed-assistant.png' });
  // Switched off on the site itself: the console follows.
  await fetch(`${site.apiUrl}/api/chat/settings`, { method: 'PATCH', headers: { 'Content-Type': 'application/json', Cookie: `admin_session=${cookie}` }, body: JSON.stringify({ aiEnabled: false }) });
  await expect(aiSwitch).not.toBeChecked();
});
