// Saved replies end to end: added in Settings, kept in the mirror database across a restart of
// browser mode, exported and imported as JSON, inserted from the composer with "/" and sent.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startBackend } from './support/backend';
import { connectThroughUi, visitorSession } from './support/connect';
import { startWebApp } from './support/web-app';

test('saved replies: add in Settings, survive a restart, export/import JSON, insert with "/" and send', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const backend = await startBackend();
  // One profile folder for both runs of browser mode (the helper removes only folders it made).
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-saved-'));
  let app = await startWebApp({ dataDir });
  try {
    let page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await connectThroughUi(page, app.url, backend.apiUrl);
    await (await visitorSession(backend.apiUrl)).send('Berapa ongkos kirim ke Surabaya?', 'Dewi');
    await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: /^Dewi/ })).toBeVisible();

    // Settings › Saved replies: add one.
    await page.keyboard.press('Control+,');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('button', { name: 'New saved reply' }).click();
    await settings.getByRole('textbox', { name: 'Title' }).fill('Ongkir');
    await settings.getByRole('textbox', { name: 'Text' }).fill('Ongkos kirim ke Surabaya mulai Rp 15.000, sampai dalam 2–3 hari.');
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(settings.getByRole('list', { name: 'Saved replies' })).toContainText('Ongkir');
    await settings.getByRole('button', { name: 'Done' }).click();

    // Stored in the mirror: a restart of browser mode (same data folder) still has it.
    await page.close();
    await app.stop();
    app = await startWebApp({ dataDir });
    page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.goto(app.url);
    await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: /^Dewi/ })).toBeVisible();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect(dialog.getByRole('list', { name: 'Saved replies' })).toContainText('Ongkir');

    // Export: a JSON file with the reply.
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('switchboard-saved-replies.json');
    const exported = JSON.parse(readFileSync(await file.path(), 'utf8'));
    expect(exported).toEqual({ format: 'switchboard-saved-replies', version: 1, replies: [{ title: 'Ongkir', content: 'Ongkos kirim ke Surabaya mulai Rp 15.000, sampai dalam 2–3 hari.' }] });

    // Import: one new, one known title with new text.
    const importPath = testInfo.outputPath('import.json');
    writeFileSync(
      importPath,
      JSON.stringify({ ...exported, replies: [{ title: 'Ongkir', content: 'Ongkos kirim ke Surabaya Rp 15.000.' }, { title: 'Greeting', content: 'Hi! How can I help you today?' }] }),
    );
    await dialog.getByLabel('Saved replies file to import').setInputFiles(importPath);
    await expect(dialog.getByRole('status').filter({ hasText: 'Imported:' })).toHaveText('Imported: 1 new, 1 updated, 0 skipped.');
    await expect(dialog.getByRole('list', { name: 'Saved replies' }).getByRole('listitem')).toHaveCount(2);
    await dialog.getByRole('list', { name: 'Saved replies' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/saved-replies-settings.png' });
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The composer: "/" and a few letters pick it, Enter inserts, Enter sends.
    await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: /^Dewi/ }).click();
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('/ong');
    const picker = page.getByRole('listbox', { name: 'Saved replies' });
    await expect(picker.getByRole('option')).toHaveCount(1);
    await expect(picker.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
    await page.screenshot({ path: 'docs/screenshots/saved-reply-picker.png' });
    await reply.press('Enter');
    await expect(reply).toHaveValue('Ongkos kirim ke Surabaya Rp 15.000.');
    await reply.press('Enter');
    await expect(page.getByRole('list', { name: 'Messages' }).getByRole('listitem').last()).toContainText('Ongkos kirim ke Surabaya Rp 15.000.');
    await page.close();
  } finally {
    await app.stop();
    await backend.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
