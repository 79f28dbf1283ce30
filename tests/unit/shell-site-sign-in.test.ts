// "Sign in with the site's page" (src/main/shell/site-sign-in.ts) against fake Electron objects:
// the window gets a fresh in-memory session, its webContents is guarded to the site's origin, the
// site's session cookie is picked and handed over, and closing the window or waiting too long
// cancels cleanly. The real window runs in tests/e2e/sign-in-window.electron.spec.ts.
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../src/shared/errors';
import type { NavigationEventLike } from '../../src/main/shell/contents-policy';
import { SiteSignInFlow, onOrigin, pickSessionCookie, type SignInCookie, type SignInContents, type SignInSession, type SignInWindow } from '../../src/main/shell/site-sign-in';

type CookieListener = (event: unknown, cookie: SignInCookie, cause: string, removed: boolean) => void;

class FakeSession implements SignInSession {
  listeners = new Set<CookieListener>();
  jar: SignInCookie[] = [];
  cleared = 0;
  constructor(readonly partition: string) {}
  cookies = {
    on: (_event: 'changed', listener: CookieListener) => this.listeners.add(listener),
    removeListener: (_event: 'changed', listener: CookieListener) => this.listeners.delete(listener),
    get: async (filter: { url: string; name: string }) => this.jar.filter((c) => c.name === filter.name),
  };
  clearStorageData = async () => {
    this.cleared++;
  };
  /** The site sets (or removes) a cookie. */
  set(cookie: SignInCookie, removed = false) {
    for (const l of [...this.listeners]) l({}, cookie, removed ? 'explicit' : 'inserted', removed);
  }
}

type Listener = (event: NavigationEventLike & { prevented: boolean }) => void;

class FakeContents implements SignInContents {
  listeners = new Map<string, Array<(event?: unknown) => void>>();
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  constructor(readonly session: unknown) {}
  on(event: string, listener: (event: never) => void): unknown {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (event?: unknown) => void]);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.openHandler = handler;
  }
  /** Fires a navigation-like event; true when some listener prevented it. */
  fire(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', url = ''): boolean {
    const e = { url, isMainFrame: true, prevented: false, preventDefault() {
      e.prevented = true;
    } };
    for (const l of this.listeners.get(event) ?? []) (l as Listener)(e);
    return e.prevented;
  }
  navigated() {
    for (const l of this.listeners.get('did-navigate') ?? []) l();
  }
}

class FakeWindow implements SignInWindow {
  loaded: string[] = [];
  closed = false;
  focused = 0;
  contents: FakeContents;
  private closedListeners: Array<() => void> = [];
  constructor(readonly session: FakeSession, readonly title: string, created: (contents: FakeContents) => void) {
    this.contents = new FakeContents(session);
    // Electron emits web-contents-created while the window is being built.
    created(this.contents);
  }
  on(_event: 'closed', listener: () => void) {
    this.closedListeners.push(listener);
    return this;
  }
  async loadURL(url: string) {
    this.loaded.push(url);
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closedListeners) l();
  }
  focus() {
    this.focused++;
  }
  isDestroyed() {
    return this.closed;
  }
}

const SITE = 'https://shop.example.com';
const LOGIN = `${SITE}/admin/login`;
const NOW = Date.parse('2026-12-01T12:00:00Z');

function setup(overrides: { createWindow?: () => never; timeoutMs?: number } = {}) {
  const sessions: FakeSession[] = [];
  const windows: FakeWindow[] = [];
  const logs: string[] = [];
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  let claimedAtCreation: boolean | null = null;
  let id = 0;
  const flow: SiteSignInFlow = new SiteSignInFlow({
    createSession: (partition) => {
      const s = new FakeSession(partition);
      sessions.push(s);
      return s;
    },
    createWindow:
      overrides.createWindow ??
      ((session, title) => {
        const w = new FakeWindow(session as FakeSession, title, (contents) => {
          claimedAtCreation = flow.attachIfSignIn(contents);
        });
        windows.push(w);
        return w;
      }),
    timers: {
      setTimeout: (fn, ms) => {
        const t = { fn, ms, cleared: false };
        timers.push(t);
        return t;
      },
      clearTimeout: (handle) => {
        if (handle) (handle as { cleared: boolean }).cleared = true;
      },
    },
    clock: () => NOW,
    log: (m) => logs.push(m),
    newId: () => String(++id),
    ...(overrides.timeoutMs ? { timeoutMs: overrides.timeoutMs } : {}),
  });
  return { flow, sessions, windows, logs, timers, claimed: () => claimedAtCreation };
}

