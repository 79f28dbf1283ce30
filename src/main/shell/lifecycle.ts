// The Electron app's lifecycle, with the `app` object injected (a fake in tests): one instance
// per profile, links and re-activation handed to the running one, the navigation policy on every
// webContents ever created, and a quit that waits for the core to close (the outbox and the
// mirror flushed) before the process ends, bounded so a stuck close cannot hang the quit.

export interface QuitEvent {
  preventDefault(): void;
}

/** The part of Electron's `app` the lifecycle uses (its EventEmitter `on`). */
export interface LifecycleApp {
  requestSingleInstanceLock(): boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Electron's own EventEmitter signature
  on(event: string, listener: (...args: any[]) => void): unknown;
  whenReady(): Promise<unknown>;
  quit(): void;
  exit(code?: number): void;
}

export interface LifecycleOptions<Contents> {
  app: LifecycleApp;
  platform: NodeJS.Platform;
  log: (message: string) => void;
  /** After 'ready': build the core, the windows, the tray. */
  start: () => void | Promise<void>;
  /** Every webContents, as it is created (the navigation policy). */
  attachContents: (contents: Contents) => void;
  onSecondInstance: (argv: string[]) => void;
  onOpenUrl: (url: string) => void;
  onActivate: () => void;
  /** Tray, IPC, then the core: resolves once everything is closed. */
  shutdown: () => Promise<void>;
  showFatal: (title: string, message: string) => void;
  /** How long a quit waits for shutdown() (default 10 s). */
  shutdownTimeoutMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export class AppLifecycle<Contents = unknown> {
  private quitting = false;
  private started = false;
  private shutDown = false;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: LifecycleOptions<Contents>) {}

  /** True once a quit began: closing the window then really closes it. */
  get isQuitting(): boolean {
    return this.quitting;
  }

  /** Wires the app. False when another instance holds the profile (this one quits). */
  run(): boolean {
    const { app } = this.options;
    if (!app.requestSingleInstanceLock()) {
      app.quit();
      return false;
    }
    app.on('web-contents-created', (_event, contents: Contents) => this.options.attachContents(contents));
    app.on('second-instance', (_event: unknown, argv: string[]) => {
      if (this.started) this.options.onSecondInstance(argv);
    });
    app.on('open-url', (event: QuitEvent, url: string) => {
      event.preventDefault();
      if (this.started) this.options.onOpenUrl(url);
    });
    app.on('activate', () => {
      if (this.started) this.options.onActivate();
    });
    app.on('before-quit', () => {
      this.quitting = true;
    });
    app.on('window-all-closed', () => {
      if (this.options.platform !== 'darwin') app.quit();
    });
    app.on('will-quit', (event: QuitEvent) => this.willQuit(event));
    app
      .whenReady()
      .then(async () => {
        await this.options.start();
        this.started = true;
      })
      .catch((error: unknown) => {
        this.options.log(`could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        this.options.showFatal('Switchboard could not start', error instanceof Error ? error.message : String(error));
        app.exit(1);
      });
    return true;
  }

  private willQuit(event: QuitEvent): void {
    if (this.shutDown) return;
    // Hold the quit until the core has closed; then quit for real.
    event.preventDefault();
    this.quitting = true;
    if (this.closing) return;
    const timeout = this.options.shutdownTimeoutMs ?? 10_000;
    const setTimer = this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    const timedOut = new Promise<void>((resolve) =>
      setTimer(() => {
        this.options.log(`quit: the core did not close within ${timeout} ms; quitting anyway`);
        resolve();
      }, timeout),
    );
    const closed = this.options.shutdown().catch((error: unknown) => this.options.log(`quit: closing failed: ${String(error)}`));
    this.closing = Promise.race([closed, timedOut]).then(() => {
      this.shutDown = true;
      this.options.app.quit();
    });
  }
}
