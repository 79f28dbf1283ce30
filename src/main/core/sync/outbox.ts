// The outbox: replies, status changes and read marks are written to SQLite first (shown as
// pending), then sent in order per conversation, retried with backoff and jitter, exactly once
// where the backend deduplicates by client id. Nothing is dropped: an auth failure pauses the
// queue until sign-in, and a permanent refusal marks the item failed with the server's reason.
import type { ConversationStatus, Message } from '../../../shared/domain';
import type { Connector } from '../connectors/connector';
import { ConnectorError } from '../connectors/connector';
import type { EventBus } from '../events';
import type { Mirror } from '../mirror/mirror';
import type { OutboxRow } from '../mirror/outbox-repo';
import { Backoff, MAX_SERVER_WAIT_MS, retryDelay, type BackoffPolicy } from './backoff';
import { findSentReply } from './reconcile';
import type { Timers } from './timers';

export interface OutboxDeps {
  accountId: number;
  mirror: Mirror;
  connector: Connector;
  events: EventBus;
  clock: () => number;
  random: () => number;
  timers: Timers;
  log: (message: string) => void;
  /** Which sign-in a send is made under (AccountSync.signIn); a standalone outbox has one. */
  signIn?: () => number;
  /** A send made under sign-in `signIn` was refused: only the user can sign in again. */
  onAuthExpired: (reason: string, signIn: number) => void;
  /** Called after a status or read item fails for good, so the engine can refetch the truth. */
  onRejected?: (conversationId: number) => void;
}

/** What a queued reply keeps: its text, its pending row, and (non-idempotent kinds) when it was first tried. */
interface ReplyPayload {
  content?: string;
  messageId?: number;
  /**
   * Set just before the first attempt: from then on the server may have the reply (a crash, a
   * lost answer), so every later attempt looks for it first; a copy from before it is not ours.
   */
  attemptedAt?: number;
}

/** A send that failed for now: 1, 2, 4… s with jitter, at most a minute, or longer when the server asks. */
const SEND_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 };

export class Outbox {
  private paused = false;
  private running = false;
  private again = false;
  private timer: unknown = null;
  private stopped = false;
  /** Drains in a row that failed on the mirror itself, for the retry's backoff. */
  private readonly storeBackoff: Backoff;

  private readonly signIn: () => number;

  constructor(private readonly deps: OutboxDeps) {
    this.signIn = deps.signIn ?? (() => 0);
    this.storeBackoff = new Backoff(SEND_BACKOFF, deps.random);
    deps.mirror.outbox.requeueInFlight(deps.accountId);
  }

  enqueueReply(conversationId: number, content: string, clientId: string): Message {
    const { mirror, clock } = this.deps;
    const now = clock();
    const message = mirror.transaction(() => {
      const m = mirror.messages.insertPending({ conversationId, clientId, senderType: 'admin', senderName: null, content, createdAt: now });
      mirror.outbox.add({ accountId: this.deps.accountId, conversationId, kind: 'reply', payload: { content, messageId: m.id }, clientId, now });
      mirror.conversations.touch(conversationId, now, content.slice(0, 200), now);
      return m;
    });
    this.changed();
    return message;
  }

  enqueueStatus(conversationId: number, status: ConversationStatus, clientId: string): void {
    const now = this.deps.clock();
    this.deps.mirror.outbox.add({ accountId: this.deps.accountId, conversationId, kind: 'status', payload: { status }, clientId, now });
    this.changed();
  }

  enqueueRead(conversationId: number, messageRemoteIds: string[], clientId: string): void {
    if (messageRemoteIds.length === 0) return;
    const now = this.deps.clock();
    this.deps.mirror.outbox.add({ accountId: this.deps.accountId, conversationId, kind: 'read', payload: { messageRemoteIds }, clientId, now });
    this.changed();
  }

