// Export end to end: one conversation as Markdown, the Active filter as CSV, and the PDF print
// view, with the visitor's details and the status history, from a real backend's conversations.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startBackend } from './support/backend';
import { connectThroughUi, visitorSession } from './support/connect';
import { startWebApp } from './support/web-app';

test('export one conversation as Markdown, the Active filter as CSV, and a print view for PDF', async ({ page }) => {
  test.setTimeout(120_000);
  const backend = await startBackend();
  const app = await startWebApp();
  try {
    await page.setViewportSize({ width: 1280, height: 760 });
    await connectThroughUi(page, app.url, backend.apiUrl);
    await (await visitorSession(backend.apiUrl)).send('Halo! Apakah template *portfolio* masih ada?', 'Sari');
    await (await visitorSession(backend.apiUrl)).send('=1+1 is how I write sums', 'Tono');
    const list = page.getByRole('list', { name: 'Conversations' });
    await expect(list.getByRole('listitem')).toHaveCount(2);
    await list.getByRole('listitem', { name: /^Sari/ }).click();
    const pane = page.getByRole('region', { name: 'Conversation with Sari' });
    await pane.getByRole('textbox', { name: 'Reply' }).fill('Masih ada, silakan.');
    await pane.getByRole('textbox', { name: 'Reply' }).press('Enter');
    await expect(pane.getByRole('list', { name: 'Messages' })).toContainText('Masih ada, silakan.');

    // One conversation, Markdown.
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export conversations' });
    await expect(dialog.getByRole('radio', { name: 'This conversation, with Sari' })).toBeChecked();
    await page.screenshot({ path: 'docs/screenshots/export.png' });
    let download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    let file = await download;
    expect(file.suggestedFilename()).toMatch(/^switchboard-sari-\d{4}-\d\d-\d\d\.md$/);
    const md = readFileSync(await file.path(), 'utf8');
    expect(md).toContain('## Sari');
    expect(md).toContain('> Halo\\! Apakah template \\*portfolio\\* masih ada?');
    expect(md).toContain('Masih ada, silakan.');
    expect(md).toContain('### Status history');
    await expect(dialog.getByRole('status')).toContainText('Exported 1 conversation to switchboard-sari-');

    // The Active filter, CSV: a header and one row per message, no formula.
    await dialog.getByRole('radio', { name: 'The 2 conversations in Active' }).check();
    await dialog.getByRole('radio', { name: 'CSV, one row per message (.csv)' }).check();
    download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    file = await download;
    const rows = readFileSync(await file.path(), 'utf8').trimEnd().split('\r\n');
    expect(rows[0]).toContain('conversation_id,visitor_name');
    expect(rows).toHaveLength(1 + 3);
    expect(rows.join('\n')).toContain(`"'=1+1 is how I write sums"`);

    // PDF: the print view shows the Markdown text alone when printing.
    await page.evaluate(() => {
      window.print = () => document.body.setAttribute('data-printed', 'yes');
    });
    await dialog.getByRole('radio', { name: 'This conversation, with Sari' }).check();
    await dialog.getByRole('radio', { name: /^PDF/ }).check();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes');
    // Hidden on screen (so not in the accessibility tree), shown alone when printing.
    await expect(page.locator('.print-view')).toBeAttached();
    await expect(page.locator('.print-view')).toBeHidden();
    await page.emulateMedia({ media: 'print' });
    const view = page.getByRole('article', { name: 'Conversation with Sari' });
    await expect(view).toBeVisible();
    await expect(view).toContainText('Masih ada, silakan.');
    await expect(page.getByRole('list', { name: 'Conversations' })).toBeHidden();
    await page.screenshot({ path: 'docs/screenshots/export-print-view.png' });
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await expect(page.locator('.print-view')).toHaveCount(0);
  } finally {
    await app.stop();
    await backend.cleanup();
  }
});
