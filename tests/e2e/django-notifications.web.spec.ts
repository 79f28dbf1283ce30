// The Django challenge notifications in browser mode, against the real Django Channels backend
// (daphne) in real Chromium: the account is added through "Add a site", a student's invite
// appears under Notifications (bold while unread) and raises a notification with its title, the
// sidebar counts it; clicking that notification from the inbox opens the entry under
// Notifications (read); "Mark all read" clears the count. The page's Notification constructor is
// wrapped (it still runs) so the test can see what was shown and click it (Chromium headless has
// no notification centre to click in).
import { expect, test } from '@playwright/test';
import { startDjangoBackend, type DjangoBackend } from '../../backends/django/launcher/backend';
import { SiteClient } from '../../backends/django/launcher/site-client';
import { startWebApp, type WebApp } from './support/web-app';

let backend: DjangoBackend;
let app: WebApp;

test.afterAll(async () => {
  await app?.stop();
  await backend?.stop();
});

const record = () => {
  const w = window as unknown as { __shown: Array<{ title: string; body: string }>; __notes: Notification[] };
  w.__shown = [];
  w.__notes = [];
  const Real = window.Notification;
  class Recording extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      w.__shown.push({ title, body: options?.body ?? '' });
      w.__notes.push(this);
    }
  }
  Object.defineProperty(window, 'Notification', { value: Recording, configurable: true, writable: true });
};

test('an invite appears under Notifications, notifies, and Mark all read clears the count', async ({ browser }) => {
  test.setTimeout(180_000);
  backend = await startDjangoBackend({ seedDemo: true, students: 5, anonThrottle: '10000/hour' });
  app = await startWebApp();
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  await context.grantPermissions(['notifications'], { origin: app.origin });
  const page = await context.newPage();
  await page.addInitScript(record);
  const student = async (name: string) => {
    const c = new SiteClient(backend.url);
    await c.login(name, backend.seed!.students.find((s) => s.username === name)!.password);
    return c;
  };
  const invite = (c: SiteClient, type = 'quick_quant_10') => c.json<{ id: number }>('POST', '/en/api/v1/challenges/challenges/', { opponent_username: 'eko', challenge_type: type });

  // One invite before the account exists: mirrored by the first sync, not notified (not news).
  const ahmad = await student('ahmad');
  await invite(ahmad);

  await page.goto(app.url);
  await page.getByRole('button', { name: 'Connect your site' }).click();
  await page.getByRole('combobox', { name: 'Backend' }).selectOption({ label: 'Django challenge notifications' });
  await page.getByRole('textbox', { name: 'Site URL' }).fill(backend.url);
  await page.getByRole('textbox', { name: 'Email or username' }).fill('eko');
  await page.getByRole('textbox', { name: 'Password' }).fill(backend.seed!.students.find((s) => s.username === 'eko')!.password);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();

  const region = page.getByRole('region', { name: 'Notifications' });
  const list = region.getByRole('list', { name: 'Notifications' });
  const entry = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(entry).toHaveAccessibleName('Notifications, 1 unread');

  // Someone else in another window: a live invite notifies with its title.
  await page.evaluate(() => {
    document.hasFocus = () => false;
    window.dispatchEvent(new Event('blur'));
  });
  const budi = await student('budi');
  await invite(budi, 'medium_verbal_15');
  await expect(list.getByRole('listitem')).toHaveCount(2);
  const newest = list.getByRole('listitem').first();
  await expect(newest).toContainText('invited you to a challenge');
  await expect(newest).toContainText('Medium Verbal Challenge (15 Q)');
  await expect(newest).toHaveClass(/unread/);
  await expect(newest.locator('.feed-title')).toHaveCSS('font-weight', '700');
  await expect(entry).toHaveAccessibleName('Notifications, 2 unread');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __shown: Array<{ title: string; body: string }> }).__shown))
    .toEqual([{ title: expect.stringMatching(/^Budi .* invited you to a challenge$/) as unknown as string, body: 'Medium Verbal Challenge (15 Q)' }]);

  await page.screenshot({ path: 'docs/screenshots/django-notifications.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/django-notifications-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });

  // From the inbox, a click on that notification opens the Notifications view with the entry selected, and reads it.
  await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Active' }).click();
  await expect(region).toBeHidden();
  await page.evaluate(() => {
    const note = (window as unknown as { __notes: Notification[] }).__notes.at(-1)!;
    note.onclick?.(new Event('click'));
  });
  await expect(region).toBeVisible();
  await expect(newest.getByRole('button')).toHaveAttribute('aria-expanded', 'true');
  await expect(newest).not.toHaveClass(/unread/);
  await page.screenshot({ path: 'test-results/django-notifications-from-notification.png' });
  await expect(entry).toHaveAccessibleName('Notifications, 1 unread');
  await region.getByRole('button', { name: 'Mark all read' }).click();
  await expect(entry).toHaveAccessibleName('Notifications, 0 unread');
  await expect(list.locator('.feed-entry.unread')).toHaveCount(0);

  // Searchable: the search dialog opens the entry in the Notifications view.
  await page.keyboard.press('Control+k');
  await page.getByRole('searchbox').fill('Medium Verbal');
  const hit = page.getByRole('list', { name: /results/i }).getByRole('button').first();
  await expect(hit).toContainText('Medium');
  await hit.click();
  await expect(newest.getByRole('button')).toHaveAttribute('aria-expanded', 'true');
  await context.close();
});
