// exploratory, not committed
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startWebApp } from './lib/web-client';
import { nowMs } from './lib/report';
const dir = process.argv[2]!;
const out = process.argv[3]!;
(async () => {
  const app = await startWebApp('/work/wt/mount/out/main/web.js', dir, nowMs);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'], headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  await context.addInitScript({ content: `
    const b = { pageAt: null, rowsAt: null };
    window.__b = b;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native { constructor(u, p) { super(u, p); this.addEventListener('message', (e) => { if (b.pageAt === null && typeof e.data === 'string' && e.data.includes('"nextCursor"') && e.data.includes('"counts"')) { b.pageAt = performance.now(); performance.mark('bench:page'); } }); } };
    new MutationObserver((_, o) => { if (b.pageAt === null) return; const row = document.querySelector('ul.conversations > li'); if (!row) return; row.getBoundingClientRect(); b.rowsAt = performance.now(); performance.mark('bench:rows'); o.disconnect(); }).observe(document, { childList: true, subtree: true });
  ` });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const events: any[] = [];
  cdp.on('Tracing.dataCollected', (d: any) => events.push(...d.value));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'blink.user_timing', 'v8', 'v8.execute', 'disabled-by-default-v8.compile', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.cpu_profiler', 'loading'] }, transferMode: 'ReportEvents' });
  await page.goto(app.url);
  await page.waitForFunction(() => (window as any).__b.rowsAt !== null);
  const b = await page.evaluate(() => (window as any).__b);
  await new Promise((r) => setTimeout(r, 300));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  writeFileSync(out, JSON.stringify(events));
  console.log('mount', b.rowsAt - b.pageAt);
  await browser.close();
  await app.stop();
})();
