// The sign-in of a jwt-ws account: login with email + password + a stable device_id, access
// tokens refreshed shortly before they expire (and after a 401), a new login with the kept
// password when the refresh token is refused, and "Sign in again" only when no password is at hand.
// The server rotates refresh tokens, so every renewal is saved at once (the credentials port does).
import { ConnectorError } from '../connector';
import type { Credentials, CredentialsPort } from '../credentials';
import { callJson, errorFor, unwrap, type HttpDeps, type TokenSource } from './rest-client';
import { TokenPair } from './wire';

/** What the SecretStore keeps for a jwt-ws account. */
export interface JwtWsCredentials extends Credentials {
  accessToken: string;
  refreshToken: string;
  /** Local epoch ms when the access token stops working (from its own lifetime: clock skew does not matter). */
  expiresAt: number;
  userId: string;
  email: string;
  /** Kept so a refused refresh can sign in again without the user; absent = ask the user. */
  password?: string;
}

export function asJwtWsCredentials(c: Credentials | undefined): JwtWsCredentials | null {
  if (!c || typeof c.accessToken !== 'string' || typeof c.refreshToken !== 'string' || typeof c.userId !== 'string' || typeof c.email !== 'string') return null;
  return c as JwtWsCredentials;
}

/** Lifetime in ms from the JWT's own iat/exp, or null when the token does not say. */
export function jwtLifetimeMs(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { iat?: unknown; exp?: unknown };
    if (typeof claims.exp === 'number' && typeof claims.iat === 'number' && claims.exp > claims.iat) return (claims.exp - claims.iat) * 1000;
  } catch {
    return null;
  }
  return null;
}

function fromPair(pair: TokenPair, email: string, password: string | undefined, receivedAt: number): JwtWsCredentials {
  const life = jwtLifetimeMs(pair.access_token);
  const expiresAt = life !== null ? receivedAt + life : pair.expires_at ? Date.parse(pair.expires_at) : receivedAt + 60_000;
  return {
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    expiresAt,
    userId: pair.user.id,
    email,
    ...(password ? { password } : {}),
  };
}

/** POST /auth/login. A wrong password is 'auth'; a 400 (e.g. no device_id) is 'rejected'. */
export async function signInJwtWs(deps: HttpDeps, input: { email: string; password: string; deviceId: string; keepPassword?: boolean }): Promise<JwtWsCredentials> {
  const now = deps.now ?? Date.now;
  const body = { email: input.email, password: input.password, device_id: input.deviceId, device_type: 'desktop' };
  const a = await callJson(deps, 'POST', '/api/v1/auth/login', body);
  if (a.status === 401) throw new ConnectorError('auth', 'The email or password is not correct.');
  if (a.status < 200 || a.status >= 300) throw errorFor(a, now());
  return fromPair(unwrap(a, TokenPair, '/api/v1/auth/login').data, input.email, input.keepPassword === false ? undefined : input.password, now());
}

/** POST /auth/refresh; when the server refuses the refresh token, a new login with the kept password. */
export async function renewJwtWs(deps: HttpDeps & { log?: (line: string) => void }, current: JwtWsCredentials, deviceId: string): Promise<JwtWsCredentials> {
  const now = deps.now ?? Date.now;
  const a = await callJson(deps, 'POST', '/api/v1/auth/refresh', { refresh_token: current.refreshToken });
  if (a.status >= 200 && a.status < 300) return fromPair(unwrap(a, TokenPair, '/api/v1/auth/refresh').data, current.email, current.password, now());
  if (a.status === 401 || a.status === 400 || a.status === 403) {
    deps.log?.(`jwt-ws: refresh refused (${a.status}); signing in again`);
    if (!current.password) throw new ConnectorError('auth', 'Sign in again: the session ended and the password is needed.');
    return signInJwtWs(deps, { email: current.email, password: current.password, deviceId });
  }
  throw errorFor(a, now());
}

/** Tokens for requests and the socket, from the account's credentials, renewed through the port. */
export class CredentialTokens implements TokenSource {
  private refused: string | null = null;

  constructor(
    private readonly port: CredentialsPort,
    private readonly now: () => number,
  ) {}

  current(): JwtWsCredentials | null {
    return asJwtWsCredentials(this.port.current());
  }

  /** Renewed when less than a fifth of its life (at most 30 s) is left, or after the server refused it. */
  async accessToken(): Promise<string> {
    const c = this.current();
    if (!c) throw new ConnectorError('auth', 'Sign in again.');
    const life = jwtLifetimeMs(c.accessToken) ?? 15 * 60_000;
    if (c.accessToken !== this.refused && c.expiresAt - this.now() >= Math.min(30_000, life / 5)) return c.accessToken;
    const next = asJwtWsCredentials(await this.port.refresh());
    if (!next) throw new ConnectorError('auth', 'Sign in again.');
    return next.accessToken;
  }

  rejected(token: string): void {
    this.refused = token;
  }
}
