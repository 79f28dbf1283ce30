// The tray icon: the unread count drawn on it, a distinct look when disconnected or when an
// account needs signing in again, a tooltip, and the menu (Open, Availability, Do not
// disturb, Quit). The pixels come from src/main/core/tray; this only hands them to Electron.
import type { BadgeState } from '../../shared/attention';
import type { Availability } from '../../shared/domain';
import { badgeLabel, encodePng, renderTemplateTrayIcon, renderTrayIcon } from '../core/tray';
import type { ShellTexts } from './texts';

export interface TrayLike {
  setImage(image: unknown): void;
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  /** macOS: text beside the menu-bar icon. */
  setTitle?(title: string): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface MenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  checked?: boolean;
  click?: () => void;
  submenu?: MenuItem[];
}

export interface TrayActions {
  open(): void;
  setAvailability(availability: Availability): void;
  setDoNotDisturb(on: boolean): void;
  quit(): void;
}

export interface TrayDeps {
  createTray(image: unknown): TrayLike;
  buildMenu(template: MenuItem[]): unknown;
  /** PNGs of one picture at several scale factors → the platform image. */
  makeImage(representations: Array<{ scaleFactor: number; png: Buffer }>, options?: { template: boolean }): unknown;
  platform: NodeJS.Platform;
  actions: TrayActions;
}

export interface TrayView {
  badge: BadgeState;
  availability: Availability;
  doNotDisturb: boolean;
  texts: ShellTexts;
}

/** Base sizes at 1×: Windows and macOS menu bars use 16 px, Linux panels about 24 px. */
export function trayIconSize(platform: NodeJS.Platform): number {
  return platform === 'linux' ? 24 : 16;
}

export function trayTooltip(view: TrayView): string {
  const { badge, texts } = view;
  const main = badge.unread > 0 ? texts.tooltipUnread(badge.unread) : texts.tooltipNone;
  if (badge.look === 'sign-in') return `${main} (${texts.tooltipSignIn})`;
  if (badge.look === 'disconnected') return `${main} (${texts.tooltipDisconnected})`;
  return main;
}

export function trayMenu(view: TrayView, actions: TrayActions): MenuItem[] {
  const { texts } = view;
  const availability = (value: Availability, label: string): MenuItem => ({
    label,
    type: 'radio',
    checked: view.availability === value,
    click: () => actions.setAvailability(value),
  });
  return [
    { label: texts.open, click: () => actions.open() },
    { type: 'separator' },
    {
      label: texts.availability,
      type: 'submenu',
      submenu: [availability('online', texts.online), availability('away', texts.away), availability('offline', texts.offline)],
    },
    { label: texts.doNotDisturb, type: 'checkbox', checked: view.doNotDisturb, click: () => actions.setDoNotDisturb(!view.doNotDisturb) },
    { type: 'separator' },
    { label: texts.quit, click: () => actions.quit() },
  ];
}

export class TrayController {
  private tray: TrayLike | undefined;
  private lastImageKey = '';
  private lastMenuKey = '';

  constructor(private readonly deps: TrayDeps) {}

  update(view: TrayView): void {
    const image = this.image(view.badge);
    if (!this.tray) {
      this.tray = this.deps.createTray(image.value);
      // Linux panels and Windows open the menu on right click; a left click opens the window.
      this.tray.on('click', () => this.deps.actions.open());
    } else if (image.key !== this.lastImageKey) {
      this.tray.setImage(image.value);
    }
    this.lastImageKey = image.key;
    // The macOS menu bar wants a monochrome template image, so the number goes beside it.
    if (this.deps.platform === 'darwin') this.tray.setTitle?.(badgeLabel(view.badge.unread));
    this.tray.setToolTip(trayTooltip(view));
    const menuKey = JSON.stringify([view.availability, view.doNotDisturb, view.texts.open]);
    if (menuKey !== this.lastMenuKey) {
      this.tray.setContextMenu(this.deps.buildMenu(trayMenu(view, this.deps.actions)));
      this.lastMenuKey = menuKey;
    }
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = undefined;
  }

  private image(badge: BadgeState): { key: string; value: unknown } {
    const key = `${badge.look}:${Math.min(badge.unread, 100)}`;
    if (this.tray && key === this.lastImageKey) return { key, value: undefined };
    const size = trayIconSize(this.deps.platform);
    const template = this.deps.platform === 'darwin';
    const render = template ? renderTemplateTrayIcon : renderTrayIcon;
    const representations = [1, 2].map((scaleFactor) => ({
      scaleFactor,
      png: encodePng(render({ size: size * scaleFactor, unread: badge.unread, state: badge.look })),
    }));
    return { key, value: this.deps.makeImage(representations, { template }) };
  }
}
