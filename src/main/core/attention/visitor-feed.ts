// Turns committed 'messages.added' events into "a visitor wrote" calls on the notification
// center. History that predates the account (the first sync of years of chats) is not news;
// messages missed while offline and fetched by catch-up are, so they still notify.
import type { Message } from '../../../shared/domain';
import type { EventBus } from '../events';

export interface VisitorFeedDeps {
  events: EventBus;
  /** When the account was added here; null if it no longer exists. */
  accountAddedAt(conversationId: number): number | null;
  /** Whether the conversation holds more than `n` messages. */
  hasMoreMessagesThan(conversationId: number, n: number): boolean;
  visitorMessages(conversationId: number, messages: Array<{ content: string; createdAt: number; senderName: string | null }>, opts: { newConversation: boolean }): void;
  log(message: string): void;
}

export class VisitorFeed {
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: VisitorFeedDeps) {}

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((name, payload) => {
      if (name !== 'messages.added') return;
      const { conversationId, messages } = payload as { conversationId: number; messages: Message[] };
      try {
        this.onAdded(conversationId, messages);
      } catch (error) {
        // A notification problem must never stop the mirror's events reaching the UI.
        this.deps.log(`notifications: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private onAdded(conversationId: number, messages: Message[]): void {
    const addedAt = this.deps.accountAddedAt(conversationId);
    if (addedAt === null) return;
    // Someone else wrote: the visitor (student, room member); not the owner, the site's AI or an agent's steps.
    const fresh = messages.filter((m) => (m.senderType === 'visitor' || m.senderType === 'member') && m.readAt === null && m.createdAt >= addedAt);
    if (fresh.length === 0) return;
    const newConversation = !this.deps.hasMoreMessagesThan(conversationId, messages.length);
    this.deps.visitorMessages(
      conversationId,
      fresh.map((m) => ({ content: m.content, createdAt: m.createdAt, senderName: m.senderName })),
      { newConversation },
    );
  }
}
