// The one backoff for every retry in the core: the outbox, catch-up, the mirror refusing
// writes, socket reconnects, resubscribes and probes. Exponential from a base up to a cap, with
// jitter so that many clients spread out, reset by the first success, and never sooner than a
// server asked with Retry-After (seconds or an HTTP date).

/**
 * The longest wait a server may impose on one item (Retry-After, or a retry time stored before
 * this limit existed): past it the item is tried again anyway.
 */
export const MAX_SERVER_WAIT_MS = 15 * 60 * 1000;

export interface BackoffPolicy {
  /** The first delay (its ceiling, with jitter). */
  baseMs: number;
  /** The cap: no delay of our own is longer. */
  maxMs: number;
  /**
   * 'equal': half the delay fixed, half random, so retries spread out but never fire right
   * after a failure. 'none': always the ceiling (one local resource, nobody to spread from).
   */
  jitter?: 'equal' | 'none';
  /** Failures in a row retried at baseMs before the delay starts doubling (a short outage). */
  flatAttempts?: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries
 * from many clients spread out but never fire immediately after a failure.
 */
export function backoffDelay(attempt: number, random: () => number, baseMs = 1000, maxMs = 60_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What a server's Retry-After still allows: at most MAX_SERVER_WAIT_MS, nothing when absent or unusable. */
const serverWait = (retryAfterMs: number | undefined): number => (retryAfterMs !== undefined && retryAfterMs > 0 ? Math.min(retryAfterMs, MAX_SERVER_WAIT_MS) : 0);

/** The wait before retry number `attempt` (1 = after the first failure): ours, or the server's when it asked for longer. */
export function retryDelay(policy: BackoffPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  const step = Math.max(1, attempt - (policy.flatAttempts ?? 0));
  const own = backoffDelay(step, policy.jitter === 'none' ? () => 1 : random, policy.baseMs, policy.maxMs);
  return Math.max(own, serverWait(retryAfterMs));
}

/** Failures in a row of one thing (a socket, a catch-up): the next wait, and a reset on success. */
export class Backoff {
  private attempts = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Failures since the last success. */
  get failures(): number {
    return this.attempts;
  }

  /** A failure: the wait before the next attempt, at least the server's Retry-After when it gave one. */
  failed(retryAfterMs?: number): number {
    this.attempts++;
    return retryDelay(this.policy, this.attempts, this.random, retryAfterMs);
  }

  /** It worked: the next failure waits baseMs again. */
  succeeded(): void {
    this.attempts = 0;
  }
}

/** Retry-After in seconds or as an HTTP date, clamped to (0, MAX_SERVER_WAIT_MS]; undefined when absent or unusable. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header == null || header.trim() === '') return undefined;
  const seconds = Number(header);
  const ms = /^\s*[\d.e+]+\s*$/i.test(header) ? seconds * 1000 : Date.parse(header) - now;
  if (!(ms > 0)) return undefined;
  return Math.min(ms, MAX_SERVER_WAIT_MS);
}
