/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries
 * from many clients spread out but never fire immediately after a failure.
 */
export function backoffDelay(attempt: number, random: () => number, baseMs = 1000, maxMs = 60_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The longest wait a server may impose on one item (Retry-After, or a retry time stored before
 * this limit existed): past it the item is tried again anyway.
 */
export const MAX_SERVER_WAIT_MS = 15 * 60 * 1000;
