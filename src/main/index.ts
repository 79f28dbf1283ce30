// Electron composition root: wiring only. The behaviour lives in src/main/core (shared with
// browser mode, see src/main/web/index.ts), the Electron glue and the lifecycle in src/main/shell
// (lifecycle.ts, main-window-controller.ts, contents-policy.ts, session-policy.ts, app-protocol.ts).
// The core itself runs in a utilityProcess (src/main/core-host), so a sync burst never stalls the
// window, the tray or IPC here: this process keeps only the shell and forwards the contract.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, protocol, safeStorage, screen, session, shell, Tray, utilityProcess } from 'electron';
import Store from 'electron-store';
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { version } from '../../package.json';
import type { BadgeState, ShownNotification } from '../shared/attention';
import type { Settings, SettingsPatch } from '../shared/settings';
import type { UiLanguage } from './core/attention/attention';
import { findDemoPublicDir, findMigrationsDir } from './core/db/locate';
import { EventBus } from './core/events';
import { DEEP_LINK_SCHEME, findDeepLink, parseDeepLink, type DeepLink } from './core/platform/deep-link';
import { guardProcess } from './core/platform/last-resort';
import { setLinuxAutostart } from './core/platform/linux-autostart';
import { makeProfilePrivate, restrictNewFiles } from './core/platform/private-profile';
import { acquireProfileLock, type ProfileLock } from './core/platform/profile-lock';
import { realTimers } from './core/sync/timers';
import { describeExit } from './core-host/client';
import type { HostConfig } from './core-host/protocol';
import { CoreSupervisor } from './core-host/supervisor';
import { AppBadge } from './shell/app-badge';
import { appMenuTemplate } from './shell/app-menu';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler } from './shell/app-protocol';
import { ContentsPolicy } from './shell/contents-policy';
import { utilityCoreHost } from './shell/core-process';
import { IpcBridge } from './shell/ipc';
import { AppLifecycle } from './shell/lifecycle';
import { MainWindowController } from './shell/main-window-controller';
import { findNativeBinding } from './shell/native-binding';
import { ElectronNotifier } from './shell/notifier';
import { isAppUrl, rendererLocation } from './shell/renderer-location';
import { SafeStorageSecretStore } from './shell/safe-storage-secret-store';
import { createSignInSession, createSignInWindow } from './shell/sign-in-window';
import { SiteSignInFlow } from './shell/site-sign-in';
import { applySessionPolicy } from './shell/session-policy';
import { shellTexts } from './shell/texts';
import { TrayController, type MenuItem } from './shell/tray';
import { createMainWindow } from './shell/window';
import { parseWindowState, restoreBounds, type WindowState } from './shell/window-state';

const log = (message: string) => console.error(`[switchboard] ${message}`);
// A stdout/stderr whose reader went away must not loop the last resort (see last-resort.ts).
guardProcess(process, log);
// Everything this process writes (mirror, settings, secrets, logs) is for the owner only.
restrictNewFiles();

// A separate profile (tests, a second account set): must be set before the lock and 'ready'.
if (process.env.SWITCHBOARD_USER_DATA_DIR) app.setPath('userData', resolve(process.env.SWITCHBOARD_USER_DATA_DIR));
// The renderer's own origin instead of file:// (registered before 'ready', served after).
protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);

let core: CoreSupervisor | undefined;
// What the app's windows receive: the core host's events (less the native notifications, shown
// here) and the shell's own (app.openConversation).
const rendererEvents = new EventBus();
// The core owns the settings; the shell reads them from its events (tray, close-to-tray, texts).
let shellSettings: Settings | undefined;
let bridge: IpcBridge | undefined;
let tray: TrayController | undefined;
let profileLock: ProfileLock | undefined;
const renderer = rendererLocation(__dirname);
const startHidden = process.argv.includes('--hidden');
const isApp = (url: string) => isAppUrl(url, renderer);

const systemLanguage = (): UiLanguage => (app.getLocale().toLowerCase().startsWith('id') ? 'id' : 'en');
const language = (settings: Settings): UiLanguage => (settings.language === 'system' ? systemLanguage() : settings.language);
const makeImage = (representations: Array<{ scaleFactor: number; png: Buffer }>, options?: { template: boolean }) => {
  const image = nativeImage.createEmpty();
  for (const r of representations) image.addRepresentation({ scaleFactor: r.scaleFactor, buffer: r.png });
  if (options?.template) image.setTemplateImage(true);
  return image;
};

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

