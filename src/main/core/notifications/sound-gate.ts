// Keeps bursts from turning into a drum roll: one sound per conversation per window, and
// never two sounds on top of each other (a reconnect can deliver many conversations at once).

export const CONVERSATION_SOUND_GAP_MS = 3_000;
export const ANY_SOUND_GAP_MS = 1_000;

export class SoundGate {
  private lastAny: number | null = null;
  private readonly lastByConversation = new Map<number, number>();

  allows(conversationId: number | null, now: number): boolean {
    if (within(this.lastAny, now, ANY_SOUND_GAP_MS)) return false;
    if (conversationId === null) return true;
    return !within(this.lastByConversation.get(conversationId) ?? null, now, CONVERSATION_SOUND_GAP_MS);
  }

  played(conversationId: number | null, now: number): void {
    this.lastAny = now;
    if (conversationId === null) return;
    this.lastByConversation.set(conversationId, now);
    for (const [id, at] of this.lastByConversation) {
      if (!within(at, now, CONVERSATION_SOUND_GAP_MS)) this.lastByConversation.delete(id);
    }
  }

  /** The owner has seen the conversation: its next message may sound at once. */
  forget(conversationId: number): void {
    this.lastByConversation.delete(conversationId);
  }
}

// A clock set backwards (now < last) opens the gate rather than closing it for hours.
function within(last: number | null, now: number, gap: number): boolean {
  return last !== null && now >= last && now - last < gap;
}
