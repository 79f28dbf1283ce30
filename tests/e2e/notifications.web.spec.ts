// Notifications in browser mode, against the real reference backend in real Chromium: the
// same core rules as the app, shown through the Web Notification API with the project's own
// sounds. The page's Notification constructor and HTMLMediaElement.play are wrapped (they
// still run) so the test can see what was shown and played; headless Chromium has no
// notification centre to look at.
import { expect, test, type Page } from '@playwright/test';
import { startBackend } from './support/backend';
import { connectThroughUi, visitorSession } from './support/connect';
import { startWebApp, type WebApp } from './support/web-app';

test.describe.configure({ mode: 'serial' });

interface Shown {
  title: string;
  body: string;
  tag: string;
  closed: boolean;
}

let app: WebApp;
let backend: Awaited<ReturnType<typeof startBackend>>;
let page: Page;
/** The first visitor, whose conversation the later tests write into again. */
let budi: Awaited<ReturnType<typeof visitorSession>>;

const record = () => {
  const w = window as unknown as { __shown: Shown[]; __instances: Notification[]; __sounds: Array<{ src: string; volume: number }> };
  w.__shown = [];
  w.__instances = [];
  w.__sounds = [];
  const Real = window.Notification;
  class Recording extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      const entry = { title, body: options?.body ?? '', tag: options?.tag ?? '', closed: false };
      w.__shown.push(entry);
      w.__instances.push(this);
      const close = this.close.bind(this);
      this.close = () => {
        entry.closed = true;
        close();
      };
    }
  }
  Object.defineProperty(window, 'Notification', { value: Recording, configurable: true, writable: true });
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    w.__sounds.push({ src: this.src, volume: this.volume });
    return play.call(this).catch(() => undefined);
  };
};

const shown = () => page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown);
const sounds = () => page.evaluate(() => (window as unknown as { __sounds: Array<{ src: string; volume: number }> }).__sounds);
const settings = (patch: object) =>
  page.evaluate(async (p) => {
    const r = await window.switchboard.invoke('settings.update', p as never);
    if (!r.ok) throw new Error(r.error.message);
  }, patch);
const blur = () =>
  page.evaluate(() => {
    document.hasFocus = () => false;
    window.dispatchEvent(new Event('blur'));
  });
const decisions = () =>
  page.evaluate(async () => {
    const r = await window.switchboard.invoke('notifications.log', { limit: 50 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });

test.beforeAll(async ({ browser }) => {
  backend = await startBackend();
  app = await startWebApp();
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  await context.grantPermissions(['notifications'], { origin: new URL(app.url).origin });
  page = await context.newPage();
  await page.addInitScript(record);
  await connectThroughUi(page, app.url, backend.apiUrl);
});
test.afterAll(async () => {
  await page?.context().close();
  await app?.stop();
  await backend?.cleanup();
});

test('a new conversation notifies with the visitor name, its text and a sound; a burst is coalesced', async () => {
  await blur(); // the owner is in another window
  budi = await visitorSession(backend.apiUrl);
  const visitor = budi;
  await visitor.send('Hello, is anyone there?', 'Budi Santoso');
  await expect.poll(shown).toEqual([{ title: 'Budi Santoso', body: 'Hello, is anyone there?', tag: 'conversation:1', closed: false }]);
  await expect.poll(async () => (await sounds()).length).toBe(1);
  const [sound] = await sounds();
  expect(sound!.src).toMatch(/chime.*\.wav$/);
  expect(sound!.volume).toBeCloseTo(0.8);
  // The sound file is served to the page under its CSP.
  const wav = await page.evaluate(async (src) => {
    const r = await fetch(src);
    return { status: r.status, head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 4)) };
  }, sound!.src);
  expect(wav).toEqual({ status: 200, head: 'RIFF' });

  await visitor.send('I have a question about a project');
  await visitor.send('It is about a website');
  await expect.poll(async () => (await shown()).at(-1)?.body).toMatch(/^3 new messages/);
  const all = await shown();
  // One notification on screen per conversation: each update replaced the one before.
  expect(new Set(all.map((n) => n.tag)).size).toBe(1);
  expect(all.filter((n) => !n.closed)).toHaveLength(1);
  await expect(page).toHaveTitle(/^\(3\) Switchboard$/);
});

test('clicking the notification opens that conversation', async () => {
  await page.evaluate(() => {
    const w = window as unknown as { __instances: Notification[] };
    w.__instances.at(-1)!.dispatchEvent(new Event('click'));
  });
  await expect(page.getByRole('region', { name: /Budi Santoso/ })).toBeVisible();
});

test('no notification for the conversation open in the focused window; one for another', async () => {
  await page.evaluate(() => {
    document.hasFocus = () => true;
    window.dispatchEvent(new Event('focus'));
  });
  await expect(page).toHaveTitle('Switchboard');
  const before = (await shown()).length;
  await budi.send('Still there?');
  await expect.poll(async () => (await decisions())[0]?.reason).toBe('focused');
  expect((await shown()).length).toBe(before);

  const other = await visitorSession(backend.apiUrl);
  await other.send('Different question', 'Citra');
  await expect.poll(async () => (await shown()).at(-1)?.title).toBe('Citra');
});

