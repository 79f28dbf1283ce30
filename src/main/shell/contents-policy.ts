// The navigation policy every webContents gets, attached from app.on('web-contents-created') so
// a future window, popup or devtools page cannot miss it: no navigation or redirect away from the
// app in any frame, no new windows, no webviews. A web link (click, middle-click, a link dragged
// onto the window, window.open) is offered to the system browser only after the user confirmed
// the full address in a main-process dialog; mailto loses its parameters on the way.
import { safeExternalHref } from '../../shared/external-links';

export interface NavigationEventLike {
  url: string;
  isMainFrame?: boolean;
  preventDefault(): void;
}

/** The part of Electron's WebContents the policy touches (a fake in tests). */
export interface PolicyContents {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: NavigationEventLike) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface ContentsPolicyOptions {
  isAppUrl: (url: string) => boolean;
  /** Asks the user (a native dialog showing the full address); true to open. */
  confirmOpen: (url: string) => Promise<boolean>;
  openExternal: (url: string) => Promise<void>;
  log: (message: string) => void;
}

export class ContentsPolicy {
  /** Addresses waiting for an answer: one dialog per address, however many triggers fired. */
  private readonly asking = new Set<string>();

  constructor(private readonly options: ContentsPolicyOptions) {}

  attach(contents: PolicyContents): void {
    const { isAppUrl } = this.options;
    // A top-level navigation: a link the page did not handle, or one dropped onto the window.
    contents.on('will-navigate', (event) => {
      if (isAppUrl(event.url)) return;
      event.preventDefault();
      void this.offer(event.url);
    });
    // Any frame, including subframes will-navigate never sees; the offer comes from will-navigate.
    contents.on('will-frame-navigate', (event) => {
      if (isAppUrl(event.url)) return;
      event.preventDefault();
      if (event.isMainFrame === false) this.options.log(`window: blocked a frame navigating to ${event.url.slice(0, 200)}`);
    });
    contents.on('will-redirect', (event) => {
      if (isAppUrl(event.url)) return;
      event.preventDefault();
      this.options.log(`window: blocked a redirect to ${event.url.slice(0, 200)}`);
    });
    contents.setWindowOpenHandler(({ url }) => {
      void this.offer(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  }

  /** Resolves once the user answered (or the address was refused); never rejects. */
  async offer(raw: string): Promise<void> {
    const url = safeExternalHref(raw);
    if (!url) {
      this.options.log(`window: blocked opening ${raw.slice(0, 200)}`);
      return;
    }
    if (this.asking.has(url)) return;
    this.asking.add(url);
    try {
      if (await this.options.confirmOpen(url)) await this.options.openExternal(url);
    } catch (error) {
      this.options.log(`window: could not open ${url.slice(0, 200)}: ${String(error)}`);
    } finally {
      this.asking.delete(url);
    }
  }
}
