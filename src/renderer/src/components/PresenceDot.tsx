// Someone's presence as a dot: online, away, busy or offline (shapes differ as well as colours,
// so the four read apart without colour). Decorative: the words are next to it or in the label.
import type { ConversationSummary, Presence } from '../../../shared/domain';

/** The other side's presence in a conversation: the kind's own word where it has one, else online / offline. */
export const presenceOf = (c: Pick<ConversationSummary, 'visitorOnline' | 'visitorPresence'>): Presence => c.visitorPresence ?? (c.visitorOnline ? 'online' : 'offline');

export function PresenceDot({ presence }: { presence: Presence }) {
  return <span className={`presence presence-${presence}${presence === 'online' ? ' online' : ''}`} aria-hidden="true" />;
}
