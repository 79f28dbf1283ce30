// One JSON request as every kind's REST client makes it: a timeout, no redirects, a network
// failure as a transient ConnectorError, the body read up to a size cap and parsed as JSON
// (undefined when it is not), and Retry-After clamped.
import { ConnectorError } from './connector';

/** The longest a server may park us with Retry-After; a reply should not wait for hours. */
export const MAX_RETRY_AFTER_MS = 15 * 60 * 1000;
/**
 * The largest answer read, counted after decompression: a page of 100 long messages fits many
 * times over, and a gzip bomb (a few KB that inflate to gigabytes) is refused at this size.
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Retry-After in seconds or as an HTTP date, clamped to (0, MAX_RETRY_AFTER_MS]; undefined when absent or unusable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  const ms = /^\s*[\d.e+]+\s*$/i.test(header) ? seconds * 1000 : Date.parse(header) - now;
  if (!(ms > 0)) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

class TooLarge extends Error {}

/** The body as text, refusing to hold more than `limit` bytes of it. */
async function readCapped(res: Response, limit: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  // Content-Length counts the compressed bytes; the decoded ones are counted while reading.
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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
