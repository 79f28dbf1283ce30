// Issue 16, item 21: the Electron shell without Electron. The lifecycle, the main window, the
// navigation/link policy, the session policy and the app:// protocol take their Electron objects
// through constructors, so fakes stand in (Electron cannot start on this machine).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL, appProtocolHandler, resolveAppAsset } from '../../src/main/shell/app-protocol';
import { ContentsPolicy, type NavigationEventLike, type PolicyContents } from '../../src/main/shell/contents-policy';
import { AppLifecycle, type LifecycleApp, type QuitEvent } from '../../src/main/shell/lifecycle';
import { MainWindowController, type ControlledWindow } from '../../src/main/shell/main-window-controller';
import { isAppUrl, rendererLocation } from '../../src/main/shell/renderer-location';
import { DICTIONARY_URL, applySessionPolicy, type PolicySession } from '../../src/main/shell/session-policy';

type Listener = (...args: never[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
  }
}

const quitEvent = () => {
  const e = { prevented: false, preventDefault: () => (e.prevented = true) };
  return e as QuitEvent & { prevented: boolean };
};

class FakeApp extends Emitter implements LifecycleApp {
  lock = true;
  quits = 0;
  exits: Array<number | undefined> = [];
  ready = Promise.resolve();
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  whenReady(): Promise<unknown> {
    return this.ready;
  }
  quit(): void {
    this.quits++;
    // Electron runs will-quit as part of quitting.
    const event = quitEvent();
    this.emit('will-quit', event);
    this.lastQuitPrevented = event.prevented;
  }
  lastQuitPrevented = false;
  exit(code?: number): void {
    this.exits.push(code);
  }
}

