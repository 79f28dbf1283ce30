// Where the renderer's main thread spent its CPU time between two performance marks, from a
// Chromium trace (CDP Tracing). Thread time (`tdur`), not wall time: on a shared machine the
// wall clock also counts the time the thread waited for a core, which moves 2-4× with the load.
import type { CDPSession } from '@playwright/test';

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  cat?: string;
}

export interface ThreadTimes {
  /** Wall time between the marks (traced, so a little slower than an untraced load). */
  wallMs: number;
  /** CPU time of the main thread's tasks in the window, and of what ran inside them. */
  cpuMs: number;
  styleMs: number;
  layoutMs: number;
  /** V8 compiling functions on their first call (lazy compilation: the JavaScript is cold). */
  compileMs: number;
  gcMs: number;
  /** The rest: JavaScript running (the bridge, React's render and commit, the app's code). */
  scriptMs: number;
}

export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8', 'disabled-by-default-v8.compile'];

/** Starts a trace on the page's session; the returned function ends it and hands back its events. */
export async function startTrace(cdp: CDPSession, extraCategories: readonly string[] = []): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: [...TRACE_CATEGORIES, ...extraCategories] }, transferMode: 'ReportEvents' });
  return async () => {
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await complete;
    return events;
  };
}

export function marks(events: TraceEvent[], from: string, to: string): [TraceEvent, TraceEvent] {
  const start = events.find((e) => e.name === from);
  const end = events.find((e) => e.name === to);
  if (!start || !end) throw new Error(`trace has no ${start ? to : from} mark`);
  return [start, end];
}

/** CPU time on the thread that set `from`, in the tasks between the marks `from` and `to`. */
export function threadTimes(events: TraceEvent[], from: string, to: string): ThreadTimes {
  const [start, end] = marks(events, from, to);
  const sum = (names: string[]) =>
    events
      .filter((e) => e.ph === 'X' && e.pid === start.pid && e.tid === start.tid && e.ts < end.ts && e.ts + (e.dur ?? 0) > start.ts && names.includes(e.name))
      .reduce((ms, e) => ms + (e.tdur ?? 0) / 1000, 0);
  // The tasks that overlap the window (the page's message task starts just before its mark; the
  // observer's ends just after the last): top-level only, what ran inside them is named below.
  const cpuMs = sum(['RunTask']);
  const styleMs = sum(['UpdateLayoutTree']);
  const layoutMs = sum(['Layout']);
  const compileMs = sum(['V8.CompileCode']);
  const gcMs = sum(['MinorGC', 'MajorGC']);
  return { wallMs: (end.ts - start.ts) / 1000, cpuMs, styleMs, layoutMs, compileMs, gcMs, scriptMs: Math.max(0, cpuMs - styleMs - layoutMs - compileMs - gcMs) };
}

export interface TaskTimes {
  count: number;
  cpuMs: number;
  longestMs: number;
  over16: number;
  /** Style, layout, paint and compositing-layer updates inside them… */
  renderingMs: number;
  /** …by kind (trace event name). */
  rendering: Record<string, number>;
}

const RENDERING = ['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'UpdateLayer'];

/** The main thread's tasks (of the thread that set `from`) between two marks, by CPU time. */
export function taskTimes(events: TraceEvent[], from: string, to: string): TaskTimes {
  const [start, end] = marks(events, from, to);
  const inWindow = (e: TraceEvent) => e.ph === 'X' && e.pid === start.pid && e.tid === start.tid && e.ts >= start.ts && e.ts <= end.ts;
  const tasks = events.filter((e) => inWindow(e) && e.name === 'RunTask').map((e) => (e.tdur ?? 0) / 1000);
  const rendering = events.filter((e) => inWindow(e) && RENDERING.includes(e.name));
  return {
    count: tasks.length,
    cpuMs: tasks.reduce((a, b) => a + b, 0),
    longestMs: Math.max(0, ...tasks),
    over16: tasks.filter((ms) => ms > 16).length,
    renderingMs: rendering.reduce((ms, e) => ms + (e.tdur ?? 0) / 1000, 0),
    rendering: Object.fromEntries(RENDERING.map((name) => [name, Math.round(rendering.filter((e) => e.name === name).reduce((ms, e) => ms + (e.tdur ?? 0) / 1000, 0))])),
  };
}
