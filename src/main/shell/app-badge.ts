// The unread count outside the tray: macOS dock badge, the Linux launcher count (Unity-style
// launchers; elsewhere the call is a no-op), and the Windows taskbar overlay icon.
import type { BadgeState } from '../../shared/attention';
import { encodePng, renderOverlayBadge } from '../core/tray';

export interface AppBadgeDeps {
  platform: NodeJS.Platform;
  setBadgeCount(count: number): void;
  /** Windows only: the overlay on the taskbar button, null to clear. */
  setOverlayIcon(image: unknown, description: string): void;
  makeImage(representations: Array<{ scaleFactor: number; png: Buffer }>): unknown;
  description(count: number): string;
}

export class AppBadge {
  private last = '';

  constructor(private readonly deps: AppBadgeDeps) {}

  update(badge: BadgeState): void {
    // The overlay shows the look too (an amber "!" for sign-in); the dock count shows only the number.
    const key = this.deps.platform === 'win32' ? `${badge.unread}:${badge.look}` : String(badge.unread);
    if (key === this.last) return;
    this.last = key;
    if (this.deps.platform === 'win32') {
      const image =
        badge.unread > 0
          ? this.deps.makeImage([
              { scaleFactor: 1, png: encodePng(renderOverlayBadge({ size: 16, count: badge.unread, state: badge.look })) },
              { scaleFactor: 2, png: encodePng(renderOverlayBadge({ size: 32, count: badge.unread, state: badge.look })) },
            ])
          : null;
      this.deps.setOverlayIcon(image, badge.unread > 0 ? this.deps.description(badge.unread) : '');
      return;
    }
    this.deps.setBadgeCount(badge.unread);
  }
}
