// Issue 16 in the page (browser mode, real backend, real Chromium): a 100,000-character message
// shows its first part with "Show the whole message" (15); names are neutralised in list rows and
// titles (18); a visitor's link asks before it opens however it is triggered (17); when the core
// dies the page says so instead of "Live" and keeps the reply being typed (16).
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startBackend } from './support/backend';
import { connectThroughUi, visitorSession } from './support/connect';
import { startWebApp } from './support/web-app';

const LONG = 100_000;

test('long messages, neutral names, guarded links and a lost core', async ({ page }) => {
  test.setTimeout(120_000);
  const backendDir = mkdtempSync(join(tmpdir(), 'switchboard-backend-'));
  const backend = await startBackend({ dataDir: backendDir });
  const app = await startWebApp();
  try {
    const admin = await visitorSession(backend.apiUrl);
    await admin.send('hello, it is me', 'Admin (You)');
    const blank = await visitorSession(backend.apiUrl);
    await blank.send('who am I?', '   ');
    const reversed = await visitorSession(backend.apiUrl);
    await reversed.send('see https://example.com/docs and mailto:me@example.com?subject=hi&bcc=spy@evil.example', '\u202Enimda');
    // The reference backend caps what a visitor sends at 2,000 characters; other deployments
    // take 100,000 (backends.md). The message goes into the backend's own database, as REST then serves it.
    const db = new Database(join(backendDir, 'portfolio.sqlite'));
    const conversationId = (db.prepare("SELECT id FROM conversations WHERE visitor_name = 'Admin (You)'").get() as { id: number }).id;
    db.prepare("INSERT INTO messages (conversation_id, sender_type, sender_id, content, is_read, read_at, client_message_id, created_at) VALUES (?, 'visitor', NULL, ?, 0, NULL, NULL, ?)").run(
      conversationId,
      'x'.repeat(LONG),
      new Date().toISOString(),
    );
    db.close();

    await page.setViewportSize({ width: 1280, height: 760 });
    await connectThroughUi(page, app.url, backend.apiUrl);
    const rows = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem');
    await expect(rows).toHaveCount(3);

    // 18: the same neutral names everywhere.
    await expect(rows.filter({ hasText: 'Admin (You) (visitor)' })).toHaveCount(1);
    await expect(rows.filter({ hasText: 'Anonymous' })).toHaveCount(1);
    const names = await page.locator('.conversations .name').allTextContents();
    expect(names.sort()).toEqual(['Admin (You) (visitor)', 'Anonymous', 'nimda']);

    // 17: middle-click and drag cannot skip the confirmation; mailto loses its parameters.
    await rows.filter({ hasText: 'nimda' }).click();
    await expect(page.getByRole('heading', { name: 'nimda' })).toBeVisible();
    const link = page.locator('.messages a[href^="https://example.com/"]');
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const popups: string[] = [];
    page.context().on('page', (p) => popups.push(p.url()));
    await link.click({ button: 'middle' });
    // Either a confirmation or a tab opened without one (that would be the bug); neither: the click missed.
    await expect.poll(() => dialogs.length + popups.length).toBeGreaterThan(0);
    expect(popups).toEqual([]);
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toContain('https://example.com/docs');
    const dragAllowed = await link.evaluate((a) => a.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true })));
    expect(dragAllowed).toBe(false);
    expect(await link.getAttribute('draggable')).toBe('false');
    expect(await page.locator('.messages a[href^="mailto:"]').getAttribute('href')).toBe('mailto:me@example.com');
    await link.click();
    await expect.poll(() => dialogs.length).toBe(2);
    expect(popups).toEqual([]);

    // 15: the long message shows its first part and a button for the rest.
    await rows.filter({ hasText: 'Admin (You) (visitor)' }).click();
    const showWhole = page.getByRole('button', { name: 'Show the whole message' });
    await expect(showWhole).toBeVisible();
    const bubble = page.locator('.bubble').filter({ has: showWhole });
    const shownChars = await bubble.locator('span').first().evaluate((el) => el.textContent?.length ?? 0);
    expect(shownChars).toBe(3000);
    await expect(bubble).toContainText('Showing the first 3,000 of 100,000 characters.');
    await page.screenshot({ path: 'test-results/long-message.png' });
    await showWhole.click();
    await expect(showWhole).toHaveCount(0);
    expect(await page.locator('.bubble .long-whole').evaluate((el) => el.textContent?.length ?? 0)).toBe(LONG);

    // 16: the core dies while a reply is being typed (in a conversation with short messages).
    await rows.filter({ hasText: 'nimda' }).click();
    await expect(page.getByRole('heading', { name: 'nimda' })).toBeVisible();
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Thanks, I will get back to you');
    await expect(page.locator('.sidebar')).toContainText('Live');
    app.process.kill('SIGKILL');
    await expect(page.getByRole('alert').filter({ hasText: 'Lost the connection to Switchboard' })).toBeVisible();
    await expect(page.locator('.sidebar')).not.toContainText('Live');
    await expect(reply).toHaveValue('Thanks, I will get back to you');
    await reply.press('End');
    await reply.pressSequentially(' tomorrow.');
    await expect(reply).toHaveValue('Thanks, I will get back to you tomorrow.');
    await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
    await expect(page.getByText('your reply is kept')).toBeVisible();
    await page.screenshot({ path: 'test-results/connection-lost.png' });
  } finally {
    await app.stop();
    await backend.cleanup();
  }
});
