// One account's live mirror. The connector reports what happens; this class decides what to
// fetch and when, and writes everything through the mirror:
//   - after every (re)connect or resubscribe, and on resume/network change, the gap is fetched
//     before the account reports "live";
//   - live events are queued and applied together, one transaction per burst;
//   - a conversation the events only hint at (an alert, a new conversation) is fetched from its
//     last known message on.
import type { ConnectionState, ConnectionStatus, ConversationStatus } from '../../../shared/domain';
import type { Connector, ConnectorSink } from '../connectors/connector';
import { ConnectorError } from '../connectors/connector';
import type { EventBus } from '../events';
import { mergeApplied, type AppliedMessages } from '../mirror/messages-repo';
import type { Mirror } from '../mirror/mirror';
import type { ConversationRow } from '../mirror/rows';
import type { RemoteConversation, RemoteEdit, RemoteFeedEntry, RemoteMessage } from '../mirror/types';
import type { FeedEntry } from '../../../shared/domain';
import { backoffDelay } from './backoff';
import { plausibleConversation, plausibleMessage, plausibleTime } from './plausible';
import { Poller, type PollIntervals } from './poller';
import type { Timers } from './timers';

const PAGE = 100;
/** Cursor scope: the local message id a page-back catch-up still owes its walk down to ('' = none). */
const PAGE_BACK_OWED = 'page-back-owed';
/** Conversations fetched at once after realtime hints (alerts, new conversations). */
const STALE_FETCHES = 4;
/** Conversations fetched at once while catching up on a gap. */
export const CATCH_UP_FETCHES = 4;
/** A feed's history is walked back at most this far on one catch-up (a site that never ends its pages). */
const MAX_FEED_PAGES = 50;
/**
 * Live events kept while the mirror refuses writes (disk full, damaged file). Past this the
 * burst is dropped and the next catch-up fetches it again from the server, which still has it.
 */
const MAX_KEPT_EVENTS = 20_000;

export interface AccountSyncDeps {
  accountId: number;
  connector: Connector;
  mirror: Mirror;
  events: EventBus;
  clock: () => number;
  timers: Timers;
  log: (message: string) => void;
  /** Called once the gap is filled (the outbox may send again). */
  onLive?: () => void;
  /** Poll timing for kinds without an account-wide realtime channel (tests shorten it). */
  pollIntervals?: PollIntervals;
}

type Link = 'connecting' | 'connected' | 'unavailable' | 'offline' | 'auth-expired';

interface Burst {
  conversations: RemoteConversation[];
  patches: { remoteId: string; patch: { serverStatus?: ConversationStatus; visitorOnline?: boolean } }[];
  messages: { remoteId: string; messages: RemoteMessage[] }[];
  reads: { remoteId: string; ids: string[]; at: number }[];
  edits: { remoteId: string; edits: RemoteEdit[] }[];
  deletions: { remoteId: string; ids: string[]; at: number }[];
  feed: RemoteFeedEntry[];
}

/** Thrown after an await when the engine was stopped meanwhile: the database may be closed. */
class Stopped extends Error {}

const emptyBurst = (): Burst => ({ conversations: [], patches: [], messages: [], reads: [], edits: [], deletions: [], feed: [] });
const burstSize = (b: Burst): number =>
  b.conversations.length + b.patches.length + b.reads.length + b.edits.length + b.deletions.length + b.feed.length + b.messages.reduce((n, m) => n + m.messages.length, 0);
/** `first` then `then`, in arrival order. */
const joinBursts = (first: Burst, then: Burst): Burst => ({
  conversations: [...first.conversations, ...then.conversations],
  patches: [...first.patches, ...then.patches],
  messages: [...first.messages, ...then.messages],
  reads: [...first.reads, ...then.reads],
  edits: [...first.edits, ...then.edits],
  deletions: [...first.deletions, ...then.deletions],
  feed: [...first.feed, ...then.feed],
});
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
/** better-sqlite3 errors carry SQLite's code (SQLITE_FULL, SQLITE_CORRUPT, SQLITE_IOERR_…). */
const isStoreError = (error: unknown): boolean => error instanceof Error && String((error as { code?: unknown }).code).startsWith('SQLITE_');

