// The renderer's coalesced loads (list pages and details during an agent run's flood of changes).
import { describe, expect, it } from 'vitest';
import { CoalescedLoad } from '../../src/renderer/src/lib/coalesced-load';

/** A clock and timers moved by hand, and loads that finish when told. */
function harness(delayMs = 50, gapMs = 250, oneAtATime = true) {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const starts: number[] = [];
  const finish: Array<(fail?: boolean) => void> = [];
  const errors: unknown[] = [];
  const load = new CoalescedLoad(
    () =>
      new Promise<void>((resolve, reject) => {
        starts.push(now);
        finish.push((fail) => (fail ? reject(new Error('down')) : resolve()));
      }),
    {
      delayMs,
      gapMs,
      oneAtATime,
      onError: (e) => errors.push(e),
      now: () => now,
      setTimer: (fn, ms) => {
        const id = ++ids;
        timers.push({ at: now + ms, fn, id });
        return id;
      },
      clearTimer: (id) => timers.splice(timers.findIndex((t) => t.id === id) >>> 0, 1),
    },
  );
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const t = timers[0];
      if (!t || t.at > until) break;
      timers.shift();
      now = t.at;
      t.fn();
      await Promise.resolve();
    }
    now = until;
  };
  const settle = async (fail = false) => {
    finish.shift()!(fail);
    // The promise's handlers run a few microtasks later.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { load, starts, errors, advance, settle, pendingTimers: () => timers.length };
}

describe('CoalescedLoad', () => {
  it('loads a lone change after the delay, and a burst of changes once', async () => {
    const h = harness();
    for (let i = 0; i < 20; i++) h.load.request();
    await h.advance(49);
    expect(h.starts).toEqual([]);
    await h.advance(1);
    expect(h.starts).toEqual([50]);
    await h.settle();
    expect(h.pendingTimers()).toBe(0);
  });

  it('keeps loads a gap apart while changes keep coming, one at a time', async () => {
    const h = harness();
    h.load.request();
    await h.advance(50);
    // Changes while the first load runs: one more load, after it and not before the gap.
    h.load.request();
    h.load.request();
    await h.advance(20);
    await h.settle();
    await h.advance(200);
    expect(h.starts).toEqual([50]);
    await h.advance(100);
    expect(h.starts).toEqual([50, 300]);
    await h.settle();
    // Quiet for long (done at 370, asked at 1370): the next change waits the delay only.
    await h.advance(1000);
    h.load.request();
    await h.advance(50);
    expect(h.starts).toEqual([50, 300, 1420]);
  });

  it('loads at once when asked now, right after a load running, and reports failures', async () => {
    const h = harness();
    h.load.loadNow();
    expect(h.starts).toEqual([0]);
    h.load.request();
    h.load.loadNow();
    await h.advance(10);
    await h.settle(true);
    expect(h.errors).toHaveLength(1);
    expect(h.starts).toEqual([0, 10]);
  });

  it('without oneAtATime, a slow load does not hold back the next one (the gap still holds)', async () => {
    const h = harness(50, 250, false);
    h.load.request();
    await h.advance(50);
    h.load.request();
    await h.advance(249);
    expect(h.starts).toEqual([50]);
    await h.advance(1);
    expect(h.starts).toEqual([50, 300]);
    h.load.loadNow();
    expect(h.starts).toEqual([50, 300, 300]);
  });

  it('loads nothing more once stopped', async () => {
    const h = harness();
    h.load.request();
    h.load.stop();
    await h.advance(1000);
    h.load.request();
    h.load.loadNow();
    expect(h.starts).toEqual([]);
    expect(h.pendingTimers()).toBe(0);
  });
});