  /** A failed reply goes back to the queue. */
  retry(messageClientId: string): boolean {
    const row = this.deps.mirror.outbox.byClientId(messageClientId);
    if (!row || row.state !== 'failed') return false;
    this.deps.mirror.transaction(() => {
      this.deps.mirror.outbox.setState(row.id, 'queued', { attempts: 0, nextAttemptAt: this.deps.clock(), lastError: null });
      this.updateReply(row, 'pending', null);
    });
    this.changed();
    return true;
  }

  /** A failed reply is dropped, with its pending message. */
  discard(messageClientId: string): boolean {
    const row = this.deps.mirror.outbox.byClientId(messageClientId);
    if (!row || row.state !== 'failed') return false;
    const messageId = (JSON.parse(row.payload) as { messageId?: number }).messageId;
    const { mirror } = this.deps;
    const removed = mirror.transaction(() => {
      mirror.outbox.remove(row.id);
      const message = messageId ? mirror.messages.get(messageId) : undefined;
      if (!message || !mirror.messages.remove(message.id)) return false;
      // The list's preview showed this reply (enqueueReply touched it): show what is left instead.
      mirror.conversations.forgetPreviewOf(row.conversationId, message, this.deps.clock());
      return true;
    });
    if (removed && messageId) this.deps.events.emit('messages.removed', { conversationId: row.conversationId, messageIds: [messageId] });
    this.changed();
    return true;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.deps.timers.clearTimeout(this.timer);
  }

  counts(): { pending: number; failed: number } {
    return this.deps.mirror.outbox.counts(this.deps.accountId);
  }

  /**
   * The account caught up, so the backend answers again: items waiting out a backoff (up to a
   * minute after a long outage) are sent now instead of after their timer.
   */
  reconnected(): void {
    if (this.stopped || this.paused) return;
    this.deps.mirror.outbox.dueNow(this.deps.accountId, this.deps.clock());
    this.kick();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drain();
  }

  private changed(): void {
    this.deps.events.emit('outbox.counts', { accountId: this.deps.accountId, ...this.counts() });
    this.kick();
  }

