// Issue 16 item 6 as the user sees it: browser mode started on a profile whose mirror is damaged
// (an overwritten header, 0 bytes) starts anyway and says what happened and where the old file is.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startBackend } from './support/backend';
import { connectThroughUi } from './support/connect';
import { startWebApp } from './support/web-app';

test('a mirror with a broken header: the inbox opens with the account kept and a notice', async ({ page }) => {
  test.setTimeout(90_000);
  const backend = await startBackend({ seedDemo: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  try {
    const first = await startWebApp({ dataDir });
    await connectThroughUi(page, first.url, backend.apiUrl);
    await expect(page.getByRole('listitem').first()).toBeVisible();
    await first.stop();
    const fd = openSync(join(dataDir, 'switchboard.sqlite'), 'r+');
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
    closeSync(fd);
    const second = await startWebApp({ dataDir });
    try {
      await page.goto(second.url);
      const notice = page.locator('.mirror-recovery');
      await expect(notice).toContainText('damaged');
      await expect(notice).toContainText(join(dataDir, 'switchboard.damaged-'));
      // The account came through; its conversations are synced again from the site.
      await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()).toBeVisible({ timeout: 20_000 });
      await page.screenshot({ path: 'test-results/mirror-recovery-inbox.png' });
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      await expect(notice).toHaveCount(0);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await backend.cleanup();
  }
});

test('a 0-byte mirror: first run, and the notice says nothing could be read back', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  writeFileSync(join(dataDir, 'switchboard.sqlite'), '');
  const app = await startWebApp({ dataDir });
  try {
    await page.goto(app.url);
    await expect(page.locator('.mirror-recovery')).toContainText('Nothing could be read back');
    await expect(page.getByRole('button', { name: 'Connect your site' })).toBeVisible();
    await page.screenshot({ path: 'test-results/mirror-recovery-first-run.png' });
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
