// 9. The renderer in Chromium, on browser mode with a profile of 100,000 active conversations
// (110,000 in all):
//   - mount ("first mount"): from the first inbox page arriving on the renderer's WebSocket (the
//     message event, before the web bridge parses it) to its rows in the DOM with style and
//     layout done (a MutationObserver, on the commit that inserts the first row, forces style
//     and layout and takes the time after it). Split into the JavaScript (the bridge's parse,
//     React's render and commit, up to the observer) and the forced style and layout. Measured
//     on the first load of several fresh browsers (a new Chromium process each: nothing
//     compiled, cached or shaped yet) and over reloads of the first; beside it, the JavaScript
//     the first mount loaded, the time its scripts took to run, the wait for the first page, and
//     one more fresh browser traced: the main thread's CPU time in the mount by kind (script,
//     lazy compilation, style, layout, GC), which the machine's load moves far less than the
//     wall clock, and where its wall time went (main-thread tasks on and off the CPU, time
//     between tasks, font lookups, the other Chromium threads' CPU; lib/trace-timeline.ts);
//   - a 2 s fast scroll (20,000 px/s, driven from requestAnimationFrame, pages loading as the
//     end comes near): the longest frame (rAF to rAF) and the long-animation-frame entries.
// Measured in the page with the Performance API (performance.now, PerformanceObserver).
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { marks, startTrace, threadTimes, type ThreadTimes } from './lib/chromium-trace';
import { builtWebEntry, sized, type Bench } from './lib/context';
import { FONT_CATEGORY, timeline, type Timeline } from './lib/trace-timeline';
import { inboxSpec, profile } from './lib/fixtures';
import { figure, median, nowMs, percentile, round, summary } from './lib/report';
import { startWebApp } from './lib/web-client';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Runs in the page before its own scripts. */
function instrument(): void {
  const bench = {
    pageAt: null as number | null,
    /** The observer ran: React's commit of the first rows is done, style and layout not yet. */
    committedAt: null as number | null,
    rowsAt: null as number | null,
    rows: 0,
    scriptsAt: null as number | null,
    loaf: [] as { start: number; duration: number; blocking: number }[],
  };
  // Module scripts have run (parsed, compiled, evaluated) by DOMContentLoaded.
  document.addEventListener('DOMContentLoaded', () => (bench.scriptsAt = performance.now()));
  Object.defineProperty(window, '__bench', { value: bench });
  // Our listener is added in the constructor, so it runs before the web bridge's own.
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        if (bench.pageAt === null && typeof event.data === 'string' && event.data.includes('"nextCursor"') && event.data.includes('"counts"')) {
          bench.pageAt = performance.now();
          performance.mark('bench:page');
        }
      });
    }
  };
  new MutationObserver((_, observer) => {
    if (bench.pageAt === null) return;
    const row = document.querySelector('ul.conversations > li');
    if (!row) return;
    bench.committedAt = performance.now();
    row.getBoundingClientRect();
    bench.rowsAt = performance.now();
    bench.rows = document.querySelectorAll('ul.conversations > li').length;
    performance.mark('bench:rows');
    observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.loaf.push({ start: e.startTime, duration: e.duration, blocking: (e as PerformanceEntry & { blockingDuration: number }).blockingDuration });
  }).observe({ type: 'long-animation-frame', buffered: true });
}

interface BenchWindow {
  __bench: { pageAt: number | null; committedAt: number | null; rowsAt: number | null; rows: number; scriptsAt: number | null; loaf: { start: number; duration: number; blocking: number }[] };
}

interface Mount {
  mountMs: number;
  /** Of the mount: the page's message to the commit of the first rows (bridge, React render and commit)… */
  jsMs: number;
  /** …and the style and layout of the page with them. */
  layoutMs: number;
  /** Rows in the DOM at the first mount. */
  rows: number;
  navigationToRowsMs: number;
  /** Breakdown, from navigation start: the JS fetched, parsed, compiled and run, then the first page asked for and answered. */
  scriptsFetchedMs: number;
  scriptsRunMs: number;
  firstPageMs: number;
  /** JavaScript loaded before the rows were shown (bytes, decoded) and in how many files. */
  jsBytes: number;
  jsFiles: number;
}

