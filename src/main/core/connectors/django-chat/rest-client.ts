// REST for the Django mentor chat: Bearer access token (no CSRF needed), renewed once on a 401
// or shortly before it expires; errors mapped to what the engine and the outbox do next.
import type { z } from 'zod';
import { parseRetryAfter } from '../../sync/backoff';
import { ConnectorError } from '../connector';
import { credentialString, type CredentialsPort } from '../credentials';

export interface DjangoRestOptions {
  baseUrl: string;
  credentials: CredentialsPort;
  fetch: typeof fetch;
  clock: () => number;
  timeoutMs?: number;
}

/** Renew this long before the access token's expiry (a quarter of a short lifetime) instead of spending a 401 on it. */
const RENEW_MARGIN_MS = 30_000;

const detailOf = (json: unknown, status: number): string => {
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (typeof o.detail === 'string') return o.detail;
    const first = Object.values(o).find((v) => Array.isArray(v) && typeof v[0] === 'string') as string[] | undefined;
    if (first) return first[0]!;
  }
  return `HTTP ${status}`;
};

export class DjangoRest {
  constructor(private readonly options: DjangoRestOptions) {}

  private async token(): Promise<string> {
    const current = this.options.credentials.current();
    const access = credentialString(current, 'access');
    const expiresAt = typeof current?.expiresAt === 'number' ? current.expiresAt : null;
    const issuedAt = typeof current?.issuedAt === 'number' ? current.issuedAt : null;
    const margin = expiresAt !== null && issuedAt !== null ? Math.min(RENEW_MARGIN_MS, (expiresAt - issuedAt) / 4) : RENEW_MARGIN_MS;
    if (access && (expiresAt === null || expiresAt - margin > this.options.clock())) return access;
    const renewed = credentialString(await this.options.credentials.refresh(), 'access');
    if (!renewed) throw new ConnectorError('auth', 'Not signed in.');
    return renewed;
  }

  async request<T extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: T, body?: unknown): Promise<z.output<T>> {
    let res = await this.send(method, path, await this.token(), body);
    if (res.status === 401) {
      // Expired or revoked access token: renew once (a failed renewal is ConnectorError('auth')).
      const renewed = credentialString(await this.options.credentials.refresh(), 'access');
      if (!renewed) throw new ConnectorError('auth', 'Not signed in.');
      res = await this.send(method, path, renewed, body);
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (res.status === 401) throw new ConnectorError('auth', detailOf(json, res.status));
    if (res.status === 429 || res.status >= 500) {
      throw new ConnectorError('transient', detailOf(json, res.status), parseRetryAfter(res.headers.get('retry-after'), this.options.clock()));
    }
    if (res.status >= 300 && res.status < 400) throw new ConnectorError('rejected', `${path} redirected (${res.status}); the site's API is not where a Django mentor chat keeps it.`);
    if (!res.ok) throw new ConnectorError('rejected', detailOf(json, res.status));
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ConnectorError('rejected', `Unexpected answer from ${path}: not a Django mentor chat site.`);
    return parsed.data;
  }

  /** A GET with only the session cookie: tells an expired session from a refused Origin. */
  async sessionValid(path: string): Promise<boolean> {
    const sessionid = credentialString(this.options.credentials.current(), 'sessionid');
    if (!sessionid) return false;
    const res = await this.raw(path, { method: 'GET', headers: { Accept: 'application/json', Cookie: `sessionid=${sessionid}` } });
    return res.ok;
  }

  private send(method: string, path: string, token: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return this.raw(path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  }

  private async raw(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.options.fetch(new URL(path, this.options.baseUrl), {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new ConnectorError('transient', `Could not reach ${this.options.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