  private schedule(at: number): void {
    if (this.timer) this.deps.timers.clearTimeout(this.timer);
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      this.kick();
    }, Math.max(0, at - this.deps.clock()));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        while (!this.paused && !this.stopped) {
          const item = this.deps.mirror.outbox.next(this.deps.accountId);
          if (!item) break;
          const now = this.deps.clock();
          if (item.nextAttemptAt > now + MAX_SERVER_WAIT_MS) {
            // Stored before the wait was clamped (a 31-year Retry-After): bring it within the limit.
            item.nextAttemptAt = now + MAX_SERVER_WAIT_MS;
            this.deps.mirror.outbox.setState(item.id, 'queued', { nextAttemptAt: item.nextAttemptAt });
          }
          if (item.nextAttemptAt > now) {
            this.schedule(item.nextAttemptAt);
            break;
          }
          await this.send(item);
        }
      } while (this.again && !this.paused && !this.stopped);
      this.storeBackoff.succeeded();
    } catch (error) {
      // The mirror itself failed (damaged, closed, disk error): nothing was sent or lost; look
      // again later. This runs detached (void drain()): a throw would end the process.
      if (this.stopped) return;
      const delay = this.storeBackoff.failed();
      this.deps.log(`outbox: could not read the queue (${error instanceof Error ? error.message : String(error)}); trying again in ${delay} ms`);
      this.schedule(this.deps.clock() + delay);
    } finally {
      this.running = false;
    }
  }

  private updateReply(row: OutboxRow, delivery: Message['delivery'], reason: string | null): void {
    if (row.kind !== 'reply') return;
    const messageId = (JSON.parse(row.payload) as { messageId?: number }).messageId;
    const m = messageId ? this.deps.mirror.messages.setDelivery(messageId, delivery, reason) : undefined;
    if (m) this.deps.events.emit('messages.updated', { conversationId: row.conversationId, messages: [m] });
  }

  private async send(row: OutboxRow): Promise<void> {
    const { mirror, connector, clock } = this.deps;
    const conversation = mirror.conversations.getRow(row.conversationId);
    if (!conversation) {
      mirror.outbox.remove(row.id);
      return;
    }
    const payload = JSON.parse(row.payload) as ReplyPayload & { status?: ConversationStatus; messageRemoteIds?: string[] };
    const reconcile = row.kind === 'reply' && !connector.capabilities.idempotentSend;
    const firstAttempt = payload.attemptedAt === undefined;
    if (reconcile && firstAttempt) {
      // Recorded before the first byte leaves: after a crash or a lost answer, the next attempt
      // knows the server may already have this reply and looks for it first.
      payload.attemptedAt = clock();
      mirror.outbox.setPayload(row.id, payload);
    }
    mirror.outbox.setState(row.id, 'in-flight');
    const signIn = this.signIn();
    try {
      if (row.kind === 'reply') {
        const content = payload.content ?? '';
        const already =
          reconcile && !firstAttempt
            ? await findSentReply({ connector, mirror, conversationId: row.conversationId, conversationRemoteId: conversation.remoteId, content, attemptedAt: payload.attemptedAt! })
            : null;
        if (already) this.deps.log(`outbox: reply ${row.clientId} was already on the server (${already.remoteId}); not sent again`);
        const echo = already ?? (await connector.sendReply(conversation.remoteId, content, row.clientId));
        // Stopped meanwhile (the database may be closed): the row stays in flight and is sent
        // again, idempotently, after the next start.
        if (this.stopped) return;
        const applied = mirror.transaction(() => {
          const result = mirror.messages.apply(row.conversationId, [{ ...echo, clientId: row.clientId }]);
          mirror.outbox.remove(row.id);
          return result;
        });
        if (applied.removed.length) this.deps.events.emit('messages.removed', { conversationId: row.conversationId, messageIds: applied.removed });
        const all = [...applied.added, ...applied.updated];
        if (all.length) this.deps.events.emit('messages.updated', { conversationId: row.conversationId, messages: all });
      } else if (row.kind === 'status') {
        await connector.setStatus(conversation.remoteId, payload.status!);
        if (this.stopped) return;
        mirror.outbox.remove(row.id);
      } else {
        await connector.markRead(conversation.remoteId, payload.messageRemoteIds ?? []);
        if (this.stopped) return;
        mirror.outbox.remove(row.id);
      }
      this.deps.events.emit('outbox.counts', { accountId: this.deps.accountId, ...this.counts() });
    } catch (error) {
      if (this.stopped) return;
      const e = error instanceof ConnectorError ? error : new ConnectorError('transient', error instanceof Error ? error.message : String(error));
      if (e.kind === 'auth' && signIn !== this.signIn()) {
        // Sent under the sign-in the user has since replaced: try again under the new one.
        mirror.outbox.setState(row.id, 'queued');
        this.deps.log(`outbox: ${row.kind} for conversation ${row.conversationId} was refused under an earlier sign-in; sending again`);
      } else if (e.kind === 'auth') {
        mirror.outbox.setState(row.id, 'queued');
        this.pause();
        this.deps.onAuthExpired(e.message, signIn);
      } else if (e.kind === 'transient') {
        const attempts = row.attempts + 1;
        const delay = retryDelay(SEND_BACKOFF, attempts, this.deps.random, e.retryAfterMs);
        mirror.outbox.setState(row.id, 'queued', { attempts, nextAttemptAt: clock() + delay, lastError: e.message });
        this.deps.log(`outbox: ${row.kind} for conversation ${row.conversationId} failed (${e.message}); retry in ${delay} ms`);
      } else {
        mirror.transaction(() => {
          mirror.outbox.setState(row.id, 'failed', { attempts: row.attempts + 1, lastError: e.message });
          this.updateReply(row, 'failed', e.message);
        });
        if (row.kind !== 'reply') {
          // A refused status or read mark cannot stay failed: drop it and refetch the server's truth.
          mirror.outbox.remove(row.id);
          this.deps.onRejected?.(row.conversationId);
        }
        this.deps.events.emit('outbox.counts', { accountId: this.deps.accountId, ...this.counts() });
      }
    }
  }
}
