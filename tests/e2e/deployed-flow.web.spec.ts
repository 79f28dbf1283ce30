// The portfolio site as deployed (`--as-deployed`) in browser mode, end to end, beyond the pasted
// cookie of deployed-connect.web.spec.ts: connecting by site secret; the site's AI answering once
// switched on and shown as "Assistant"; resolve and reopen reaching the site; the site killed →
// the history still readable offline; a reply written while it is down delivered exactly once
// when it returns; and a session cookie that expires → "Sign in again" → nothing lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startDeployedBackend, type DeployedBackendHandle, type DeployedBackendOptions } from '../../backends/portfolio/src/index';
import { mintSessionToken } from '../../src/main/core/connectors/portfolio/deployed/session-token';
import { recordNotifications, setWindowFocus, shownNotifications } from './support/notifications';
import { startWebApp, type WebApp } from './support/web-app';

const ADMIN = { email: 'owner@example.com', password: 'deployed site password', name: 'Owner' };
const cleanups: Array<() => Promise<void> | void> = [];
test.afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startSite(options: DeployedBackendOptions = {}): Promise<{ site: DeployedBackendHandle; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-deployed-flow-'));
  const site = await startDeployedBackend({ port: 0, pusherPort: 0, dataDir, seedDemo: true, ai: false, autoReplyDelayMs: 0, admin: ADMIN, ...options });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return { site, dataDir };
}

async function startApp(): Promise<WebApp> {
  const app = await startWebApp();
  cleanups.push(() => app.stop());
  return app;
}

/** The site's messages with this text (what the visitor's widget would show). */
const onSite = (site: DeployedBackendHandle, content: string) => site.api.listAllMessages().filter((m) => m.content === content).length;

async function visitorSays(site: DeployedBackendHandle, conversationId: number, visitorId: string, content: string): Promise<void> {
  const res = await fetch(`${site.apiUrl}/api/chat/send`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ conversationId, content, visitorId }) });
  expect(res.ok, `visitor message: HTTP ${res.status}`).toBe(true);
}

async function fillRealtime(page: Page, site: DeployedBackendHandle): Promise<void> {
  await page.getByRole('textbox', { name: /^Pusher key/ }).fill(site.pusher.key);
  await page.getByRole('textbox', { name: 'Pusher cluster' }).fill(site.pusher.cluster);
  await page.getByRole('textbox', { name: /^Realtime server/ }).fill(`ws://${site.pusher.host}:${site.pusher.port}`);
}

const aliceOf = (site: DeployedBackendHandle) => site.api.store.conversationsWithStatus('active').find((c) => c.visitor_name === 'Alice Tan')!;

