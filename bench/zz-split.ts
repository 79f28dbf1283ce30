// exploratory, not committed
import { chromium } from '@playwright/test';
import { startWebApp } from './lib/web-client';
import { nowMs } from './lib/report';
const dir = process.argv[2]!;
const n = Number(process.argv[3] ?? 5);
(async () => {
  for (let i = 0; i < n; i++) {
  const app = await startWebApp('/work/wt/mount/out/main/web.js', dir, nowMs);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'], headless: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    await context.addInitScript({ content: `
    const b = { pageAt: null, rowsAt: null, obsAt: null, rows: 0, marks: null };
    window.__b = b;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native { constructor(u, p) { super(u, p); this.addEventListener('message', (e) => { if (b.pageAt === null && typeof e.data === 'string' && e.data.includes('"nextCursor"') && e.data.includes('"counts"')) { b.pageAt = performance.now(); } }); } };
    new MutationObserver((_, o) => { if (b.pageAt === null) return; const row = document.querySelector('ul.conversations > li'); if (!row) return; b.obsAt = performance.now(); row.getBoundingClientRect(); b.rowsAt = performance.now(); b.rows = document.querySelectorAll('ul.conversations > li').length; b.dom = document.getElementsByTagName('*').length; b.marks = performance.getEntriesByType('mark').map(m => [m.name, m.startTime]); o.disconnect(); }).observe(document, { childList: true, subtree: true });
  ` });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.waitForFunction(() => (window as any).__b.rowsAt !== null);
    const b = await page.evaluate(() => (window as any).__b);
    const marks = (b.marks as [string, number][]).map(([k, t]) => `${k}@${(t - b.pageAt).toFixed(1)}`).join(' ');
    console.log(`mount ${(b.rowsAt - b.pageAt).toFixed(1)} js ${(b.obsAt - b.pageAt).toFixed(1)} layout ${(b.rowsAt - b.obsAt).toFixed(1)} rows ${b.rows} dom ${b.dom} nav→rows ${b.rowsAt.toFixed(0)} ${marks}`);
    await browser.close();
  await app.stop();
  }
})();
