// What an account signs in with, kept in the SecretStore (never in SQLite) as one JSON value per
// account. Each kind decides what it holds: a bearer token, a refresh token, cookies, a site
// secret to mint tokens from. The connector reads the current value and asks for a renewal
// through one port; the kind's own `refresh` does the renewing.
import type { SecretStore } from '../settings/settings-store';
import { ConnectorError } from './connector';

/** A kind's credentials: plain JSON, kind-specific. `expiresAt` (epoch ms) where the kind knows it. */
export type Credentials = Record<string, unknown> & { expiresAt?: number | null };

export interface CredentialsPort {
  /** The credentials saved for this account; undefined before the first sign-in. */
  current(): Credentials | undefined;
  /**
   * Renews them without the user (a refresh token, a token minted again) and saves the result.
   * Concurrent calls share one renewal. Rejects with ConnectorError('auth') when only the user
   * can sign in again.
   */
  refresh(): Promise<Credentials>;
}

const credentialsKey = (accountId: number) => `account:${accountId}:credentials`;
/** Before kinds had credentials of their own, an account kept one bearer token. */
const legacyTokenKey = (accountId: number) => `account:${accountId}:token`;

export class CredentialsVault {
  constructor(private readonly secrets: SecretStore) {}

  get(accountId: number): Credentials | undefined {
    const raw = this.secrets.get(credentialsKey(accountId));
    if (raw !== undefined) {
      try {
        const value = JSON.parse(raw) as unknown;
        if (value && typeof value === 'object' && !Array.isArray(value)) return value as Credentials;
      } catch {
        // An unreadable value is no sign-in: the account asks to sign in again.
      }
      return undefined;
    }
    const token = this.secrets.get(legacyTokenKey(accountId));
    return token === undefined ? undefined : { token };
  }

  set(accountId: number, credentials: Credentials): void {
    this.secrets.set(credentialsKey(accountId), JSON.stringify(credentials));
    this.secrets.delete(legacyTokenKey(accountId));
  }

  delete(accountId: number): void {
    this.secrets.delete(credentialsKey(accountId));
    this.secrets.delete(legacyTokenKey(accountId));
  }

  /**
   * The port a connector gets: reads from the vault, renews through the kind's refresh. A renewal
   * belongs to the sign-in it started from: after the user signed in again, a request of the new
   * sign-in does not wait for (and get refused with) the old one's, and an old renewal that ends
   * later does not overwrite the new sign-in.
   */
  port(accountId: number, renew: ((current: Credentials) => Promise<Credentials>) | undefined): CredentialsPort {
    let inFlight: { from: string | undefined; renewal: Promise<Credentials> } | null = null;
    const saved = () => this.secrets.get(credentialsKey(accountId));
    return {
      current: () => this.get(accountId),
      refresh: () => {
        const from = saved();
        if (inFlight && inFlight.from === from) return inFlight.renewal;
        const current = this.get(accountId);
        if (!current || !renew) return Promise.reject(new ConnectorError('auth', 'Sign in again: this sign-in cannot be renewed.'));
        const renewal = renew(current)
          .then((next) => {
            if (saved() !== from) return this.get(accountId) ?? next;
            this.set(accountId, next);
            return next;
          })
          .finally(() => {
            if (inFlight?.renewal === renewal) inFlight = null;
          });
        inFlight = { from, renewal };
        return renewal;
      },
    };
  }
}

/** A string field of the credentials, or undefined. */
export const credentialString = (credentials: Credentials | undefined, key: string): string | undefined => {
  const value = credentials?.[key];
  return typeof value === 'string' ? value : undefined;
};
