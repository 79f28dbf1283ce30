// Where the wall time between two performance marks went on the page's main thread, from a
// Chromium trace: in tasks on the CPU, in tasks off it (the thread waited for a core, or blocked
// on a synchronous request such as a font lookup), or between tasks (the thread was idle or
// another task's turn had not come). Thread CPU totals alone (threadTimes) cannot tell these apart.
import { marks, type TraceEvent } from './chromium-trace';

/** The trace category with the renderer's font lookups (synchronous requests to the browser process on Linux). */
export const FONT_CATEGORY = 'fonts';

export interface Timeline {
  wallMs: number;
  /** Main-thread tasks that overlap the window. */
  tasks: number;
  /** Their wall time inside the window… */
  inTasksMs: number;
  /** …of which on the CPU… */
  onCpuMs: number;
  /** …and off it. */
  offCpuMs: number;
  /** Wall time in the window when the main thread ran no task. */
  betweenTasksMs: number;
  /** Font lookups (FontCache::GetFontPlatformData, outermost) in the window, and their wall time. */
  fontLookups: number;
  fontLookupMs: number;
  /** The other threads of the page's renderer and of every other Chromium process, CPU in the window. */
  otherChromiumCpuMs: number;
}

const overlap = (e: TraceEvent, from: number, to: number) => Math.max(0, Math.min(e.ts + (e.dur ?? 0), to) - Math.max(e.ts, from));

export function timeline(events: TraceEvent[], from: string, to: string): Timeline {
  const [start, end] = marks(events, from, to);
  const [t0, t1] = [start.ts, end.ts];
  const mainThread = (e: TraceEvent) => e.pid === start.pid && e.tid === start.tid;
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined && overlap(e, t0, t1) > 0);
  const tasks = complete.filter((e) => mainThread(e) && e.name === 'RunTask');
  let inTasks = 0;
  let onCpu = 0;
  for (const task of tasks) {
    const inside = overlap(task, t0, t1);
    inTasks += inside;
    onCpu += task.dur ? ((task.tdur ?? 0) * inside) / task.dur : 0;
  }
  // Outermost lookups only: one lookup can nest another of the same name.
  const fonts = complete.filter((e) => mainThread(e) && e.name === 'FontCache::GetFontPlatformData').sort((a, b) => a.ts - b.ts);
  let fontLookups = 0;
  let fontLookup = 0;
  let coveredUntil = -Infinity;
  for (const f of fonts) {
    if (f.ts < coveredUntil) continue;
    fontLookups++;
    fontLookup += overlap(f, t0, t1);
    coveredUntil = f.ts + (f.dur ?? 0);
  }
  // Each other thread's outermost events: tasks on most threads, named jobs on V8's workers.
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of complete) {
    if (mainThread(e)) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key);
    if (list) list.push(e);
    else byThread.set(key, [e]);
  }
  let others = 0;
  for (const list of byThread.values()) {
    let until = -Infinity;
    for (const e of list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0))) {
      if (e.ts < until) continue;
      until = e.ts + (e.dur ?? 0);
      others += e.dur ? ((e.tdur ?? e.dur) * overlap(e, t0, t1)) / e.dur : 0;
    }
  }
  const ms = (us: number) => us / 1000;
  return {
    wallMs: ms(t1 - t0),
    tasks: tasks.length,
    inTasksMs: ms(inTasks),
    onCpuMs: ms(onCpu),
    offCpuMs: ms(inTasks - onCpu),
    betweenTasksMs: ms(t1 - t0 - inTasks),
    fontLookups,
    fontLookupMs: ms(fontLookup),
    otherChromiumCpuMs: ms(others),
  };
}
