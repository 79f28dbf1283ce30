// What the page showed as notifications (and the sounds it played): headless Chromium has no notification centre to look
// at, so the page's Notification constructor is wrapped (it still runs) before the app loads,
// and the test reads what was constructed. The window can be made to look unfocused, as when the
// owner is in another app (a conversation open in a focused window does not notify).
import type { Page } from '@playwright/test';

export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
}

function record(): void {
  const w = window as unknown as { __shown: ShownNotification[]; __sounds: string[] };
  w.__shown = [];
  w.__sounds = [];
  const Real = window.Notification;
  class Recording extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      w.__shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
    }
  }
  Object.defineProperty(window, 'Notification', { value: Recording, configurable: true, writable: true });
  // The sounds the app played (they still play).
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    w.__sounds.push(this.src);
    return play.call(this).catch(() => undefined);
  };
}

/** Grants the app's origin notifications and records them; call before the page first loads the app. */
export async function recordNotifications(page: Page, appUrl: string): Promise<void> {
  await page.context().grantPermissions(['notifications'], { origin: new URL(appUrl).origin });
  await page.addInitScript(record);
}

export const shownNotifications = (page: Page): Promise<ShownNotification[]> => page.evaluate(() => (window as unknown as { __shown?: ShownNotification[] }).__shown ?? []);

export const playedSounds = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { __sounds?: string[] }).__sounds ?? []);

/** The window loses (false) or gets back (true) the focus, as the app sees it. */
export const setWindowFocus = (page: Page, focused: boolean): Promise<void> =>
  page.evaluate(async (f) => {
    document.hasFocus = () => f;
    window.dispatchEvent(new Event(f ? 'focus' : 'blur'));
    // The app reports it at once over its one transport: an answer to a request sent after it
    // means the core has it (a message arriving first would be judged "focused", CI at load).
    await window.switchboard.invoke('app.info');
  }, focused);