async function mount(page: Page): Promise<Mount> {
  await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.rowsAt !== null, undefined, { timeout: 30_000 });
  return page.evaluate(() => {
    const b = (window as unknown as BenchWindow).__bench;
    const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name.endsWith('.js') && e.startTime < b.rowsAt!);
    const fetched = Math.max(0, ...js.map((e) => e.responseEnd));
    return {
      mountMs: b.rowsAt! - b.pageAt!,
      jsMs: b.committedAt! - b.pageAt!,
      layoutMs: b.rowsAt! - b.committedAt!,
      rows: b.rows,
      navigationToRowsMs: b.rowsAt!,
      scriptsFetchedMs: fetched,
      scriptsRunMs: (b.scriptsAt ?? fetched) - fetched,
      firstPageMs: b.pageAt! - (b.scriptsAt ?? fetched),
      jsBytes: js.reduce((sum, e) => sum + e.decodedBodySize, 0),
      jsFiles: js.length,
    };
  });
}

const CPU_KINDS = { script: 'script (bridge, React, the app)', compile: 'lazy compilation', style: 'style', layout: 'layout', gc: 'garbage collection' } as const;

const spread = (values: number[]) => `${round(Math.min(...values))}-${round(Math.max(...values))}`;

/** Every JavaScript file of the built renderer, and the total (the first mount loads only some). */
function bundleBytes(root: string): number {
  const dir = join(root, 'out', 'renderer', 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

type Cookies = Parameters<BrowserContext['addCookies']>[0];

async function instrumentedContext(browser: Browser, cookies: Cookies = []): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  if (cookies.length) await context.addCookies(cookies);
  // tsx names functions with an __name helper; functions sent to the page need it there too.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await context.addInitScript(instrument);
  return context;
}

/** The first load in a new Chromium process, on the session of the first browser; traced when asked. */
async function freshBrowserMount(url: string, cookies: Cookies, traced: boolean): Promise<{ mount: Mount; cpu: ThreadTimes | null; timeline: Timeline | null }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await instrumentedContext(browser, cookies);
    const page = await context.newPage();
    const stop = traced ? await startTrace(await context.newCDPSession(page), [FONT_CATEGORY]) : null;
    // UI_CPU_PROFILE=<dir>: the traced load's JavaScript sampled from navigation to the rows (a
    // .cpuprofile; build with SB_NO_MINIFY=1 to read the renderer's function names).
    const profileDir = traced ? process.env.UI_CPU_PROFILE : undefined;
    const profiler = profileDir ? await context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.send('Profiler.start');
    }
    await page.goto(url);
    const m = await mount(page);
    const cpuProfile = profiler ? (await profiler.send('Profiler.stop')).profile : null;
    if (!stop) return { mount: m, cpu: null, timeline: null };
    const events = await stop();
    if (cpuProfile && profileDir) {
      // The mount's window in the profile's clock (the trace's): bench:page to bench:rows.
      const [from, to] = marks(events, 'bench:page', 'bench:rows');
      writeFileSync(join(profileDir, `ui-first-mount-${Date.now()}.cpuprofile`), JSON.stringify({ ...cpuProfile, mountWindow: { from: from.ts, to: to.ts } }));
    }
    // BENCH_TRACE_OUT=<file>: the traced load's events, for chrome://tracing or Perfetto.
    if (process.env.BENCH_TRACE_OUT) writeFileSync(process.env.BENCH_TRACE_OUT, JSON.stringify({ traceEvents: events }));
    return { mount: m, cpu: threadTimes(events, 'bench:page', 'bench:rows'), timeline: timeline(events, 'bench:page', 'bench:rows') };
  } finally {
    await browser.close();
  }
}

