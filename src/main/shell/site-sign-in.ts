// "Sign in with the site's page": the site's own login page in a window of its own, on an
// in-memory session nobody else uses, with no preload and no Node. Navigation, redirects and frames
// stay on the site's origin and every new window is refused. The flow waits for the site's session
// cookie on that session, hands its value to the core and closes the window; closing the window
// first cancels the sign-in, and so does the timeout. The Electron objects come in through
// `openWindow` (sign-in-window.ts builds the real ones), so everything here runs against fakes.
import { ConsoleError } from '../../shared/errors';
import type { SiteSignInRequest } from '../core/connectors/site-sign-in';
import type { Timers } from '../core/sync/timers';
import type { NavigationEventLike } from './contents-policy';

/** A cookie as Electron's Cookies API reports it (the fields the pick reads). */
export interface SignInCookie {
  name: string;
  value: string;
  domain?: string;
  /** Seconds since the epoch; absent for a session cookie. */
  expirationDate?: number;
}

/** The part of Electron's Session the flow uses. */
export interface SignInSession {
  cookies: {
    on(event: 'changed', listener: (event: unknown, cookie: SignInCookie, cause: string, removed: boolean) => void): unknown;
    removeListener(event: 'changed', listener: (event: unknown, cookie: SignInCookie, cause: string, removed: boolean) => void): unknown;
    get(filter: { url: string; name: string }): Promise<SignInCookie[]>;
  };
  clearStorageData(): Promise<void>;
}

/** The part of Electron's WebContents the origin guard touches. */
export interface SignInContents {
  session: unknown;
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: NavigationEventLike) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'did-navigate', listener: () => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** The part of Electron's BrowserWindow the flow uses. */
export interface SignInWindow {
  on(event: 'closed', listener: () => void): unknown;
  loadURL(url: string): Promise<void>;
  close(): void;
  focus(): void;
  isDestroyed(): boolean;
}

export interface SiteSignInOptions {
  /** The session for `partition`: in memory (no "persist:" prefix), a fresh name each time. */
  createSession(partition: string): SignInSession;
  /**
   * The window on that session. Its webContents reaches attachIfSignIn through
   * app.on('web-contents-created') while it is being built, so the guard is on before any page loads.
   */
  createWindow(session: SignInSession, title: string): SignInWindow;
  timers: Timers;
  clock: () => number;
  log: (message: string) => void;
  /** How long the window waits for the user (10 minutes when omitted). */
  timeoutMs?: number;
  /** Fresh partition names (a new in-memory session each time, never a used one). */
  newId: () => string;
}

export const SIGN_IN_TIMEOUT_MS = 10 * 60 * 1000;

/** The http(s) origin of the page, or null for anything else. */
export function pageOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** The same scheme, host and port as the site: nothing else may load in the sign-in window. */
export const onOrigin = (url: string, origin: string): boolean => pageOrigin(url) === origin;

/** A cookie's domain covers the site's host (host-only "example.com" or a domain cookie ".example.com"). */
function domainCovers(domain: string | undefined, host: string): boolean {
  if (!domain) return true;
  const d = domain.replace(/^\./, '').toLowerCase();
  return host === d || host.endsWith(`.${d}`);
}

/** The session cookie's value when this cookie change is the site signing the user in; null otherwise. */
export function pickSessionCookie(change: { cookie: SignInCookie; removed: boolean }, want: { name: string; origin: string; nowMs: number }): string | null {
  const { cookie } = change;
  if (change.removed || cookie.name !== want.name || cookie.value.trim() === '') return null;
  if (!domainCovers(cookie.domain, new URL(want.origin).hostname.toLowerCase())) return null;
  if (cookie.expirationDate !== undefined && cookie.expirationDate * 1000 <= want.nowMs) return null;
  return cookie.value;
}

interface Active {
  session: SignInSession;
  origin: string;
  window: SignInWindow | null;
  /** Checks the session's cookies again (after each navigation, in case a change event was missed). */
  recheck: () => void;
}

export class SiteSignInFlow {
  private active: Active | null = null;

  constructor(private readonly options: SiteSignInOptions) {}

