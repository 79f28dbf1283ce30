// Native notifications through Electron's Notification API. The core decides what to show
// (src/main/core/notifications); this only puts it on screen and reports clicks and replies.
// Sound is played by the renderer, so the OS notification is always silent (no double sound).
import type { ShownNotification } from '../../shared/attention';
import type { Notifier } from '../core/notifications/types';

/** The part of Electron's Notification this uses; a fake in tests. */
export interface NativeNotification {
  on(event: 'click', listener: () => void): unknown;
  on(event: 'reply', listener: (event: unknown, reply: string) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  show(): void;
  close(): void;
}

export interface NativeNotificationOptions {
  title: string;
  body: string;
  silent: boolean;
  hasReply?: boolean;
  replyPlaceholder?: string;
  icon?: string;
}

export interface ElectronNotifierDeps {
  create(options: NativeNotificationOptions): NativeNotification;
  isSupported(): boolean;
  platform: NodeJS.Platform;
  icon?: string;
  replyPlaceholder: () => string;
  onOpen(conversationId: number | null): void;
  /** A notification feed entry's notification was clicked. */
  onOpenFeedEntry(feedEntryId: number): void;
  onReply(conversationId: number, text: string): void;
  log(message: string): void;
}

/**
 * Linux notification servers read the body as a subset of HTML ("markup"): a visitor's
 * "<b>" or "&" must arrive as text, not formatting. Other platforms show the text as is.
 */
export function escapeNotificationMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export class ElectronNotifier implements Notifier {
  // Held until closed: a notification that is garbage-collected stops delivering clicks.
  private readonly open = new Map<string, NativeNotification>();

  constructor(private readonly deps: ElectronNotifierDeps) {}

  show(n: ShownNotification): void {
    if (!this.deps.isSupported()) {
      this.deps.log('notifications: not supported on this system');
      return;
    }
    this.close(n.key);
    const replyable = this.deps.platform === 'darwin' && n.conversationId !== null;
    const notification = this.deps.create({
      title: n.title,
      body: this.deps.platform === 'linux' ? escapeNotificationMarkup(n.body) : n.body,
      silent: true,
      ...(replyable ? { hasReply: true, replyPlaceholder: this.deps.replyPlaceholder() } : {}),
      ...(this.deps.icon ? { icon: this.deps.icon } : {}),
    });
    notification.on('click', () => {
      this.forget(n.key, notification);
      if (n.feedEntryId != null) this.deps.onOpenFeedEntry(n.feedEntryId);
      else this.deps.onOpen(n.conversationId);
    });
    notification.on('reply', (_event, reply) => {
      this.forget(n.key, notification);
      const text = reply.trim();
      if (n.conversationId !== null && text) this.deps.onReply(n.conversationId, text.slice(0, 2000));
    });
    notification.on('close', () => this.forget(n.key, notification));
    this.open.set(n.key, notification);
    notification.show();
  }

  close(key: string): void {
    const existing = this.open.get(key);
    if (!existing) return;
    this.open.delete(key);
    existing.close();
  }

  private forget(key: string, notification: NativeNotification): void {
    if (this.open.get(key) === notification) this.open.delete(key);
  }
}
