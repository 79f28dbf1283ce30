// A profile with 100,000 conversations opens and scrolls: the list is virtualized, so the page
// holds a few dozen rows whatever the inbox size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { openDatabase } from '../../src/main/core/db/open';
import { Mirror } from '../../src/main/core/mirror/mirror';
import { startWebApp } from './support/web-app';

const COUNT = 100_000;

function makeProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-large-'));
  const database = openDatabase({ file: join(dir, 'switchboard.sqlite'), migrationsDir: resolve(__dirname, '../../migrations') });
  const mirror = new Mirror(database);
  // An account whose site is unreachable: the inbox opens from the mirror alone.
  const account = mirror.accounts.create(
    { kind: 'portfolio', name: 'Big site', baseUrl: 'http://127.0.0.1:9', config: { extensions: true, pusher: { key: 'k', cluster: 'mt1', wsHost: '127.0.0.1', wsPort: 9, forceTLS: false } } },
    1,
  );
  const start = Date.now() - COUNT * 1000;
  mirror.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      mirror.conversations.upsert(
        account.id,
        { remoteId: String(i + 1), visitorName: `Visitor ${i + 1}`, createdAt: start + i * 1000, lastMessagePreview: `Message from visitor ${i + 1}`, lastMessageAt: start + i * 1000 },
        start,
      );
    }
  });
  mirror.close();
  return dir;
}

test('100,000 conversations open and scroll', async ({ page }) => {
  test.setTimeout(180_000);
  const dataDir = makeProfile();
  const app = await startWebApp({ dataDir });
  try {
    await page.setViewportSize({ width: 1280, height: 760 });
    const opened = Date.now();
    await page.goto(app.url);
    const list = page.getByRole('list', { name: 'Conversations' });
    await expect(list.getByRole('listitem').first()).toHaveAccessibleName(/^Visitor 100000,/);
    console.log(`large inbox: first rows visible ${Date.now() - opened} ms after navigation`);
    await expect(page.getByRole('button', { name: 'All', exact: true })).toContainText('100000');

    const scroller = page.getByTestId('conversation-scroller');
    // Keep scrolling down: the scroller can only go as far as the rows loaded so far, so each
    // round reaches the end of what is loaded and asks for the next page.
    await expect
      .poll(async () => {
        await scroller.evaluate((el) => (el.scrollTop += 4000));
        const names = await list.getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        return Math.min(...names.map((n) => Number(/^Visitor (\d+)/.exec(n)?.[1] ?? Infinity)));
      }, { intervals: [50], timeout: 30_000 })
      .toBeLessThan(COUNT - 2000);
    // More pages were loaded as the end came near, and the DOM stayed small.
    const rows = await list.getByRole('listitem').count();
    expect(rows).toBeLessThan(60);
    const total = await scroller.evaluate((el) => el.scrollHeight);
    expect(total).toBeGreaterThan(500 * 60);
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
