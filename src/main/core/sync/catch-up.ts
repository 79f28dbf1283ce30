// Filling a gap: after every (re)connect or resubscribe, and on resume/network change, the
// account's list is read and every conversation it names as changed is fetched (through the
// kind's CatchUpStrategy) before the account reports "live". A failure is retried with backoff.
import { ConnectorError, type Connector } from '../connectors/connector';
import { Backoff, type BackoffPolicy } from './backoff';
import type { BurstApplier, StaleHints } from './burst-applier';
import type { CatchUpStrategy } from './catch-up-strategies';
import type { SyncContext } from './context';
import { Stopped, errorText, isStoreError } from './errors';
import type { LinkState } from './link-state';
import type { MirrorWriter } from './mirror-writer';
import { plausibleConversation } from './plausible';

/** Conversations fetched at once while catching up on a gap. */
export const CATCH_UP_FETCHES = 4;
/** A feed's history is walked back at most this far on one catch-up (a site that never ends its pages). */
const MAX_FEED_PAGES = 50;
/**
 * Every 2 s through a short outage (a restarting site is back within seconds), then backing off
 * to a minute: a site down for hours is not asked 1,800 times an hour. No jitter: one account's
 * own catch-up, and tests count its retries.
 */
export const CATCH_UP_BACKOFF: BackoffPolicy = { baseMs: 2000, maxMs: 60_000, jitter: 'none', flatAttempts: 2 };

export interface CatchUpDeps extends SyncContext {
  connector: Connector;
  link: LinkState;
  writer: MirrorWriter;
  strategy: CatchUpStrategy;
  burst: Pick<BurstApplier, 'flush' | 'storeFailed' | 'storeRecovered'>;
  stale: Pick<StaleHints, 'pending' | 'fetch'>;
  /** Called once the gap is filled (the outbox may send again). */
  onLive?: () => void;
}

export class CatchUp {
  private again = false;
  /** The next catch-up lists every conversation, not only those changed since the cursor (see listEverythingOnce). */
  private listAll = false;
  /** The newest local message id when the current catch-up started (see CatchUpStrategy.fetchConversation). */
  private knownUpTo = 0;
  private retryTimer: unknown = null;
  /** Failed catch-ups in a row, for the retry's backoff. */
  private readonly backoff = new Backoff(CATCH_UP_BACKOFF);
  /** Conversations the last catch-up found changed (the poller backs off while it is 0). */
  private lastChanged = 0;

  constructor(private readonly deps: CatchUpDeps) {}

  request(): void {
    if (this.deps.link.catchingUp) {
      this.again = true;
      return;
    }
    void this.run();
  }

  /**
   * The server refused a change (a status): the conversation may be behind the account's cursor,
   * so a catch-up from it would never bring its status back. List everything once instead.
   */
  listEverythingOnce(): void {
    this.listAll = true;
  }

