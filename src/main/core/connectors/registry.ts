// The kinds of backend the console speaks. Each kind is one folder under connectors/<kind>/
// exporting a KindDefinition; connectors/kinds.ts lists them once. Nothing outside a kind's
// folder looks at a kind's name: the account service, the engine and the inbox go by the
// definition and its capabilities.
import { ConsoleError } from '../../../shared/contract';
import type { AccountKind, Capabilities } from '../../../shared/domain';
import type { ConnectInputOf, SignInInputOf } from '../../../shared/kinds';
import type { AccountRow } from '../mirror/accounts-repo';
import type { Timers } from '../sync/timers';
import type { Connector } from './connector';
import type { Credentials, CredentialsPort } from './credentials';
import type { SiteSignIn } from './site-sign-in';

/** What a kind may use from the outside world; tests pass fakes. */
export interface KindContext {
  fetch: typeof fetch;
  clock: () => number;
  random: () => number;
  timers: Timers;
  log: (message: string) => void;
  /** The desktop app's sign-in window for sites that sign in on their own page; absent in browser mode. */
  siteSignIn?: SiteSignIn;
}

/** What connecting produced: the account row's fields and the credentials to keep. */
export interface Connected {
  /** The account's name when the user gave none (usually the site's host). */
  name: string;
  /** The site's origin, normalised (see normalizeSiteUrl). */
  baseUrl: string;
  /** Non-secret settings, stored as the account's JSON config. */
  config: Record<string, unknown>;
  credentials: Credentials;
}

export interface KindDefinition<K extends AccountKind = AccountKind> {
  readonly kind: K;
  /** What the account can do, from its stored config (a site may lack some extensions). */
  capabilities(config: Record<string, unknown>): Capabilities;
  /**
   * Checks what the user typed against the site (signs in, discovers settings). Throws a
   * ConsoleError the user can read: wrong password, not this kind of site, site unreachable.
   */
  connect(input: ConnectInputOf<K>, ctx: KindContext): Promise<Connected>;
  /** "Sign in again" for an existing account. */
  signIn(account: AccountRow, input: SignInInputOf<K>, ctx: KindContext): Promise<Credentials>;
  /** Renews credentials without the user; throws ConnectorError('auth') when it cannot. */
  refresh?(account: AccountRow, current: Credentials, ctx: KindContext): Promise<Credentials>;
  /** When the user must sign in again, where these credentials cannot renew themselves; null otherwise. */
  signInEndsAt?(account: AccountRow, credentials: Credentials): number | null;
  /** The connector for one account. */
  create(account: AccountRow, credentials: CredentialsPort, ctx: KindContext): Connector;
}

// Any kind's definition, whatever its K (inputs are checked by the contract before they get here).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKindDefinition = KindDefinition<any>;

export class KindRegistry {
  private readonly byKind = new Map<string, AnyKindDefinition>();

  constructor(definitions: readonly AnyKindDefinition[]) {
    for (const d of definitions) {
      if (this.byKind.has(d.kind)) throw new Error(`Kind "${d.kind}" is registered twice.`);
      this.byKind.set(d.kind, d);
    }
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  get(kind: string): AnyKindDefinition {
    const definition = this.byKind.get(kind);
    if (!definition) throw new ConsoleError('bad-request', `Accounts of kind "${kind}" are not supported by this version.`);
    return definition;
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }
}

/** The account's stored config as an object (a damaged value reads as empty). */
export function accountConfig(account: AccountRow): Record<string, unknown> {
  try {
    const value = JSON.parse(account.config) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
