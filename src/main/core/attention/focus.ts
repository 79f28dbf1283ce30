// What the owner is looking at, as the renderer reports it: a conversation open in a focused
// window gets no notification, and opening one counts as seeing it.
export class FocusTracker {
  private focused = false;
  private conversationId: number | null = null;

  constructor(private readonly onSeen: (conversationId: number) => void) {}

  report(focus: { focused: boolean; conversationId: number | null }): void {
    this.focused = focus.focused;
    this.conversationId = focus.conversationId;
    if (focus.focused && focus.conversationId !== null) this.onSeen(focus.conversationId);
  }

  /** The conversation open in a focused window, else null. */
  focusedConversationId(): number | null {
    return this.focused ? this.conversationId : null;
  }
}
