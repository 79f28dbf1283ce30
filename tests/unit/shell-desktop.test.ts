// The desktop glue without Electron: notifications, tray, dock/taskbar badge and window
// placement take their Electron objects through constructors, so fakes stand in. (Electron
// cannot start on this machine; tests/e2e/app.electron.spec.ts covers the real thing.)
import { describe, expect, it } from 'vitest';
import { AppBadge } from '../../src/main/shell/app-badge';
import { ElectronNotifier, escapeNotificationMarkup, type NativeNotification, type NativeNotificationOptions } from '../../src/main/shell/notifier';
import { shellTexts } from '../../src/main/shell/texts';
import { TrayController, trayMenu, trayTooltip, type MenuItem, type TrayLike } from '../../src/main/shell/tray';
import { permissionAllowed } from '../../src/main/shell/permissions';
import { restoreBounds } from '../../src/main/shell/window-state';

class FakeNotification implements NativeNotification {
  readonly listeners = new Map<string, (...args: unknown[]) => void>();
  shown = false;
  closed = false;
  constructor(readonly options: NativeNotificationOptions) {}
  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, listener as (...args: unknown[]) => void);
    return this;
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
    this.listeners.get('close')?.();
  }
  emit(event: string, ...args: unknown[]): void {
    this.listeners.get(event)?.(...args);
  }
}

function notifier(platform: NodeJS.Platform) {
  const created: FakeNotification[] = [];
  const opened: Array<number | null> = [];
  const entries: number[] = [];
  const replies: Array<[number, string]> = [];
  const n = new ElectronNotifier({
    create: (options) => {
      const f = new FakeNotification(options);
      created.push(f);
      return f;
    },
    isSupported: () => true,
    platform,
    replyPlaceholder: () => 'Reply…',
    onOpen: (id) => opened.push(id),
    onOpenFeedEntry: (id) => entries.push(id),
    onReply: (id, text) => replies.push([id, text]),
    log: () => {},
  });
  return { n, created, opened, entries, replies };
}

const sample = { key: 'conversation:4', conversationId: 4, accountId: 1, title: 'Ana <admin>', body: '<b>hi</b> & <a href="x">bye</a>', silent: false };

describe('native notifications', () => {
  it('escapes Linux notification markup in the body, and only there', () => {
    const linux = notifier('linux');
    linux.n.show(sample);
    expect(linux.created[0]!.options.body).toBe('&lt;b&gt;hi&lt;/b&gt; &amp; &lt;a href=&quot;x&quot;&gt;bye&lt;/a&gt;');
    expect(linux.created[0]!.options.body).not.toMatch(/[<>]/);
    const windows = notifier('win32');
    windows.n.show(sample);
    expect(windows.created[0]!.options.body).toBe(sample.body);
    expect(escapeNotificationMarkup("it's")).toBe('it&#39;s');
  });

  it('is always silent at the OS level: the sound is played by the app', () => {
    const { n, created } = notifier('linux');
    n.show({ ...sample, silent: false });
    expect(created[0]!.options.silent).toBe(true);
  });

  it('a click opens that conversation', () => {
    const { n, created, opened } = notifier('linux');
    n.show(sample);
    created[0]!.emit('click');
    expect(opened).toEqual([4]);
  });

  it('a click on a feed entry’s notification opens that entry (the Notifications view), not a conversation', () => {
    const { n, created, opened, entries } = notifier('linux');
    n.show({ key: 'feed:2', conversationId: null, accountId: 2, feedEntryId: 17, title: 'Budi invited you to a challenge', body: 'Quick Quant', silent: false });
    created[0]!.emit('click');
    expect(entries).toEqual([17]);
    expect(opened).toEqual([]);
  });

  it('the same key replaces the earlier notification (coalescing)', () => {
    const { n, created } = notifier('linux');
    n.show(sample);
    n.show({ ...sample, body: '3 new messages' });
    expect(created).toHaveLength(2);
    expect(created[0]!.closed).toBe(true);
    expect(created[1]!.shown).toBe(true);
    n.close('conversation:4');
    expect(created[1]!.closed).toBe(true);
  });

  it('offers inline reply on macOS and sends the trimmed text to that conversation', () => {
    const mac = notifier('darwin');
    mac.n.show(sample);
    expect(mac.created[0]!.options.hasReply).toBe(true);
    mac.created[0]!.emit('reply', {}, '  On my way  ');
    mac.created[0]!.emit('reply', {}, '   ');
    expect(mac.replies).toEqual([[4, 'On my way']]);
    const linux = notifier('linux');
    linux.n.show(sample);
    expect(linux.created[0]!.options.hasReply).toBeUndefined();
  });
});

