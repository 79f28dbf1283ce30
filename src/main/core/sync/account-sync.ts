// One account's live mirror. The connector reports what happens; this class wires the parts
// that decide what to fetch and when, and write everything through the mirror:
//   - link-state.ts: the connection state the UI shows (connecting, syncing, live, sign in again);
//   - catch-up.ts with catch-up-strategies.ts: after every (re)connect or resubscribe, and on
//     resume/network change, the gap is fetched before the account reports "live";
//   - burst-applier.ts: live events are queued and applied together, one transaction per burst;
//   - stale-fetcher.ts: a conversation the events only hint at (an alert, a new conversation) is
//     fetched from its last known message on;
//   - mirror-writer.ts: the writes they share.
import type { ConnectionStatus } from '../../../shared/domain';
import type { Connector, ConnectorSink } from '../connectors/connector';
import { BurstApplier } from './burst-applier';
import { CatchUp } from './catch-up';
import { catchUpStrategy, type CatchUpStrategy } from './catch-up-strategies';
import type { SyncContext } from './context';
import { errorText } from './errors';
import { LinkState } from './link-state';
import { MirrorWriter } from './mirror-writer';
import type { PollIntervals } from './poller';
import { StaleFetcher } from './stale-fetcher';

export interface AccountSyncDeps extends SyncContext {
  connector: Connector;
  /** Called once the gap is filled (the outbox may send again). */
  onLive?: () => void;
  /** Poll timing for kinds without an account-wide realtime channel (tests shorten it). */
  pollIntervals?: PollIntervals;
}

export class AccountSync {
  private readonly link: LinkState;
  private readonly strategy: CatchUpStrategy;
  private readonly burst: BurstApplier;
  private readonly stale: StaleFetcher;
  private readonly catchUp: CatchUp;
  private lastWarn = '';
  /** Which start the connector's sink belongs to (see connection()). */
  private generation = 0;

  constructor(private readonly deps: AccountSyncDeps) {
    const { accountId, connector, mirror, events, clock, timers, log } = deps;
    const requestCatchUp = () => this.catchUp.request();
    this.strategy = catchUpStrategy({
      accountId,
      connector,
      mirror,
      clock,
      timers,
      alive: () => this.link.alive(),
      commitFetched: (conversationId, items, alsoInTransaction) => writer.commitFetched(conversationId, items, alsoInTransaction),
      inconsistent: (what) => this.link.inconsistent(what),
      requestCatchUp,
      ...(deps.pollIntervals ? { pollIntervals: deps.pollIntervals } : {}),
    });
    const link = (this.link = new LinkState({ accountId, mirror, events, log, limitation: this.strategy.limitation }));
    const writer = new MirrorWriter({ accountId, connector, mirror, events, clock, started: () => link.started });
    this.stale = new StaleFetcher({
      accountId,
      mirror,
      events,
      clock,
      log,
      link,
      writer,
      strategy: this.strategy,
      flushConversations: () => this.burst.flushConversations(),
      failed: (error, what, signIn) => this.catchUp.failed(error, what, signIn),
    });
    this.burst = new BurstApplier({ accountId, mirror, events, clock, timers, log, link, writer, stale: this.stale, requestCatchUp });
    this.catchUp = new CatchUp({
      accountId,
      connector,
      mirror,
      events,
      clock,
      timers,
      log,
      link,
      writer,
      strategy: this.strategy,
      burst: this.burst,
      stale: this.stale,
      ...(deps.onLive ? { onLive: deps.onLive } : {}),
    });
  }

  /** The window gained or lost focus: polling kinds check more often while it is focused. */
  setFocused(focused: boolean): void {
    this.strategy.setFocused(focused);
  }

  get status(): ConnectionStatus {
    return this.link.status;
  }

  async start(): Promise<void> {
    this.link.started = true;
    this.strategy.start();
    this.link.link = 'connecting';
    this.link.publish();
    await this.deps.connector.connect(this.connection());
  }

