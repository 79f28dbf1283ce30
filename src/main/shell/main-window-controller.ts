// The main window's behaviour, with the window factory injected (a fake in tests): one window,
// shown and focused on demand, recreated after it was destroyed; closing it hides it to the tray
// while the setting is on (a one-time hint says so); a conversation opened from outside (a
// notification, a switchboard:// link) is sent once the page has loaded.

export interface ControlledWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  hide(): void;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  webContents: { isLoading(): boolean; once(event: 'did-finish-load', listener: () => void): unknown };
}

export interface MainWindowControllerOptions<W extends ControlledWindow> {
  create: (hidden: boolean) => W;
  /** Closing hides to the tray (the setting is on and there is a tray). */
  closeHidesToTray: () => boolean;
  isQuitting: () => boolean;
  /** The window was hidden to the tray (show the one-time hint). */
  onHiddenToTray: () => void;
  /** Asks the page to open a conversation. */
  sendOpenConversation: (conversationId: number) => void;
  /** Asks the page to open the Notifications view with this feed entry selected. */
  sendOpenFeedEntry: (feedEntryId: number) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

export class MainWindowController<W extends ControlledWindow> {
  private window: W | undefined;

  constructor(private readonly options: MainWindowControllerOptions<W>) {}

  get current(): W | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined;
  }

  /** Creates the window (at start, maybe hidden when started at login). */
  open(hidden: boolean): W {
    const window = this.options.create(hidden);
    window.on('close', (event) => {
      if (this.options.isQuitting() || !this.options.closeHidesToTray()) return;
      // Visitors keep being watched for from the tray.
      event.preventDefault();
      window.hide();
      this.options.onHiddenToTray();
    });
    this.window = window;
    return window;
  }

  show(): W {
    const window = this.current;
    if (!window) return this.open(false);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  }

  openConversation(conversationId: number | null): void {
    if (conversationId === null) this.show();
    else this.showAndSend(() => this.options.sendOpenConversation(conversationId));
  }

  openFeedEntry(feedEntryId: number): void {
    this.showAndSend(() => this.options.sendOpenFeedEntry(feedEntryId));
  }

  private showAndSend(send: () => void): void {
    const window = this.show();
    const setTimer = this.options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    // A window still loading has not subscribed yet: send once it has.
    if (window.webContents.isLoading()) window.webContents.once('did-finish-load', () => setTimer(send, 300));
    else send();
  }
}
