// One account's connection state as the UI sees it: what the connector says of its link, what
// the engine is doing (catching up, live), and the first thing worth telling the user (sign in
// again, the mirror refusing writes, a failed catch-up, a site that pages in circles).
import type { ConnectionState, ConnectionStatus } from '../../../shared/domain';
import type { EventBus } from '../events';
import type { Mirror } from '../mirror/mirror';
import { Stopped, errorText } from './errors';

/** What the connector reports of its link (its 'auth-expired' goes to markAuthExpired). */
export type Link = 'connecting' | 'connected' | 'unavailable' | 'offline' | 'auth-expired';

export interface LinkStateDeps {
  accountId: number;
  mirror: Mirror;
  events: EventBus;
  log: (message: string) => void;
  /** Why this kind's sync is limited, shown while nothing is wrong (see CatchUpStrategy). */
  limitation: string | null;
}

export class LinkState {
  /** Between start() and stop(): the mirror may be written. */
  started = false;
  link: Link = 'offline';
  linkDetail: string | null = null;
  /** The last catch-up error; cleared by the next successful catch-up. */
  syncError: string | null = null;
  authExpired: string | null = null;
  /**
   * Sign-ins since the account started. A request made under an earlier one may be refused after
   * the user signed in again; that refusal is not the new sign-in's (see markAuthExpired).
   */
  signIn = 0;
  /** The mirror refused the last write of live events (see BurstApplier). */
  storeError: string | null = null;
  /** The last catch-up met paging that went in circles (see inconsistent()); cleared when one does not. */
  inconsistency: string | null = null;
  catchingUp = false;
  caughtUp = false;

  constructor(private readonly deps: LinkStateDeps) {}

  get status(): ConnectionStatus {
    return { state: this.state(), detail: this.detail() };
  }

  private state(): ConnectionState {
    if (this.authExpired !== null) return 'auth-expired';
    if (!this.started || this.link === 'offline') return 'offline';
    if (this.link === 'connecting') return 'connecting';
    if (this.link === 'unavailable') return 'unavailable';
    if (this.link === 'auth-expired') return 'auth-expired';
    return this.catchingUp || !this.caughtUp ? 'syncing' : 'live';
  }

  private detail(): string | null {
    if (this.authExpired !== null) return this.authExpired;
    if (this.storeError) return this.storeError;
    if (this.linkDetail) return this.linkDetail;
    if (this.syncError) return this.syncError;
    if (this.inconsistency) return this.inconsistency;
    return this.deps.limitation;
  }

  publish(): void {
    let lastSyncedAt: number | null = null;
    try {
      lastSyncedAt = this.deps.mirror.accounts.get(this.deps.accountId)?.lastSyncedAt ?? null;
    } catch (error) {
      // A damaged mirror must not stop the state from reaching the UI (it says why).
      this.deps.log(`sync ${this.deps.accountId}: could not read the account: ${errorText(error)}`);
    }
    this.deps.events.emit('connection.state', { accountId: this.deps.accountId, state: this.state(), detail: this.detail(), lastSyncedAt });
  }

  /** The connector's link changed; anything but 'connected' means a gap to fetch before "live". */
  linkChanged(state: Exclude<Link, 'auth-expired'>, detail: string | undefined | null): void {
    this.link = state;
    this.linkDetail = state === 'connected' ? null : (detail ?? null);
    if (state !== 'connected') this.caughtUp = false;
    this.publish();
  }

  /** Signed in again: what was refused before is forgotten, and refusals of older requests are ignored. */
  signedInAgain(): void {
    this.signIn++;
    this.authExpired = null;
  }

  /** `signIn`: the sign-in the refused request was made under (the current one by default). */
  markAuthExpired(reason: string, signIn = this.signIn): void {
    if (signIn !== this.signIn) {
      this.deps.log(`sync ${this.deps.accountId}: a request of an earlier sign-in was refused (${reason}); ignored`);
      return;
    }
    if (this.authExpired !== null) return;
    // Some sites' refusals already say it ("Sign in again: the site no longer accepts…").
    this.authExpired = /^sign in again\b/i.test(reason) ? reason : `Sign in again: ${reason}`;
    this.deps.log(`sync ${this.deps.accountId}: the site refused the sign-in (${reason}); waiting for the user to sign in again`);
    this.publish();
  }

  /** After an await: throws Stopped when the engine was stopped meanwhile. */
  alive(): void {
    if (!this.started) throw new Stopped();
  }

  /** Paging went in circles: keep what came, stop asking, and say so on the account. */
  inconsistent(what: string): void {
    this.deps.log(`sync ${this.deps.accountId}: the site answers inconsistently: ${what}; stopped paging`);
    this.inconsistency = `The site answers inconsistently (${what}); some history may be missing.`;
    this.publish();
  }
}
