// The sync engine's writes to the mirror, shared by live bursts, catch-up and stale fetches:
// a conversation as the backend describes it (minus the status a kind cannot have), messages
// with their preview and unread count, and fetched pages batched into one transaction.
import type { Connector } from '../connectors/connector';
import type { EventBus } from '../events';
import type { AppliedMessages } from '../mirror/messages-repo';
import type { Mirror } from '../mirror/mirror';
import type { ConversationRow } from '../mirror/rows';
import type { RemoteConversation, RemoteMessage } from '../mirror/types';
import { Stopped } from './errors';
import { plausibleMessage } from './plausible';

/** Sender types whose new message reopens a conversation resolved on this computer. */
const REOPENED_BY = new Set<string>(['visitor', 'member', 'agent', 'ai']);

export interface MirrorWriterDeps {
  accountId: number;
  connector: Pick<Connector, 'capabilities'>;
  mirror: Mirror;
  events: EventBus;
  clock: () => number;
  /** False once the engine stopped: pages still waiting are not written. */
  started: () => boolean;
}

interface FetchedPage {
  conversationId: number;
  items: RemoteMessage[];
  alsoInTransaction: () => unknown;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Tells the renderer what changed in one conversation's messages; removals first, so a merged copy never shows twice. */
export function emitMessageChanges(events: EventBus, conversationId: number, result: AppliedMessages): void {
  if (result.removed.length) events.emit('messages.removed', { conversationId, messageIds: result.removed });
  if (result.added.length) events.emit('messages.added', { conversationId, messages: result.added });
  if (result.updated.length) events.emit('messages.updated', { conversationId, messages: result.updated });
}

export class MirrorWriter {
  /** Fetched pages waiting for their transaction (see commitFetched). */
  private fetched: FetchedPage[] = [];

  constructor(private readonly deps: MirrorWriterDeps) {}

  /**
   * Inside a transaction: writes a conversation as the backend describes it. A kind without
   * server-side status never has one written, whatever its connector says: the status is kept
   * here, and a conversation first seen is active locally, not "active on the server".
   */
  upsert(c: RemoteConversation, now: number, source: 'server' | 'sync'): ConversationRow {
    const remote = this.deps.connector.capabilities.serverStatus ? c : { ...c, serverStatus: null };
    return this.deps.mirror.conversations.upsert(this.deps.accountId, remote, now, source).row;
  }

  /** Inside a transaction: apply, move the preview forward, derive unread. */
  applyMessages(conversationId: number, messages: RemoteMessage[], now: number, source: 'server' | 'sync'): AppliedMessages {
    const { mirror } = this.deps;
    const result = mirror.messages.apply(conversationId, messages.map((m) => plausibleMessage(m, now)));
    // Someone else writing into a conversation resolved here reopens it (the backend has no status to
    // say so): a visitor, a room member, or an agent's answer. Not the owner, and not an agent's steps.
    if (!this.deps.connector.capabilities.serverStatus && result.added.some((m) => m.kind !== 'event' && m.kind !== 'system' && REOPENED_BY.has(m.senderType))) {
      mirror.conversations.reopenLocally(conversationId, source, now);
    }
    const newest = result.added.reduce<(typeof result.added)[number] | null>((best, m) => (best && best.createdAt > m.createdAt ? best : m), null);
    if (newest) mirror.conversations.touch(conversationId, newest.createdAt, newest.content.slice(0, 200), now);
    if (result.added.length || result.updated.length || result.removed.length) mirror.conversations.recountUnreadFor(conversationId);
    // An edit or delete found while fetching may have changed what the preview shows.
    if (result.removed.length || result.updated.some((m) => m.editedAt !== null)) mirror.conversations.refreshPreview(conversationId, now);
    return result;
  }

  /**
   * Applies a fetched page (with its cursor) once the current turn of the event loop is over,
   * in one transaction with the pages other fetches brought meanwhile: a transaction per page
   * spent more on committing (FTS segment, WAL) than on the rows (bench: ingest, catch-up).
   */
  commitFetched(conversationId: number, items: RemoteMessage[], alsoInTransaction: () => unknown): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.fetched.push({ conversationId, items, alsoInTransaction, resolve, reject });
      if (this.fetched.length === 1) setImmediate(() => this.commitFetchedPages());
    });
  }

  private commitFetchedPages(): void {
    const pages = this.fetched;
    this.fetched = [];
    if (!this.deps.started()) {
      for (const p of pages) p.reject(new Stopped());
      return;
    }
    const { mirror, clock } = this.deps;
    let results: AppliedMessages[];
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
    const changed = new Set<number>();
    pages.forEach(({ conversationId }, i) => {
      const result = results[i]!;
      emitMessageChanges(this.deps.events, conversationId, result);
      if (result.added.length || result.updated.length || result.removed.length) changed.add(conversationId);
    });
    // One event for the transaction, naming each conversation it changed (not one per page).
    if (changed.size) this.deps.events.emit('conversations.changed', { accountId: this.deps.accountId, conversationIds: [...changed] });
    for (const p of pages) p.resolve();
  }
}