export class AccountSync {
  private link: Link = 'offline';
  private linkDetail: string | null = null;
  /** The last catch-up error; cleared by the next successful catch-up. */
  private syncError: string | null = null;
  private authExpired: string | null = null;
  private catchingUp = false;
  private caughtUp = false;
  private catchUpAgain = false;
  /** The next catch-up lists every conversation, not only those changed since the cursor (see reconcile). */
  private listAll = false;
  /** The newest local message id when the current catch-up started (see fetchConversation). */
  private knownUpTo = 0;
  private burst = emptyBurst();
  private flushScheduled = false;
  private readonly stale = new Set<string>();
  private staleWorkers = 0;
  private readonly staleInFlight = new Set<string>();
  /** Conversations a realtime event announced, kept here until REST confirms the site has them. */
  private readonly announced = new Map<string, RemoteConversation>();
  /** Fetched pages waiting for their transaction (see commitFetched). */
  private fetched: { conversationId: number; items: RemoteMessage[]; alsoInTransaction: () => unknown; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private started = false;
  private retryTimer: unknown = null;
  /** Failed catch-ups in a row, for the retry's backoff. */
  private fetchFailures = 0;
  /** The mirror refused the last write of live events; they wait in `burst` for storeTimer. */
  private storeError: string | null = null;
  private storeFailures = 0;
  private storeTimer: unknown = null;
  /** Live events were dropped while the mirror refused writes: catch up once it accepts them. */
  private refetchAfterStore = false;
  /** The last catch-up met paging that went in circles (see inconsistent()); cleared when one does not. */
  private inconsistency: string | null = null;
  private lastWarn = '';
  /** Conversations the last catch-up found changed (the poller backs off while it is 0). */
  private lastChanged = 0;
  private readonly poller: Poller | null;

  constructor(private readonly deps: AccountSyncDeps) {
    this.poller =
      deps.connector.capabilities.catchUp === 'poll' && !deps.connector.pollsItself
        ? new Poller({ timers: deps.timers, clock: deps.clock, ...(deps.pollIntervals ? { intervals: deps.pollIntervals } : {}), poll: () => this.requestCatchUp() })
        : null;
  }

  /** The window gained or lost focus: polling kinds check more often while it is focused. */
  setFocused(focused: boolean): void {
    this.poller?.setFocused(focused);
  }

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
    // A feed has no replies to deduplicate, and its list is the whole catch-up: nothing is limited.
    if (this.deps.connector.capabilities.catchUp === 'page-back' && this.deps.connector.capabilities.shape !== 'feed') {
      return 'Limited sync: this backend has no catch-up cursor or reply deduplication; gaps are filled by paging back through history.';
    }
    if (this.deps.connector.capabilities.catchUp === 'poll') {
      return 'This site has no live channel for the whole account: new conversations, and messages where no live connection is open, are found by checking the site regularly.';
    }
    return null;
  }

  private publish(): void {
    let lastSyncedAt: number | null = null;
    try {
      lastSyncedAt = this.deps.mirror.accounts.get(this.deps.accountId)?.lastSyncedAt ?? null;
    } catch (error) {
      // A damaged mirror must not stop the state from reaching the UI (it says why).
      this.deps.log(`sync ${this.deps.accountId}: could not read the account: ${errorText(error)}`);
    }
    this.deps.events.emit('connection.state', { accountId: this.deps.accountId, state: this.state(), detail: this.detail(), lastSyncedAt });
  }

  async start(): Promise<void> {
    this.started = true;
    this.poller?.start();
    this.link = 'connecting';
    this.publish();
    await this.deps.connector.connect(this.sink);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.poller?.stop();
    if (this.retryTimer) this.deps.timers.clearTimeout(this.retryTimer);
    if (this.storeTimer) this.deps.timers.clearTimeout(this.storeTimer);
    this.retryTimer = this.storeTimer = null;
    await this.deps.connector.disconnect();
    this.link = 'offline';
    this.publish();
  }

  /** Signed in again: clear the auth state, reconnect, catch up. */
  async reauthenticated(): Promise<void> {
    this.authExpired = null;
    await this.stop();
    await this.start();
  }