export const bench: Bench = {
  name: 'ui',
  title: '9. Renderer in Chromium: mount a 100,000-row inbox; a 2 s fast scroll',
  async run(ctx) {
    const entry = builtWebEntry(ctx.root);
    const inbox = profile(ctx, inboxSpec(ctx));
    const app = await startWebApp(entry, inbox.dir, nowMs);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    try {
      const context = await instrumentedContext(browser);
      const page = await context.newPage();
      await page.goto(app.url);
      const loads = sized(ctx, 6, 2);
      const mounts: Mount[] = [await mount(page)];
      // The start link works once: later browsers come in on this one's session cookie.
      const cookies = await context.cookies();
      const home = new URL('/', app.url).href;
      const firsts: Mount[] = [mounts[0]!];
      for (let i = 1; i < sized(ctx, 5, 2); i++) firsts.push((await freshBrowserMount(home, cookies, false)).mount);
      const traced = await freshBrowserMount(home, cookies, true);
      for (let i = 1; i < loads; i++) {
        await page.reload();
        mounts.push(await mount(page));
      }
      const shownCount = await page.getByRole('button', { name: 'All', exact: true }).textContent();
      await page.waitForTimeout(1000); // settle: later requests, fonts, idle

      const durationMs = sized(ctx, 2000, 500);
      const scroll = await page.evaluate(
        async ({ durationMs, pxPerSecond }) => {
          const scroller = document.querySelector<HTMLElement>('[data-testid="conversation-scroller"]')!;
          const bench = (window as unknown as BenchWindow).__bench;
          const from = performance.now();
          const frames: number[] = [];
          await new Promise<void>((resolve) => {
            let last: number | null = null;
            const step = (t: number) => {
              if (last !== null) {
                frames.push(t - last);
                scroller.scrollTop += (pxPerSecond * (t - last)) / 1000;
              }
              last = t;
              if (t - from < durationMs) requestAnimationFrame(step);
              else resolve();
            };
            requestAnimationFrame(step);
          });
          // Long-animation-frame entries arrive a little after their frame.
          await new Promise((r) => setTimeout(r, 200));
          return {
            frames,
            scrollTop: scroller.scrollTop,
            domRows: document.querySelectorAll('ul.conversations > li').length,
            loaf: bench.loaf.filter((e) => e.start >= from && e.start <= from + durationMs),
          };
        },
        { durationMs, pxPerSecond: 20_000 },
      );
      const rowsLoaded = await page.evaluate(() => Math.round(document.querySelector<HTMLElement>('ul.conversations')!.getBoundingClientRect().height / 68));
      await context.close();

      const mountMs = median(mounts.map((m) => m.mountMs));
      const frames = summary(scroll.frames);
      return {
        figures: [
          figure({ id: 'ui.mount', name: `mount inbox (${inbox.spec.active.toLocaleString('en')} active rows), median of ${loads} loads`, value: round(mountMs), unit: 'ms', limit: 20 }),
          // The first load after the browser starts: nothing compiled or cached yet.
          figure({ id: 'ui.mount.first', name: `mount inbox, first load in a fresh browser, median of ${firsts.length} browsers (${spread(firsts.map((m) => m.mountMs))} ms)`, value: round(median(firsts.map((m) => m.mountMs))), unit: 'ms', limit: 20 }),
          figure({ id: 'ui.mount.first.js', name: `of which page → rows committed (bridge, React render + commit; ${firsts[0]!.rows} rows)`, value: round(median(firsts.map((m) => m.jsMs))), unit: 'ms' }),
          figure({ id: 'ui.mount.first.layout', name: 'of which style + layout of the rows', value: round(median(firsts.map((m) => m.layoutMs))), unit: 'ms' }),
          figure({ id: 'ui.mount.first.cpu', name: `traced fresh browser: main-thread CPU in the mount (wall ${round(traced.cpu!.wallMs)} ms)`, value: round(traced.cpu!.cpuMs), unit: 'ms' }),
          ...(['script', 'compile', 'style', 'layout', 'gc'] as const).map((kind) =>
            figure({ id: `ui.mount.first.cpu.${kind}`, name: `of which ${CPU_KINDS[kind]}`, value: round(traced.cpu![`${kind}Ms`]), unit: 'ms' }),
          ),
          // Where the traced mount's wall time went: a task's turn, a core, a font lookup.
          figure({ id: 'ui.mount.first.tasks', name: 'traced fresh browser: main-thread tasks in the mount', value: traced.timeline!.tasks, unit: 'tasks' }),
          figure({ id: 'ui.mount.first.offCpu', name: 'of the wall: in tasks but off the CPU (waiting for a core, or blocked)', value: round(traced.timeline!.offCpuMs), unit: 'ms' }),
          figure({ id: 'ui.mount.first.between', name: 'of the wall: between tasks (idle, or other tasks first)', value: round(traced.timeline!.betweenTasksMs), unit: 'ms' }),
          figure({ id: 'ui.mount.first.fonts', name: `of the wall: font lookups (${traced.timeline!.fontLookups}, synchronous requests to the browser process)`, value: round(traced.timeline!.fontLookupMs), unit: 'ms' }),
          figure({ id: 'ui.mount.first.otherCpu', name: 'other Chromium threads and processes, CPU in the mount', value: round(traced.timeline!.otherChromiumCpuMs), unit: 'ms' }),
          figure({ id: 'ui.bundle.first', name: `renderer JS loaded for the first mount (${mounts[0]!.jsFiles} files)`, value: round(mounts[0]!.jsBytes / 1024), unit: 'KB' }),
          figure({ id: 'ui.bundle.all', name: 'renderer JS, all chunks', value: round(bundleBytes(ctx.root) / 1024), unit: 'KB' }),
          figure({ id: 'ui.first.scripts', name: 'first load: scripts parsed, compiled and run', value: round(mounts[0]!.scriptsRunMs), unit: 'ms' }),
          figure({ id: 'ui.first.data', name: 'first load: scripts run → first inbox page', value: round(mounts[0]!.firstPageMs), unit: 'ms' }),
          figure({ id: 'ui.scroll.maxFrame', name: `${durationMs / 1000} s fast scroll, longest frame`, value: frames.max, unit: 'ms', limit: 32 }),
          figure({ id: 'ui.scroll.over32', name: 'frames over 32 ms', value: scroll.frames.filter((f) => f > 32).length, unit: 'frames', limit: 0 }),
          figure({ id: 'ui.scroll.p99', name: 'scroll frame p99', value: round(percentile(scroll.frames, 99)), unit: 'ms' }),
        ],
        info: {
          firstLoads: firsts.map((m) => ({ mountMs: round(m.mountMs), jsMs: round(m.jsMs), layoutMs: round(m.layoutMs), rows: m.rows, navigationToRowsMs: Math.round(m.navigationToRowsMs) })),
          tracedFirstLoad: { ...traced.mount, cpu: traced.cpu, timeline: traced.timeline },
          mounts: mounts.map((m) => ({
            mountMs: round(m.mountMs),
            jsMs: round(m.jsMs),
            layoutMs: round(m.layoutMs),
            navigationToRowsMs: Math.round(m.navigationToRowsMs),
            scriptsFetchedMs: round(m.scriptsFetchedMs),
            scriptsRunMs: round(m.scriptsRunMs),
            firstPageMs: round(m.firstPageMs),
            jsBytes: m.jsBytes,
          })),
          allButton: shownCount,
          frames,
          frameCount: scroll.frames.length,
          longAnimationFrames: scroll.loaf.map((e) => ({ duration: Math.round(e.duration), blocking: Math.round(e.blocking) })),
          scrolledPx: Math.round(scroll.scrollTop),
          rowsLoaded,
          domRows: scroll.domRows,
          chromium: browser.version(),
        },
      };
    } finally {
      await browser.close();
      await app.stop();
    }
  },
};