  /**
   * The sink of one connection (start to stop). A connector may still report through the sink of
   * a connection being stopped: a request of the old sign-in answering "refused" after the user
   * signed in again would ask them to sign in once more, and nothing would clear it.
   */
  private connection(): ConnectorSink {
    const generation = ++this.generation;
    const current = () => generation === this.generation && this.link.started;
    const sink = this.sink;
    return new Proxy(sink, {
      get: (target, key: keyof ConnectorSink) => {
        const method = target[key];
        if (typeof method !== 'function') return method;
        return (...args: unknown[]) => {
          if (current()) return (method as (...a: unknown[]) => unknown)(...args);
          if (key === 'link' && args[0] === 'auth-expired') this.deps.log(`sync ${this.deps.accountId}: a stopped connection reported its sign-in refused; ignored`);
          return undefined;
        };
      },
    });
  }

  async stop(): Promise<void> {
    this.link.started = false;
    this.strategy.stop();
    this.catchUp.stop();
    this.burst.stop();
    await this.deps.connector.disconnect();
    this.link.link = 'offline';
    this.link.publish();
  }

  /** Signed in again: clear the auth state, reconnect, catch up. */
  async reauthenticated(): Promise<void> {
    await this.stop();
    // Once the old connection is stopped: what it reported meanwhile is not the new sign-in's.
    this.link.signedInAgain();
    await this.start();
  }

  /** Laptop resume or network change: the socket may look alive but have missed events. */
  resync(reason: string): void {
    this.deps.log(`sync ${this.deps.accountId}: resync (${reason})`);
    this.catchUp.request();
  }

  /**
   * The server refused a change (a status): the conversation may be behind the account's cursor,
   * so a catch-up from it would never bring its status back. List everything once instead.
   */
  reconcile(reason: string): void {
    this.catchUp.listEverythingOnce();
    this.resync(reason);
  }

  /** Which sign-in a request is made under: pass it back to markAuthExpired when it is refused. */
  get signIn(): number {
    return this.link.signIn;
  }

  markAuthExpired(reason: string, signIn?: number): void {
    this.link.markAuthExpired(reason, signIn);
  }

  /** Applies the live events queued so far (see BurstApplier.flush). */
  flush(): void {
    this.burst.flush();
  }

  // ---------------------------------------------------------------- connector → engine
  private readonly sink: ConnectorSink = {
    link: (state, detail) => {
      if (state === 'auth-expired') this.link.markAuthExpired(detail ?? 'the site refused the sign-in');
      else this.link.linkChanged(state, detail);
    },
    gap: (reason) => {
      this.deps.log(`sync ${this.deps.accountId}: gap (${reason})`);
      this.catchUp.request();
    },
    conversation: (c) => this.burst.queue((b) => b.conversations.push(c)),
    patch: (remoteId, patch) => this.burst.queue((b) => b.patches.push({ remoteId, patch })),
    stale: (remoteId) => {
      this.stale.mark(remoteId);
      this.stale.fetch();
    },
    messages: (remoteId, messages) => this.burst.queue((b) => b.messages.push({ remoteId, messages })),
    read: (remoteId, ids, at) => this.burst.queue((b) => b.reads.push({ remoteId, ids, at })),
    typing: (remoteId, who, isTyping) => {
      if (!this.link.started) return;
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
    edited: (remoteId, edits) => this.burst.queue((b) => b.edits.push({ remoteId, edits })),
    deleted: (remoteId, ids, at) => this.burst.queue((b) => b.deletions.push({ remoteId, ids, at })),
    feed: (entries) => this.burst.queue((b) => b.feed.push(...entries)),
    visitorOnline: (remoteId, online) => this.burst.queue((b) => b.patches.push({ remoteId, patch: { visitorOnline: online } })),
    warn: (message) => {
      if (message !== this.lastWarn) this.deps.log(`sync ${this.deps.accountId}: ${message}`);
      this.lastWarn = message;
    },
  };
}