function lifecycle(overrides: { platform?: NodeJS.Platform; start?: () => void | Promise<void>; shutdown?: () => Promise<void>; timeoutMs?: number } = {}) {
  const app = new FakeApp();
  const calls: string[] = [];
  const timers: Array<() => void> = [];
  const l = new AppLifecycle<string>({
    app,
    platform: overrides.platform ?? 'linux',
    log: (m) => calls.push(`log ${m.split('\n')[0]}`),
    start: overrides.start ?? (() => void calls.push('start')),
    attachContents: (c) => calls.push(`attach ${c}`),
    onSecondInstance: (argv) => calls.push(`second ${argv.join(' ')}`),
    onOpenUrl: (url) => calls.push(`url ${url}`),
    onActivate: () => calls.push('activate'),
    shutdown: overrides.shutdown ?? (async () => void calls.push('shutdown')),
    showFatal: (title, message) => calls.push(`fatal ${title}: ${message}`),
    shutdownTimeoutMs: overrides.timeoutMs ?? 10_000,
    setTimer: (fn) => timers.push(fn),
  });
  return { app, calls, l, timers };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('AppLifecycle', () => {
  it('a second instance quits at once and wires nothing', () => {
    const { app, l } = lifecycle();
    app.lock = false;
    expect(l.run()).toBe(false);
    expect(app.quits).toBe(1);
    expect(app.listeners.size).toBe(0);
  });

  it('attaches the policy to every webContents created, and forwards links only once started', async () => {
    const { app, calls, l } = lifecycle();
    expect(l.run()).toBe(true);
    app.emit('web-contents-created', {}, 'window-1');
    app.emit('second-instance', {}, ['switchboard', 'switchboard://conversation/4']);
    await flush();
    app.emit('second-instance', {}, ['switchboard', 'switchboard://conversation/5']);
    const url = quitEvent();
    app.emit('open-url', url, 'switchboard://conversation/6');
    app.emit('activate');
    expect(url.prevented).toBe(true);
    expect(calls).toEqual(['attach window-1', 'start', 'second switchboard switchboard://conversation/5', 'url switchboard://conversation/6', 'activate']);
  });

  it('quits when the last window closes, except on macOS', () => {
    const linux = lifecycle();
    linux.l.run();
    linux.app.emit('window-all-closed');
    expect(linux.app.quits).toBe(1);
    const mac = lifecycle({ platform: 'darwin' });
    mac.l.run();
    mac.app.emit('window-all-closed');
    expect(mac.app.quits).toBe(0);
  });

  it('holds the quit until the core has closed, then quits for real', async () => {
    let closeCore!: () => void;
    const { app, calls, l } = lifecycle({ shutdown: () => new Promise<void>((r) => (closeCore = () => (calls.push('core closed'), r()))) });
    l.run();
    await flush();
    app.emit('before-quit');
    expect(l.isQuitting).toBe(true);
    const first = quitEvent();
    app.emit('will-quit', first);
    expect(first.prevented).toBe(true);
    // A second quit request meanwhile does not start a second shutdown.
    const again = quitEvent();
    app.emit('will-quit', again);
    expect(again.prevented).toBe(true);
    expect(app.quits).toBe(0);
    closeCore();
    await flush();
    expect(app.quits).toBe(1);
    expect(app.lastQuitPrevented).toBe(false);
    expect(calls.filter((c) => c === 'core closed')).toHaveLength(1);
  });

  it('quits anyway when the core does not close in time, and says so', async () => {
    const { app, calls, l, timers } = lifecycle({ shutdown: () => new Promise<void>(() => {}), timeoutMs: 5000 });
    l.run();
    await flush();
    app.emit('will-quit', quitEvent());
    expect(app.quits).toBe(0);
    timers.forEach((fire) => fire());
    await flush();
    expect(app.quits).toBe(1);
    expect(calls).toContain('log quit: the core did not close within 5000 ms; quitting anyway');
  });

  it('a start that throws shows the error and exits with 1', async () => {
    const { app, calls, l } = lifecycle({
      start: () => {
        throw new Error('This profile is already open in another Switchboard (process 7).');
      },
    });
    l.run();
    await flush();
    expect(calls).toContain('fatal Switchboard could not start: This profile is already open in another Switchboard (process 7).');
    expect(app.exits).toEqual([1]);
  });
});

class FakeWindow extends Emitter implements ControlledWindow {
  destroyed = false;
  minimized = false;
  visible = true;
  focused = 0;
  loading = true;
  webContents = Object.assign(new Emitter(), { isLoading: () => this.loading });
  constructor(readonly hidden: boolean) {
    super();
    this.visible = !hidden;
  }
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  restore = () => void (this.minimized = false);
  show = () => void (this.visible = true);
  focus = () => void this.focused++;
  hide = () => void (this.visible = false);
}

function windows(options: { closeToTray?: boolean; quitting?: boolean } = {}) {
  const created: FakeWindow[] = [];
  const sent: number[] = [];
  const entries: number[] = [];
  let hints = 0;
  const state = { quitting: options.quitting ?? false, closeToTray: options.closeToTray ?? true };
  const controller = new MainWindowController<FakeWindow>({
    create: (hidden) => {
      const w = new FakeWindow(hidden);
      created.push(w);
      return w;
    },
    closeHidesToTray: () => state.closeToTray,
    isQuitting: () => state.quitting,
    onHiddenToTray: () => void hints++,
    sendOpenConversation: (id) => sent.push(id),
    sendOpenFeedEntry: (id) => entries.push(id),
    setTimer: (fn) => fn(),
  });
  return { controller, created, sent, entries, state, hints: () => hints };
}

describe('MainWindowController', () => {
  it('closing hides to the tray while the setting is on, and really closes when quitting', () => {
    const { controller, state, hints } = windows();
    const window = controller.open(false);
    const close = quitEvent();
    window.emit('close', close);
    expect(close.prevented).toBe(true);
    expect(window.visible).toBe(false);
    expect(hints()).toBe(1);
    state.quitting = true;
    const final = quitEvent();
    window.emit('close', final);
    expect(final.prevented).toBe(false);
    state.quitting = false;
    state.closeToTray = false;
    const off = quitEvent();
    window.emit('close', off);
    expect(off.prevented).toBe(false);
  });

  it('show restores, shows and focuses; a destroyed window is created again', () => {
    const { controller, created } = windows();
    const first = controller.open(true);
    expect(first.visible).toBe(false);
    first.minimized = true;
    expect(controller.show()).toBe(first);
    expect([first.minimized, first.visible, first.focused]).toEqual([false, true, 1]);
    first.destroyed = true;
    expect(controller.current).toBeUndefined();
    expect(controller.show()).not.toBe(first);
    expect(created).toHaveLength(2);
  });

  it('a conversation opened from outside waits for the page to load', () => {
    const { controller, sent } = windows();
    const window = controller.open(false);
    controller.openConversation(7);
    expect(sent).toEqual([]);
    window.webContents.emit('did-finish-load');
    expect(sent).toEqual([7]);
    window.loading = false;
    controller.openConversation(8);
    controller.openConversation(null);
    expect(sent).toEqual([7, 8]);
  });

  it('a feed entry opened from its notification shows the window and is sent once the page has loaded', () => {
    const { controller, sent, entries } = windows();
    const window = controller.open(true);
    controller.openFeedEntry(12);
    expect(window.visible).toBe(true);
    expect(entries).toEqual([]);
    window.webContents.emit('did-finish-load');
    expect(entries).toEqual([12]);
    window.loading = false;
    controller.openFeedEntry(13);
    expect(entries).toEqual([12, 13]);
    expect(sent).toEqual([]);
  });
});

class FakeContents extends Emitter implements PolicyContents {
  openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  navigate(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string, isMainFrame = true) {
    const e = { url, isMainFrame, prevented: false, preventDefault: () => (e.prevented = true) };
    this.emit(event, e as NavigationEventLike);
    return e.prevented;
  }
}

function policy(answer = true) {
  const asked: string[] = [];
  const opened: string[] = [];
  const logged: string[] = [];
  let release: (() => void) | undefined;
  const p = new ContentsPolicy({
    isAppUrl: (url) => url.startsWith('app://switchboard/index.html'),
    confirmOpen: (url) => {
      asked.push(url);
      return new Promise((r) => (release = () => r(answer)));
    },
    openExternal: async (url) => void opened.push(url),
    log: (m) => logged.push(m),
  });
  const contents = new FakeContents();
  p.attach(contents);
  return { p, contents, asked, opened, logged, answer: async () => (release?.(), await flush()) };
}

describe('ContentsPolicy (links and navigation, whatever the trigger)', () => {
  it('asks in the main process before opening a link a navigation or window.open carried', async () => {
    const { contents, asked, opened, answer } = policy(true);
    // A link dragged onto the window, or one the page did not handle: a top-level navigation.
    expect(contents.navigate('will-navigate', 'https://example.com/docs')).toBe(true);
    expect(asked).toEqual(['https://example.com/docs']);
    expect(opened).toEqual([]);
    await answer();
    expect(opened).toEqual(['https://example.com/docs']);
    // Middle-click or window.open: a new window, denied, offered the same way.
    expect(contents.openHandler?.({ url: 'mailto:me@example.com?subject=x&bcc=spy@evil.example' })).toEqual({ action: 'deny' });
    expect(asked.at(-1)).toBe('mailto:me@example.com');
    await answer();
    expect(opened.at(-1)).toBe('mailto:me@example.com');
  });

  it('opens nothing when the user declines, and asks once for a burst of triggers', async () => {
    const { contents, asked, opened, answer } = policy(false);
    contents.openHandler?.({ url: 'https://example.com/' });
    contents.navigate('will-navigate', 'https://example.com/');
    contents.openHandler?.({ url: 'https://example.com/' });
    expect(asked).toEqual(['https://example.com/']);
    await answer();
    expect(opened).toEqual([]);
  });

  it('blocks other schemes without asking, every frame navigation and redirect away from the app, and webviews', () => {
    const { contents, asked, logged } = policy();
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'https://user@evil.example/']) contents.openHandler?.({ url });
    expect(asked).toEqual([]);
    expect(logged.filter((l) => l.startsWith('window: blocked opening'))).toHaveLength(4);
    expect(contents.navigate('will-frame-navigate', 'https://evil.example/', false)).toBe(true);
    expect(contents.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-navigate', 'app://switchboard/index.html#/inbox')).toBe(false);
    expect(contents.navigate('will-frame-navigate', 'app://switchboard/index.html')).toBe(false);
    const webview = quitEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
    expect(asked).toEqual([]);
  });
});

