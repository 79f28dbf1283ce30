// Electron composition root: wiring only. The behaviour lives in src/main/core (shared with
// browser mode, see src/main/web/index.ts) and the Electron glue in src/main/shell.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, safeStorage, screen, Tray } from 'electron';
import Store from 'electron-store';
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { version } from '../../package.json';
import type { BadgeState } from '../shared/attention';
import type { Settings } from '../shared/settings';
import type { UiLanguage } from './core/attention/attention';
import { createCore, type Core } from './core/core';
import { launchDemoBackend } from './demo-backend';
import { findDemoPublicDir, findMigrationsDir } from './core/db/locate';
import { DEEP_LINK_SCHEME, findDeepLink, parseDeepLink, type DeepLink } from './core/platform/deep-link';
import { setLinuxAutostart } from './core/platform/linux-autostart';
import { GnomeDndProbe, runCommand } from './core/platform/os-dnd';
import { realTimers } from './core/sync/timers';
import { AppBadge } from './shell/app-badge';
import { appMenuTemplate } from './shell/app-menu';
import { openElectronSettingsStore } from './shell/electron-settings-store';
import { IpcBridge } from './shell/ipc';
import { findNativeBinding } from './shell/native-binding';
import { ElectronNotifier } from './shell/notifier';
import { isAppUrl, rendererLocation } from './shell/renderer-location';
import { SafeStorageSecretStore } from './shell/safe-storage-secret-store';
import { shellTexts } from './shell/texts';
import { TrayController, type MenuItem } from './shell/tray';
import { createMainWindow } from './shell/window';
import { parseWindowState, restoreBounds, type WindowState } from './shell/window-state';

const log = (message: string) => console.error(`[switchboard] ${message}`);

// A separate profile (tests, a second account set): must be set before the lock and 'ready'.
if (process.env.SWITCHBOARD_USER_DATA_DIR) app.setPath('userData', resolve(process.env.SWITCHBOARD_USER_DATA_DIR));

let core: Core | undefined;
let bridge: IpcBridge | undefined;
let mainWindow: BrowserWindow | undefined;
let tray: TrayController | undefined;
let quitting = false;
const renderer = rendererLocation(__dirname);
const startHidden = process.argv.includes('--hidden');

const systemLanguage = (): UiLanguage => (app.getLocale().toLowerCase().startsWith('id') ? 'id' : 'en');
const language = (settings: Settings): UiLanguage => (settings.language === 'system' ? systemLanguage() : settings.language);
const makeImage = (representations: Array<{ scaleFactor: number; png: Buffer }>, options?: { template: boolean }) => {
  const image = nativeImage.createEmpty();
  for (const r of representations) image.addRepresentation({ scaleFactor: r.scaleFactor, buffer: r.png });
  if (options?.template) image.setTemplateImage(true);
  return image;
};

let settingsStore: ReturnType<typeof openElectronSettingsStore> | undefined;
const windowStore = new Store<{ window?: unknown }>({ name: 'window-state', clearInvalidConfig: true });

function rememberWindow(window: BrowserWindow): void {
  let handle: NodeJS.Timeout | undefined;
  const save = () => {
    if (window.isDestroyed() || window.isMinimized()) return;
    const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    windowStore.set('window', state);
  };
  const later = () => {
    clearTimeout(handle);
    handle = setTimeout(save, 500);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('maximize', save);
  window.on('unmaximize', save);
  window.on('close', save);
}

function createWindow(hidden: boolean): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const window = createMainWindow({
    mainDir: __dirname,
    renderer,
    log,
    initial: restoreBounds(parseWindowState(windowStore.get('window')), workAreas),
    hidden,
  });
  rememberWindow(window);
  window.on('close', (event) => {
    const settings = settingsStore?.get();
    if (quitting || !settings?.closeToTray || !tray) return;
    // Closing hides to the tray: visitors keep being watched for.
    event.preventDefault();
    window.hide();
    if (!settings.hints.closeToTray) {
      const texts = shellTexts(language(settings));
      if (Notification.isSupported()) new Notification({ title: texts.trayHintTitle, body: texts.trayHintBody, silent: true }).show();
      void core?.dispatch('settings.update', { hints: { closeToTray: true } });
    }
  });
  return window;
}

function showMainWindow(): BrowserWindow {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createWindow(false);
    return mainWindow;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
  return mainWindow;
}

function openConversation(conversationId: number | null): void {
  const window = showMainWindow();
  if (conversationId === null) return;
  const send = () => core?.events.emit('app.openConversation', { conversationId });
  // A window still loading has not subscribed yet: send once it has.
  if (window.webContents.isLoading()) window.webContents.once('did-finish-load', () => setTimeout(send, 300));
  else send();
}

