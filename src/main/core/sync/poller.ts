// Catch-up by polling, for kinds with no account-wide realtime channel (capabilities.catchUp
// 'poll': a Django mentor chat has sockets per conversation only). The list is polled on an
// interval that tightens while the window is focused and backs off while nothing changes.
import type { Timers } from './timers';

export interface PollIntervals {
  /** Between polls while the window is focused and things change. */
  focusedMs: number;
  /** Between polls while the window is in the background and things change. */
  backgroundMs: number;
  /** The longest wait, however long nothing has changed. */
  maxFocusedMs: number;
  maxBackgroundMs: number;
}

export const defaultPollIntervals: PollIntervals = { focusedMs: 5_000, backgroundMs: 20_000, maxFocusedMs: 30_000, maxBackgroundMs: 120_000 };

export class Poller {
  private timer: unknown = null;
  private idlePolls = 0;
  private focused = false;
  private running = false;
  private lastPollAt = 0;

  constructor(
    private readonly deps: { timers: Timers; clock: () => number; intervals?: PollIntervals; poll: () => void },
  ) {}

  private get intervals(): PollIntervals {
    return this.deps.intervals ?? defaultPollIntervals;
  }

  /** The wait before the next poll, from focus and how many polls in a row found nothing. */
  delay(): number {
    const { focusedMs, backgroundMs, maxFocusedMs, maxBackgroundMs } = this.intervals;
    const base = this.focused ? focusedMs : backgroundMs;
    const max = this.focused ? maxFocusedMs : maxBackgroundMs;
    return Math.min(max, base * 2 ** Math.min(this.idlePolls, 16));
  }

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
    this.clear();
  }

  /** A catch-up finished: schedule the next poll, sooner when it found something. */
  polled(changed: boolean): void {
    this.lastPollAt = this.deps.clock();
    this.idlePolls = changed ? 0 : this.idlePolls + 1;
    this.schedule();
  }

  /** The window gained or lost focus: a focused window polls at once if it has waited long enough. */
  setFocused(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    if (!this.running) return;
    if (focused) {
      this.idlePolls = 0;
      if (this.deps.clock() - this.lastPollAt >= this.intervals.focusedMs) {
        this.clear();
        this.deps.poll();
        return;
      }
    }
    this.schedule();
  }

  private schedule(): void {
    this.clear();
    if (!this.running) return;
    const wait = Math.max(0, this.lastPollAt + this.delay() - this.deps.clock());
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      if (this.running) this.deps.poll();
    }, wait);
  }

  private clear(): void {
    if (this.timer) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