  /**
   * Called for every webContents from app.on('web-contents-created'): attaches the origin guard
   * and returns true when it belongs to a sign-in window (the app's own policy would send the
   * site's pages to the system browser), false for every other webContents.
   */
  attachIfSignIn(contents: SignInContents): boolean {
    const active = this.active;
    if (!active || contents.session !== active.session) return false;
    const { origin } = active;
    const { log } = this.options;
    const guard = (what: string) => (event: NavigationEventLike) => {
      if (onOrigin(event.url, origin)) return;
      event.preventDefault();
      log(`sign-in window: blocked ${what} to ${event.url.slice(0, 200)}`);
    };
    contents.on('will-navigate', guard('a navigation'));
    contents.on('will-frame-navigate', guard('a frame'));
    contents.on('will-redirect', guard('a redirect'));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      log(`sign-in window: refused a new window for ${url.slice(0, 200)}`);
      return { action: 'deny' };
    });
    contents.on('did-navigate', () => active.recheck());
    return true;
  }

  /** The SiteSignIn the core gets: resolves with the cookie's value, or rejects (cancelled, timed out, refused). */
  run = (request: SiteSignInRequest): Promise<string> => {
    const origin = pageOrigin(request.url);
    if (!origin) return Promise.reject(new ConsoleError('bad-request', 'The sign-in page must be an http:// or https:// address.'));
    if (this.active) {
      this.active.window?.focus();
      return Promise.reject(new ConsoleError('bad-request', 'A sign-in window is already open: finish signing in there, or close it first.'));
    }
    const { options } = this;
    const host = new URL(origin).host;
    return new Promise<string>((resolve, reject) => {
      const session = options.createSession(`sign-in-${options.newId()}`);
      let window: SignInWindow | null = null;
      let settled = false;
      const timeoutMs = options.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
      const timer = options.timers.setTimeout(
        () => finish({ error: new ConsoleError('cancelled', `The sign-in window waited ${Math.round(timeoutMs / 60_000)} minutes and was closed. Try again when you are ready.`) }),
        timeoutMs,
      );
      const finish = (outcome: { value: string } | { error: ConsoleError }) => {
        if (settled) return;
        settled = true;
        options.timers.clearTimeout(timer);
        session.cookies.removeListener('changed', onCookie);
        this.active = null;
        if (window && !window.isDestroyed()) window.close();
        // In memory anyway; cleared so nothing of the site's page outlives the sign-in.
        session.clearStorageData().catch((error: unknown) => options.log(`sign-in window: could not clear its session: ${String(error)}`));
        if ('value' in outcome) resolve(outcome.value);
        else reject(outcome.error);
      };
      const take = (cookie: SignInCookie, removed: boolean) => {
        const value = pickSessionCookie({ cookie, removed }, { name: request.cookieName, origin, nowMs: options.clock() });
        if (value !== null) finish({ value });
      };
      const onCookie = (_event: unknown, cookie: SignInCookie, _cause: string, removed: boolean) => take(cookie, removed);
      const recheck = () => {
        session.cookies
          .get({ url: origin, name: request.cookieName })
          .then((cookies) => cookies.forEach((c) => take(c, false)))
          .catch((error: unknown) => options.log(`sign-in window: could not read its cookies: ${String(error)}`));
      };
      // Claimed before the window exists: its webContents is guarded from the moment it is created.
      const active: Active = { session, origin, window: null, recheck };
      this.active = active;
      session.cookies.on('changed', onCookie);
      try {
        window = active.window = options.createWindow(session, `Sign in to ${host}`);
      } catch (error) {
        finish({ error: new ConsoleError('internal', `The sign-in window could not open: ${error instanceof Error ? error.message : String(error)}`) });
        return;
      }
      window.on('closed', () => finish({ error: new ConsoleError('cancelled', 'The sign-in window was closed before you signed in.') }));
      window.loadURL(request.url).catch((error: unknown) => {
        // The window shows Chromium's error page; closing it cancels.
        options.log(`sign-in window: ${request.url} did not load: ${String(error)}`);
      });
    });
  };
}
