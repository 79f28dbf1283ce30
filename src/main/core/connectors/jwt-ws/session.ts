// The sign-in of a jwt-ws account: login with email + password + a stable device_id, access
// tokens refreshed shortly before they expire (and after a 401), a new sign-in with the stored
// password when the refresh token is refused, and "Sign in again" only when no password is at hand.
// The server rotates refresh tokens, so every new pair is handed to onTokens at once.
import { ConnectorError } from '../connector';
import { callJson, errorFor, unwrap, type HttpDeps, type TokenSource } from './rest-client';
import { TokenPair, type WireUser } from './wire';

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** Local epoch ms when the access token stops working (from the token's own lifetime, so clock skew does not matter). */
  expiresAt: number;
  user: WireUser;
}

export interface SessionOptions extends HttpDeps {
  email: string;
  /** The password for a new sign-in, or null when the user has to type it again. */
  password: () => string | null | Promise<string | null>;
  /** Stable per install: the server keeps one session per (user, device) and requires it. */
  deviceId: string;
  initial?: StoredTokens | null;
  onTokens?: (tokens: StoredTokens) => void;
  log?: (line: string) => void;
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

export class JwtWsSession implements TokenSource {
  private tokens: StoredTokens | null;
  private inflight: Promise<string> | null = null;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  /** Counters for tests and the account's detail line. */
  readonly stats = { logins: 0, refreshes: 0, refreshFailures: 0 };

  constructor(private readonly opts: SessionOptions) {
    this.tokens = opts.initial ?? null;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => undefined);
  }

  get user(): WireUser | null {
    return this.tokens?.user ?? null;
  }

  /** A token good for a while yet: refreshed when less than a fifth of its life (at most 30 s) is left. */
  accessToken(): Promise<string> {
    const t = this.tokens;
    if (t && !this.expiringSoon(t)) return Promise.resolve(t.accessToken);
    this.inflight ??= (t ? this.refresh(t) : this.signIn()).finally(() => (this.inflight = null));
    return this.inflight;
  }

  rejected(token: string): void {
    if (this.tokens?.accessToken === token) this.tokens = { ...this.tokens, expiresAt: 0 };
  }

  private expiringSoon(t: StoredTokens): boolean {
    const life = jwtLifetimeMs(t.accessToken) ?? 15 * 60_000;
    return t.expiresAt - this.now() < Math.min(30_000, life / 5);
  }

  private accept(pair: TokenPair): string {
    const receivedAt = this.now();
    const life = jwtLifetimeMs(pair.access_token);
    const expiresAt = life !== null ? receivedAt + life : pair.expires_at ? Date.parse(pair.expires_at) : receivedAt + 60_000;
    this.tokens = { accessToken: pair.access_token, refreshToken: pair.refresh_token, expiresAt, user: pair.user };
    this.opts.onTokens?.(this.tokens);
    return pair.access_token;
  }

  /** POST /auth/login. A wrong password is 'auth'; a 400 (e.g. no device_id) is 'rejected'. */
  async signIn(): Promise<string> {
    const password = await this.opts.password();
    if (!password) throw new ConnectorError('auth', 'Sign in again: the password is needed.');
    const body = { email: this.opts.email, password, device_id: this.opts.deviceId, device_type: 'desktop' };
    const a = await callJson(this.opts, 'POST', '/api/v1/auth/login', body);
    if (a.status === 401) throw new ConnectorError('auth', 'The email or password is not correct.');
    if (a.status < 200 || a.status >= 300) throw errorFor(a, this.now());
    this.stats.logins++;
    return this.accept(unwrap(a, TokenPair, '/api/v1/auth/login').data);
  }

  /** POST /auth/refresh; when the server refuses the refresh token, sign in again with the password. */
  private async refresh(t: StoredTokens): Promise<string> {
    const a = await callJson(this.opts, 'POST', '/api/v1/auth/refresh', { refresh_token: t.refreshToken });
    if (a.status >= 200 && a.status < 300) {
      this.stats.refreshes++;
      return this.accept(unwrap(a, TokenPair, '/api/v1/auth/refresh').data);
    }
    if (a.status === 401 || a.status === 400 || a.status === 403) {
      this.stats.refreshFailures++;
      this.log(`jwt-ws: refresh refused (${a.status}); signing in again`);
      this.tokens = null;
      return this.signIn();
    }
    throw errorFor(a, this.now());
  }
}