const policy = new ContentsPolicy({
  isAppUrl: isApp,
  // The question is asked here, in the main process, whatever triggered the link.
  confirmOpen: async (url) => {
    const texts = shellTexts(shellSettings ? language(shellSettings) : systemLanguage());
    const options = { type: 'question' as const, buttons: [texts.linkOpen, texts.linkCancel], defaultId: 1, cancelId: 1, message: texts.linkQuestion, detail: texts.linkDetail(url), noLink: true };
    const parent = windows.current;
    const answer = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
    return answer.response === 0;
  },
  openExternal: (url) => shell.openExternal(url),
  log,
});

// "Sign in with the site's page": its own window and session, and its own origin-limited policy.
const siteSignIn = new SiteSignInFlow({
  createSession: createSignInSession,
  createWindow: (signInSession, title) => createSignInWindow(signInSession, title, windows.current),
  timers: realTimers,
  clock: Date.now,
  log,
  newId: randomUUID,
});

const windows = new MainWindowController<BrowserWindow>({
  create: (hidden) => {
    const workAreas = screen.getAllDisplays().map((d) => d.workArea);
    const window = createMainWindow({ mainDir: __dirname, renderer, log, initial: restoreBounds(parseWindowState(windowStore.get('window')), workAreas), hidden });
    rememberWindow(window);
    return window;
  },
  closeHidesToTray: () => Boolean(shellSettings?.closeToTray && tray),
  isQuitting: () => lifecycle.isQuitting,
  onHiddenToTray: () => {
    const settings = shellSettings;
    if (!settings || settings.hints.closeToTray) return;
    const texts = shellTexts(language(settings));
    if (Notification.isSupported()) new Notification({ title: texts.trayHintTitle, body: texts.trayHintBody, silent: true }).show();
    void core?.dispatch('settings.update', { hints: { closeToTray: true } });
  },
  sendOpenConversation: (conversationId) => rendererEvents.emit('app.openConversation', { conversationId }),
  sendOpenFeedEntry: (feedEntryId) => rendererEvents.emit('app.openFeedEntry', { feedEntryId }),
});

