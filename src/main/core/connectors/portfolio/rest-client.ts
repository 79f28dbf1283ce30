// HTTP for the portfolio backend: {success, data} envelopes, errors mapped to what the sync
// engine and the outbox do next (sign in again, retry later, or fail with the server's reason).
import type { z } from 'zod';
import { ConnectorError } from '../connector';
import { Envelope } from './wire';

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

export interface RestClientOptions {
  baseUrl: string;
  token: () => string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Defaults to MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  clock?: () => number;
}

export class RestClient {
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: RestClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async request<T extends z.ZodType>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    schema: T,
    body?: unknown,
    auth = true,
  ): Promise<z.output<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = auth ? this.options.token() : undefined;
    if (auth && !token) throw new ConnectorError('auth', 'Not signed in.');
    if (token) headers.Authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await this.fetchFn(new URL(path, this.options.baseUrl), {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
        redirect: 'error',
      });
    } catch (error) {
      throw new ConnectorError('transient', `Could not reach ${this.options.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(await readCapped(res, this.options.maxBodyBytes ?? MAX_BODY_BYTES));
    } catch (error) {
      if (error instanceof TooLarge) {
        throw new ConnectorError('rejected', `The answer from ${path.split('?')[0]} is too large (over ${Math.round((this.options.maxBodyBytes ?? MAX_BODY_BYTES) / 1024 / 1024)} MB); refused.`);
      }
      json = undefined;
    }
    const serverMessage =
      json && typeof json === 'object' && 'error' in json && typeof (json as { error: unknown }).error === 'string'
        ? (json as { error: string }).error
        : `HTTP ${res.status}`;
    if (res.status === 401) throw new ConnectorError('auth', serverMessage);
    if (res.status === 429 || res.status >= 500) {
      throw new ConnectorError('transient', serverMessage, retryAfterMs(res.headers.get('retry-after'), (this.options.clock ?? Date.now)()));
    }
    if (!res.ok) throw new ConnectorError('rejected', serverMessage);
    const parsed = Envelope(schema).safeParse(json);
    if (!parsed.success) throw new ConnectorError('rejected', `Unexpected answer from ${path}: not a Switchboard-compatible backend.`);
    const envelope = parsed.data as { success: true; data: z.output<T> } | { success: false; error: string };
    if (!envelope.success) throw new ConnectorError('rejected', envelope.error);
    return envelope.data;
  }
}
