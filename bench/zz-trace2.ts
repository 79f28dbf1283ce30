// exploratory, not committed
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startWebApp } from './lib/web-client';
import { nowMs } from './lib/report';
const dir = process.argv[2]!;
const out = process.argv[3]!;
const warm = process.argv[4] === 'warm';
(async () => {
  const app = await startWebApp('/work/wt/mount/out/main/web.js', dir, nowMs);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'], headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  await context.addInitScript({ content: `
  ` + (warm ? '    document.addEventListener("DOMContentLoaded", () => { const d = document.createElement("div"); d.style.cssText = "position:absolute;left:-9999px;width:300px"; d.innerHTML = \'<ul class="conversations"><li class="conversation unread"><div class="row-top"><span class="name">Visitor Abc 12</span><span class="time">5 min ago</span></div><div class="row-bottom"><span class="preview">Hello there, how much?</span><span class="chip chip-resolved">Resolved</span><span class="badge">3</span></div></li><li class="conversation"><div class="row-top"><span class="name">Visitor Abc 12</span><span class="time">5 min ago</span></div><div class="row-bottom"><span class="preview">Hello there, how much?</span></div></li></ul>\'; document.body.appendChild(d); d.getBoundingClientRect(); window.__warm = performance.now(); });' : '') + `
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
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'blink.user_timing', 'v8', 'v8.execute', 'disabled-by-default-v8.compile', 'disabled-by-default-devtools.timeline', 'loading'] }, transferMode: 'ReportEvents' });
  await page.goto(app.url);
  await page.waitForFunction(() => (window as any).__b.rowsAt !== null);
  const b = await page.evaluate(() => (window as any).__b);
  await new Promise((r) => setTimeout(r, 300));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  writeFileSync(out, JSON.stringify(events.filter((e) => e.ph === 'X' || e.ph === 'R' || e.ph === 'I' || e.ph === 'M' || e.ph==='n' || e.ph==='b' || e.ph==='e')));
  console.log('mount', b.rowsAt - b.pageAt);
  await browser.close();
  await app.stop();
})();
