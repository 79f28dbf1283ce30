// HTTP for a jwt-ws server: `{success, message, data, meta}` envelopes, bodies read up to 32 MB; a 401 refreshes the access
// token once and retries; 429 waits for X-RateLimit-Reset (the server sends no Retry-After); every
// failure becomes the ConnectorError kind that tells the engine what to do next.
import type { z } from 'zod';
import { parseRetryAfter } from '../../sync/backoff';
import { ConnectorError } from '../connector';
import { MAX_BODY_BYTES, TooLarge, readCapped } from '../read-capped';
import { Envelope } from './wire';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpDeps {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  json: unknown;
}

/** One request without any token logic; network failures are transient ConnectorErrors. */
export async function callJson(deps: HttpDeps, method: Method, path: string, body?: unknown, token?: string): Promise<RawAnswer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await (deps.fetch ?? fetch)(new URL(path, deps.baseUrl), {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
      redirect: 'error',
    });
  } catch (error) {
    throw new ConnectorError('transient', `Could not reach ${deps.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readCapped(res, MAX_BODY_BYTES));
  } catch (error) {
    if (error instanceof TooLarge) throw new ConnectorError('rejected', `The answer from ${path.split('?')[0]} is too large (over ${MAX_BODY_BYTES / 1024 / 1024} MB); refused.`);
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json };
}

/** How long a 429 asks us to wait: until X-RateLimit-Reset (unix seconds), else Retry-After, else 60 s. */
export function rateLimitWaitMs(headers: Headers, now: number): number {
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.min(120_000, Math.max(1000, reset * 1000 - now));
  const after = parseRetryAfter(headers.get('retry-after'), now);
  if (after !== undefined) return Math.min(120_000, after);
  return 60_000;
}

export function serverMessage(a: RawAnswer): string {
  const j = a.json as { message?: unknown; error?: unknown } | undefined;
  if (j && typeof j.message === 'string' && j.message) return j.message.slice(0, 500);
  if (j && typeof j.error === 'string' && j.error) return j.error.slice(0, 500);
  return `HTTP ${a.status}`;
}

/** Maps a non-2xx answer to what the engine does next. */
export function errorFor(a: RawAnswer, now: number): ConnectorError {
  const msg = serverMessage(a);
  if (a.status === 401) return new ConnectorError('auth', msg);
  if (a.status === 429) return new ConnectorError('transient', `Rate limited: ${msg}`, rateLimitWaitMs(a.headers, now));
  if (a.status >= 500 || a.status === 408) return new ConnectorError('transient', msg);
  return new ConnectorError('rejected', msg);
}

export function unwrap<T extends z.ZodType>(a: RawAnswer, schema: T, path: string): { data: z.output<T>; meta?: { page: number; limit: number; total: number; total_pages: number } } {
  const parsed = Envelope(schema).safeParse(a.json);
  if (!parsed.success) throw new ConnectorError('rejected', `Unexpected answer from ${path}: not a jwt-ws chat server.`);
  const env = parsed.data as { data: z.output<T>; meta?: { page: number; limit: number; total: number; total_pages: number } };
  return { data: env.data, ...(env.meta ? { meta: env.meta } : {}) };
}

/** Where the REST client gets tokens; the session refreshes or signs in again behind it. */
export interface TokenSource {
  accessToken(): Promise<string>;
  /** The server refused this token (401): the next accessToken() must not return it. */
  rejected(token: string): void;
}

export class JwtWsRest {
  private readonly now: () => number;

  constructor(
    private readonly http: HttpDeps,
    private readonly tokens: TokenSource,
  ) {
    this.now = http.now ?? Date.now;
  }

  async request<T extends z.ZodType>(method: Method, path: string, schema: T, body?: unknown) {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.accessToken();
      const a = await callJson(this.http, method, path, body, token);
      if (a.status >= 200 && a.status < 300) return unwrap(a, schema, path);
      if (a.status === 401 && attempt === 0) {
        this.tokens.rejected(token);
        continue;
      }
      throw errorFor(a, this.now());
    }
  }
}
