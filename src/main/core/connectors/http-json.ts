// One JSON request as every kind's REST client makes it: a timeout, no redirects, a network
// failure as a transient ConnectorError, the body read up to a size cap and parsed as JSON
// (undefined when it is not), and Retry-After clamped.
import { MAX_SERVER_WAIT_MS, parseRetryAfter } from '../sync/backoff';
import { ConnectorError } from './connector';
import { MAX_BODY_BYTES, TooLarge, readCapped } from './read-capped';

export { MAX_BODY_BYTES };

/** The longest a server may park us with Retry-After; a reply should not wait for hours. */
export const MAX_RETRY_AFTER_MS = MAX_SERVER_WAIT_MS;

/** Retry-After in seconds or as an HTTP date (see sync/backoff.ts). */
export const retryAfterMs = parseRetryAfter;

export interface JsonResponse {
  res: Response;
  json: unknown;
}

export async function requestJson(
  fetchFn: typeof fetch,
  url: string | URL,
  init: { method: string; headers: Record<string, string>; body?: unknown; timeoutMs?: number; maxBodyBytes?: number },
  siteForErrors: string,
): Promise<JsonResponse> {
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: init.method,
      headers: init.headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
      redirect: 'error',
    });
  } catch (error) {
    throw new ConnectorError('transient', `Could not reach ${siteForErrors}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const limit = init.maxBodyBytes ?? MAX_BODY_BYTES;
  let json: unknown;
  try {
    json = JSON.parse(await readCapped(res, limit));
  } catch (error) {
    if (error instanceof TooLarge) {
      const path = new URL(String(url)).pathname;
      throw new ConnectorError('rejected', `The answer from ${path} is too large (over ${Math.round(limit / 1024 / 1024)} MB); refused.`);
    }
    json = undefined;
  }
  return { res, json };
}

/** A 429 or 5xx: retry later, after the server's Retry-After when it gave a usable one. */
export function transientFor(res: Response, message: string, now: number): ConnectorError | null {
  if (res.status !== 429 && res.status < 500) return null;
  return new ConnectorError('transient', message, retryAfterMs(res.headers.get('retry-after'), now));
}