  /** Laptop resume or network change: the socket may look alive but have missed events. */
  resync(reason: string): void {
    this.deps.log(`sync ${this.deps.accountId}: resync (${reason})`);
    this.requestCatchUp();
  }

  /**
   * The server refused a change (a status): the conversation may be behind the account's cursor,
   * so a catch-up from it would never bring its status back. List everything once instead.
   */
  reconcile(reason: string): void {
    this.listAll = true;
    this.resync(reason);
  }

  markAuthExpired(reason: string): void {
    if (this.authExpired !== null) return;
    this.authExpired = `Sign in again: ${reason}`;
    this.publish();
  }

  // ---------------------------------------------------------------- connector → engine
  private readonly sink: ConnectorSink = {
    link: (state, detail) => {
      if (state === 'auth-expired') {
        this.markAuthExpired(detail ?? 'the site refused the sign-in');
        return;
      }
      this.link = state;
      this.linkDetail = state === 'connected' ? null : (detail ?? null);
      if (state !== 'connected') this.caughtUp = false;
      this.publish();
    },
    gap: (reason) => {
      this.deps.log(`sync ${this.deps.accountId}: gap (${reason})`);
      this.requestCatchUp();
    },
    conversation: (c) => this.queue((b) => b.conversations.push(c)),
    patch: (remoteId, patch) => this.queue((b) => b.patches.push({ remoteId, patch })),
    stale: (remoteId) => {
      this.stale.add(remoteId);
      this.fetchStale();
    },
    messages: (remoteId, messages) => this.queue((b) => b.messages.push({ remoteId, messages })),
    read: (remoteId, ids, at) => this.queue((b) => b.reads.push({ remoteId, ids, at })),
    typing: (remoteId, who, isTyping) => {
      if (!this.started) return;
      let c;
      try {
        c = this.deps.mirror.conversations.findByRemote(this.deps.accountId, remoteId);
      } catch (error) {
        this.deps.log(`sync ${this.deps.accountId}: typing not shown: ${errorText(error)}`);
        return;
      }
      if (c) this.deps.events.emit('typing', { conversationId: c.id, who, isTyping });
    },
    aiReplies: (enabled) => this.deps.events.emit('ai.changed', { accountId: this.deps.accountId, enabled }),
    edited: (remoteId, edits) => this.queue((b) => b.edits.push({ remoteId, edits })),
    deleted: (remoteId, ids, at) => this.queue((b) => b.deletions.push({ remoteId, ids, at })),
    feed: (entries) => this.queue((b) => b.feed.push(...entries)),
    visitorOnline: (remoteId, online) => this.queue((b) => b.patches.push({ remoteId, patch: { visitorOnline: online } })),
    warn: (message) => {
      if (message !== this.lastWarn) this.deps.log(`sync ${this.deps.accountId}: ${message}`);
      this.lastWarn = message;
    },
  };

