// Visitor text is untrusted: 200 hostile payloads, sent through the real backend, must render as
// inert text — no script, no dialog, no navigation, no link other than http(s)/mailto.
import { expect, test } from '@playwright/test';
import { startBackend } from './support/backend';
import { connectThroughUi, visitorSession } from './support/connect';
import { startWebApp } from './support/web-app';
import { readRowsWhileScrolling, scrollToOldest, scrollToRow } from './support/windowed-rows';

const templates = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<svg onload="window.__pwned=1"></svg>',
  '<a href="javascript:window.__pwned=1">click</a>',
  'javascript:window.__pwned=1',
  'JaVaScRiPt:alert(1)',
  'java\u0000script:alert(1)',
  'https://example.com/\u202Egnp.exe',
  'http://ex\u200Bample.com',
  'mailto:someone@example.com?subject=<b>x</b>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  '<iframe src="https://evil.example"></iframe>',
  '"><script>alert(1)</script>',
  "'; alert(1); //",
  '{{constructor.constructor("alert(1)")()}}',
  '\u202Ereversed text\u202C normal',
  'zero\u200B\u200C\u200D\uFEFFwidth',
  'control \u0001\u0002\u0007\u001b[31m chars',
  '<style>body{display:none}</style>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
];

function payloads(): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < 198; i++) out.push(`${templates[i % templates.length]} #${i}`);
  out.push('x'.repeat(2000)); // one unbroken maximum-length line
  out.push(`${'word '.repeat(399)}end`); // and a long wrapped one
  return out;
}

test('200 hostile visitor messages render as inert text', async ({ page }) => {
  test.setTimeout(120_000);
  const backend = await startBackend();
  const app = await startWebApp();
  try {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setViewportSize({ width: 1280, height: 760 });
    await connectThroughUi(page, app.url, backend.apiUrl);
    const startUrl = page.url();

    const visitor = await visitorSession(backend.apiUrl);
    const sent = payloads();
    await visitor.send(sent[0]!, '<img src=x onerror="window.__pwned=1">\u202EnimdA');
    for (const p of sent.slice(1)) await visitor.send(p);

    const row = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first();
    await expect(row).toHaveAccessibleName(/200 unread/, { timeout: 30_000 });
    await row.click();
    const bubbles = page.getByRole('list', { name: 'Messages' }).locator('.bubble');
    await expect(bubbles.last()).toHaveText(sent.at(-1)!);

    // Load every older page by scrolling up, then read all 200 texts while scrolling down (the
    // pane draws only the rows on screen) and compare them exactly.
    await scrollToOldest(page, bubbles.getByText(sent[0]!, { exact: true }));
    const rows = (await readRowsWhileScrolling(page, { pick: '.bubble' })).filter((r) => r.text !== null);
    const rendered = rows.map((r) => r.text);
    expect(rendered).toHaveLength(sent.length);
    // …of which the pane draws only a window at a time.
    expect(await bubbles.count()).toBeLessThan(sent.length / 2);
    // Exactly the visitor's text, except where a link hid direction or invisible characters:
    // there the link shows its real, encoded address instead.
    const deceptiveLink = /https?:\/\/\S*[\u200B-\u200F\u202A-\u202E\uFEFF]/u;
    sent.forEach((text, i) => {
      if (deceptiveLink.test(text)) expect(rendered[i]).not.toBe(text);
      else expect(rendered[i]).toBe(text);
    });
    expect(rendered).toContain('https://example.com/%E2%80%AEgnp.exe #7');

    // Nothing ran, nothing opened, nothing navigated, no element came from the text.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(page.url()).toBe(startUrl);
    const inMessages = [...new Set(rows.flatMap((r) => r.tags))];
    expect(inMessages.every((t) => t === 'SPAN' || t === 'A')).toBe(true);
    const links = rows.flatMap((r) => r.links);
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.protocol === 'http:' || l.protocol === 'https:' || l.protocol === 'mailto:')).toBe(true);
    // The long unbroken line (the newest rows, where the read ended) wraps inside the pane instead of widening it.
    const overflow = await page.locator('.messages-scroll').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);

    // Links never display direction overrides or invisible characters: they show the real address.
    expect(links.some((l) => /[\u200B-\u200F\u202A-\u202E\uFEFF]/u.test(l.text))).toBe(false);
    await scrollToRow(page, 'li:has(a[href^="https://example.com/"])');
    // A link asks before it opens, and showing the full address is the question.
    await page.locator('.messages a[href^="https://example.com/"]').first().click();
    expect(dialogs[0]).toContain('https://example.com/%E2%80%AEgnp.exe');
    expect(page.url()).toBe(startUrl);
    await page.screenshot({ path: 'test-results/hostile.png' });
  } finally {
    await app.stop();
    await backend.cleanup();
  }
});