const cookie = (value: string, extra: Partial<SignInCookie> = {}): SignInCookie => ({ name: 'admin_session', value, domain: 'shop.example.com', expirationDate: NOW / 1000 + 86_400, ...extra });

describe('SiteSignInFlow', () => {
  it('opens the login page on a fresh in-memory session, takes the session cookie the site sets, closes and clears the window', async () => {
    const { flow, sessions, windows, timers, claimed } = setup();
    const result = flow.run({ url: LOGIN, cookieName: 'admin_session' });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.partition).toMatch(/^sign-in-\d+$/);
    expect(sessions[0]!.partition.startsWith('persist:')).toBe(false);
    expect(claimed()).toBe(true);
    expect(windows[0]!.title).toBe('Sign in to shop.example.com');
    expect(windows[0]!.loaded).toEqual([LOGIN]);

    // Other cookies of the page, a removal, an empty value, a cookie for another host, an expired one: still waiting.
    sessions[0]!.set({ name: 'csrf', value: 'x', domain: 'shop.example.com' });
    sessions[0]!.set(cookie('old'), true);
    sessions[0]!.set(cookie('  '));
    sessions[0]!.set(cookie('elsewhere', { domain: 'evil.example.net' }));
    sessions[0]!.set(cookie('expired', { expirationDate: NOW / 1000 - 1 }));
    expect(windows[0]!.closed).toBe(false);

    sessions[0]!.set(cookie('eyJ.signed.in', { domain: '.example.com' }));
    await expect(result).resolves.toBe('eyJ.signed.in');
    expect(windows[0]!.closed).toBe(true);
    expect(sessions[0]!.cleared).toBe(1);
    expect(sessions[0]!.listeners.size).toBe(0);
    expect(timers[0]!.cleared).toBe(true);

    // The next sign-in gets a session of its own: the first one's cookie cannot leak into it.
    const again = flow.run({ url: LOGIN, cookieName: 'admin_session' });
    expect(sessions[1]!.partition).not.toBe(sessions[0]!.partition);
    windows[1]!.close();
    await expect(again).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('also finds the cookie after a navigation, in case its change event was missed', async () => {
    const { flow, sessions, windows } = setup();
    const result = flow.run({ url: LOGIN, cookieName: 'admin_session' });
    sessions[0]!.jar.push(cookie('from-the-jar'));
    windows[0]!.contents.navigated();
    await expect(result).resolves.toBe('from-the-jar');
  });

  it('closing the window cancels the sign-in cleanly, and so does the timeout', async () => {
    const { flow, sessions, windows, timers } = setup({ timeoutMs: 5 * 60_000 });
    const closed = flow.run({ url: LOGIN, cookieName: 'admin_session' });
    windows[0]!.close();
    await expect(closed).rejects.toEqual(new ConsoleError('cancelled', 'The sign-in window was closed before you signed in.'));
    expect(sessions[0]!.cleared).toBe(1);
    expect(timers[0]!.cleared).toBe(true);
    // A cookie arriving after the cancel changes nothing (the listener is gone).
    expect(sessions[0]!.listeners.size).toBe(0);

    const waited = flow.run({ url: LOGIN, cookieName: 'admin_session' });
    expect(timers[1]!.ms).toBe(5 * 60_000);
    timers[1]!.fn();
    await expect(waited).rejects.toMatchObject({ code: 'cancelled', message: expect.stringContaining('waited 5 minutes') });
    expect(windows[1]!.closed).toBe(true);
    expect(sessions[1]!.cleared).toBe(1);
  });

  it('keeps navigation, redirects and frames on the site origin and refuses new windows and webviews', async () => {
    const { flow, windows, logs } = setup();
    const result = flow.run({ url: LOGIN, cookieName: 'admin_session' });
    const contents = windows[0]!.contents;
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
      expect(contents.fire(event, `${SITE}/admin`), event).toBe(false);
      expect(contents.fire(event, 'https://shop.example.com:8443/admin'), event).toBe(true);
      expect(contents.fire(event, 'http://shop.example.com/admin'), event).toBe(true);
      expect(contents.fire(event, 'https://accounts.example.org/login'), event).toBe(true);
      expect(contents.fire(event, 'file:///etc/passwd'), event).toBe(true);
      expect(contents.fire(event, 'javascript:alert(1)'), event).toBe(true);
    }
    expect(contents.fire('will-attach-webview')).toBe(true);
    expect(contents.openHandler!({ url: `${SITE}/admin/help` })).toEqual({ action: 'deny' });
    expect(logs.some((l) => l.includes('blocked a redirect to https://accounts.example.org/login'))).toBe(true);
    expect(logs.some((l) => l.includes('refused a new window'))).toBe(true);
    windows[0]!.close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('claims only the sign-in window\'s webContents: every other one keeps the app\'s policy', async () => {
    const { flow, windows } = setup();
    expect(flow.attachIfSignIn(new FakeContents({}))).toBe(false);
    const result = flow.run({ url: LOGIN, cookieName: 'admin_session' });
    expect(flow.attachIfSignIn(new FakeContents({ another: 'session' }))).toBe(false);
    windows[0]!.close();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    // Once closed, its session claims nothing any more.
    expect(flow.attachIfSignIn(new FakeContents(windows[0]!.session))).toBe(false);
  });

  it('one window at a time: a second request focuses the open one and is refused', async () => {
    const { flow, windows } = setup();
    const first = flow.run({ url: LOGIN, cookieName: 'admin_session' });
    await expect(flow.run({ url: LOGIN, cookieName: 'admin_session' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('already open') });
    expect(windows).toHaveLength(1);
    expect(windows[0]!.focused).toBe(1);
    windows[0]!.close();
    await expect(first).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('refuses a page that is not http(s) without opening anything, and reports a window that could not open', async () => {
    const { flow, sessions } = setup();
    await expect(flow.run({ url: 'file:///tmp/login.html', cookieName: 'admin_session' })).rejects.toMatchObject({ code: 'bad-request' });
    expect(sessions).toHaveLength(0);

    const broken = setup({
      createWindow: () => {
        throw new Error('no display');
      },
    });
    await expect(broken.flow.run({ url: LOGIN, cookieName: 'admin_session' })).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('no display') });
    expect(broken.sessions[0]!.cleared).toBe(1);
    // Not stuck "already open".
    await expect(broken.flow.run({ url: LOGIN, cookieName: 'admin_session' })).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('origin and cookie rules', () => {
  it('same origin means same scheme, host and port', () => {
    expect(onOrigin('https://shop.example.com/admin?x=1', SITE)).toBe(true);
    expect(onOrigin('https://shop.example.com:443/admin', SITE)).toBe(true);
    expect(onOrigin('https://SHOP.example.com/admin', SITE)).toBe(true);
    expect(onOrigin('https://shop.example.com.evil.net/', SITE)).toBe(false);
    expect(onOrigin('https://user@evil.net/', SITE)).toBe(false);
    expect(onOrigin('not a url', SITE)).toBe(false);
  });

  it('a loopback site on a port: the cookie is host-only, without a leading dot', () => {
    const want = { name: 'admin_session', origin: 'http://127.0.0.1:4000', nowMs: NOW };
    expect(pickSessionCookie({ cookie: { name: 'admin_session', value: 'v', domain: '127.0.0.1' }, removed: false }, want)).toBe('v');
    expect(pickSessionCookie({ cookie: { name: 'admin_session', value: 'v' }, removed: false }, want)).toBe('v');
    expect(pickSessionCookie({ cookie: { name: 'admin_session', value: 'v', domain: '127.0.0.2' }, removed: false }, want)).toBeNull();
    expect(pickSessionCookie({ cookie: { name: 'Admin_Session', value: 'v' }, removed: false }, want)).toBeNull();
  });
});
