// Turns committed 'feed.changed' events into "new notifications" calls on the notification
// center. Only new unread entries count (read changes come through the same event), and only
// those from after the account was added here: the first sync of a long feed is not news.
import type { FeedEntry } from '../../../shared/domain';
import type { EventBus } from '../events';

export interface FeedNoticesDeps {
  events: EventBus;
  /** When the account was added here; null if it no longer exists. */
  accountAddedAt(accountId: number): number | null;
  feedEntries(accountId: number, entries: Array<{ id: number; title: string; body: string }>): void;
  log(message: string): void;
}

export class FeedNotices {
  private unsubscribe: (() => void) | undefined;
  /** Entries already notified: a read change of one must never notify it again. */
  private readonly notified = new Set<number>();

  constructor(private readonly deps: FeedNoticesDeps) {}

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((name, payload) => {
      if (name !== 'feed.changed') return;
      const { accountId, entries } = payload as { accountId: number; entries: FeedEntry[] };
      try {
        this.onChanged(accountId, entries);
      } catch (error) {
        this.deps.log(`notifications: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private onChanged(accountId: number, entries: FeedEntry[]): void {
    const addedAt = this.deps.accountAddedAt(accountId);
    if (addedAt === null) return;
    const fresh = entries.filter((e) => e.readAt === null && e.createdAt >= addedAt && !this.notified.has(e.id));
    if (fresh.length === 0) return;
    for (const e of fresh) this.notified.add(e.id);
    this.deps.feedEntries(accountId, fresh.map((e) => ({ id: e.id, title: e.title, body: e.body })));
  }
}
