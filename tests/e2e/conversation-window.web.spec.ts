// Browser mode against the real portfolio backend: a conversation of 150 messages in the pane,
// which draws only the rows on screen. It opens at the newest message, follows new ones while the
// reader is at the end and leaves the reader alone when not, keeps the row under the reader in
// place when an older page loads above it, keeps a focused row drawn wherever the pane scrolls,
// and a search hit in a page not loaded yet is loaded, scrolled into view and marked.
// Screenshot: test-results/conversation-window.png.
import { expect, test, type Locator } from '@playwright/test';
import { startBackend } from './support/backend';
import { connectThroughUi, visitorSession } from './support/connect';
import { startWebApp } from './support/web-app';

const COUNT = 150;
const text = (i: number) => (i === 3 ? 'Message 3: the tamarind invoice is attached' : i === 140 ? 'Message 140: the order page is https://example.com/orders/140' : `Message ${i}`);

/** The row's top, relative to the pane's scroller. */
const topIn = (row: Locator) => row.evaluate((li) => li.getBoundingClientRect().top - li.closest('.messages-scroll')!.getBoundingClientRect().top);

test('a long conversation is drawn in a window that follows, keeps its place, keeps focus and jumps to a search hit', async ({ page }) => {
  test.setTimeout(180_000);
  const backend = await startBackend();
  const app = await startWebApp();
  try {
    await page.setViewportSize({ width: 1280, height: 760 });
    await connectThroughUi(page, app.url, backend.apiUrl);
    const visitor = await visitorSession(backend.apiUrl);
    for (let i = 1; i <= COUNT; i++) await visitor.send(text(i), i === 1 ? 'Dewi' : undefined);

    const conversation = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first();
    await expect(conversation).toHaveAccessibleName(new RegExp(`${COUNT} unread`), { timeout: 30_000 });
    const messages = page.getByRole('list', { name: 'Messages' });
    const scroller = page.locator('.messages-scroll');
    const bubble = (t: string) => messages.locator('li.message').filter({ has: page.locator('.bubble').getByText(t, { exact: true }) });
    const fromEnd = () => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    // Opened once, the whole history is mirrored (and pushed to the pane as it arrives); opened
    // again in a new page, the pane starts with the newest page and loads older ones on scroll.
    await conversation.click();
    await expect(bubble(text(COUNT))).toBeInViewport({ timeout: 30_000 });
    await page.reload();
    await conversation.click();

    // Opens at the newest message, with only a window of the rows drawn.
    await expect(bubble(text(COUNT))).toBeInViewport();
    await expect.poll(fromEnd).toBeLessThan(40);
    expect(await messages.locator('li.message').count()).toBeLessThan(50);

    // At the end, a new message is followed.
    await visitor.send('A new one at the end');
    await expect(bubble('A new one at the end')).toBeInViewport();
    await expect.poll(fromEnd).toBeLessThan(40);

    // The first message row whose top is inside the pane: what the reader is looking at.
    const firstSeen = () =>
      scroller.evaluate(async (el) => {
        const box = el.getBoundingClientRect();
        const find = () => [...el.querySelectorAll<HTMLElement>('li.message')].find((m) => m.getBoundingClientRect().top >= box.top && m.getBoundingClientRect().top < box.bottom);
        // The window draws the scrolled-to rows on its next render, then measures them: read once
        // the row under the top edge and its place have stayed the same for five frames.
        let last = '';
        let same = 0;
        for (let i = 0; i < 600 && same < 5; i++) {
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const li = find();
          const now = li ? `${li.dataset.messageId} ${li.getBoundingClientRect().top} ${el.scrollTop}` : '';
          same = now && now === last ? same + 1 : 0;
          last = now;
        }
        const li = find();
        if (!li || same < 5) throw new Error(`no message row settled at scrollTop ${el.scrollTop}`);
        return { id: li.dataset.messageId!, top: li.getBoundingClientRect().top - box.top, height: el.scrollHeight };
      });
    const stays = async (seen: { id: string; top: number }, by = 0) => {
      const row = messages.locator(`li[data-message-id="${seen.id}"]`);
      await expect.poll(async () => Math.abs((await topIn(row)) - (seen.top + by))).toBeLessThanOrEqual(2);
      await expect(row).toBeInViewport();
    };

    // Scrolled up to read, a new message does not pull the reader down.
    await scroller.evaluate((el) => (el.scrollTop -= 600));
    const reading = await firstSeen();
    await visitor.send('Another while reading');
    await expect.poll(() => scroller.evaluate((el) => el.scrollHeight)).toBeGreaterThan(reading.height);
    await stays(reading);
    await expect(bubble('Another while reading')).not.toBeInViewport();

    // At the top an older page loads above, and the row the reader saw stays where it was.
    await scroller.evaluate((el) => (el.scrollTop = 480));
    const seen = await firstSeen();
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(() => scroller.evaluate((el) => el.scrollHeight)).toBeGreaterThan(seen.height + 1000);
    await stays(seen, 480);

    // A focused row stays drawn (and focused) however far the pane scrolls from it.
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const link = bubble(text(140)).getByRole('link');
    await link.scrollIntoViewIfNeeded();
    await link.focus();
    await scroller.evaluate((el) => (el.scrollTop = 0));
    // The window is far from the row now: a spacer stands for the rows between them.
    await expect(messages.locator('li.rows-skipped')).toHaveCount(1);
    await expect(link).not.toBeInViewport();
    await expect(link).toBeFocused();

    // A search hit in a page not loaded yet: loaded, scrolled into view and marked.
    await page.reload();
    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('tamarind');
    await page.getByRole('list', { name: 'Search results' }).getByRole('button').filter({ hasText: 'tamarind' }).first().click();
    const hit = bubble(text(3));
    await expect(hit).toBeInViewport({ timeout: 30_000 });
    await expect(hit).toHaveClass(/\bflash\b/);
    await page.screenshot({ path: 'test-results/conversation-window.png' });
  } finally {
    await app.stop();
    await backend.cleanup();
  }
});
