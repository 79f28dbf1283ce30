// When the saved accounts connect at start-up: after the window's first inbox page has been
// answered, not before. Their start (pusher-js connections, channel authorizations, the first
// catch-ups) runs on the event loop that answers the renderer, and with five accounts it made the
// first page wait 650-750 ms for it (BENCHMARKS.md, "Session 5: scale"). With no window (a
// tray-only start at login) nothing asks for a page, so a grace period starts them anyway:
// notifications must still arrive.
import type { Timers } from '../sync/timers';

/** How long a start waits for the first inbox page before connecting the accounts anyway. */
export const DEFAULT_ACCOUNTS_GRACE_MS = 3000;

export type OpenedBy = 'first page' | 'grace period' | 'stopped';

export interface AccountsStartGateOptions {
  timers: Timers;
  /** The wait for a first page; a positive number (0 would be no gate: start at once instead). */
  graceMs: number;
}

export class AccountsStartGate {
  private waiting: ((by: OpenedBy) => void) | undefined;
  private grace: unknown;
  private turn: unknown;
  private pageSeen = false;

  constructor(private readonly options: AccountsStartGateOptions) {}

  /**
   * Resolves once the accounts may connect: on the turn after the first page was answered (so the
   * answer has left on its transport first), after the grace period, or at stop() (then 'stopped':
   * the core is closing, connect nothing).
   */
  opened(): Promise<OpenedBy> {
    if (this.waiting) return Promise.reject(new Error('The accounts start gate is already waited on.'));
    return new Promise<OpenedBy>((resolve) => {
      this.waiting = resolve;
      if (this.pageSeen) return this.afterThisTurn();
      this.grace = this.options.timers.setTimeout(() => this.open('grace period'), this.options.graceMs);
    });
  }

  /** The renderer's first inbox page (conversations.page) has been answered; later ones change nothing. */
  pageAnswered(): void {
    if (this.pageSeen) return;
    this.pageSeen = true;
    if (this.waiting) this.afterThisTurn();
  }

  stop(): void {
    this.open('stopped');
  }

  private afterThisTurn(): void {
    this.options.timers.clearTimeout(this.grace);
    this.turn ??= this.options.timers.setTimeout(() => this.open('first page'), 0);
  }

  private open(by: OpenedBy): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    this.options.timers.clearTimeout(this.grace);
    this.options.timers.clearTimeout(this.turn);
    this.turn = undefined;
    waiting(by);
  }
}
