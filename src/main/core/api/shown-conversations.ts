// Which conversations a window has loaded messages of, so a transport forwards the message
// events (added, updated, removed) only for those. The renderer merges them only into the open
// conversation's pane (useMessages), which asks for its page (messages.page) before it shows
// anything; every other conversation's messages reached the window to be dropped there. A
// catch-up of 10,000 messages serialised 3.3 MB of them to the window (bench: catch-up).
//
// Recorded when the request passes the transport, before the core answers it: a message committed
// before the page is read is in the page, one committed after is forwarded. Kept per transport,
// not per socket or in the core, so a reconnecting page or a restarted core host loses nothing.
import type { EventName } from '../../../shared/contract';

/** More than one window (or tab) ever shows at once; the oldest is forgotten first. */
export const SHOWN_CONVERSATIONS = 64;

const MESSAGE_EVENTS = new Set<EventName>(['messages.added', 'messages.updated', 'messages.removed']);
/** Requests that name a conversation whose messages the window is about to show or shows. */
const SHOWING = new Set<string>(['messages.page', 'messages.send', 'conversations.markRead']);

const conversationIdOf = (value: unknown): number | null => {
  const id = value !== null && typeof value === 'object' ? (value as { conversationId?: unknown }).conversationId : undefined;
  return typeof id === 'number' ? id : null;
};

export class ShownConversations {
  /** In order of use, oldest first. */
  private readonly ids = new Set<number>();

  constructor(private readonly capacity = SHOWN_CONVERSATIONS) {}

  /** A request from the window, as it arrived (not yet validated: anything unexpected is ignored). */
  noteRequest(method: unknown, input: unknown): void {
    if (typeof method !== 'string') return;
    if (SHOWING.has(method)) this.note(conversationIdOf(input));
    else if (method === 'conversations.watch') {
      const ids = input !== null && typeof input === 'object' ? (input as { conversationIds?: unknown }).conversationIds : undefined;
      if (Array.isArray(ids)) for (const id of ids.slice(0, this.capacity)) this.note(typeof id === 'number' ? id : null);
    }
  }

  /** Whether the window needs this event: every event except another conversation's messages. */
  wants(name: EventName, payload: unknown): boolean {
    if (!MESSAGE_EVENTS.has(name)) return true;
    const id = conversationIdOf(payload);
    return id === null || this.ids.has(id);
  }

  private note(id: number | null): void {
    if (id === null) return;
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }
}