describe('session policy', () => {
  it('sets the spellchecker dictionary URL on the app origin and allows only notifications for the app', () => {
    const set: Record<string, unknown> = {};
    const fake: PolicySession = {
      setPermissionRequestHandler: (h) => (set.request = h),
      setPermissionCheckHandler: (h) => (set.check = h),
      setSpellCheckerDictionaryDownloadURL: (url) => (set.dictionary = url),
    };
    applySessionPolicy(fake, (url) => url.startsWith('app://switchboard/'));
    expect(set.dictionary).toBe(DICTIONARY_URL);
    expect(DICTIONARY_URL).toBe('app://switchboard/dictionaries/');
    const check = set.check as (c: unknown, p: string, o: string, d: { requestingUrl?: string }) => boolean;
    expect(check(null, 'notifications', '', { requestingUrl: 'app://switchboard/index.html' })).toBe(true);
    expect(check(null, 'media', '', { requestingUrl: 'app://switchboard/index.html' })).toBe(false);
    expect(check(null, 'notifications', '', { requestingUrl: 'https://evil.example/' })).toBe(false);
  });
});

describe('the app:// protocol instead of file://', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<html></html>');
  writeFileSync(join(dir, 'assets', 'index.js'), 'export {};');

  it('serves only files of the built renderer', async () => {
    expect(resolveAppAsset(APP_INDEX_URL, dir)).toBe(join(dir, 'index.html'));
    expect(resolveAppAsset('app://switchboard/', dir)).toBe(join(dir, 'index.html'));
    for (const bad of ['app://switchboard/../../etc/passwd', 'app://switchboard/%2e%2e/%2e%2e/etc/passwd', 'app://switchboard/%zz', 'app://other/index.html', 'file:///etc/passwd', 'app://switchboard/a%5c..%5cb', 'nonsense']) {
      const file = resolveAppAsset(bad, dir);
      expect(file === null || file.startsWith(`${dir}/`), bad).toBe(true);
    }
    const handler = appProtocolHandler(dir, () => {});
    const js = await handler({ url: 'app://switchboard/assets/index.js', method: 'GET' });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('export {};');
    expect((await handler({ url: 'app://switchboard/missing.js' })).status).toBe(404);
    expect((await handler({ url: 'app://switchboard/index.html', method: 'POST' })).status).toBe(405);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the window loads app://switchboard/index.html, the IPC trusts it and not file://', () => {
    const location = rendererLocation('/opt/switchboard/out/main', {});
    expect(location.startUrl).toBe('app://switchboard/index.html');
    expect(isAppUrl('app://switchboard/index.html#/x', location)).toBe(true);
    expect(isAppUrl('app://switchboard', location)).toBe(true);
    expect(isAppUrl('app://switchboard/assets/other.html', location)).toBe(false);
    expect(isAppUrl('file:///opt/switchboard/out/renderer/index.html', location)).toBe(false);
  });

  it('the packaged app turns the grantFileProtocolExtraPrivileges fuse off', () => {
    const yml = readFileSync(join(__dirname, '../../electron-builder.yml'), 'utf8');
    const fuses = /electronFuses:\n((?: {2}.+\n)+)/.exec(yml)?.[1] ?? '';
    expect(fuses).toMatch(/^ {2}grantFileProtocolExtraPrivileges: false$/m);
  });
});
