// One JSON request as every kind's REST client makes it: a timeout, no redirects, a network
// failure as a transient ConnectorError, and the body read as JSON (undefined when it is not).
import { ConnectorError } from './connector';

export interface JsonResponse {
  res: Response;
  json: unknown;
}

export async function requestJson(
  fetchFn: typeof fetch,
  url: string | URL,
  init: { method: string; headers: Record<string, string>; body?: unknown; timeoutMs?: number },
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
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    json = undefined;
  }
  return { res, json };
}

/** A 429 or 5xx: retry later, after the server's Retry-After when it gave one. */
export function transientFor(res: Response, message: string): ConnectorError | null {
  if (res.status !== 429 && res.status < 500) return null;
  const retryAfter = Number(res.headers.get('retry-after'));
  return new ConnectorError('transient', message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
}