class FakeTray implements TrayLike {
  images: unknown[] = [];
  tooltip = '';
  menu: unknown;
  click: (() => void) | undefined;
  destroyed = false;
  constructor(image: unknown) {
    this.images.push(image);
  }
  setImage(image: unknown): void {
    this.images.push(image);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown): void {
    this.menu = menu;
  }
  on(_event: 'click', listener: () => void): this {
    this.click = listener;
    return this;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function tray() {
  const calls: string[] = [];
  let made: FakeTray | undefined;
  const images: Array<Array<{ scaleFactor: number; png: Buffer }>> = [];
  const controller = new TrayController({
    createTray: (image) => (made = new FakeTray(image)),
    buildMenu: (template) => template,
    makeImage: (reps) => {
      images.push(reps);
      return reps;
    },
    platform: 'linux',
    actions: {
      open: () => calls.push('open'),
      setAvailability: (a) => calls.push(`availability:${a}`),
      setDoNotDisturb: (on) => calls.push(`dnd:${on}`),
      quit: () => calls.push('quit'),
    },
  });
  return { controller, calls, images, tray: () => made! };
}

const view = (unread: number, look: 'ok' | 'disconnected' | 'sign-in' = 'ok') => ({
  badge: { unread, look },
  availability: 'online' as const,
  doNotDisturb: false,
  texts: shellTexts('en'),
});

describe('tray', () => {
  it('draws a new picture only when the count or the look changes', () => {
    const t = tray();
    t.controller.update(view(0));
    t.controller.update(view(0));
    expect(t.images).toHaveLength(1);
    t.controller.update(view(3));
    t.controller.update(view(3, 'disconnected'));
    t.controller.update(view(3, 'sign-in'));
    expect(t.images).toHaveLength(4);
    expect(t.tray().images).toHaveLength(4);
    // 1× and 2× PNGs of the Linux panel size
    const reps = t.images[1]!;
    expect(reps.map((r) => r.scaleFactor)).toEqual([1, 2]);
    expect(reps[0]!.png.subarray(1, 4).toString()).toBe('PNG');
    expect(reps[0]!.png.readUInt32BE(16)).toBe(24);
    expect(reps[1]!.png.readUInt32BE(16)).toBe(48);
    expect(Buffer.compare(t.images[0]![0]!.png, t.images[1]![0]!.png)).not.toBe(0);
  });

  it('says the count and the connection in the tooltip', () => {
    expect(trayTooltip(view(0))).toBe('Switchboard: no unread messages');
    expect(trayTooltip(view(1))).toBe('Switchboard: 1 unread message');
    expect(trayTooltip(view(5, 'sign-in'))).toBe('Switchboard: 5 unread messages (sign in again)');
    expect(trayTooltip({ ...view(2, 'disconnected'), texts: shellTexts('id') })).toBe('Switchboard: 2 pesan belum dibaca (tidak terhubung)');
  });

  it('has Open, Availability, Do not disturb and Quit, each doing what it says', () => {
    const t = tray();
    t.controller.update({ ...view(1), availability: 'away', doNotDisturb: true });
    const menu = t.tray().menu as MenuItem[];
    const labels = menu.map((m) => m.label ?? m.type);
    expect(labels).toEqual(['Open Switchboard', 'separator', 'Availability', 'Do not disturb', 'separator', 'Quit Switchboard']);
    const availability = menu[2]!.submenu!;
    expect(availability.map((m) => [m.label, m.checked])).toEqual([
      ['Online', false],
      ['Away', true],
      ['Offline', false],
    ]);
    availability[2]!.click!();
    menu[3]!.click!();
    menu[0]!.click!();
    menu[5]!.click!();
    t.tray().click!();
    expect(t.calls).toEqual(['availability:offline', 'dnd:false', 'open', 'quit', 'open']);
    expect(menu[3]!.checked).toBe(true);
  });

  it('rebuilds the menu in Indonesian when the language changes', () => {
    const items = trayMenu({ ...view(0), texts: shellTexts('id') }, { open() {}, setAvailability() {}, setDoNotDisturb() {}, quit() {} });
    expect(items[0]!.label).toBe('Buka Switchboard');
    expect(items[2]!.submenu!.map((m) => m.label)).toEqual(['Daring', 'Sedang pergi', 'Luring']);
  });
});

describe('dock and taskbar badge', () => {
  it('sets the dock/launcher count on macOS and Linux, only when it changes', () => {
    const counts: number[] = [];
    const badge = new AppBadge({ platform: 'darwin', setBadgeCount: (n) => counts.push(n), setOverlayIcon: () => {}, makeImage: () => ({}), description: String });
    badge.update({ unread: 2, look: 'ok' });
    badge.update({ unread: 2, look: 'disconnected' });
    badge.update({ unread: 0, look: 'ok' });
    expect(counts).toEqual([2, 0]);
  });

  it('puts a drawn overlay on the Windows taskbar button, and clears it at zero', () => {
    const overlays: Array<[unknown, string]> = [];
    const badge = new AppBadge({
      platform: 'win32',
      setBadgeCount: () => {
        throw new Error('not on Windows');
      },
      setOverlayIcon: (image, description) => overlays.push([image, description]),
      makeImage: (reps) => reps.map((r) => r.png.readUInt32BE(16)),
      description: (n) => `${n} unread`,
    });
    badge.update({ unread: 7, look: 'ok' });
    badge.update({ unread: 0, look: 'ok' });
    expect(overlays).toEqual([
      [[16, 32], '7 unread'],
      [null, ''],
    ]);
  });
});

describe('window placement', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  it('opens at the default size the first time', () => {
    expect(restoreBounds(null, screen)).toEqual({ bounds: { width: 1280, height: 800 }, maximized: false });
  });
  it('restores bounds that are on a display', () => {
    expect(restoreBounds({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true }, screen)).toEqual({
      bounds: { x: 100, y: 50, width: 1000, height: 700 },
      maximized: true,
    });
  });
  it('does not open on a monitor that is no longer there', () => {
    expect(restoreBounds({ bounds: { x: 2500, y: 100, width: 1000, height: 700 }, maximized: false }, screen).bounds).toEqual({ width: 1280, height: 800 });
  });
  it('pulls a window hanging over the edge back onto the screen, and shrinks one that is too big', () => {
    expect(restoreBounds({ bounds: { x: 1500, y: 600, width: 1000, height: 700 }, maximized: false }, screen).bounds).toEqual({ x: 920, y: 340, width: 1000, height: 700 });
    expect(restoreBounds({ bounds: { x: 0, y: 0, width: 3000, height: 2000 }, maximized: false }, screen).bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });
});

describe('permissions', () => {
  const isApp = (url: string) => url.startsWith('file:///opt/switchboard/renderer/index.html');
  it.each([
    ['notifications', 'file:///opt/switchboard/renderer/index.html#/inbox', true],
    ['notifications', 'https://evil.example/', false],
    ['notifications', '', false],
    ['media', 'file:///opt/switchboard/renderer/index.html', false],
    ['geolocation', 'file:///opt/switchboard/renderer/index.html', false],
    ['clipboard-read', 'file:///opt/switchboard/renderer/index.html', false],
  ])('%s for %s: %s', (permission, url, allowed) => expect(permissionAllowed(permission, url, isApp)).toBe(allowed));
});
