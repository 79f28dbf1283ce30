// Live events from the connector's sink, queued and applied together: one transaction per
// burst, the echoes of one conversation's messages merged into one change for the UI. When the
// mirror refuses the write (disk full, damaged file) the burst is kept and retried with backoff.
import type { FeedEntry } from '../../../shared/domain';
import { mergeApplied, type AppliedMessages } from '../mirror/messages-repo';
import type { RemoteConversation, RemoteEdit, RemoteFeedEntry, RemoteMessage } from '../mirror/types';
import type { ConversationPatch } from '../connectors/connector';
import { Backoff, type BackoffPolicy } from './backoff';
import type { SyncContext } from './context';
import { errorText } from './errors';
import type { LinkState } from './link-state';
import { emitMessageChanges, type MirrorWriter } from './mirror-writer';
import { plausibleConversation, plausibleTime } from './plausible';

/**
 * Live events kept while the mirror refuses writes (disk full, damaged file). Past this the
 * burst is dropped and the next catch-up fetches it again from the server, which still has it.
 */
const MAX_KEPT_EVENTS = 20_000;
/** Writes the mirror refused are tried again each 1, 2, 4… s, at most every 30 s (a local disk: no jitter). */
const STORE_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, jitter: 'none' };

export interface Burst {
  conversations: RemoteConversation[];
  patches: { remoteId: string; patch: ConversationPatch }[];
  messages: { remoteId: string; messages: RemoteMessage[] }[];
  reads: { remoteId: string; ids: string[]; at: number }[];
  edits: { remoteId: string; edits: RemoteEdit[] }[];
  deletions: { remoteId: string; ids: string[]; at: number }[];
  feed: RemoteFeedEntry[];
}

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

/** Conversations the events name but the mirror lacks, or only hint at: fetched over REST (see StaleFetcher). */
export interface StaleHints {
  mark(remoteId: string): void;
  /** A conversation only an event told of; it gets its row once REST confirms it. */
  announce(conversation: RemoteConversation): void;
  readonly pending: number;
  fetch(): void;
}

export interface BurstApplierDeps extends SyncContext {
  link: LinkState;
  writer: MirrorWriter;
  stale: StaleHints;
  requestCatchUp: () => void;
}

export class BurstApplier {
  private burst = emptyBurst();
  private flushScheduled = false;
  private readonly storeBackoff = new Backoff(STORE_BACKOFF);
  /** The mirror refused the last write of live events; they wait in `burst` for this timer. */
  private storeTimer: unknown = null;
  /** Live events were dropped while the mirror refused writes: catch up once it accepts them. */
  private refetchAfterStore = false;

  constructor(private readonly deps: BurstApplierDeps) {}

  queue(add: (burst: Burst) => void): void {
    add(this.burst);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** A queued new-conversation event may describe a conversation about to be fetched. */
  flushConversations(): void {
    if (this.burst.conversations.length) this.flush();
  }

  stop(): void {
    if (this.storeTimer) this.deps.timers.clearTimeout(this.storeTimer);
    this.storeTimer = null;
  }

  /**
   * Applies everything queued since the last flush in one transaction, then tells the UI. When
   * the mirror refuses the write (disk full, damaged file) the burst is kept and retried with
   * backoff; nothing is thrown, since this runs from setImmediate and a throw ended the process.
   */
  flush(): void {
    this.flushScheduled = false;
    if (!this.deps.link.started) return; // the next start catches up on whatever was queued
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
      this.storeFailed(error, true);
      return;
    }
    this.storeRecovered();
    if (this.deps.stale.pending) this.deps.stale.fetch();
  }

  private applyBurst(burst: Burst): void {
    const { mirror, accountId, clock, writer, stale } = this.deps;
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
      // conversation not mirrored yet gets its row only once REST confirms it (StaleFetcher):
      // an event alone left ghosts the site does not have.
      for (const c of burst.conversations) {
        if (mirror.conversations.findByRemote(accountId, c.remoteId)) touched.add(writer.upsert(plausibleConversation(c, now), now, 'server').id);
        else stale.announce(plausibleConversation(c, now));
      }
      for (const { remoteId, patch } of burst.patches) {
        const row = mirror.conversations.findByRemote(accountId, remoteId);
        if (!row) {
          stale.mark(remoteId);
          continue;
        }
        writer.upsert({ remoteId, createdAt: row.createdAt, ...patch }, now, 'server');
        touched.add(row.id);
      }
      for (const { remoteId, messages } of burst.messages) {
        const row = mirror.conversations.findByRemote(accountId, remoteId);
        if (!row) {
          // The fetch that confirms the conversation brings these messages too.
          stale.mark(remoteId);
          continue;
        }
        push(row.id, writer.applyMessages(row.id, messages, now, 'server'));
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
          stale.mark(remoteId);
          continue;
        }
        const { updated, unknown } = mirror.messages.edit(row.id, edits);
        if (unknown.length) stale.mark(remoteId); // an edit of a message not here yet: fetch it
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

  /** The mirror refused a write: say so on the account; live events are flushed again later (retryFlush). */
  storeFailed(error: unknown, retryFlush: boolean): void {
    const { link } = this.deps;
    const delay = this.storeBackoff.failed();
    this.deps.log(`sync ${this.deps.accountId}: could not save to the local mirror (${(error as { code?: string }).code ?? 'error'}: ${errorText(error)}); retrying`);
    link.storeError = `Could not save to this computer's copy of the chats: ${errorText(error)}. Nothing is lost; retrying.`;
    link.publish();
    if (!retryFlush || this.storeTimer || !link.started) return;
    this.storeTimer = this.deps.timers.setTimeout(() => {
      this.storeTimer = null;
      if (!link.started) return;
      this.flush();
      if (this.refetchAfterStore && !this.storeTimer) {
        this.refetchAfterStore = false;
        this.deps.requestCatchUp();
      }
    }, delay);
  }

  storeRecovered(): void {
    const { link } = this.deps;
    if (link.storeError === null) return;
    link.storeError = null;
    this.storeBackoff.succeeded();
    link.publish();
  }
}