  // ---------------------------------------------------------------- bursts
  private queue(add: (burst: Burst) => void): void {
    add(this.burst);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Applies everything queued since the last flush in one transaction, then tells the UI. When
   * the mirror refuses the write (disk full, damaged file) the burst is kept and retried with
   * backoff; nothing is thrown, since this runs from setImmediate and a throw ended the process.
   */
  flush(): void {
    this.flushScheduled = false;
    if (!this.started) return; // the next start catches up on whatever was queued
    if (this.storeTimer) return; // waiting out a refused write; the timer flushes
    const burst = this.burst;
    if (burstSize(burst) === 0) return;
    this.burst = emptyBurst();
    try {
      this.applyBurst(burst);
    } catch (error) {
      this.burst = joinBursts(burst, this.burst);
      if (burstSize(this.burst) > MAX_KEPT_EVENTS) {
        this.deps.log(`sync ${this.deps.accountId}: ${burstSize(this.burst)} live events wait for the mirror; dropping them, the next catch-up fetches them again`);
        this.burst = emptyBurst();
        this.refetchAfterStore = true;
      }
      this.onStoreError(error, true);
      return;
    }
    this.storeRecovered();
    if (this.stale.size) this.fetchStale();
  }

  private applyBurst(burst: Burst): void {
    const { mirror, accountId, clock } = this.deps;
    const now = clock();
    const changes = new Map<number, AppliedMessages>();
    const touched = new Set<number>();
    const push = (id: number, next: AppliedMessages) => {
      const into = changes.get(id);
      if (into) mergeApplied(into, next);
      else changes.set(id, next);
    };
    let feedAdded: FeedEntry[] = [];
    mirror.transaction(() => {
      // Live events: a status they change is recorded in the history as the server's. A
      // conversation not mirrored yet gets its row only once REST confirms it (fetchStale):
      // an event alone left ghosts the site does not have.
      for (const c of burst.conversations) {
        if (mirror.conversations.findByRemote(accountId, c.remoteId)) touched.add(this.upsert(plausibleConversation(c, now), now, 'server').id);
        else {
          this.announced.set(c.remoteId, plausibleConversation(c, now));
          this.stale.add(c.remoteId);
        }
      }
      for (const { remoteId, patch } of burst.patches) {
        const row = mirror.conversations.findByRemote(accountId, remoteId);
        if (!row) {
          this.stale.add(remoteId);
          continue;
        }
        this.upsert({ remoteId, createdAt: row.createdAt, ...patch }, now, 'server');
        touched.add(row.id);
      }
      for (const { remoteId, messages } of burst.messages) {
        const row = mirror.conversations.findByRemote(accountId, remoteId);
        if (!row) {
          // The fetch that confirms the conversation brings these messages too.
          this.stale.add(remoteId);
          continue;
        }
        push(row.id, this.applyMessages(row.id, messages, now, 'server'));
        touched.add(row.id);
      }
      for (const { remoteId, ids, at } of burst.reads) {
        const row = mirror.conversations.findByRemote(accountId, remoteId);
        if (!row) continue;
        push(row.id, { added: [], updated: mirror.messages.markReadByRemoteIds(row.id, ids, plausibleTime(at, now)), removed: [] });
        mirror.conversations.recountUnreadFor(row.id);
        touched.add(row.id);
      }
      for (const { remoteId, edits } of burst.edits) {
        const row = mirror.conversations.findByRemote(accountId, remoteId);
        if (!row) {
          this.stale.add(remoteId);
          continue;
        }
        const { updated, unknown } = mirror.messages.edit(row.id, edits);
        if (unknown.length) this.stale.add(remoteId); // an edit of a message not here yet: fetch it
        if (!updated.length) continue;
        push(row.id, { added: [], updated, removed: [] });
        mirror.conversations.refreshPreview(row.id, now);
        touched.add(row.id);
      }
      for (const { remoteId, ids, at } of burst.deletions) {
        const row = mirror.conversations.findByRemote(accountId, remoteId);
        if (!row) continue;
        const removed = mirror.messages.markDeleted(row.id, ids, plausibleTime(at, now));
        if (!removed.length) continue;
        push(row.id, { added: [], updated: [], removed });
        mirror.conversations.refreshPreview(row.id, now);
        mirror.conversations.recountUnreadFor(row.id);
        touched.add(row.id);
      }
      if (burst.feed.length) feedAdded = mirror.feed.add(accountId, burst.feed);
    });
    if (feedAdded.length) this.deps.events.emit('feed.changed', { accountId, entries: feedAdded });
    for (const [conversationId, result] of changes) emitMessageChanges(this.deps.events, conversationId, result);
    if (touched.size) this.deps.events.emit('conversations.changed', { accountId, conversationIds: [...touched] });
  }

  /** The mirror refused a write: say so on the account; live events are flushed again later. */
  private onStoreError(error: unknown, retryFlush: boolean): void {
    this.storeFailures++;
    this.deps.log(`sync ${this.deps.accountId}: could not save to the local mirror (${(error as { code?: string }).code ?? 'error'}: ${errorText(error)}); retrying`);
    this.storeError = `Could not save to this computer's copy of the chats: ${errorText(error)}. Nothing is lost; retrying.`;
    this.publish();
    if (!retryFlush || this.storeTimer || !this.started) return;
    this.storeTimer = this.deps.timers.setTimeout(() => {
      this.storeTimer = null;
      if (!this.started) return;
      this.flush();
      if (this.refetchAfterStore && !this.storeTimer) {
        this.refetchAfterStore = false;
        this.requestCatchUp();
      }
    }, backoffDelay(this.storeFailures, () => 1, 1000, 30_000));
  }

  private storeRecovered(): void {
    if (this.storeError === null) return;
    this.storeError = null;
    this.storeFailures = 0;
    this.publish();
  }

  /**
   * Inside a transaction: writes a conversation as the backend describes it. A kind without
   * server-side status never has one written, whatever its connector says: the status is kept
   * here, and a conversation first seen is active locally, not "active on the server".
   */
  private upsert(c: RemoteConversation, now: number, source: 'server' | 'sync'): ConversationRow {
    const remote = this.deps.connector.capabilities.serverStatus ? c : { ...c, serverStatus: null };
    return this.deps.mirror.conversations.upsert(this.deps.accountId, remote, now, source).row;
  }

  /** Inside a transaction: apply, move the preview forward, derive unread. */
  private applyMessages(conversationId: number, messages: RemoteMessage[], now: number, source: 'server' | 'sync') {
    const { mirror } = this.deps;
    const result = mirror.messages.apply(conversationId, messages.map((m) => plausibleMessage(m, now)));
    // A visitor writing into a conversation resolved here reopens it (the backend has no status to say so).
    if (!this.deps.connector.capabilities.serverStatus && result.added.some((m) => m.senderType === 'visitor' || m.senderType === 'member')) {
      mirror.conversations.reopenLocally(conversationId, source, now);
    }
    const newest = result.added.reduce<(typeof result.added)[number] | null>((best, m) => (best && best.createdAt > m.createdAt ? best : m), null);
    if (newest) mirror.conversations.touch(conversationId, newest.createdAt, newest.content.slice(0, 200), now);
    if (result.added.length || result.updated.length || result.removed.length) mirror.conversations.recountUnreadFor(conversationId);
    // An edit or delete found while fetching may have changed what the preview shows.
    if (result.removed.length || result.updated.some((m) => m.editedAt !== null)) mirror.conversations.refreshPreview(conversationId, now);
    return result;
  }

  // ---------------------------------------------------------------- fetching
  private requestCatchUp(): void {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return;
    }
    void this.catchUp();
  }

