// The Electron side of "Sign in with the site's page" (site-sign-in.ts decides everything else):
// a fresh in-memory session per sign-in and a plain window on it, with no preload, no Node,
// context isolation and the sandbox on. The session policy (session-policy.ts) reaches this
// session through app.on('session-created') like every other, so the site's page gets no permissions.
import { BrowserWindow, session, type Session } from 'electron';
import type { SignInSession, SignInWindow } from './site-sign-in';

export function createSignInSession(partition: string): Session {
  // No "persist:" prefix: the cookie jar lives in memory only and goes with the process.
  return session.fromPartition(partition, { cache: false });
}

export function createSignInWindow(signInSession: SignInSession, title: string, parent: BrowserWindow | undefined): SignInWindow {
  const window = new BrowserWindow({
    width: 520,
    height: 680,
    title,
    autoHideMenuBar: true,
    ...(parent && !parent.isDestroyed() ? { parent } : {}),
    webPreferences: {
      session: signInSession as Session,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  // The title names the site the user typed, whatever the page calls itself (there is no address bar).
  window.on('page-title-updated', (event) => event.preventDefault());
  return window;
}
