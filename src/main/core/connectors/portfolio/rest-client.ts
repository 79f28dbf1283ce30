// HTTP for the portfolio backend: {success, data} envelopes, errors mapped to what the sync
// engine and the outbox do next (sign in again, retry later, or fail with the server's reason).
import type { z } from 'zod';
import { ConnectorError } from '../connector';
import { Envelope } from './wire';

export interface RestClientOptions {
  baseUrl: string;
  token: () => string | undefined;
  /** How the token travels (default `Authorization: Bearer`; the deployed site wants its cookie). */
  authHeaders?: (token: string) => Record<string, string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
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
      json = await res.json();
    } catch {
      json = undefined;
    }
    const serverMessage =
      json && typeof json === 'object' && 'error' in json && typeof (json as { error: unknown }).error === 'string'
        ? (json as { error: string }).error
        : `HTTP ${res.status}`;
    if (res.status === 401) throw new ConnectorError('auth', serverMessage);
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new ConnectorError('transient', serverMessage, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
    }
    if (!res.ok) throw new ConnectorError('rejected', serverMessage);
    const parsed = Envelope(schema).safeParse(json);
    if (!parsed.success) throw new ConnectorError('rejected', `Unexpected answer from ${path}: not a Switchboard-compatible backend.`);
    const envelope = parsed.data as { success: true; data: z.output<T> } | { success: false; error: string };
    if (!envelope.success) throw new ConnectorError('rejected', envelope.error);
    return envelope.data;
  }
}
