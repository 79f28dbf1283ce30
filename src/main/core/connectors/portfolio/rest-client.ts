// HTTP for the portfolio backend: {success, data} envelopes, errors mapped to what the sync
// engine and the outbox do next (sign in again, retry later, or fail with the server's reason).
import type { z } from 'zod';
import { ConnectorError } from '../connector';
import { requestJson, transientFor } from '../http-json';
import { Envelope } from './wire';

export { MAX_BODY_BYTES, MAX_RETRY_AFTER_MS, retryAfterMs } from '../http-json';

export interface RestClientOptions {
  baseUrl: string;
  token: () => string | undefined;
  /** How the token travels (default `Authorization: Bearer`; the deployed site wants its cookie). */
  authHeaders?: (token: string) => Record<string, string>;
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
    if (token) Object.assign(headers, this.options.authHeaders ? this.options.authHeaders(token) : { Authorization: `Bearer ${token}` });
    const { res, json } = await requestJson(
      this.fetchFn,
      new URL(path, this.options.baseUrl),
      { method, headers, body, timeoutMs: this.options.timeoutMs, maxBodyBytes: this.options.maxBodyBytes },
      this.options.baseUrl,
    );
    const serverMessage =
      json && typeof json === 'object' && 'error' in json && typeof (json as { error: unknown }).error === 'string'
        ? (json as { error: string }).error
        : `HTTP ${res.status}`;
    if (res.status === 401) throw new ConnectorError('auth', serverMessage);
    const transient = transientFor(res, serverMessage, (this.options.clock ?? Date.now)());
    if (transient) throw transient;
    if (!res.ok) throw new ConnectorError('rejected', serverMessage);
    const parsed = Envelope(schema).safeParse(json);
    if (!parsed.success) throw new ConnectorError('rejected', `Unexpected answer from ${path}: not a Switchboard-compatible backend.`);
    const envelope = parsed.data as { success: true; data: z.output<T> } | { success: false; error: string };
    if (!envelope.success) throw new ConnectorError('rejected', envelope.error);
    return envelope.data;
  }
}