  stop(): void {
    if (this.retryTimer) this.deps.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async run(): Promise<void> {
    const { link, mirror } = this.deps;
    link.catchingUp = true;
    link.caughtUp = false;
    link.publish();
    link.inconsistency = null;
    const releaseIndex = mirror.messageIndex.hold();
    let signIn = link.signIn;
    try {
      do {
        this.again = false;
        // A run that outlives a sign-in goes on under the new one (again is set by its connect).
        signIn = link.signIn;
        // Page-back stops at messages known before the gap, not at live ones that arrive meanwhile.
        this.knownUpTo = mirror.messages.maxId();
        this.deps.burst.flush();
        await this.fetchGap();
        link.alive();
      } while (this.again);
      mirror.accounts.setLastSynced(this.deps.accountId, this.deps.clock());
      link.caughtUp = true;
      link.syncError = null;
      this.backoff.succeeded();
      this.deps.burst.storeRecovered();
      this.deps.onLive?.();
      this.deps.strategy.caughtUp(this.lastChanged > 0);
    } catch (error) {
      this.failed(error, 'catch-up', signIn);
    } finally {
      releaseIndex();
      link.catchingUp = false;
      if (link.started) link.publish();
    }
    // Asked for while a run failed (a refusal of an earlier sign-in): run again, unless a retry waits.
    if (link.started && this.again && this.retryTimer === null && link.authExpired === null) return this.request();
    if (link.started && this.deps.stale.pending) this.deps.stale.fetch();
  }

  /**
   * A catch-up or a fetch made under sign-in `signIn` failed: sign in again, or catch up again
   * after a backoff. A refusal of an earlier sign-in is ignored: the new one's catch-up follows.
   */
  failed(error: unknown, what: string, signIn: number): void {
    const { link } = this.deps;
    if (error instanceof Stopped || !link.started) return;
    if (error instanceof ConnectorError && error.kind === 'auth') {
      if (signIn === link.signIn) return link.markAuthExpired(error.message);
      this.deps.log(`sync ${this.deps.accountId}: a ${what} of an earlier sign-in was refused (${error.message}); catching up under the new one`);
      this.request();
      return;
    }
    // A site that said how long to wait (429/503 with Retry-After) is not asked sooner.
    const delay = this.backoff.failed(error instanceof ConnectorError ? error.retryAfterMs : undefined);
    this.deps.log(`sync ${this.deps.accountId}: ${what} failed: ${errorText(error)}; retrying in ${delay} ms`);
    if (isStoreError(error)) this.deps.burst.storeFailed(error, false);
    else link.syncError = `Could not sync: ${errorText(error)}`;
    link.publish();
    if (this.retryTimer) this.deps.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.deps.timers.setTimeout(() => {
      this.retryTimer = null;
      if (link.started && link.authExpired === null) this.request();
    }, delay);
  }

  private async fetchGap(): Promise<void> {
    const { connector, mirror, accountId, clock, link, writer, strategy } = this.deps;
    const listAll = this.listAll;
    const since = listAll ? null : mirror.cursors.get(accountId, 'account');
    let page: string | null = null;
    let watermark = since;
    const changed: string[] = [];
    // A page that lists nothing new, or a page asked for twice, means paging goes in circles.
    const listed = new Set<string>();
    const pagesAsked = new Set<string | null>([page]);
    do {
      const result = await connector.listConversations({ since, page });
      link.alive();
      const fresh = result.items.filter((c) => !listed.has(c.remoteId));
      for (const c of result.items) listed.add(c.remoteId);
      mirror.transaction(() => {
        for (const c of result.items) {
          const before = mirror.conversations.findByRemote(accountId, c.remoteId);
          const row = writer.upsert(plausibleConversation(c, clock()), clock(), 'sync');
          // Page-back backends list everything: fetch only where the last activity moved.
          // So does a full listing (reconcile), which is not a list of what changed.
          // (Milliseconds tie in bursts: the newest message's id, where the list gives it, is exact.)
          const lacksNewest = !!c.lastMessageRemoteId && !mirror.messages.findByRemote(row.id, c.lastMessageRemoteId);
          if ((strategy.listsChangesOnly && !listAll) || !before || lacksNewest || (c.lastMessageAt ?? 0) > before.lastMessageAt || (c.lastMessageAt ?? 0) > this.newestMessageAt(row.id)) {
            changed.push(c.remoteId);
          }
        }
      });
      if (result.watermark && (!watermark || Date.parse(result.watermark) > Date.parse(watermark))) watermark = result.watermark;
      page = result.next;
      if (page !== null && (fresh.length === 0 || pagesAsked.has(page))) {
        link.inconsistent(`the conversation list never ends (page ${page} brought nothing new)`);
        break;
      }
      pagesAsked.add(page);
    } while (page);
    this.knownUpTo = strategy.beginGap(changed, this.knownUpTo);
    this.deps.events.emit('conversations.changed', { accountId, conversationIds: [] });
    // Listed twice (activity during paging) is fetched once. Counted before the feed walk, which
    // adds the entries it brings (set after it, they were never counted: a polling feed backed off).
    const queue = [...new Set(changed)];
    this.lastChanged = queue.length;
    if (connector.listFeed) await this.fetchFeed(connector.listFeed.bind(connector));
    // A few conversations at a time: one by one, the mirror's writes waited for the network and
    // the network for the writes (bench: catch-up of 10,000 messages took 2.4x the time to only
    // download its pages).
    let done = 0;
    let next = 0;
    let failure: { error: unknown } | null = null;
    let refused = 0;
    this.deps.events.emit('sync.progress', { accountId, done, total: queue.length });
    const worker = async () => {
      while (next < queue.length && !failure) {
        const remoteId = queue[next++]!;
        try {
          await strategy.fetchConversation(remoteId, this.knownUpTo);
          link.alive();
        } catch (error) {
          if (error instanceof ConnectorError && error.kind === 'rejected') {
            // Listed, yet its messages refused: the others still sync, and the account cursor
            // stays put so the next catch-up asks for this one again.
            refused++;
            link.inconsistent(`conversation ${remoteId} is listed but its messages are refused: ${error.message}`);
          } else {
            failure ??= { error };
            return;
          }
        }
        done++;
        this.deps.events.emit('sync.progress', { accountId, done, total: queue.length });
      }
    };
    // Settled, not raced: nothing may still be writing when the catch-up reports its outcome.
    await Promise.allSettled(Array.from({ length: Math.min(CATCH_UP_FETCHES, queue.length) }, worker));
    if (failure) throw (failure as { error: unknown }).error;
    if (watermark && refused === 0) mirror.cursors.set(accountId, 'account', watermark, clock());
    if (listAll) this.listAll = false;
    if (refused === 0) strategy.gapFilled();
  }

  /** Feed entries newest first, page by page, until a page holds one already here. */
  private async fetchFeed(listFeed: NonNullable<Connector['listFeed']>): Promise<void> {
    const { mirror, accountId, link } = this.deps;
    let page: string | null = null;
    for (let pages = 0; pages < MAX_FEED_PAGES; pages++) {
      const result = await listFeed({ page });
      link.alive();
      const added = mirror.transaction(() => mirror.feed.add(accountId, result.items));
      if (added.length) {
        this.lastChanged += added.length;
        this.deps.events.emit('feed.changed', { accountId, entries: added });
      }
      if (added.length < result.items.length || !result.next) return;
      page = result.next;
    }
  }

  private newestMessageAt(conversationId: number): number {
    return this.deps.mirror.messages.page(conversationId, 1).items[0]?.createdAt ?? 0;
  }
}
