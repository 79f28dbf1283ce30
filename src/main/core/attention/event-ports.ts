// Browser mode has no native notifications in Node: the core pushes them to the page, which
// shows them with the Web Notification API. Sounds go to the renderer in both modes, because
// the window (hidden or not) is where audio can play.
import type { ShownNotification } from '../../../shared/attention';
import type { EventBus } from '../events';

export class EventNotifier {
  constructor(private readonly events: EventBus) {}

  show(notification: ShownNotification): void {
    this.events.emit('notifications.show', notification);
  }

  close(key: string): void {
    this.events.emit('notifications.close', { key });
  }
}

export class EventSoundPlayer {
  constructor(private readonly events: EventBus) {}

  play(sound: string, volume: number): void {
    this.events.emit('notifications.sound', { sound, volume });
  }
}
