// The start token: printed once by browser mode, exchanged once for a session cookie, and only
// for a few minutes. A used or expired token is replaced by a fresh one the host prints in its
// terminal (at most one per lifetime, so a page hammering the port cannot flood the terminal).
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const START_TOKEN_TTL_MS = 5 * 60_000;

export type Exchange = 'ok' | 'wrong' | 'used-or-expired';

export interface StartTokenOptions {
  ttlMs?: number;
  now?: () => number;
  /** Called with each new token after the first (the host prints a fresh start link). */
  onRenewed?: (token: string) => void;
}

export const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class StartToken {
  private token = randomBytes(24).toString('base64url');
  private issuedAt: number;
  private readonly retired: string[] = [];
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: StartTokenOptions = {}) {
    this.ttlMs = options.ttlMs ?? START_TOKEN_TTL_MS;
    this.now = options.now ?? Date.now;
    this.issuedAt = this.now();
  }

  get current(): string {
    return this.token;
  }

  exchange(offered: string): Exchange {
    if (this.now() - this.issuedAt <= this.ttlMs && sameSecret(offered, this.token)) {
      this.renew();
      return 'ok';
    }
    const stale = this.retired.some((t) => sameSecret(offered, t)) || sameSecret(offered, this.token);
    // Someone is waiting with a dead link: give the terminal a live one.
    if (this.now() - this.issuedAt > this.ttlMs) this.renew();
    return stale ? 'used-or-expired' : 'wrong';
  }

  private renew(): void {
    this.retired.push(this.token);
    if (this.retired.length > 20) this.retired.shift();
    this.token = randomBytes(24).toString('base64url');
    this.issuedAt = this.now();
    this.options.onRenewed?.(this.token);
  }
}
