// Browser mode against the REAL openmanus reference backend: one agent run (`#hostile=200`) fills a
// conversation's timeline with hundreds of hostile tool steps (markup, script, `<img onerror>`,
// javascript: links, bidi and zero-width characters, ~1.5 MB of JSON, a payload nested 400 deep).
// Nothing of it runs or becomes an element, it reads as text, the huge and the deep rows open to
// a capped preview, and the UI keeps answering: every check waits for a condition, never for time.
// Screenshot: test-results/openmanus-hostile.png.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { startOpenManus, type OpenManusProcess } from '../../backends/openmanus/testing';
import { startWebApp, type WebApp } from './support/web-app';
import { readRowsWhileScrolling, scrollToOldest, scrollToRow } from './support/windowed-rows';

const STEPS = 200;
/** What no row may contain once rendered: each would mean the text became markup. */
const INJECTED = 'script, img, iframe, svg, style, meta, details, object, embed, [onerror], [onload], [ontoggle], a[href^="javascript:" i]';
/** A row's label that carries a hostile text (every burst step's result has one of these). */
/** The row of the ~1.5 MB JSON result. */
const HUGE_ROW = 'li:has(> button[aria-label^="Agent step: python_execute result: {\\"huge\\": true"])';
const HOSTILE = /<|javascript:|__pwned|[\u200B-\u200D\u202A-\u202E\uFEFF]/u;

async function expandThenCollapse(row: Locator, check: (details: Locator) => Promise<void>): Promise<void> {
  await row.click();
  await expect(row).toHaveAttribute('aria-expanded', 'true');
  const details = row.page().locator(`[id="${await row.getAttribute('aria-controls')}"]`);
  await expect(details).toBeVisible();
  await check(details);
  await row.click();
  await expect(row).toHaveAttribute('aria-expanded', 'false');
  await expect(details).toHaveCount(0);
}

