// Visitor messages held back by quiet hours or do-not-disturb, counted per conversation so
// one summary can be shown when the hold ends. Nothing held is lost silently: the owner gets
// "5 messages from 3 visitors" instead of nothing.
import type { HoldCause } from './texts';

export interface HeldSummary {
  messages: number;
  /** Conversations, which is what the owner will have to answer. */
  visitors: number;
  cause: HoldCause;
  /** Set when everything held is in one conversation, so a click can open it directly. */
  only: { conversationId: number; accountId: number | null } | null;
}

export class HeldMessages {
  private readonly byConversation = new Map<number, { messages: number; accountId: number | null }>();
  private quietHours = false;

  add(conversationId: number, accountId: number | null, messages: number, cause: HoldCause): void {
    const current = this.byConversation.get(conversationId);
    this.byConversation.set(conversationId, { messages: (current?.messages ?? 0) + messages, accountId });
    if (cause === 'quiet-hours') this.quietHours = true;
  }

  /** The owner has read it meanwhile: it no longer belongs in the summary. */
  forget(conversationId: number): void {
    this.byConversation.delete(conversationId);
  }

  get isEmpty(): boolean {
    return this.byConversation.size === 0;
  }

  /** The summary, emptying the collection; null when nothing is held. */
  take(): HeldSummary | null {
    if (this.byConversation.size === 0) return null;
    const entries = [...this.byConversation.entries()];
    const messages = entries.reduce((sum, [, e]) => sum + e.messages, 0);
    const first = entries[0];
    const only = entries.length === 1 && first ? { conversationId: first[0], accountId: first[1].accountId } : null;
    const summary: HeldSummary = { messages, visitors: entries.length, cause: this.quietHours ? 'quiet-hours' : 'dnd', only };
    this.byConversation.clear();
    this.quietHours = false;
    return summary;
  }
}