function followLink(link: DeepLink | null): void {
  if (!link) return;
  openConversation(link.kind === 'conversation' ? link.conversationId : null);
}

function applyStartAtLogin(enabled: boolean): void {
  if (!app.isPackaged) {
    log(`start at login ${enabled ? 'on' : 'off'}: only applied in the packaged app`);
    return;
  }
  if (process.platform === 'linux') {
    const configDir = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
    setLinuxAutostart({ configDir, exec: process.env.APPIMAGE || process.execPath }, enabled);
  } else {
    app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
  }
}

function startDesktop(c: Core): void {
  const settingsNow = () => c.attention.settings();
  const update = (patch: Parameters<Core['handlers']['settings.update']>[0]) => void c.dispatch('settings.update', patch);
  tray = new TrayController({
    createTray: (image) => new Tray(image as Electron.NativeImage),
    buildMenu: (template: MenuItem[]) => Menu.buildFromTemplate(template),
    makeImage,
    platform: process.platform,
    actions: {
      open: () => void showMainWindow(),
      setAvailability: (availability) => update({ availability }),
      setDoNotDisturb: (doNotDisturb) => update({ doNotDisturb }),
      quit: () => app.quit(),
    },
  });
  const badge = new AppBadge({
    platform: process.platform,
    setBadgeCount: (count) => app.setBadgeCount(count),
    setOverlayIcon: (image, description) => mainWindow?.setOverlayIcon(image as Electron.NativeImage | null, description),
    makeImage,
    description: (count) => shellTexts(language(settingsNow())).overlayUnread(count),
  });
  const refresh = (state: BadgeState = c.attention.badgeState()) => {
    const settings = settingsNow();
    tray?.update({ badge: state, availability: settings.availability, doNotDisturb: settings.doNotDisturb, texts: shellTexts(language(settings)) });
    badge.update(state);
  };
  c.attention.badge.onChange(refresh);
  let startAtLogin = settingsNow().startAtLogin;
  applyStartAtLogin(startAtLogin);
  c.events.subscribe((name, payload) => {
    if (name !== 'settings.changed') return;
    refresh();
    const next = (payload as Settings).startAtLogin;
    if (next !== startAtLogin) applyStartAtLogin((startAtLogin = next));
  });
  refresh();
}

function start(): void {
  const dataDir = app.getPath('userData');
  const osDnd = process.platform === 'linux' ? new GnomeDndProbe({ run: runCommand, timers: realTimers }) : undefined;
  osDnd?.start();
  const notifier = new ElectronNotifier({
    create: (options) => new Notification(options),
    isSupported: () => Notification.isSupported(),
    platform: process.platform,
    replyPlaceholder: () => shellTexts(systemLanguage()).replyPlaceholder,
    onOpen: openConversation,
    onReply: (conversationId, content) => {
      void core?.dispatch('messages.send', { conversationId, content, clientId: randomUUID() }).then((result) => {
        if (!result.ok) log(`notification reply failed: ${result.error.message}`);
      });
    },
    log,
  });
  core = createCore({
    mode: 'electron',
    version,
    dataDir,
    migrationsDir: app.isPackaged ? join(process.resourcesPath, 'migrations') : findMigrationsDir(__dirname),
    nativeBinding: findNativeBinding({ packaged: app.isPackaged, start: __dirname, log }),
    settings: (settingsStore = openElectronSettingsStore(log)),
    secrets: new SafeStorageSecretStore(safeStorage, join(dataDir, 'secrets.json'), log),
    log,
    demoBackend: launchDemoBackend,
    demoPublicDir: app.isPackaged ? join(process.resourcesPath, 'demo-site') : findDemoPublicDir(__dirname),
    notifier,
    ...(osDnd ? { osDnd } : {}),
    systemLanguage,
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
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, isDev: !app.isPackaged })));
  mainWindow = createWindow(startHidden);
  startDesktop(core);
  // A laptop that slept may hold a socket that looks alive but missed events: catch up.
  powerMonitor.on('resume', () => core?.resync('system resumed'));
  powerMonitor.on('unlock-screen', () => core?.resync('screen unlocked'));
  void core.start();
  followLink(findDeepLink(process.argv));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setAppUserModelId('dev.switchboard.console');
  // In development the OS must start Electron with the app's path to hand over a link.
  if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
  else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  app.on('second-instance', (_event, argv) => {
    if (!core) return;
    const link = findDeepLink(argv);
    if (link) followLink(link);
    else showMainWindow();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (core) followLink(parseDeepLink(url));
  });
  app.on('activate', () => {
    if (core) showMainWindow();
  });
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    tray?.destroy();
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
