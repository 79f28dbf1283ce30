import type { EventBus } from '../events';
import type { Mirror } from '../mirror/mirror';
import type { Timers } from './timers';

/** What every part of one account's sync is given: the account, the mirror, events, time and a log. */
export interface SyncContext {
  accountId: number;
  mirror: Mirror;
  events: EventBus;
  clock: () => number;
  timers: Timers;
  log: (message: string) => void;
}
