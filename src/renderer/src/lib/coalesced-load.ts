// A load that change events ask for: a lone change loads soon, a burst loads one at a time and at
// most once per gap. An agent run changes its conversation about a hundred times a second; a list
// page and a details load for each kept the renderer's main thread busy (bench openmanusui).

export interface CoalescedLoadOptions {
  /** How long a change waits when nothing loaded for a while (a burst's first changes load once). */
  delayMs: number;
  /** The least time between the starts of two loads while changes keep coming. */
  gapMs: number;
  /**
   * Whether a load waits for the one running (details: yes). A list refresh does not: its answers
   * carry tickets (the newest wins), and a slow one must not hold back the next.
   */
  oneAtATime: boolean;
  /** A failed load (the next change loads again). */
  onError: (error: unknown) => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class CoalescedLoad {
  private timer: unknown = null;
  private running = false;
  /** What follows the load running: another after the gap, one at once, or none. */
  private next: 'later' | 'now' | null = null;
  private stopped = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(
    private readonly load: () => Promise<unknown>,
    private readonly o: CoalescedLoadOptions,
  ) {
    this.now = o.now ?? (() => performance.now());
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = o.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  /** Something changed: a load starts after the delay, the gap, and the load running if any. */
  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.next ??= 'later';
      return;
    }
    if (this.timer !== null) return;
    const wait = Math.max(this.o.delayMs, this.lastStart + this.o.gapMs - this.now());
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.start();
    }, wait);
  }

  /** Loads now (what is shown changed), or right after the load running. */
  loadNow(): void {
    if (this.stopped) return;
    this.clearPending();
    if (this.running) this.next = 'now';
    else this.start();
  }

  /** Nothing more loads (unmounted, another conversation); a load running finishes alone. */
  stop(): void {
    this.stopped = true;
    this.next = null;
    this.clearPending();
  }

  private clearPending(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private start(): void {
    this.lastStart = this.now();
    this.running = this.o.oneAtATime;
    this.load().then(
      () => this.finished(),
      (error: unknown) => {
        this.o.onError(error);
        this.finished();
      },
    );
  }

  private finished(): void {
    if (!this.running) return;
    this.running = false;
    const next = this.next;
    this.next = null;
    if (this.stopped || next === null) return;
    if (next === 'now') this.start();
    else this.request();
  }
}