test('site secret: AI as Assistant, resolve/reopen, offline history, a reply queued while the site is down sent once', async ({ page }) => {
  const started = await startSite();
  let site = started.site;
  cleanups.push(() => site.close());
  const app = await startApp();
  await page.setViewportSize({ width: 1280, height: 900 });
  await recordNotifications(page, app.url);
  await page.goto(app.url);

  // Connect by site secret: the console mints its own admin_session and renews it.
  await page.getByRole('button', { name: 'Connect your site' }).click();
  await page.getByRole('textbox', { name: 'Site URL' }).fill(site.apiUrl);
  await page.getByText('Advanced').click();
  await page.getByRole('textbox', { name: /^Site secret/ }).fill(site.authSecret);
  await page.getByRole('textbox', { name: 'Admin user id', exact: true }).fill(String(site.admin!.id));
  await fillRealtime(page, site);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const conversations = page.getByRole('list', { name: 'Conversations' });
  await expect(conversations.getByRole('listitem', { name: /^Alice Tan/ })).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  // A minted session renews itself: no "Sign in again" warning.
  await expect(page.getByRole('button', { name: 'Sign in again', exact: true })).toHaveCount(0);

  // The AI, switched on from the header, answers the visitor's next message, shown as Assistant.
  await conversations.getByRole('listitem', { name: /^Alice Tan/ }).click();
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Could we schedule a call this week?');
  const assistant = messages.getByRole('listitem', { name: /^Assistant,/ });
  await expect(assistant).toHaveCount(0);
  const aiSwitch = page.getByRole('switch', { name: 'AI replies' });
  await aiSwitch.check();
  await expect.poll(() => site.api.store.settings()?.ai_enabled).toBe(1);
  const alice = aliceOf(site);
  // The owner is in another window: the visitor's message notifies, with the name and the text.
  await setWindowFocus(page, false);
  await visitorSays(site, alice.id, alice.visitor_id, 'What is your price for a landing page?');
  await expect(messages).toContainText('What is your price for a landing page?');
  await expect.poll(async () => (await shownNotifications(page)).find((n) => n.body.includes('price'))).toMatchObject({ title: 'Alice Tan', body: 'What is your price for a landing page?' });
  await setWindowFocus(page, true);
  await expect(assistant).toHaveCount(1);
  // Not the owner's bubble, not the visitor's.
  await expect(assistant).not.toHaveClass(/mine/);
  await expect(assistant).toHaveClass(/ai/);
  await aiSwitch.uncheck();
  await expect.poll(() => site.api.store.settings()?.ai_enabled).toBe(0);
  await page.locator('.pane-header').screenshot({ path: 'docs/screenshots/deployed-header.png' });

  // Resolve and reopen: both reach the site.
  await page.getByRole('button', { name: 'Resolve', exact: true }).click();
  await expect.poll(() => site.api.store.conversationsWithStatus('resolved').some((c) => c.id === alice.id)).toBe(true);
  await page.getByRole('button', { name: /^Resolved/ }).click();
  await conversations.getByRole('listitem', { name: /^Alice Tan/ }).click();
  await page.getByRole('button', { name: 'Reopen', exact: true }).click();
  await expect.poll(() => site.api.store.conversationsWithStatus('active').some((c) => c.id === alice.id)).toBe(true);
  await page.getByRole('button', { name: /^Active/ }).click();
  await conversations.getByRole('listitem', { name: /^Alice Tan/ }).click();
  await expect(page.getByRole('button', { name: 'Resolve', exact: true })).toBeVisible();

  // The site is killed: the account is no longer live, the whole history stays readable.
  const ports = { port: Number(new URL(site.apiUrl).port), pusherPort: site.pusher.port };
  const app_ = { id: site.pusher.appId, key: site.pusher.key, secret: site.pusher.secret, cluster: site.pusher.cluster };
  const authSecret = site.authSecret;
  await site.close();
  await expect(page.getByText('Live', { exact: true })).toHaveCount(0);
  await conversations.getByRole('listitem').filter({ hasNotText: 'Alice Tan' }).first().click();
  await expect(messages).toContainText('Halo, apakah template portfolio ini open source?');
  await conversations.getByRole('listitem', { name: /^Alice Tan/ }).click();
  await expect(messages).toContainText('Hi! I saw your portfolio');
  await expect(messages).toContainText('What is your price for a landing page?');

  // A reply written while the site is down waits, then is delivered exactly once.
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Sorry for the wait: about 300 USD.');
  await reply.press('Enter');
  await expect(messages.getByRole('listitem').filter({ hasText: 'Sorry for the wait: about 300 USD.' })).toHaveCount(1);
  site = await startDeployedBackend({ ...ports, dataDir: started.dataDir, app: app_, authSecret, admin: ADMIN, ai: false, autoReplyDelayMs: 0 });
  await expect(page.getByText('Live', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => onSite(site, 'Sorry for the wait: about 300 USD.'), { timeout: 30_000 }).toBe(1);
  // Something after it round-trips (so a second send would have happened by now), and it is still once.
  await visitorSays(site, alice.id, alice.visitor_id, 'Deal, thank you!');
  await expect(messages).toContainText('Deal, thank you!');
  expect(onSite(site, 'Sorry for the wait: about 300 USD.')).toBe(1);
  await expect(messages.getByRole('listitem').filter({ hasText: 'Sorry for the wait: about 300 USD.' })).toHaveCount(1);
});

test('a pasted cookie that expires: "Sign in again", and nothing is lost', async ({ page }) => {
  const { site } = await startSite();
  cleanups.push(() => site.close());
  const app = await startApp();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(app.url);

  // A session that ends in a few seconds, as the site's own cookie does after a day.
  const { token } = await mintSessionToken(site.authSecret, site.admin!.id, Date.now(), 8);
  await page.getByRole('button', { name: 'Connect your site' }).click();
  await page.getByRole('textbox', { name: 'Site URL' }).fill(site.apiUrl);
  await page.getByRole('textbox', { name: /^Session cookie/ }).fill(token);
  await page.getByText('Advanced').click();
  await fillRealtime(page, site);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const conversations = page.getByRole('list', { name: 'Conversations' });
  await conversations.getByRole('listitem', { name: /^Alice Tan/ }).click();
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Could we schedule a call this week?');
  // The first sync may still be filling the history in: count once its oldest message is shown.
  await expect(messages).toContainText('Hi! I saw your portfolio');
  const before = await messages.getByRole('listitem').count();
  const accountState = page.locator('.account-filter');
  await expect(accountState).toContainText('Live');

  // Once it has ended the site refuses it; a visitor writing makes the console ask.
  const alice = aliceOf(site);
  await expect
    .poll(
      async () => {
        const res = await fetch(`${site.apiUrl}/api/chat/conversations?status=active`, { headers: { Cookie: `admin_session=${token}` } });
        return res.status;
      },
      { timeout: 20_000 },
    )
    .toBe(401);
  await visitorSays(site, alice.id, alice.visitor_id, 'Are you still there?');
  const signInAgain = page.getByRole('button', { name: 'Sign in again', exact: true });
  // The account itself now says so (before, only the warning that the sign-in ends soon did).
  await expect(accountState).toContainText('Sign in again', { timeout: 20_000 });
  await expect(page.getByText('Live', { exact: true })).toHaveCount(0);

  // The owner answers meanwhile: the reply waits for the sign-in.
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Yes, still here.');
  await reply.press('Enter');
  await expect(messages.getByRole('listitem').filter({ hasText: 'Yes, still here.' })).toHaveCount(1);
  expect(onSite(site, 'Yes, still here.')).toBe(0);

  // Sign in again with a new cookie from the site's login page.
  const login = await fetch(site.loginUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }).toString(),
    redirect: 'manual',
  });
  const cookie = /admin_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
  expect(cookie).not.toBe('');
  await signInAgain.first().click();
  const dialog = page.getByRole('dialog', { name: /^Sign in to/ });
  await dialog.getByRole('textbox', { name: /^Session cookie/ }).fill(cookie);
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText('Live', { exact: true })).toBeVisible();

  // Nothing lost: the visitor's message arrives, the reply reaches the site once, the history is whole.
  await expect(messages).toContainText('Are you still there?');
  await expect.poll(() => onSite(site, 'Yes, still here.')).toBe(1);
  await expect(messages.getByRole('listitem')).toHaveCount(before + 2);
  await expect(messages).toContainText('Hi! I saw your portfolio');
});
