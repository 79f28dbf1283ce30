// The deployed site's visitor widget in Chromium against `--as-deployed`: a visitor writes, the
// AI answers as "Assistant" with its typing indicator, the owner's reply (cookie, REST) arrives
// live, text stays text, and a reload brings back the whole history.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { startDeployedBackend, type DeployedBackendHandle } from '../src/index';

const test = base.extend<object, { site: DeployedBackendHandle }>({
  site: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'portfolio-deployed-e2e-'));
      const site = await startDeployedBackend({ port: 0, pusherPort: 0, dataDir: dir, seedDemo: true, autoReplyDelayMs: 800 });
      await use(site);
      await site.close();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ site }, use) => {
    await use(site.apiUrl);
  },
});

async function signIn(site: DeployedBackendHandle): Promise<string> {
  const res = await fetch(`${site.apiUrl}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: site.admin?.email ?? '', password: site.admin?.password ?? '' }).toString(),
    redirect: 'manual',
  });
  return /admin_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
}

test('a visitor chats with the AI and the owner on the deployed site', async ({ page, site }) => {
  await page.goto('/');
  await page.click('[aria-label="Open chat"]');
  const untrusted = 'Hi! <img src=x onerror="window.__xss=1"> what is your price?';
  await page.fill('[data-testid="chat-input"]', untrusted);
  await page.click('[data-testid="send-button"]');

  const messages = page.locator('[data-testid="message"]');
  await expect(messages.first()).toContainText(untrusted);
  expect(await messages.first().locator('img').count()).toBe(0);
  // The AI's answer comes inside the send request, shown as the Assistant.
  const ai = messages.filter({ has: page.locator('.who', { hasText: 'Assistant' }) });
  await expect(ai).toHaveCount(1);
  await expect(ai).toContainText('Pricing depends');
  await expect(ai).toHaveAttribute('data-sender', 'ai');
  expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();

  // A second message: the widget is subscribed now, so it sees ai-typing before the answer.
  await page.fill('[data-testid="chat-input"]', 'Could we schedule a call?');
  await page.click('[data-testid="send-button"]');
  await expect(page.locator('[data-testid="typing-indicator"]')).toHaveText('Assistant is typing…');
  await expect(ai).toHaveCount(2);
  await expect(page.locator('[data-testid="typing-indicator"]')).toBeHidden();
  await expect(messages).toHaveCount(4);

  // The owner replies with the cookie; it arrives live.
  const cookie = await signIn(site);
  const list = (await (await fetch(`${site.apiUrl}/api/chat/conversations?status=active`, { headers: { Cookie: `admin_session=${cookie}` } })).json()) as {
    data: { id: number; messages: { content: string }[] }[];
  };
  const conv = list.data.find((c) => c.messages[0]?.content.startsWith('Happy to set up a call'));
  expect(conv).toBeDefined();
  const reply = await fetch(`${site.apiUrl}/api/chat/send`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: `admin_session=${cookie}` },
    body: JSON.stringify({ conversationId: conv?.id, content: 'Hello, the owner here!' }),
  });
  expect(reply.status).toBe(200);
  await expect(messages.filter({ hasText: 'Hello, the owner here!' })).toHaveAttribute('data-sender', 'admin');
  await expect(messages).toHaveCount(5);
  await page.screenshot({ path: 'test-results/deployed-widget.png' });

  // A reload brings back the whole history from the site, once each.
  await page.reload();
  await page.click('[aria-label="Open chat"]');
  await expect(messages).toHaveCount(5);
  await expect(messages.nth(1)).toHaveAttribute('data-sender', 'ai');
});

test('the site\'s own /admin/login form signs a browser in', async ({ page, site }) => {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.fill('input[name="email"]', site.admin?.email ?? '');
  await page.fill('input[name="password"]', 'wrong password');
  await page.click('button[type="submit"]');
  await expect(page.getByRole('alert')).toHaveText('Invalid email or password.');
  await page.fill('input[name="password"]', site.admin?.password ?? '');
  await page.click('button[type="submit"]');
  await expect(page.getByTestId('signed-in')).toContainText(site.admin?.email ?? '');
  await page.screenshot({ path: 'test-results/deployed-admin-login.png' });
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'admin_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
});