  private async catchUp(): Promise<void> {
    this.catchingUp = true;
    this.caughtUp = false;
    this.publish();
    this.inconsistency = null;
    try {
      do {
        this.catchUpAgain = false;
        // Page-back stops at messages known before the gap, not at live ones that arrive meanwhile.
        this.knownUpTo = this.deps.mirror.messages.maxId();
        this.flush();
        await this.fetchGap();
        this.alive();
      } while (this.catchUpAgain);
      this.deps.mirror.accounts.setLastSynced(this.deps.accountId, this.deps.clock());
      this.caughtUp = true;
      this.syncError = null;
      this.fetchFailures = 0;
      this.storeRecovered();
      this.deps.onLive?.();
      this.poller?.polled(this.lastChanged > 0);
    } catch (error) {
      this.onFetchError(error, 'catch-up');
    } finally {
      this.catchingUp = false;
      if (this.started) this.publish();
    }
    if (this.started && this.stale.size) this.fetchStale();
  }

  private alive(): void {
    if (!this.started) throw new Stopped();
  }

  private onFetchError(error: unknown, what: string): void {
    if (error instanceof Stopped || !this.started) return;
    if (error instanceof ConnectorError && error.kind === 'auth') {
      this.markAuthExpired(error.message);
      return;
    }
    this.fetchFailures++;
    // Every 2 s through a short outage (a restarting site is back within seconds), then backing
    // off to a minute: a site down for hours is not asked 1,800 times an hour.
    const delay = backoffDelay(Math.max(1, this.fetchFailures - 2), () => 1, 2000, 60_000);
    this.deps.log(`sync ${this.deps.accountId}: ${what} failed: ${errorText(error)}; retrying in ${delay} ms`);
    if (isStoreError(error)) this.onStoreError(error, false);
    else this.syncError = `Could not sync: ${errorText(error)}`;
    this.publish();
    if (this.retryTimer) this.deps.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.deps.timers.setTimeout(() => {
      this.retryTimer = null;
      if (this.started && this.authExpired === null) this.requestCatchUp();
    }, delay);
  }

