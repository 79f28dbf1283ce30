// The one unread number and the connection look, derived here once and pushed to everything
// that shows them: the tray, the dock/taskbar badge and the window title.
import type { BadgeLook, BadgeState } from '../../../shared/attention';
import type { ConnectionState } from '../../../shared/domain';
import type { EventBus } from '../events';
import type { Timers } from '../sync/timers';

export interface BadgeSources {
  unreadTotal(): number;
  /** The connection state of every account. */
  connectionStates(): ConnectionState[];
}

export function badgeLook(states: ConnectionState[]): BadgeLook {
  if (states.includes('auth-expired')) return 'sign-in';
  if (states.some((s) => s === 'offline' || s === 'unavailable')) return 'disconnected';
  return 'ok';
}

export class BadgeTracker {
  private state: BadgeState;
  private scheduled = false;
  private stopped = false;
  private readonly listeners = new Set<(state: BadgeState) => void>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly deps: { sources: BadgeSources; events: EventBus; timers: Timers },
  ) {
    this.state = this.compute();
  }

  current(): BadgeState {
    return this.state;
  }

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((name) => {
      if (name === 'conversations.changed' || name === 'connection.state' || name === 'messages.updated' || name === 'feed.changed') this.schedule();
    });
    this.recompute();
  }

  /** After this, a recompute already scheduled does nothing (the database may be closing). */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  onChange(listener: (state: BadgeState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A burst of events recomputes once. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.deps.timers.setTimeout(() => {
      this.scheduled = false;
      this.recompute();
    }, 0);
  }

  recompute(): void {
    if (this.stopped) return;
    const next = this.compute();
    if (next.unread === this.state.unread && next.look === this.state.look) return;
    this.state = next;
    this.deps.events.emit('app.badge', next);
    for (const listener of this.listeners) listener(next);
  }

  private compute(): BadgeState {
    return { unread: this.deps.sources.unreadTotal(), look: badgeLook(this.deps.sources.connectionStates()) };
  }
}
