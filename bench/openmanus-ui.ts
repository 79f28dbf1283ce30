// 13. The OpenManus timeline in Chromium while an agent run of 1,000 events in 10 s arrives
// (issue 15.5: the timeline stays at 60 fps, no frame over 32 ms). Browser mode (out/main/web.js,
// the core in its own process) with the openmanus account connected over its contract, the
// conversation open in Chromium (Playwright, as the ui benchmark), the real backend's agent
// flood (bench/lib/openmanus-run.ts). Frames are rAF to rAF in the page, from the run's start
// to its answer on screen; long-animation-frame entries beside them. With BENCH_TRACE=1 the run
// is also traced (Chromium's devtools.timeline): the main thread's CPU time in tasks, which a
// loaded machine moves far less than the frames (tracing itself slows the page a little). With
// OPENMANUSUI_CPU_PROFILE=<dir> the page's JavaScript is also sampled over the run (a .cpuprofile
// for Chrome DevTools; build with the renderer unminified to read its function names).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startTrace, taskTimes } from './lib/chromium-trace';
import { builtWebEntry, sized, type Bench } from './lib/context';
import { MirrorReader } from './lib/mirror-read';
import { startOpenManusFlood, type OpenManusFlood } from './lib/openmanus-run';
import { figure, nowMs, percentile, round, sleep, summary, waitFor } from './lib/report';
import { startWebApp, type WebApp } from './lib/web-client';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface Recorder {
  __frames: number[];
  __loaf: { start: number; duration: number; scripts: string[] }[];
  __stop: boolean;
}