test('200 hostile agent steps stay inert text, open capped, and the UI keeps answering', async ({ page }) => {
  test.setTimeout(300_000);
  const backend: OpenManusProcess = await startOpenManus({ dataDir: mkdtempSync(join(tmpdir(), 'om-hostile-')), seedDemo: true, tickMs: 10 });
  let app: WebApp | null = null;
  try {
    app = await startWebApp();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(app.url);
    const startUrl = page.url();
    await page.getByRole('button', { name: 'Connect your site' }).click();
    await page.getByRole('combobox', { name: 'Backend' }).selectOption({ label: 'OpenManus agents' });
    await page.getByRole('textbox', { name: 'Base URL (with /api)' }).fill(backend.api);
    await page.getByRole('textbox', { name: 'Token' }).fill(await backend.mint(1800));
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const conversations = page.getByRole('list', { name: 'Conversations' });
    await expect(conversations.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });

    await page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New conversation' });
    await expect(dialog.getByRole('combobox', { name: 'Model' })).not.toHaveValue('');
    await dialog.getByRole('textbox', { name: 'First message' }).fill(`Run the hostile tools #hostile=${STEPS} #ok`);
    await dialog.getByRole('button', { name: 'Start' }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });

    // The run streams in with the conversation open; it ends with the agent's answer.
    const pane = page.getByRole('region', { name: /^Conversation with Run the hostile tools/ });
    const messages = pane.getByRole('list', { name: 'Messages' });
    await expect(messages.locator('.message.ai').last()).toContainText('Here is what I found', { timeout: 240_000 });
    await expect(pane.locator('.chip.agent-finished')).toBeVisible({ timeout: 30_000 });
    // The pane draws only the rows on screen: load every older page, then read every row while
    // scrolling down, each checked for markup as it is drawn.
    await scrollToOldest(page, messages.locator('.message.mine').filter({ hasText: 'Run the hostile tools' }));
    const rows = await readRowsWhileScrolling(page, { pick: '.timeline-label', forbidden: INJECTED });
    const labels = rows.filter((r) => r.className.includes('timeline-step')).map((r) => r.text ?? '');
    const hostileRows = labels.filter((l) => HOSTILE.test(l));
    // Each step's result is a tool_result event and a stored tool message: 2 × 200 rows, and at
    // least the stored 200 (a live event can only be missed before the socket is open).
    expect(hostileRows.length, `hostile rows of ${labels.length}`).toBeGreaterThanOrEqual(STEPS);
    expect(await messages.locator('.timeline-step').count(), 'rows drawn at once').toBeLessThan(labels.length / 4);

    // Nothing ran, opened or navigated, and no element came from the text.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(page.url()).toBe(startUrl);
    expect(rows.filter((r) => r.forbidden > 0).map((r) => r.label)).toEqual([]);
    // The markup reads as text, exactly as the tool printed it.
    expect(rows.map((r) => r.label)).toContainEqual(expect.stringMatching(/^Agent step: <script>window\.__pwned=1<\/script> #195,/));
    expect(labels).toContainEqual(expect.stringContaining('<img src=x onerror="window.__pwned=1"> #196'));
    expect(labels).toContainEqual(expect.stringContaining('<a href="javascript:window.__pwned=1">click</a> #183'));
    await scrollToRow(page, 'li:has(> button[aria-label^="Agent step: <script>window.__pwned=1</script> #195,"])');
    await expect(messages.getByRole('button', { name: /^Agent step: <script>window\.__pwned=1<\/script> #195,/ })).toBeVisible();

    // The ~1.5 MB JSON result opens to a capped preview that says it is only the start.
    await scrollToRow(page, HUGE_ROW);
    const huge = messages.getByRole('button', { name: /^Agent step: python_execute result: \{"huge": true/ });
    await expandThenCollapse(huge, async (details) => {
      await expect(details.locator('pre.timeline-payload')).toContainText('"truncated": true');
      await expect(details.getByText('This is only the start: the data is too large to show whole.')).toBeVisible();
      const shown = await details.evaluate((el) => el.textContent?.length ?? 0);
      expect(shown).toBeGreaterThan(1000);
      expect(shown).toBeLessThan(50_000);
      await expect(details.locator(INJECTED)).toHaveCount(0);
    });
    // Opened, the row stays open when the pane scrolls it out of the window and back. (Focus
    // leaves it first: the row holding focus is kept drawn wherever the window goes.)
    await huge.click();
    await expect(huge).toHaveAttribute('aria-expanded', 'true');
    const scroller = page.locator('.messages-scroll');
    await scroller.focus();
    await scroller.evaluate((el) => (el.scrollTop = el.scrollTop > el.scrollHeight / 2 ? 0 : el.scrollHeight));
    await expect(huge).toHaveCount(0);
    await scrollToRow(page, HUGE_ROW);
    await expect(huge).toHaveAttribute('aria-expanded', 'true');
    await huge.click();
    await expect(huge).toHaveAttribute('aria-expanded', 'false');

    // The payload nested 400 deep opens cut at a fixed depth, and says so.
    await scrollToRow(page, 'li:has(> button[aria-label^="Agent step: python_execute result: {\\"level399\\": {\\"level398\\""])');
    const deep = messages.getByRole('button', { name: /^Agent step: python_execute result: \{"level399": \{"level398"/ });
    await expandThenCollapse(deep, async (details) => {
      const payload = details.locator('pre.timeline-payload');
      await expect(payload).toContainText('"level399"');
      await expect(payload).toContainText('{…}');
      await expect(payload).not.toContainText('"level0"');
      await expect(details.getByText('This is only the start: the data is too large to show whole.')).toBeVisible();
    });

    // Leave it open on the deep row for the screenshot, scrolled to the end of the run.
    await deep.click();
    await expect(deep).toHaveAttribute('aria-expanded', 'true');
    await deep.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/openmanus-hostile.png' });
    await deep.click();
    await expect(deep).toHaveAttribute('aria-expanded', 'false');

    // Responsive: another conversation opens, then this one again, with its rows.
    const other = conversations.getByRole('listitem').filter({ hasNotText: 'Run the hostile tools' }).first();
    await other.click();
    await expect(pane).toBeHidden();
    await expect(page.getByRole('region', { name: /^Conversation with / }).getByRole('list', { name: 'Messages' }).getByRole('listitem').first()).toBeVisible();
    await conversations.getByRole('listitem').filter({ hasText: 'Run the hostile tools' }).click();
    await expect(pane).toBeVisible();
    await expect(messages.locator('.message.ai').last()).toContainText('Here is what I found');
    await expect(messages.locator(INJECTED)).toHaveCount(0);

    // Search answers, with the hostile text shown as text in its hits.
    const search = page.getByRole('searchbox', { name: 'Search' });
    const results = page.getByRole('list', { name: 'Search results' });
    await search.fill('onerror');
    await expect(results.locator('.search-hit').filter({ hasText: '<img src=x onerror=' }).first()).toBeVisible();
    await expect(results.locator(INJECTED)).toHaveCount(0);
    await search.fill('');
    await expect(conversations.getByRole('listitem').filter({ hasText: 'Run the hostile tools' })).toBeVisible();

    // A row still opens and closes after all that.
    const last = messages.locator('.timeline-step .timeline-toggle').last();
    await expandThenCollapse(last, async () => undefined);

    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  } finally {
    await app?.stop();
    await backend.stop();
  }
});
