// The main window and the navigation/permission policy every webContents gets: no navigation
// away from the app, no new windows (http/https/mailto links open in the system browser), and
// of all permissions only notifications.
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { join } from 'node:path';
import { permissionAllowed } from './permissions';
import { isAppUrl, type RendererLocation } from './renderer-location';
import { MIN_HEIGHT, MIN_WIDTH } from './window-state';

const EXTERNAL_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

function openExternally(url: string, log: (message: string) => void): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return;
  }
  if (!EXTERNAL_PROTOCOLS.has(protocol)) {
    log(`window: blocked opening ${url.slice(0, 200)}`);
    return;
  }
  shell.openExternal(url).catch((error: unknown) => log(`window: could not open ${url.slice(0, 200)}: ${String(error)}`));
}

/** Deny navigation and new windows; hand web links to the system browser. Apply once per webContents. */
export function applyNavigationPolicy(contents: WebContents, log: (message: string) => void): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    openExternally(event.url, log);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, log);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function applyPermissionPolicy(session: Session, isAppUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl ?? contents.getURL(), isAppUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details.requestingUrl ?? requestingOrigin, isAppUrl),
  );
}

export interface MainWindowOptions {
  /** out/main: the preload is ../preload/index.cjs from here. */
  mainDir: string;
  renderer: RendererLocation;
  log: (message: string) => void;
  /** Where it was last time (see window-state.ts). */
  initial: { bounds: { x?: number; y?: number; width: number; height: number }; maximized: boolean };
  /** Started hidden (at login): the tray is enough until the owner opens it. */
  hidden?: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...options.initial.bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Switchboard',
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(options.mainDir, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: true,
      // Sounds for notifications play from this page while it is hidden in the tray.
      backgroundThrottling: false,
    },
  });
  applyNavigationPolicy(window.webContents, options.log);
  applyPermissionPolicy(window.webContents.session, (url) => isAppUrl(url, options.renderer));
  window.once('ready-to-show', () => {
    if (options.initial.maximized) window.maximize();
    if (!options.hidden) window.show();
  });
  const loaded = options.renderer.devUrl ? window.loadURL(options.renderer.devUrl) : window.loadFile(options.renderer.indexFile);
  loaded.catch((error: unknown) => options.log(`window: the renderer did not load: ${String(error)}`));
  return window;
}
