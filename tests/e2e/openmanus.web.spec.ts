// Browser mode against the REAL openmanus reference backend (Django Channels, scripted agent):
// add the account with a pasted token, start a conversation from "New conversation", watch the
// agent's steps arrive in the timeline, the answer raises a notification (Agent sound), and
// search finds a tool result, also once the backend is stopped. Screenshots: the dialog and
// the timeline in light and dark (docs/screenshots/openmanus-*.png).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startOpenManus, type OpenManusProcess } from '../../backends/openmanus/testing';
import { seriousViolations } from './support/axe';
import { playedSounds, recordNotifications, shownNotifications } from './support/notifications';
import { startWebApp, type WebApp } from './support/web-app';
import { readRowsWhileScrolling, scrollToOldest } from './support/windowed-rows';

test('start an agent conversation, watch its steps, get notified, search a tool result offline', async ({ browser }) => {
  test.setTimeout(180_000);
  let backend: OpenManusProcess | null = await startOpenManus({ dataDir: mkdtempSync(join(tmpdir(), 'om-e2e-')), seedDemo: true, tickMs: 400 });
  let app: WebApp | null = null;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    app = await startWebApp();
    const page = await context.newPage();
    await recordNotifications(page, app.url);
    const shown = () => shownNotifications(page);
    const sounds = () => playedSounds(page);

    await page.goto(app.url);
    await page.getByRole('button', { name: 'Connect your site' }).click();
    await page.getByRole('combobox', { name: 'Backend' }).selectOption({ label: 'OpenManus agents' });
    await page.getByRole('textbox', { name: 'Base URL (with /api)' }).fill(backend.api);
    await page.getByRole('textbox', { name: 'Token' }).fill(await backend.mint(900));
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const conversations = page.getByRole('list', { name: 'Conversations' });
    await expect(conversations.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });

    // The owner is in another window while the agent works (a focused conversation never notifies).
    await page.evaluate(() => {
      document.hasFocus = () => false;
      window.dispatchEvent(new Event('blur'));
    });

    await page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    const model = dialog.getByRole('combobox', { name: 'Model' });
    await expect(model).not.toHaveValue('');
    await model.fill('gpt-4o');
    await dialog.getByRole('textbox', { name: 'First message' }).fill('Compare tamarind prices in Jakarta #ok #steps=4');
    await page.screenshot({ path: 'docs/screenshots/openmanus-new-conversation.png' });
    expect(await seriousViolations(page), 'New conversation dialog').toEqual([]);
    await dialog.getByRole('button', { name: 'Start' }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });

    // It opens selected, the user's message on the owner's side, and the steps arrive live.
    const pane = page.getByRole('region', { name: /^Conversation with Compare tamarind/ });
    await expect(pane).toBeVisible();
    const messages = pane.getByRole('list', { name: 'Messages' });
    await expect(messages.locator('.message.mine').first()).toContainText('Compare tamarind prices');
    await expect(conversations.getByRole('listitem', { name: /Compare tamarind.*Agent running/ })).toBeVisible({ timeout: 20_000 });
    // The pane draws only the rows on screen and follows the newest: a step is drawn while the
    // agent runs; every step is checked once the run is over.
    await expect(messages.getByRole('button', { name: /^Step: Step \d+ of 20/ }).first()).toBeVisible({ timeout: 20_000 });
    await expect(pane.locator('.chip.agent-running')).toBeVisible();

    // The answer: an agent message, the run ends, and the notification comes with the Agent sound.
    await expect(messages.locator('.message.ai').last()).toContainText('Here is what I found', { timeout: 30_000 });
    await expect.poll(async () => (await shown()).find((n) => n.tag.startsWith('agent:'))?.title, { timeout: 20_000 }).toMatch(/^Agent finished: Compare tamarind/);
    const note = (await shown()).find((n) => n.tag.startsWith('agent:'))!;
    expect(note.body).toContain('Here is what I found');
    await expect.poll(async () => (await sounds()).some((s) => /bell.*\.wav$/.test(s))).toBe(true);
    await expect(pane.locator('.chip.agent-finished')).toBeVisible();
    await expect(conversations.getByRole('listitem', { name: /Compare tamarind.*Agent running/ })).toHaveCount(0);
    // Every step is in the timeline, in order, read while scrolling the pane from its top.
    await scrollToOldest(page, messages.locator('.message.mine').filter({ hasText: 'Compare tamarind prices' }));
    const steps = (await readRowsWhileScrolling(page, { pick: '.timeline-label' })).map((r) => r.text ?? '').filter((l) => /^Step \d+ of 20$/.test(l));
    expect(steps.slice(0, 3)).toEqual(['Step 1 of 20', 'Step 2 of 20', 'Step 3 of 20']);
    expect(steps).toEqual(steps.map((_, i) => `Step ${i + 1} of 20`));

    // A tool result row expands to its text and payload, as text.
    // Held by its name: the drawn rows change as the pane scrolls, so "the first drawn" would too.
    const resultName = (await messages.getByRole('button', { name: / result: / }).first().getAttribute('aria-label'))!;
    const result = messages.getByRole('button', { name: resultName, exact: true });
    await expect(result).toHaveAttribute('aria-expanded', 'false');
    await result.click();
    await expect(result).toHaveAttribute('aria-expanded', 'true');
    await expect(messages.locator('.timeline-details').first()).toBeVisible();
    await page.screenshot({ path: 'docs/screenshots/openmanus-timeline.png' });
    expect(await seriousViolations(page), 'timeline, light').toEqual([]);
    await page.evaluate(async () => {
      const r = await window.switchboard.invoke('settings.update', { theme: 'dark' });
      if (!r.ok) throw new Error(r.error.message);
    });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: 'docs/screenshots/openmanus-timeline-dark.png' });
    expect(await seriousViolations(page), 'timeline, dark').toEqual([]);
    // The Agent sound has its own picker in Settings.
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settingsDialog = page.getByRole('dialog', { name: 'Settings' });
    await expect(settingsDialog.getByRole('combobox', { name: 'Agent sound' })).toHaveValue('bell');
    await page.screenshot({ path: 'test-results/openmanus-settings-dark.png' });
    await page.keyboard.press('Escape');
    await expect(settingsDialog).toBeHidden();
    // Keyboard: Enter on the focused row closes it again.
    await result.focus();
    await page.keyboard.press('Enter');
    await expect(result).toHaveAttribute('aria-expanded', 'false');

    // Search finds a tool result (only tool results say "result:" in their row text), online and with the backend stopped.
    const search = page.getByRole('searchbox', { name: 'Search' });
    const results = page.getByRole('list', { name: 'Search results' });
    const word = (await result.getAttribute('aria-label'))!.includes('web_search') ? 'overview' : (await result.getAttribute('aria-label'))!.includes('browser_use') ? 'Navigated' : 'observation';
    await search.fill(word);
    await expect(results.locator('.search-hit').filter({ hasText: word }).first()).toBeVisible();
    await search.fill('');
    await backend.stop();
    backend = null;
    await expect(page.getByRole('navigation').getByText('Unavailable')).toBeVisible({ timeout: 30_000 });
    await search.fill(word);
    const hit = results.locator('.search-hit').filter({ hasText: word }).first();
    await expect(hit).toBeVisible();
    await page.screenshot({ path: 'test-results/openmanus-search-offline.png' });
  } finally {
    await context.close();
    await app?.stop();
    await backend?.stop();
  }
});
