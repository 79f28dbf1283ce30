// The main BrowserWindow. Its navigation, window-open and permission policies are not set here:
// they reach every webContents and session from app.on('web-contents-created') and the session
// policy (contents-policy.ts, session-policy.ts), so no future window can miss them.
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { RendererLocation } from './renderer-location';
import { MIN_HEIGHT, MIN_WIDTH } from './window-state';

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
  window.once('ready-to-show', () => {
    if (options.initial.maximized) window.maximize();
    if (!options.hidden) window.show();
  });
  // app://switchboard/index.html (app-protocol.ts), or the dev server under `electron-vite dev`.
  const loaded = window.loadURL(options.renderer.startUrl);
  loaded.catch((error: unknown) => options.log(`window: the renderer did not load: ${String(error)}`));
  return window;
}
