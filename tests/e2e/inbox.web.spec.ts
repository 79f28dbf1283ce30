import { expect, test } from '@playwright/test';
import { startWebApp, type WebApp } from './support/web-app';

let app: WebApp;

test.beforeAll(async () => {
  app = await startWebApp();
});
test.afterAll(async () => {
  await app?.stop();
});

test('a missing or wrong token gets 401', async ({ page }) => {
  const missing = await page.goto(`${app.origin}/`);
  expect(missing?.status()).toBe(401);
  const wrong = await page.goto(`${app.origin}/?token=not-the-token`);
  expect(wrong?.status()).toBe(401);
  await expect(page.getByText('401 Unauthorized')).toBeVisible();
});

test('the token opens the first-run screen, read through the contract', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await page.goto(app.url);
  // The token is exchanged for a cookie and removed from the address bar.
  await expect(page).toHaveURL(`${app.origin}/`);
  // No account yet: the two ways in.
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
  await page.getByRole('button', { name: 'Connect your site' }).click();
  for (const name of ['Site URL', 'Email', 'Password']) await expect(page.getByRole('textbox', { name })).toBeVisible();
  // Validation before anything is sent.
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Fill in: Site URL.');
  // An unreachable site gets a clear error.
  await page.getByRole('textbox', { name: 'Site URL' }).fill('http://127.0.0.1:9');
  await page.getByRole('textbox', { name: 'Email' }).fill('admin@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('whatever');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('cannot be reached');
  // A plain http:// site off this computer: nothing is sent until the user confirms.
  await page.getByRole('textbox', { name: 'Site URL' }).fill('http://chat.example.com');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('This site is not encrypted');
  await expect(page.getByRole('alert')).toContainText('chat.example.com is not encrypted (http://)');
  await expect(page.getByRole('button', { name: 'Connect anyway' })).toBeVisible();
  await page.screenshot({ path: 'test-results/insecure-site.png' });
  await page.getByRole('textbox', { name: 'Site URL' }).fill('http://127.0.0.1:9');

  // The same typed contract answers in the page. Every call resolves to { ok, value | error }
  // (as over Electron's contextBridge); bad arguments get a clear error with its code.
  const info = await page.evaluate(() => window.switchboard.invoke('app.info'));
  expect(info).toMatchObject({ ok: true, value: { mode: 'web', secretsEncrypted: false } });
  const refused = await page.evaluate(() =>
    window.switchboard.invoke('conversations.page', { filter: 'everything' as never }).then(
      (result) => result,
      (e: unknown) => `rejected: ${String(e)}`,
    ),
  );
  expect(refused).toEqual({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/^Invalid argument for conversations\.page: filter/) } });

  await page.screenshot({ path: 'docs/screenshots/first-run.png' });
  // Errors from the contract are returned values: the page logs nothing.
  expect(errors).toEqual([]);
});

test('the page runs under a strict Content-Security-Policy', async ({ page }) => {
  const response = await page.goto(await app.freshUrl());
  const csp = (await response?.request().redirectedFrom()?.response())?.headers()['content-security-policy'] ?? '';
  const pageCsp = response?.headers()['content-security-policy'] ?? csp;
  expect(pageCsp).toContain("script-src 'self'");
  expect(pageCsp).toContain("object-src 'none'");
  const inlineRan = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.head.append(s);
    return (window as unknown as { __inline?: boolean }).__inline === true;
  });
  expect(inlineRan).toBe(false);
});
