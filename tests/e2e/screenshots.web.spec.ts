// The main screens in light and dark, English and Indonesian, saved for the README.
import { expect, test } from '@playwright/test';
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
        await page.goto(app.url);
        const lang = locale.slice(0, 2);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        const first = page.getByRole('list', { name: lang === 'id' ? 'Percakapan' : 'Conversations' }).getByRole('listitem').first();
        await first.click();
        await expect(page.getByRole('list', { name: lang === 'id' ? 'Pesan' : 'Messages' }).getByRole('listitem').first()).toBeVisible();
        await page.screenshot({ path: `docs/screenshots/inbox-${scheme}-${lang}.png` });
        await context.close();
      }
    }
  } finally {
    await app.stop();
    await backend.cleanup();
  }
});
