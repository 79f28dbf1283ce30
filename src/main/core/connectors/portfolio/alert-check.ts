// An open conversation's messages come on its own channel, and its admin alert follows each
// visitor message on the same socket; the alert is skipped there (fetching again cost a REST
// round trip per message: bench, live latency). But the site triggers the two separately, and
// when only the channel's trigger fails (a Pusher request timed out on a loaded site) the alert
// is the only sign of the message: skipped too, it stayed missing in the conversation on screen
// until the next reconnect (bench load: 77 of 50,600 through the chat API, all in the open one).
// So each delivered visitor message waits here for its alert; an alert that finds none is fetched.
// An alert can also come first (the site's two triggers race): it is fetched, and the message the
// channel brings a moment later would then wait for an alert that already came. A later alert with
// the same beginning would match it and be skipped, so a delivered message waits MAX_WAIT_MS at most.

/** Delivered messages kept per conversation while their alerts are late (a site that sends none stays bounded). */
export const MAX_AWAITING = 200;
/** How long a delivered message waits for its alert (the site sends both at once; seconds apart under load). */
export const MAX_WAIT_MS = 60_000;

interface Delivered {
  content: string;
  at: number;
}

export class AlertCheck {
  /** Visitor messages the channel delivered, oldest first, whose alert has not come. */
  private readonly awaiting = new Map<string, Delivered[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A visitor message arrived on an open conversation's channel. */
  delivered(remoteId: string, content: string): void {
    const list = this.awaiting.get(remoteId) ?? [];
    list.push({ content, at: this.now() });
    if (list.length > MAX_AWAITING) list.shift();
    this.awaiting.set(remoteId, list);
  }

  /**
   * An alert for an open conversation: true when it announces a message the channel delivered
   * (matched by its preview, the text's beginning; the oldest when it has none), false when it
   * announces one the channel never brought.
   */
  alerted(remoteId: string, preview: string | undefined): boolean {
    const list = this.awaiting.get(remoteId);
    if (!list) return false;
    const late = list.findIndex((entry) => this.now() - entry.at <= MAX_WAIT_MS);
    list.splice(0, late < 0 ? list.length : late);
    if (list.length === 0) return false;
    const index = preview === undefined ? 0 : list.findIndex((entry) => entry.content.startsWith(preview));
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** The conversation was closed, or its channel (re)subscribed: the fetch that follows brings what was missed. */
  forget(remoteId?: string): void {
    if (remoteId === undefined) this.awaiting.clear();
    else this.awaiting.delete(remoteId);
  }
}