function followLink(link: DeepLink | null): void {
  if (!link) return;
  windows.openConversation(link.kind === 'conversation' ? link.conversationId : null);
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

function startDesktop(c: CoreSupervisor, initial: { settings: Settings; badge: BadgeState }): void {
  shellSettings = initial.settings;
  let badgeState = initial.badge;
  const settingsNow = () => shellSettings ?? initial.settings;
  const update = (patch: SettingsPatch) => void c.dispatch('settings.update', patch);
  tray = new TrayController({
    createTray: (image) => new Tray(image as Electron.NativeImage),
    buildMenu: (template: MenuItem[]) => Menu.buildFromTemplate(template),
    makeImage,
    platform: process.platform,
    actions: {
      open: () => void windows.show(),
      setAvailability: (availability) => update({ availability }),
      setDoNotDisturb: (doNotDisturb) => update({ doNotDisturb }),
      quit: () => app.quit(),
    },
  });
  const badge = new AppBadge({
    platform: process.platform,
    setBadgeCount: (count) => app.setBadgeCount(count),
    setOverlayIcon: (image, description) => windows.current?.setOverlayIcon(image as Electron.NativeImage | null, description),
    makeImage,
    description: (count) => shellTexts(language(settingsNow())).overlayUnread(count),
  });
  const refresh = () => {
    const settings = settingsNow();
    tray?.update({ badge: badgeState, availability: settings.availability, doNotDisturb: settings.doNotDisturb, texts: shellTexts(language(settings)) });
    badge.update(badgeState);
  };
  let startAtLogin = settingsNow().startAtLogin;
  applyStartAtLogin(startAtLogin);
  c.events.subscribe((name, payload) => {
    if (name === 'app.badge') {
      badgeState = payload as BadgeState;
      return refresh();
    }
    if (name !== 'settings.changed') return;
    shellSettings = payload as Settings;
    refresh();
    const next = shellSettings.startAtLogin;
    if (next !== startAtLogin) applyStartAtLogin((startAtLogin = next));
  });
  refresh();
}

/** A call the shell itself makes; a failure is logged (the core host's log has the details). */
async function ask<T>(c: CoreSupervisor, method: 'settings.get' | 'app.badge'): Promise<T> {
  const result = await c.dispatch(method, undefined);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  makeProfilePrivate(dataDir, log);
  // Browser mode on the same folder (--data-dir) would share the mirror and the outbox.
  profileLock = acquireProfileLock(dataDir);
  protocol.handle(APP_SCHEME, appProtocolHandler(renderer.rendererDir, log));
  applySessionPolicy(session.defaultSession, isApp);
  app.on('session-created', (created) => applySessionPolicy(created, isApp));
  const notifier = new ElectronNotifier({
    create: (options) => new Notification(options),
    isSupported: () => Notification.isSupported(),
    platform: process.platform,
    replyPlaceholder: () => shellTexts(systemLanguage()).replyPlaceholder,
    onOpen: (conversationId) => windows.openConversation(conversationId),
    onOpenFeedEntry: (feedEntryId) => windows.openFeedEntry(feedEntryId),
    onReply: (conversationId, content) => {
      void core?.dispatch('messages.send', { conversationId, content, clientId: randomUUID() }).then((result) => {
        if (!result.ok) log(`notification reply failed: ${result.error.message}`);
      });
    },
    log,
  });
  const secrets = new SafeStorageSecretStore(safeStorage, join(dataDir, 'secrets.json'), log);
  const config = (): HostConfig => ({
    mode: 'electron',
    version,
    dataDir,
    migrationsDir: app.isPackaged ? join(process.resourcesPath, 'migrations') : findMigrationsDir(__dirname),
    // The utilityProcess runs Electron's Node: the same Electron-ABI addon as before.
    nativeBinding: findNativeBinding({ packaged: app.isPackaged, start: __dirname, log }),
    demoPublicDir: app.isPackaged ? join(process.resourcesPath, 'demo-site') : findDemoPublicDir(__dirname),
    systemLanguage: systemLanguage(),
    gnomeDnd: process.platform === 'linux',
    secrets: { encrypted: secrets.encrypted, values: secrets.snapshot() },
    // The sign-in window is the shell's: the host asks for it and gets the cookie back.
    siteSignIn: true,
  });
  const c = (core = new CoreSupervisor({
    spawn: () => utilityCoreHost(utilityProcess, join(__dirname, 'core-host.js')),
    config,
    secrets,
    shellCalls: { siteSignIn: siteSignIn.run },
    log,
    onGiveUp: (exit) => {
      const texts = shellTexts(shellSettings ? language(shellSettings) : systemLanguage());
      dialog.showErrorBox(texts.coreStoppedTitle, texts.coreStoppedBody(describeExit(exit)));
      app.quit();
    },
  }));
  c.events.subscribe((name, payload) => {
    // Native notifications are the shell's; the page shows them only in browser mode.
    if (name === 'notifications.show') return notifier.show(payload as ShownNotification);
    if (name === 'notifications.close') return notifier.close((payload as { key: string }).key);
    rendererEvents.emit(name, payload as never);
  });
  await c.open();
  bridge = new IpcBridge({
    ipcMain,
    dispatch: c.dispatch,
    events: rendererEvents,
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    isAppUrl: isApp,
    log,
  });
  bridge.start();
  log(`profile: ${dataDir}`);
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, isDev: !app.isPackaged })));
  windows.open(startHidden);
  startDesktop(c, { settings: await ask<Settings>(c, 'settings.get'), badge: await ask<BadgeState>(c, 'app.badge') });
  // A laptop that slept may hold a socket that looks alive but missed events: catch up.
  powerMonitor.on('resume', () => core?.resync('system resumed'));
  powerMonitor.on('unlock-screen', () => core?.resync('screen unlocked'));
  void c.startAccounts().catch((error: unknown) => log(`core: ${error instanceof Error ? error.message : String(error)}`));
  followLink(findDeepLink(process.argv));
}

const lifecycle = new AppLifecycle<Electron.WebContents>({
  app,
  platform: process.platform,
  log,
  start,
  attachContents: (contents) => {
    if (!siteSignIn.attachIfSignIn(contents)) policy.attach(contents);
  },
  onSecondInstance: (argv) => {
    const link = findDeepLink(argv);
    if (link) followLink(link);
    else windows.show();
  },
  onOpenUrl: (url) => followLink(parseDeepLink(url)),
  onActivate: () => void windows.show(),
  shutdown: async () => {
    tray?.destroy();
    bridge?.stop();
    await core?.close();
    profileLock?.release();
  },
  showFatal: (title, message) => dialog.showErrorBox(title, message),
});

if (lifecycle.run()) {
  app.setAppUserModelId('dev.switchboard.console');
  // In development the OS must start Electron with the app's path to hand over a link.
  if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
  else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
}
