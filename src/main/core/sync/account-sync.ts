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
import type { RemoteConversation, RemoteEdit, RemoteFeedEntry, RemoteMessage } from '../mirror/types';
import type { FeedEntry } from '../../../shared/domain';
import type { Timers } from './timers';

const PAGE = 100;
/** Conversations fetched at once after realtime hints (alerts, new conversations). */
const STALE_FETCHES = 4;
/** Conversations fetched at once while catching up on a gap. */
export const CATCH_UP_FETCHES = 4;

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

export class AccountSync {
  private link: Link = 'offline';
  private linkDetail: string | null = null;
  /** The last catch-up error; cleared by the next successful catch-up. */
  private syncError: string | null = null;
  private authExpired: string | null = null;
  private catchingUp = false;
  private caughtUp = false;
  private catchUpAgain = false;
  private burst = emptyBurst();
  private flushScheduled = false;
  private readonly stale = new Set<string>();
  private staleWorkers = 0;
  private readonly staleInFlight = new Set<string>();
  /** Fetched pages waiting for their transaction (see commitFetched). */
  private fetched: { conversationId: number; items: RemoteMessage[]; alsoInTransaction: () => unknown; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private started = false;
  private retryTimer: unknown = null;
  private lastWarn = '';

  constructor(private readonly deps: AccountSyncDeps) {}

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
    if (this.linkDetail) return this.linkDetail;
    if (this.syncError) return this.syncError;
    if (this.deps.connector.capabilities.catchUp === 'page-back') {
      return 'Limited sync: this backend has no catch-up cursor or reply deduplication; gaps are filled by paging back through history.';
    }
    return null;
  }

  private publish(): void {
    const account = this.deps.mirror.accounts.get(this.deps.accountId);
    this.deps.events.emit('connection.state', {
      accountId: this.deps.accountId,
      state: this.state(),
      detail: this.detail(),
      lastSyncedAt: account?.lastSyncedAt ?? null,
    });
  }

  async start(): Promise<void> {
    this.started = true;
    this.link = 'connecting';
    this.publish();
    await this.deps.connector.connect(this.sink);
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.retryTimer) this.deps.timers.clearTimeout(this.retryTimer);
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
      const c = this.deps.mirror.conversations.findByRemote(this.deps.accountId, remoteId);
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

