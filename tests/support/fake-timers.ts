// Timers for tests, passed in where the core takes a Timers.
import type { Timers } from '../../src/main/core/sync/timers';

/** Time moves only when the test says so. `sleep` is a suspended laptop: wall time jumps, timers wait. */
export class FakeTimers implements Timers {
  now: number;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  constructor(now = 0) {
    this.now = now;
  }

  setTimeout = (fn: () => void, ms: number): unknown => {
    const handle = ++this.seq;
    this.pending.set(handle, { at: this.now + ms, fn });
    return handle;
  };

  clearTimeout = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  get count(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = target;
  }

  sleep(ms: number): void {
    this.now += ms;
    for (const t of this.pending.values()) t.at += ms;
  }
}
