// Signing in to a Django site as deployed (backends.md §2): POST /en/api/v1/auth/login/ gives
// JWTs in the body (REST) and a Django session in cookies (sockets). The access token is renewed
// with the rotating refresh token; the session cookie cannot be renewed without the password.
import { parseRetryAfter } from '../../sync/backoff';
import { ConnectorError } from '../connector';
import type { Credentials } from '../credentials';
import { credentialString } from '../credentials';
import { LoginResult, RefreshResult } from './wire';

export const API = '/en/api/v1';

/** What a django-chat account keeps in the SecretStore. */
export interface DjangoCredentials extends Credentials {
  access: string;
  refresh: string;
  /** The `sessionid` cookie: the only credential the sockets accept. */
  sessionid: string;
  csrftoken: string | null;
  /** The teacher's user id on the site. */
  userId: number;
  /** When the access token expires and was issued (epoch ms), from its `exp` and `iat` claims. */
  expiresAt: number | null;
  issuedAt: number | null;
}

/** The `exp` and `iat` of a JWT, in epoch ms; null where they cannot be read (then a 401 tells). */
export function jwtTimes(token: string): { expiresAt: number | null; issuedAt: number | null } {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown; iat?: unknown };
    return {
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null,
      issuedAt: typeof payload.iat === 'number' ? payload.iat * 1000 : null,
    };
  } catch {
    return { expiresAt: null, issuedAt: null };
  }
}

/** Cookies a response sets, by name. */
export function setCookies(res: Response): Map<string, string> {
  const lines = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : (res.headers.get('set-cookie') ?? '').split(/,(?=\s*\w+=)/);
  const out = new Map<string, string>();
  for (const line of lines) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return out;
}

async function post(fetchFn: typeof fetch, baseUrl: string, path: string, body: unknown): Promise<Response> {
  try {
    return await fetchFn(new URL(path, baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new ConnectorError('transient', `Could not reach ${baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function failure(res: Response, what: string): ConnectorError {
  if (res.status === 429 || res.status >= 500) {
    // Seconds or an HTTP date; sign-in has no clock passed in, and a date is relative to now anyway.
    return new ConnectorError('transient', `${what}: the site answered ${res.status}`, parseRetryAfter(res.headers.get('retry-after'), Date.now()));
  }
  if (res.status >= 300 && res.status < 400) return new ConnectorError('rejected', `${what}: the site redirected (${res.status}); is this a Django mentor chat site?`);
  return new ConnectorError('rejected', `${what}: the site answered ${res.status}`);
}

export async function signInDjango(baseUrl: string, login: string, password: string, fetchFn: typeof fetch): Promise<DjangoCredentials> {
  const res = await post(fetchFn, baseUrl, `${API}/auth/login/`, { username: login, password });
  // A wrong password is 400 {non_field_errors}; treat 400/401/403 alike as "wrong credentials".
  if (res.status === 400 || res.status === 401 || res.status === 403) throw new ConnectorError('auth', 'Wrong email, username or password.');
  if (!res.ok) throw failure(res, 'Sign-in');
  const parsed = LoginResult.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new ConnectorError('rejected', 'Sign-in: not the answer of a Django mentor chat site.');
  const cookies = setCookies(res);
  const sessionid = cookies.get('sessionid');
  if (!sessionid) throw new ConnectorError('rejected', 'Sign-in: the site set no session cookie, which its live chat needs.');
  return {
    access: parsed.data.access,
    refresh: parsed.data.refresh,
    sessionid,
    csrftoken: cookies.get('csrftoken') ?? null,
    userId: parsed.data.user.id,
    ...jwtTimes(parsed.data.access),
  };
}

/** Renews the access token (the refresh token rotates); cookies are kept. */
export async function refreshDjango(baseUrl: string, current: Credentials, fetchFn: typeof fetch): Promise<DjangoCredentials> {
  const refresh = credentialString(current, 'refresh');
  const sessionid = credentialString(current, 'sessionid');
  if (!refresh || !sessionid) throw new ConnectorError('auth', 'Sign in again: this sign-in cannot be renewed.');
  const res = await post(fetchFn, baseUrl, `${API}/auth/token/refresh/`, { refresh });
  if (res.status === 400 || res.status === 401) throw new ConnectorError('auth', 'Sign in again: the site no longer accepts the saved sign-in.');
  if (!res.ok) throw failure(res, 'Renewing the sign-in');
  const parsed = RefreshResult.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new ConnectorError('rejected', 'Renewing the sign-in: unexpected answer.');
  return {
    access: parsed.data.access,
    refresh: parsed.data.refresh ?? refresh,
    sessionid,
    csrftoken: credentialString(current, 'csrftoken') ?? null,
    userId: Number(current.userId),
    ...jwtTimes(parsed.data.access),
  };
}
