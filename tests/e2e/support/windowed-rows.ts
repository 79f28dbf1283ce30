// The conversation pane draws only the rows on screen (plus a few): a spec that checks every row
// reads them while it scrolls the pane from the oldest row to the newest. Every wait here is for
// a condition (the drawn rows covering the scrolled-to place), never for time.
import { expect, type Locator, type Page } from '@playwright/test';

export interface DrawnRow {
  /** The row's place in the list (data-index): the read is complete when none is missing. */
  index: number;
  /** data-message-id, or null for a day divider. */
  id: string | null;
  className: string;
  /** textContent of the first match of `pick` inside the row, or null. */
  text: string | null;
  /** The row's aria-label, or its toggle's (a timeline step). */
  label: string | null;
  /** How many elements inside the row match `forbidden`. */
  forbidden: number;
  /** The tag names of the elements inside the `pick` match. */
  tags: string[];
  /** The row's links: protocol and text. */
  links: { protocol: string; text: string }[];
}

/** Scrolls the pane to its top until `oldest` is drawn: every older page is then loaded. */
export async function scrollToOldest(page: Page, oldest: Locator): Promise<void> {
  const scroller = page.locator('.messages-scroll');
  await expect
    .poll(
      async () => {
        await scroller.evaluate((el) => (el.scrollTop = 0));
        return oldest.count();
      },
      { timeout: 60_000, message: 'the oldest row drawn after scrolling to the top' },
    )
    .toBeGreaterThan(0);
}

/**
 * Every row of the pane's list in order, read while scrolling it top to bottom half a screen at a
 * time. `stopAt` (a CSS selector) ends the read at the first drawn row matching it, scrolled to
 * the middle of the pane. Load the older pages first (scrollToOldest).
 */
export async function readRowsWhileScrolling(page: Page, { pick = null, forbidden = null, stopAt = null }: { pick?: string | null; forbidden?: string | null; stopAt?: string | null } = {}): Promise<DrawnRow[]> {
  const rows = await page.locator('.messages-scroll').evaluate(
    async (el, { pick, forbidden, stopAt }) => {
      const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      const drawn = () => [...el.querySelectorAll<HTMLElement>('ul.messages > li[data-index]')];
      // The window has caught up when its drawn rows reach past both edges of the pane (or are
      // the list's first and last rows).
      const covered = () => {
        const box = el.getBoundingClientRect();
        const lis = drawn();
        if (lis.length === 0) return false;
        const first = lis[0]!.getBoundingClientRect();
        const last = lis.at(-1)!.getBoundingClientRect();
        const list = el.querySelector<HTMLElement>('ul.messages')!;
        const atStart = Number(lis[0]!.dataset.index) === 0;
        const atEnd = parseFloat(getComputedStyle(list).paddingBottom) === 0;
        return (atStart || first.top <= box.top) && (atEnd || last.bottom >= box.bottom);
      };
      const settle = async () => {
        for (let i = 0; i < 600 && !covered(); i++) await frame();
        if (!covered()) throw new Error(`the drawn rows do not cover the pane at scrollTop ${el.scrollTop}`);
      };
      const seen = new Map<number, { index: number; id: string | null; className: string; text: string | null; label: string | null; forbidden: number; tags: string[]; links: { protocol: string; text: string }[] }>();
      el.scrollTop = 0;
      for (;;) {
        await frame();
        await settle();
        for (const li of drawn()) {
          const index = Number(li.dataset.index);
          seen.set(index, {
            index,
            id: li.dataset.messageId ?? null,
            className: li.className,
            text: pick ? (li.querySelector(pick)?.textContent ?? null) : null,
            label: li.getAttribute('aria-label') ?? li.querySelector('[aria-label]')?.getAttribute('aria-label') ?? null,
            forbidden: forbidden ? li.querySelectorAll(forbidden).length : 0,
            tags: pick ? [...new Set([...li.querySelectorAll(`${pick} *`)].map((e) => e.tagName))] : [],
            links: [...li.querySelectorAll('a')].map((a) => ({ protocol: a.protocol, text: a.textContent ?? '' })),
          });
          if (stopAt && li.matches(stopAt)) {
            li.scrollIntoView({ block: 'center' });
            return [...seen.values()].sort((a, b) => a.index - b.index);
          }
        }
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) break;
        el.scrollTop += Math.max(40, el.clientHeight / 2);
      }
      return [...seen.values()].sort((a, b) => a.index - b.index);
    },
    { pick, forbidden, stopAt },
  );
  if (!stopAt) {
    // Complete: no place in the list was skipped.
    expect(rows.map((r) => r.index)).toEqual(rows.map((_, i) => i));
  }
  return rows;
}

/** Scrolls the pane until a row matching `selector` is drawn, and to it; throws if none is. */
export async function scrollToRow(page: Page, selector: string): Promise<void> {
  const rows = await readRowsWhileScrolling(page, { stopAt: selector });
  const last = rows.at(-1);
  if (!last || !(await page.locator(`.messages-scroll ul.messages > li[data-index="${last.index}"]`).evaluate((li, s) => li.matches(s), selector))) {
    throw new Error(`no row matches ${selector}`);
  }
}
