// Issue 14's race, end to end: the owner switches status filters 50 times while conversations
// change status — on the site (another device) and from this console (Resolve / Reopen right
// before the switch). After every switch the rows shown must be the filter's rows, as many as
// the filter's count says.
import { expect, test, type Page } from '@playwright/test';
import { startBackend } from './support/backend';
import { connectThroughUi, siteAdmin, visitorSession } from './support/connect';
import { startWebApp } from './support/web-app';

const filters = ['active', 'resolved', 'closed', 'all'] as const;
const labels = { active: 'Active', resolved: 'Resolved', closed: 'Closed', all: 'All' } as const;
const statuses = ['active', 'resolved', 'closed'] as const;
const VISITORS = 6;
const SWITCHES = 50;

/** 'ok' when the list is loaded and agrees with its filter and count, else what it shows. */
async function listAgrees(page: Page, filter: (typeof filters)[number]): Promise<string> {
  const list = page.getByRole('list', { name: 'Conversations' });
  const busy = await list.getAttribute('aria-busy');
  const count = Number(/\d+/.exec((await page.getByRole('button', { name: labels[filter], exact: true }).textContent()) ?? '')?.[0]);
  const rows = await list.getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  const wrong = filter === 'all' ? [] : rows.filter((r) => !r.includes(`, ${labels[filter]}`));
  return busy === 'false' && rows.length === count && wrong.length === 0 ? 'ok' : JSON.stringify({ filter, busy, count, rows });
}

test('switching filters 50 times while statuses change never shows another filter’s rows', async ({ page }) => {
  test.setTimeout(240_000);
  const backend = await startBackend();
  const app = await startWebApp();
  try {
    await page.setViewportSize({ width: 1280, height: 760 });
    await connectThroughUi(page, app.url, backend.apiUrl);
    for (let i = 1; i <= VISITORS; i++) await (await visitorSession(backend.apiUrl)).send(`Question number ${i}`, `Race ${i}`);
    await expect(page.getByRole('button', { name: 'All', exact: true })).toContainText(String(VISITORS));
    const admin = await siteAdmin(backend.apiUrl);
    const others = (await admin.conversations()).filter((c) => c.visitorName.startsWith('Race ') && c.visitorName !== 'Race 1');
    expect(others).toHaveLength(VISITORS - 1);

    // One conversation stays open in the pane: its Resolve / Reopen buttons race the switches.
    await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: /^Race 1,/ }).click();
    const pane = page.getByRole('region', { name: 'Conversation with Race 1' });
    await expect(pane).toBeVisible();

    for (let i = 0; i < SWITCHES; i++) {
      const filter = filters[(i + 1) % filters.length]!;
      // Another device changes a status on the site; its event arrives while the switch happens.
      const target = others[i % others.length]!;
      const onSite = admin.setStatus(target.id, statuses[(i * 7 + 1) % statuses.length]!);
      // Every other round the owner also changes the open conversation's status just before switching.
      if (i % 2 === 0) {
        await pane.getByRole('button', { name: /^(Resolve|Reopen)$/ }).click();
      }
      await page.getByRole('button', { name: labels[filter], exact: true }).click();
      await onSite;
      await expect.poll(() => listAgrees(page, filter), { message: `switch ${i + 1} to ${filter}`, timeout: 15_000 }).toBe('ok');
    }

    // The console ends where the site is.
    const truth = await admin.conversations();
    for (const status of statuses) {
      const expected = truth.filter((c) => c.status === status).length;
      await expect(page.getByRole('button', { name: labels[status], exact: true })).toContainText(String(expected));
    }
  } finally {
    await app.stop();
    await backend.cleanup();
  }
});
