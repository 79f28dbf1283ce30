// axe-core on the main screens (first run, inbox, conversation, search, settings, shortcuts),
// light and dark: no serious or critical violations. And the keyboard in a real browser: rows
// in the Tab order with arrows, dialogs that keep focus inside and give it back.
import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/axe';
import { startBackend } from './support/backend';
import { connectThroughUi, visitorSession } from './support/connect';
import { startWebApp, type WebApp } from './support/web-app';

test.describe.configure({ mode: 'serial' });

let app: WebApp;
let backend: Awaited<ReturnType<typeof startBackend>>;

test.beforeAll(async ({ browser }) => {
  backend = await startBackend();
  app = await startWebApp();
  const page = await browser.newPage();
  await connectThroughUi(page, app.url, backend.apiUrl);
  for (const [name, text] of [
    ['Ana Lestari', 'Halo! Is the portfolio template still available?'],
    ['Budi', 'Do you ship to Surabaya?'],
    ['Citra', 'Thanks, that answered it.'],
  ] as const) {
    await (await visitorSession(backend.apiUrl)).send(text, name);
  }
  await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem')).toHaveCount(3);
  await page.close();
});
test.afterAll(async () => {
  await app?.stop();
  await backend?.cleanup();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: inbox, conversation, search, settings, shortcuts, export and stats (${scheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 760 } });
    const page = await context.newPage();
    await page.goto(await app.freshUrl());
    const list = page.getByRole('list', { name: 'Conversations' });
    await expect(list.getByRole('listitem')).toHaveCount(3);
    const found: Record<string, string[]> = {};
    found.inbox = await seriousViolations(page);

    await list.getByRole('listitem', { name: /^Ana Lestari/ }).click();
    await expect(page.getByRole('list', { name: 'Messages' })).toContainText('portfolio template');
    found.conversation = await seriousViolations(page);

    await page.keyboard.press('Control+k');
    await page.getByRole('searchbox', { name: 'Search' }).fill('Surabaya');
    await expect(page.getByRole('list', { name: 'Search results' }).getByRole('button').first()).toContainText('Surabaya');
    found.search = await seriousViolations(page);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    found.settings = await seriousViolations(page);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    found.shortcuts = await seriousViolations(page);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Export…' }).click();
    await expect(page.getByRole('dialog', { name: 'Export conversations' })).toBeVisible();
    found.export = await seriousViolations(page);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Stats', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Stats' }).locator('.bar-chart canvas')).toHaveCount(3);
    found.stats = await seriousViolations(page);
    await context.close();
    expect(found).toEqual({ inbox: [], conversation: [], search: [], settings: [], shortcuts: [], export: [], stats: [] });
  });
}

test('axe: first run, light and dark', async ({ browser }) => {
  const fresh = await startWebApp();
  try {
    const found: Record<string, string[]> = {};
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 760 } });
      const page = await context.newPage();
      // One start link per browser context: the first is printed at start, the next after it is used.
      await page.goto(scheme === 'light' ? fresh.url : await fresh.freshUrl());
      await page.getByRole('button', { name: 'Connect your site' }).click();
      await expect(page.getByRole('textbox', { name: 'Site URL' })).toBeVisible();
      found[scheme] = await seriousViolations(page);
      await context.close();
    }
    expect(found).toEqual({ light: [], dark: [] });
  } finally {
    await fresh.stop();
  }
});

test('keyboard: Tab reaches the selected row, arrows move focus, Enter opens; dialogs trap and return focus', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 760 });
  await page.goto(await app.freshUrl());
  const rows = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem');
  await expect(rows).toHaveCount(3);
  // From the search field, Tab goes to the export, stats and shortcuts buttons, then to the list (one stop).
  await page.getByRole('searchbox', { name: 'Search' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Export…' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Stats', exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(rows.first()).toBeFocused();
  await expect(rows.first()).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(2)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(rows.nth(1)).toBeFocused();
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Enter');
  const name = (await rows.nth(1).getAttribute('aria-label'))!.split(',')[0]!;
  await expect(page.getByRole('region', { name: `Conversation with ${name}` })).toBeVisible();

  // The shortcut sheet: focus starts inside, 12 Tabs never leave it, Escape returns focus.
  const help = page.getByRole('button', { name: 'Keyboard shortcuts' });
  await help.click();
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet.getByRole('button', { name: 'Done' })).toBeFocused();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    expect(await sheet.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect(help).toBeFocused();

  // Settings (Ctrl+,) from a row: Tab stays inside; Done gives focus back to the row.
  await rows.first().focus();
  await page.keyboard.press('Control+,');
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    expect(await settings.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await settings.getByRole('button', { name: 'Done' }).click();
  await expect(rows.first()).toBeFocused();
});