test('a muted conversation stays quiet, and says so in the log', async () => {
  await page.getByRole('button', { name: 'Mute' }).click();
  await expect(page.getByRole('button', { name: 'Unmute' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: /^Budi Santoso, .*Muted/ })).toBeVisible();
  await blur();
  const before = (await shown()).length;
  await budi.send('Hello again');
  await expect.poll(async () => (await decisions())[0]?.reason).toBe('muted');
  expect((await shown()).length).toBe(before);
  await page.getByRole('button', { name: 'Unmute' }).click();
});

test('Away shows without sound; Offline shows nothing; quiet hours hold', async () => {
  await blur();
  await settings({ availability: 'away' });
  const soundsBefore = (await sounds()).length;
  const away = await visitorSession(backend.apiUrl);
  await away.send('Anyone?', 'Dewi');
  await expect.poll(async () => (await shown()).at(-1)?.title).toBe('Dewi');
  await expect.poll(async () => (await decisions())[0]?.silencedBy).toBe('away');
  expect((await sounds()).length).toBe(soundsBefore);

  await settings({ availability: 'offline' });
  const shownBefore = (await shown()).length;
  const off = await visitorSession(backend.apiUrl);
  await off.send('Hello?', 'Eko');
  await expect.poll(async () => (await decisions())[0]?.reason).toBe('offline');
  expect((await shown()).length).toBe(shownBefore);

  await settings({ availability: 'online', notifications: { quietHours: { enabled: true, start: '00:00', end: '23:59' } } });
  const quiet = await visitorSession(backend.apiUrl);
  await quiet.send('Late question', 'Fajar');
  await expect.poll(async () => (await decisions())[0]?.reason).toBe('quiet-hours');
  expect((await shown()).length).toBe(shownBefore);
  await settings({ notifications: { quietHours: { enabled: false } } });
});

test('hostile visitor text arrives in the notification as plain text, never markup', async () => {
  await blur();
  const hostile = await visitorSession(backend.apiUrl);
  const name = '<img src=x onerror="window.__pwned=1">';
  const text = '<script>window.__pwned=1</script> & <b>bold</b>';
  await hostile.send(text, name);
  await expect.poll(async () => (await shown()).at(-1)?.body).toBe(text);
  expect((await shown()).at(-1)?.title).toBe(name);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('the sound repeats while a visitor waits unanswered, and stops once the conversation is read', async () => {
  test.setTimeout(40_000);
  // The visitors of the earlier tests are read, so Gita will be the only one waiting.
  await page.evaluate(async () => {
    const r = await window.switchboard.invoke('conversations.page', { filter: 'all', limit: 100 });
    if (!r.ok) throw new Error(r.error.message);
    for (const c of r.value.items) if (c.unreadCount > 0) await window.switchboard.invoke('conversations.markRead', { conversationId: c.id });
  });
  await blur();
  await settings({ notifications: { repeatSeconds: 5 } });
  const waiting = await visitorSession(backend.apiUrl);
  const before = (await sounds()).length;
  await waiting.send('Hello? Waiting here', 'Gita');
  await expect.poll(async () => (await sounds()).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 2);
  expect((await decisions()).some((d) => d.kind === 'repeat-sound' && d.sound)).toBe(true);
  // The owner opens it in the focused window: it is read, and the reminders stop.
  await page.evaluate(() => {
    document.hasFocus = () => true;
    window.dispatchEvent(new Event('focus'));
  });
  await page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: /^Gita/ }).click();
  await expect(page.getByRole('list', { name: 'Conversations' }).getByRole('listitem', { name: /^Gita, Active/ })).toBeVisible();
  const after = (await sounds()).length;
  await page.waitForTimeout(6_000);
  expect((await sounds()).length).toBe(after);
  await settings({ notifications: { repeatSeconds: 0 } });
});

test('settings: test notification, sound choice, and the decision log', async () => {
  await page.keyboard.press('Control+,');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('combobox', { name: 'Sound', exact: true }).selectOption('bell');
  await dialog.getByRole('button', { name: 'Send test notification' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Test notification sent.');
  await expect.poll(async () => (await shown()).at(-1)?.title).toBe('Notifications work');
  await expect.poll(async () => (await sounds()).at(-1)?.src).toMatch(/bell.*\.wav$/);

  const log = dialog.getByRole('table', { name: 'Notification log' });
  await expect(log).toContainText('Test');
  await expect(log).toContainText('the conversation is muted');
  await expect(log).toContainText('you are Offline');
  await expect(log).toContainText('quiet hours');
  await page.screenshot({ path: 'docs/screenshots/settings.png' });

  await settings({ doNotDisturb: true });
  await dialog.getByRole('button', { name: 'Send test notification' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Not shown: Do not disturb is on');
  await settings({ doNotDisturb: false });
  await dialog.getByRole('button', { name: 'Done' }).click();
});
