// Electron composition root: wiring only. The behaviour lives in src/main/core (shared with
// browser mode, see src/main/web/index.ts) and the Electron glue in src/main/shell.
import { app, BrowserWindow, dialog, ipcMain, powerMonitor, safeStorage } from 'electron';
import { join, resolve } from 'node:path';
import { version } from '../../package.json';
import { createCore, type Core } from './core/core';
import { findDemoPublicDir, findMigrationsDir } from './core/db/locate';
import { openElectronSettingsStore } from './shell/electron-settings-store';
import { IpcBridge } from './shell/ipc';
import { findNativeBinding } from './shell/native-binding';
import { isAppUrl, rendererLocation } from './shell/renderer-location';
import { SafeStorageSecretStore } from './shell/safe-storage-secret-store';
import { createMainWindow } from './shell/window';

const log = (message: string) => console.error(`[switchboard] ${message}`);

// A separate profile (tests, a second account set): must be set before the lock and 'ready'.
if (process.env.SWITCHBOARD_USER_DATA_DIR) app.setPath('userData', resolve(process.env.SWITCHBOARD_USER_DATA_DIR));

let core: Core | undefined;
let bridge: IpcBridge | undefined;
let mainWindow: BrowserWindow | undefined;
const renderer = rendererLocation(__dirname);

function showMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow({ mainDir: __dirname, renderer, log });
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function start(): void {
  const dataDir = app.getPath('userData');
  core = createCore({
    mode: 'electron',
    version,
    dataDir,
    migrationsDir: app.isPackaged ? join(process.resourcesPath, 'migrations') : findMigrationsDir(__dirname),
    nativeBinding: findNativeBinding({ packaged: app.isPackaged, start: __dirname, log }),
    settings: openElectronSettingsStore(log),
    secrets: new SafeStorageSecretStore(safeStorage, join(dataDir, 'secrets.json'), log),
    log,
    demoPublicDir: app.isPackaged ? join(process.resourcesPath, 'demo-site') : findDemoPublicDir(__dirname),
  });
  bridge = new IpcBridge({
    ipcMain,
    dispatch: core.dispatch,
    events: core.events,
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    isAppUrl: (url) => isAppUrl(url, renderer),
    log,
  });
  bridge.start();
  log(`profile: ${dataDir}`);
  showMainWindow();
  // A laptop that slept may hold a socket that looks alive but missed events: catch up.
  powerMonitor.on('resume', () => core?.resync('system resumed'));
  powerMonitor.on('unlock-screen', () => core?.resync('screen unlocked'));
  void core.start();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setAppUserModelId('dev.switchboard.console');
  app.on('second-instance', () => showMainWindow());
  app.on('activate', () => {
    if (core) showMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    bridge?.stop();
    void core?.close();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`could not start: ${detail}`);
      dialog.showErrorBox('Switchboard could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
