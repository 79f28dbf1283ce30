// The main screens in light and dark, English and Indonesian, saved for the README.
import { expect, test, type Page } from '@playwright/test';
import { startBackend } from './support/backend';
import { connectThroughUi, visitorSession } from './support/connect';
import { startWebApp } from './support/web-app';

test('main screens in light and dark, English and Indonesian', async ({ browser }) => {
  test.setTimeout(120_000);
  const backend = await startBackend({ seedDemo: true });
  const app = await startWebApp();
  try {
    const setup = await browser.newPage();
    await connectThroughUi(setup, app.url, backend.apiUrl);
    await expect(setup.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()).toBeVisible();
    const visitor = await visitorSession(backend.apiUrl);
    await visitor.send('Hi! Saw your portfolio — do you take freelance work?', 'Maya');
    await setup.close();

    for (const scheme of ['light', 'dark'] as const) {
      for (const locale of ['en-US', 'id-ID']) {
        const context = await browser.newContext({ colorScheme: scheme, locale, viewport: { width: 1280, height: 760 } });
        const page = await context.newPage();
        await page.goto(await app.freshUrl());
        const lang = locale.slice(0, 2);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        const first = page.getByRole('list', { name: lang === 'id' ? 'Percakapan' : 'Conversations' }).getByRole('listitem').first();
        await first.click();
        await expect(page.getByRole('list', { name: lang === 'id' ? 'Pesan' : 'Messages' }).getByRole('listitem').first()).toBeVisible();
        await page.screenshot({ path: `docs/screenshots/inbox-${scheme}-${lang}.png` });
        await context.close();
      }
    }

    // Search (Ctrl+K), dark and Indonesian.
    const search = await browser.newContext({ colorScheme: 'dark', locale: 'id-ID', viewport: { width: 1280, height: 760 } });
    const searchPage = await search.newPage();
    await searchPage.goto(await app.freshUrl());
    await expectDarkIndonesian(searchPage);
    await expect(searchPage.getByRole('list', { name: 'Percakapan' }).getByRole('listitem').first()).toBeVisible();
    await searchPage.keyboard.press('Control+k');
    await searchPage.getByRole('searchbox', { name: 'Cari' }).fill('freelance');
    const hit = searchPage.getByRole('list', { name: 'Hasil pencarian' }).getByRole('button').first();
    await expect(hit).toContainText('freelance');
    await expect(hit.locator('mark').first()).toBeVisible();
    await searchPage.screenshot({ path: 'docs/screenshots/search-dark-id.png' });
    await search.close();

    // First run (a fresh profile, no site yet), dark and Indonesian.
    const fresh = await startWebApp();
    try {
      const firstRun = await browser.newContext({ colorScheme: 'dark', locale: 'id-ID', viewport: { width: 1280, height: 760 } });
      const firstRunPage = await firstRun.newPage();
      await firstRunPage.goto(fresh.url);
      await expectDarkIndonesian(firstRunPage);
      await expect(firstRunPage.getByRole('heading', { name: 'Selamat datang di Switchboard' })).toBeVisible();
      await expect(firstRunPage.getByRole('button', { name: 'Coba demo' })).toBeVisible();
      await firstRunPage.screenshot({ path: 'docs/screenshots/first-run-dark-id.png' });
      await firstRun.close();
    } finally {
      await fresh.stop();
    }
  } finally {
    await app.stop();
    await backend.cleanup();
  }
});

/** The page follows the system: Indonesian, and the dark palette actually applied. */
async function expectDarkIndonesian(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark');
}