  /** Applies everything queued since the last flush in one transaction, then tells the UI. */
  flush(): void {
    this.flushScheduled = false;
    if (!this.started) return; // the next start catches up on whatever was queued
    const burst = this.burst;
    this.burst = emptyBurst();
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
      // Live events: a status they change is recorded in the history as the server's.
      for (const c of burst.conversations) touched.add(mirror.conversations.upsert(accountId, c, now, 'server').row.id);
      for (const { remoteId, patch } of burst.patches) {
        const row = mirror.conversations.findByRemote(accountId, remoteId);
        if (!row) {
          this.stale.add(remoteId);
          continue;
        }
        mirror.conversations.upsert(accountId, { remoteId, createdAt: row.createdAt, ...patch }, now, 'server');
        touched.add(row.id);
      }
      for (const { remoteId, messages } of burst.messages) {
        const row = mirror.conversations.findByRemote(accountId, remoteId) ?? mirror.conversations.upsert(accountId, { remoteId, createdAt: messages[0]?.createdAt ?? now }, now, 'server').row;
        push(row.id, this.applyMessages(row.id, messages, now));
        touched.add(row.id);
      }
      for (const { remoteId, ids, at } of burst.reads) {
        const row = mirror.conversations.findByRemote(accountId, remoteId);
        if (!row) continue;
        push(row.id, { added: [], updated: mirror.messages.markReadByRemoteIds(row.id, ids, at), removed: [] });
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
        const removed = mirror.messages.markDeleted(row.id, ids, at);
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
    if (this.stale.size) this.fetchStale();
  }

  /** Inside a transaction: apply, move the preview forward, derive unread. */
  private applyMessages(conversationId: number, messages: RemoteMessage[], now: number) {
    const { mirror } = this.deps;
    const result = mirror.messages.apply(conversationId, messages);
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
    try {
      do {
        this.catchUpAgain = false;
        this.flush();
        await this.fetchGap();
        this.alive();
      } while (this.catchUpAgain);
      this.caughtUp = true;
      this.syncError = null;
      this.deps.mirror.accounts.setLastSynced(this.deps.accountId, this.deps.clock());
      this.deps.onLive?.();
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
    this.deps.log(`sync ${this.deps.accountId}: ${what} failed: ${error instanceof Error ? error.message : String(error)}; retrying`);
    this.syncError = `Could not sync: ${error instanceof Error ? error.message : String(error)}`;
    this.publish();
    if (this.retryTimer) this.deps.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.deps.timers.setTimeout(() => {
      this.retryTimer = null;
      if (this.started && this.authExpired === null) this.requestCatchUp();
    }, 2000);
  }

  private async fetchGap(): Promise<void> {
    const { connector, mirror, accountId, clock } = this.deps;
    const since = mirror.cursors.get(accountId, 'account');
    let page: string | null = null;
    let watermark = since;
    const changed: string[] = [];
    do {
      const result = await connector.listConversations({ since, page });
      this.alive();
      mirror.transaction(() => {
        for (const c of result.items) {
          const before = mirror.conversations.findByRemote(accountId, c.remoteId);
          const { row } = mirror.conversations.upsert(accountId, c, clock(), 'sync');
          // Page-back backends list everything: fetch only where the last activity moved.
          if (connector.capabilities.catchUp === 'cursor' || !before || (c.lastMessageAt ?? 0) > before.lastMessageAt || (c.lastMessageAt ?? 0) > this.newestMessageAt(row.id)) {
            changed.push(c.remoteId);
          }
        }
      });
      if (result.watermark && (!watermark || Date.parse(result.watermark) > Date.parse(watermark))) watermark = result.watermark;
      page = result.next;
    } while (page);
    this.deps.events.emit('conversations.changed', { accountId, conversationIds: [] });
    // A few conversations at a time: one by one, the mirror's writes waited for the network and
    // the network for the writes (bench: catch-up of 10,000 messages took 2.4x the time to only
    // download its pages). Listed twice (activity during paging) is fetched once.
    const queue = [...new Set(changed)];
    let done = 0;
    let next = 0;
    let failure: { error: unknown } | null = null;
    this.deps.events.emit('sync.progress', { accountId, done, total: queue.length });
    const worker = async () => {
      while (next < queue.length && !failure) {
        const remoteId = queue[next++]!;
        try {
          await this.fetchConversation(remoteId);
          this.alive();
        } catch (error) {
          failure ??= { error };
          return;
        }
        done++;
        this.deps.events.emit('sync.progress', { accountId, done, total: queue.length });
      }
    };
    // Settled, not raced: nothing may still be writing when the catch-up reports its outcome.
    await Promise.allSettled(Array.from({ length: Math.min(CATCH_UP_FETCHES, queue.length) }, worker));
    if (failure) throw (failure as { error: unknown }).error;
    if (watermark) mirror.cursors.set(accountId, 'account', watermark, clock());
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
            // A placeholder until the next list fetch; lastMessageAt 0 so its messages set the preview.
            this.deps.mirror.transaction(() =>
              this.deps.mirror.conversations.upsert(this.deps.accountId, { remoteId, createdAt: this.deps.clock(), lastMessageAt: 0 }, this.deps.clock(), 'sync'),
            );
          }
          await this.fetchConversation(remoteId);
          this.alive();
        } finally {
          this.staleInFlight.delete(remoteId);
        }
      }
    } catch (error) {
      this.onFetchError(error, 'fetch');
    }
  }

  /** Fetches what is new in one conversation and applies it, page by page. */
  private async fetchConversation(remoteId: string): Promise<void> {
    const { connector, mirror, accountId, clock } = this.deps;
    const row = mirror.conversations.findByRemote(accountId, remoteId);
    if (!row) return;
    const scope = `conversation:${row.id}`;
    if (connector.capabilities.catchUp === 'cursor') {
      let after = mirror.cursors.get(accountId, scope);
      for (;;) {
        const page = await connector.messagesAfter(remoteId, after, PAGE);
        this.alive();
        const last = page.items.at(-1);
        await this.commitFetched(row.id, page.items, () => last && mirror.cursors.set(accountId, scope, last.remoteId, clock()));
        this.alive();
        if (!page.next || !last) break;
        after = last.remoteId;
      }
      return;
    }
    // Page back from the newest until a page holds a message we already have.
    let before: string | null = null;
    for (;;) {
      const page = await connector.messagesBefore(remoteId, before, PAGE);
      this.alive();
      const known = page.items.some((m) => mirror.messages.findByRemote(row.id, m.remoteId));
      await this.commitFetched(row.id, page.items, () => {});
      this.alive();
      if (known || !page.next) break;
      before = page.next;
    }
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
          const r = this.applyMessages(p.conversationId, p.items, clock());
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