  private async fetchGap(): Promise<void> {
    const { connector, mirror, accountId, clock } = this.deps;
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
      this.alive();
      const fresh = result.items.filter((c) => !listed.has(c.remoteId));
      for (const c of result.items) listed.add(c.remoteId);
      mirror.transaction(() => {
        for (const c of result.items) {
          const before = mirror.conversations.findByRemote(accountId, c.remoteId);
          const row = this.upsert(plausibleConversation(c, clock()), clock(), 'sync');
          // Page-back backends list everything: fetch only where the last activity moved.
          // So does a full listing (reconcile), which is not a list of what changed.
          // (Milliseconds tie in bursts: the newest message's id, where the list gives it, is exact.)
          const lacksNewest = !!c.lastMessageRemoteId && !mirror.messages.findByRemote(row.id, c.lastMessageRemoteId);
          if ((connector.capabilities.catchUp === 'cursor' && !listAll) || !before || lacksNewest || (c.lastMessageAt ?? 0) > before.lastMessageAt || (c.lastMessageAt ?? 0) > this.newestMessageAt(row.id)) {
            changed.push(c.remoteId);
          }
        }
      });
      if (result.watermark && (!watermark || Date.parse(result.watermark) > Date.parse(watermark))) watermark = result.watermark;
      page = result.next;
      if (page !== null && (fresh.length === 0 || pagesAsked.has(page))) {
        this.inconsistent(`the conversation list never ends (page ${page} brought nothing new)`);
        break;
      }
      pagesAsked.add(page);
    } while (page);
    if (connector.capabilities.catchUp !== 'cursor') this.owePageBack(changed);
    this.deps.events.emit('conversations.changed', { accountId, conversationIds: [] });
    if (connector.listFeed) await this.fetchFeed(connector.listFeed.bind(connector));
    // A few conversations at a time: one by one, the mirror's writes waited for the network and
    // the network for the writes (bench: catch-up of 10,000 messages took 2.4x the time to only
    // download its pages). Listed twice (activity during paging) is fetched once.
    const queue = [...new Set(changed)];
    this.lastChanged = queue.length;
    let done = 0;
    let next = 0;
    let failure: { error: unknown } | null = null;
    let refused = 0;
    this.deps.events.emit('sync.progress', { accountId, done, total: queue.length });
    const worker = async () => {
      while (next < queue.length && !failure) {
        const remoteId = queue[next++]!;
        try {
          await this.fetchConversation(remoteId, this.knownUpTo);
          this.alive();
        } catch (error) {
          if (error instanceof ConnectorError && error.kind === 'rejected') {
            // Listed, yet its messages refused: the others still sync, and the account cursor
            // stays put so the next catch-up asks for this one again.
            refused++;
            this.inconsistent(`conversation ${remoteId} is listed but its messages are refused: ${error.message}`);
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
    if (connector.capabilities.catchUp !== 'cursor' && refused === 0) mirror.cursors.set(accountId, PAGE_BACK_OWED, '', clock());
  }

  /**
   * A page-back catch-up that did not finish (the link dropped again, a fetch failed) is owed
   * until one does: the next one pages back to what was known before the FIRST unfinished
   * gap, and also walks every conversation that got messages since (a live message there
   * would otherwise look like the end of the gap and hide the hole behind it).
   */
  private owePageBack(changed: string[]): void {
    const { mirror, accountId, clock } = this.deps;
    const owed = Number(mirror.cursors.get(accountId, PAGE_BACK_OWED) || Number.NaN);
    if (Number.isFinite(owed)) {
      this.knownUpTo = Math.min(owed, this.knownUpTo);
      for (const id of mirror.messages.conversationsWithMessagesAbove(owed)) {
        const row = mirror.conversations.getRow(id);
        if (row && row.accountId === accountId) changed.push(row.remoteId);
      }
    }
    mirror.cursors.set(accountId, PAGE_BACK_OWED, String(this.knownUpTo), clock());
  }

  /** Feed entries newest first, page by page, until a page holds one already here. */
  private async fetchFeed(listFeed: NonNullable<Connector['listFeed']>): Promise<void> {
    const { mirror, accountId } = this.deps;
    let page: string | null = null;
    for (let pages = 0; pages < MAX_FEED_PAGES; pages++) {
      const result = await listFeed({ page });
      this.alive();
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

  /**
   * Fetches the conversations realtime events hinted at: a few at a time, never one twice at
   * once. One at a time, every alert waited behind the fetches of all the other busy
   * conversations (bench: live latency of conversations not on screen, p50 50-90 ms at 250
   * messages/s from 20 visitors, with each fetch taking 2-10 ms).
   */
  private fetchStale(): void {
    while (this.staleWorkers < STALE_FETCHES && this.started && !this.catchingUp && this.nextStale() !== undefined) {
      this.staleWorkers++;
      void this.staleWorker().finally(() => this.staleWorkers--);
    }
  }

  /** A stale conversation no worker is fetching (one marked again mid-fetch waits for that fetch). */
  private nextStale(): string | undefined {
    for (const remoteId of this.stale) if (!this.staleInFlight.has(remoteId)) return remoteId;
    return undefined;
  }

  private async staleWorker(): Promise<void> {
    try {
      for (let remoteId = this.nextStale(); remoteId !== undefined && this.started && !this.catchingUp; remoteId = this.nextStale()) {
        this.stale.delete(remoteId);
        this.staleInFlight.add(remoteId);
        try {
          // A queued new-conversation event may describe it already.
          if (this.burst.conversations.length) this.flush();
          if (!this.deps.mirror.conversations.findByRemote(this.deps.accountId, remoteId)) {
            await this.confirmConversation(remoteId);
            this.alive();
          }
          await this.fetchConversation(remoteId);
          this.alive();
        } catch (error) {
          if (error instanceof ConnectorError && error.kind === 'rejected') {
            this.siteLacks(remoteId, error);
            continue;
          }
          // Fetched again after the retry's catch-up, which may not list it.
          this.stale.add(remoteId);
          throw error;
        } finally {
          this.staleInFlight.delete(remoteId);
        }
      }
    } catch (error) {
      this.onFetchError(error, 'fetch');
    }
  }

  /**
   * A conversation only realtime events told of: ask the site for it before it gets a row (a
   * refusal throws, see siteLacks). The row holds what the event said until the list has more.
   */
  private async confirmConversation(remoteId: string): Promise<void> {
    const { connector, mirror, clock } = this.deps;
    if (connector.capabilities.catchUp === 'cursor') await connector.messagesAfter(remoteId, null, 1);
    else await connector.messagesBefore(remoteId, null, 1);
    this.alive();
    const now = clock();
    // lastMessageAt 0 when nothing was announced, so its messages set the preview.
    const announced = this.announced.get(remoteId) ?? { remoteId, createdAt: now, lastMessageAt: 0 };
    this.announced.delete(remoteId);
    mirror.transaction(() => this.upsert(announced, now, 'sync'));
  }

  /** The site refused a conversation realtime events named: forget it, and its placeholder if nothing was written to it. */
  private siteLacks(remoteId: string, error: ConnectorError): void {
    const { mirror, accountId } = this.deps;
    this.announced.delete(remoteId);
    const row = mirror.conversations.findByRemote(accountId, remoteId);
    const removed = row ? mirror.transaction(() => mirror.conversations.removeGhost(row.id)) : false;
    this.deps.log(`sync ${accountId}: the site refused conversation ${remoteId} (${error.message}); ${removed ? 'removed its placeholder' : row ? 'kept what is stored' : 'ignored its realtime events'}`);
    if (removed) this.deps.events.emit('conversations.changed', { accountId, conversationIds: [] });
  }

  /** Fetches what is new in one conversation and applies it, page by page. */
  private async fetchConversation(remoteId: string, knownUpTo = this.deps.mirror.messages.maxId()): Promise<void> {
    const { connector, mirror, accountId, clock } = this.deps;
    const row = mirror.conversations.findByRemote(accountId, remoteId);
    if (!row) return;
    const scope = `conversation:${row.id}`;
    // A cursor that comes back (the site ignores after=/before=) would fetch the same page forever.
    const cursors = new Set<string>();
    if (connector.capabilities.catchUp === 'cursor') {
      let after = mirror.cursors.get(accountId, scope);
      if (after) cursors.add(after);
      for (;;) {
        const page = await connector.messagesAfter(remoteId, after, PAGE);
        this.alive();
        const last = page.items.at(-1);
        await this.commitFetched(row.id, page.items, () => last && mirror.cursors.set(accountId, scope, last.remoteId, clock()));
        this.alive();
        if (!page.next || !last) break;
        if (cursors.has(last.remoteId)) {
          this.inconsistent(`conversation ${remoteId}: the next page after message ${last.remoteId} is the same again`);
          break;
        }
        cursors.add(last.remoteId);
        after = last.remoteId;
      }
      return;
    }
    // Page back from the newest until a page holds a message we already had when the walk (or
    // the catch-up) began. Live messages that arrive meanwhile, and the repeats an offset page
    // shows when messages arrive during the walk, have newer local ids and do not stop it: they
    // would leave a hole between them and what we had. Nor do our own replies: one queued before
    // the gap has an old local id but reaches the server (and the newest page) only now.
    let before: string | null = null;
    const knownBefore = (m: RemoteMessage): boolean => {
      const had = mirror.messages.findByRemote(row.id, m.remoteId);
      return had !== undefined && had.id <= knownUpTo && had.clientId === null;
    };
    for (;;) {
      const page = await connector.messagesBefore(remoteId, before, PAGE);
      this.alive();
      const known = page.items.some(knownBefore);
      await this.commitFetched(row.id, page.items, () => {});
      this.alive();
      if (known || !page.next) break;
      if (cursors.has(page.next)) {
        this.inconsistent(`conversation ${remoteId}: the page before ${page.next} is the same again`);
        break;
      }
      cursors.add(page.next);
      before = page.next;
    }
  }

  /** Paging went in circles: keep what came, stop asking, and say so on the account. */
  private inconsistent(what: string): void {
    this.deps.log(`sync ${this.deps.accountId}: the site answers inconsistently: ${what}; stopped paging`);
    this.inconsistency = `The site answers inconsistently (${what}); some history may be missing.`;
    this.publish();
  }

  /**
   * Applies a fetched page (with its cursor) once the current turn of the event loop is over,
   * in one transaction with the pages other fetches brought meanwhile: a transaction per page
   * spent more on committing (FTS segment, WAL) than on the rows (bench: ingest, catch-up).
   */
  private commitFetched(conversationId: number, items: RemoteMessage[], alsoInTransaction: () => unknown): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.fetched.push({ conversationId, items, alsoInTransaction, resolve, reject });
      if (this.fetched.length === 1) setImmediate(() => this.commitFetchedPages());
    });
  }

  private commitFetchedPages(): void {
    const pages = this.fetched;
    this.fetched = [];
    if (!this.started) {
      for (const p of pages) p.reject(new Stopped());
      return;
    }
    const { mirror, clock } = this.deps;
    let results: ReturnType<AccountSync['applyMessages']>[];
    try {
      results = mirror.transaction(() =>
        pages.map((p) => {
          const r = this.applyMessages(p.conversationId, p.items, clock(), 'sync');
          p.alsoInTransaction();
          return r;
        }),
      );
    } catch (error) {
      for (const p of pages) p.reject(error);
      return;
    }
    pages.forEach(({ conversationId }, i) => {
      const result = results[i]!;
      emitMessageChanges(this.deps.events, conversationId, result);
      if (result.added.length || result.updated.length || result.removed.length) {
        this.deps.events.emit('conversations.changed', { accountId: this.deps.accountId, conversationIds: [conversationId] });
      }
    });
    for (const p of pages) p.resolve();
  }
}

/** Tells the renderer what changed in one conversation's messages; removals first, so a merged copy never shows twice. */
export function emitMessageChanges(events: EventBus, conversationId: number, result: AppliedMessages): void {
  if (result.removed.length) events.emit('messages.removed', { conversationId, messageIds: result.removed });
  if (result.added.length) events.emit('messages.added', { conversationId, messages: result.added });
  if (result.updated.length) events.emit('messages.updated', { conversationId, messages: result.updated });
}