export const bench: Bench = {
  name: 'openmanusui',
  title: '13. OpenManus timeline in Chromium during a run of 1,000 events in 10 s',
  async run(ctx) {
    const entry = builtWebEntry(ctx.root);
    const events = sized(ctx, 1_000, 200);
    const seconds = sized(ctx, 10, 2);
    let flood: OpenManusFlood | null = null;
    let app: WebApp | null = null;
    let reader: MirrorReader | null = null;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    try {
      const f = (flood = await startOpenManusFlood(ctx.work, events, seconds));
      const dataDir = mkdtempSync(join(ctx.work, 'openmanusui-core-'));
      app = await startWebApp(entry, dataDir, nowMs);
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      const page = await context.newPage();
      // The start link works once: the page takes it, and the account is connected through the page's contract.
      await page.goto(app.url);
      const account = await page.evaluate(async (input) => {
        const r = await window.switchboard.invoke('accounts.connect', input);
        if (!r.ok) throw new Error(r.error.message);
        return r.value as { id: number };
      }, { kind: 'openmanus' as const, siteUrl: f.backend.api, token: f.token });
      const mirror = (reader = new MirrorReader(dataDir));
      const before = (await f.stored()).map((m) => m.id);
      await waitFor(() => before.every((id) => mirror.snapshot(account.id)[f.remoteId]?.includes(id)), 30_000, 'the first run in the mirror', 50);
      await page
        .getByRole('list', { name: 'Conversations' })
        .getByRole('listitem')
        .first()
        .click()
        .catch(async (error: unknown) => {
          await page.screenshot({ path: join(ctx.work, 'openmanusui-failed.png') });
          throw error;
        });
      const messages = page.getByRole('region', { name: /^Conversation with / }).getByRole('list', { name: 'Messages' });
      await messages.locator('.message.ai').last().filter({ hasText: 'Here is what I found' }).waitFor({ timeout: 30_000 });
      await f.observe();
      await sleep(1000); // the watched conversation's socket opens and catches up; the page settles

      await page.evaluate(() => {
        const w = window as unknown as Recorder;
        w.__frames = [];
        w.__loaf = [];
        w.__stop = false;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            // Where the frame's script time went (the long-animation-frame entry's own attribution).
            const scripts = ((e as PerformanceEntry & { scripts?: { invoker: string; sourceFunctionName: string; duration: number }[] }).scripts ?? [])
              .sort((a, b) => b.duration - a.duration)
              .slice(0, 2)
              .map((x) => `${x.invoker}${x.sourceFunctionName ? ` ${x.sourceFunctionName}` : ''} ${Math.round(x.duration)} ms`);
            w.__loaf.push({ start: e.startTime, duration: e.duration, scripts });
          }
        }).observe({ type: 'long-animation-frame' });
        let last: number | null = null;
        const step = (t: number) => {
          if (last !== null) w.__frames.push(t - last);
          last = t;
          if (!w.__stop) requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      const stopTrace = process.env.BENCH_TRACE === '1' ? await startTrace(await context.newCDPSession(page)) : null;
      const profileDir = process.env.OPENMANUSUI_CPU_PROFILE;
      const profiler = profileDir ? await context.newCDPSession(page) : null;
      if (profiler) {
        await profiler.send('Profiler.enable');
        await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
        await profiler.send('Profiler.start');
      }
      await page.evaluate(() => performance.mark('bench:run'));
      ctx.log(`a run of ${f.steps} steps (~${f.steps * 8 + 7} frames), tick ${f.tickMs} ms, conversation open in Chromium`);
      const runMs = await f.run();
      const shownStart = nowMs();
      await messages.locator('.message.ai').last().filter({ hasText: 'bench run' }).waitFor({ timeout: 60_000 });
      const answerShownAfterMs = nowMs() - shownStart;
      await sleep(200); // long-animation-frame entries arrive a little after their frame
      const recorded = await page.evaluate(() => {
        const w = window as unknown as Recorder;
        w.__stop = true;
        performance.mark('bench:shown');
        return { frames: w.__frames, loaf: w.__loaf, steps: document.querySelectorAll('[aria-expanded]').length };
      });
      const tasks = stopTrace ? taskTimes(await stopTrace(), 'bench:run', 'bench:shown') : null;
      if (profiler && profileDir) writeFileSync(join(profileDir, `openmanusui-${Date.now()}.cpuprofile`), JSON.stringify((await profiler.send('Profiler.stop')).profile));
      await page.screenshot({ path: join(ctx.work, 'openmanusui.png') });
      await context.close();

      const fr = summary(recorded.frames);
      const over = recorded.frames.filter((ms) => ms > 32).length;
      ctx.log(`${f.frames.length} backend frames in ${Math.round(runMs)} ms; ${recorded.frames.length} page frames, longest ${fr.max} ms, ${over} over 32 ms; ${recorded.steps} step rows on screen`);
      return {
        figures: [
          figure({ id: 'openmanusui.frames', name: `backend frames of the run (${f.steps} steps)`, value: f.frames.length, unit: 'frames' }),
          figure({ id: 'openmanusui.runMs', name: 'the run, its start to agent.finished', value: Math.round(runMs), unit: 'ms' }),
          figure({ id: 'openmanusui.maxFrame', name: 'timeline open during the run: longest frame', value: fr.max, unit: 'ms', limit: 32 }),
          figure({ id: 'openmanusui.over32', name: 'frames over 32 ms', value: over, unit: 'frames', limit: 0 }),
          figure({ id: 'openmanusui.p99', name: 'frame p99', value: round(percentile(recorded.frames, 99)), unit: 'ms' }),
          figure({ id: 'openmanusui.answerShown', name: 'agent.finished seen → answer on screen', value: Math.round(answerShownAfterMs), unit: 'ms' }),
          ...(tasks
            ? [
                figure({ id: 'openmanusui.cpu', name: `traced: main-thread CPU in tasks over the run (${tasks.count} tasks)`, value: Math.round(tasks.cpuMs), unit: 'ms' }),
                figure({ id: 'openmanusui.cpu.longest', name: 'traced: longest task, CPU', value: round(tasks.longestMs), unit: 'ms' }),
                figure({ id: 'openmanusui.cpu.over16', name: 'traced: tasks over 16 ms of CPU', value: tasks.over16, unit: 'tasks' }),
                figure({ id: 'openmanusui.cpu.renderLayout', name: 'traced: of the CPU, style + layout + paint', value: Math.round(tasks.renderingMs), unit: 'ms' }),
              ]
            : []),
        ],
        info: {
          steps: f.steps,
          tickMs: f.tickMs,
          backendFrames: f.frames.length,
          pageFrames: recorded.frames.length,
          frameMs: fr,
          longAnimationFrames: recorded.loaf.map((e) => ({ ms: Math.round(e.duration), scripts: e.scripts })),
          stepRowsOnScreen: recorded.steps,
          ...(tasks ? { tracedRenderingMs: tasks.rendering } : {}),
          chromium: browser.version(),
        },
      };
    } finally {
      reader?.close();
      await app?.stop();
      await browser.close();
      await flood?.close();
    }
  },
};
