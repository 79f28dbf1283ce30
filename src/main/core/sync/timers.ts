/** Timers passed in, so tests can drive time; the composition roots pass the real ones. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The longest delay a timer gets: Node turns anything above 2^31-1 ms (about 24.8 days) into
 * 1 ms, so an absurd delay from a server (Retry-After: 999999999) would spin every millisecond.
 * Nothing here waits longer than a day anyway; a longer wait is re-armed when the timer fires.
 */
export const MAX_TIMER_MS = 24 * 60 * 60 * 1000;

/** A delay a timer can hold: finite, not negative, at most MAX_TIMER_MS. */
export const timerDelay = (ms: number): number => (Number.isNaN(ms) || ms <= 0 ? 0 : Math.min(ms, MAX_TIMER_MS));

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, timerDelay(ms)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
