// Conversations realtime events only hint at (an alert, a new conversation, an edit of a
// message not here yet) are fetched over REST from their last known message on. One that is
// not mirrored yet is confirmed first: an event alone left ghosts the site does not have.
import { ConnectorError } from '../connectors/connector';
import type { EventBus } from '../events';
import type { Mirror } from '../mirror/mirror';
import type { RemoteConversation } from '../mirror/types';
import type { StaleHints } from './burst-applier';
import type { CatchUpStrategy } from './catch-up-strategies';
import type { LinkState } from './link-state';
import type { MirrorWriter } from './mirror-writer';

/** Conversations fetched at once after realtime hints (alerts, new conversations). */
const STALE_FETCHES = 4;

export interface StaleFetcherDeps {
  accountId: number;
  mirror: Mirror;
  events: EventBus;
  clock: () => number;
  log: (message: string) => void;
  link: LinkState;
  writer: MirrorWriter;
  strategy: Pick<CatchUpStrategy, 'fetchConversation' | 'probe'>;
  /** Applies queued live events that may describe a conversation about to be fetched. */
  flushConversations: () => void;
  /** A fetch failed: retried by a catch-up (see CatchUp.failed). */
  /** `signIn`: the sign-in the failed fetch was made under (see LinkState.markAuthExpired). */
  failed: (error: unknown, what: string, signIn: number) => void;
}

export class StaleFetcher implements StaleHints {
  private readonly stale = new Set<string>();
  /**
   * The newest local message id when each stale conversation was first hinted at. A page-back
   * fetch walks back to a message known by then: live messages that arrive after the hint (a
   * socket reopened after an outage delivers new ones at once) must not end the walk, or the
   * messages written while it was down stay a hole (seen in the Django fault test).
   */
  private readonly knownAt = new Map<string, number>();
  private workers = 0;
  private readonly inFlight = new Set<string>();
  /** Conversations a realtime event announced, kept here until REST confirms the site has them. */
  private readonly announced = new Map<string, RemoteConversation>();

  constructor(private readonly deps: StaleFetcherDeps) {}

  get pending(): number {
    return this.stale.size;
  }

  mark(remoteId: string, knownUpTo = this.deps.mirror.messages.maxId()): void {
    this.stale.add(remoteId);
    this.knownAt.set(remoteId, Math.min(knownUpTo, this.knownAt.get(remoteId) ?? Number.POSITIVE_INFINITY));
  }

  announce(conversation: RemoteConversation): void {
    this.announced.set(conversation.remoteId, conversation);
    this.mark(conversation.remoteId);
  }

  /**
   * Fetches the conversations realtime events hinted at: a few at a time, never one twice at
   * once. One at a time, every alert waited behind the fetches of all the other busy
   * conversations (bench: live latency of conversations not on screen, p50 50-90 ms at 250
   * messages/s from 20 visitors, with each fetch taking 2-10 ms).
   */
  fetch(): void {
    while (this.workers < STALE_FETCHES && this.mayFetch() && this.next() !== undefined) {
      this.workers++;
      void this.worker().finally(() => this.workers--);
    }
  }

  /** A catch-up fetches everything itself; stale conversations wait for it to end. */
  private mayFetch(): boolean {
    return this.deps.link.started && !this.deps.link.catchingUp;
  }

  /** A stale conversation no worker is fetching (one marked again mid-fetch waits for that fetch). */
  private next(): string | undefined {
    for (const remoteId of this.stale) if (!this.inFlight.has(remoteId)) return remoteId;
    return undefined;
  }

  private async worker(): Promise<void> {
    const { link, strategy } = this.deps;
    let signIn = link.signIn;
    try {
      for (let remoteId = this.next(); remoteId !== undefined && this.mayFetch(); remoteId = this.next()) {
        signIn = link.signIn;
        this.stale.delete(remoteId);
        const knownUpTo = this.knownAt.get(remoteId);
        this.knownAt.delete(remoteId);
        this.inFlight.add(remoteId);
        try {
          // A queued new-conversation event may describe it already.
          this.deps.flushConversations();
          if (!this.deps.mirror.conversations.findByRemote(this.deps.accountId, remoteId)) {
            await this.confirm(remoteId);
            link.alive();
          }
          await strategy.fetchConversation(remoteId, knownUpTo);
          link.alive();
        } catch (error) {
          if (error instanceof ConnectorError && error.kind === 'rejected') {
            this.siteLacks(remoteId, error);
            continue;
          }
          // Fetched again after the retry's catch-up, which may not list it.
          this.mark(remoteId, knownUpTo);
          throw error;
        } finally {
          this.inFlight.delete(remoteId);
        }
      }
    } catch (error) {
      this.deps.failed(error, 'fetch', signIn);
    }
  }

  /**
   * A conversation only realtime events told of: ask the site for it before it gets a row (a
   * refusal throws, see siteLacks). The row holds what the event said until the list has more.
   */
  private async confirm(remoteId: string): Promise<void> {
    const { mirror, clock, writer } = this.deps;
    await this.deps.strategy.probe(remoteId);
    this.deps.link.alive();
    const now = clock();
    // lastMessageAt 0 when nothing was announced, so its messages set the preview.
    const announced = this.announced.get(remoteId) ?? { remoteId, createdAt: now, lastMessageAt: 0 };
    this.announced.delete(remoteId);
    mirror.transaction(() => writer.upsert(announced, now, 'sync'));
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
}
