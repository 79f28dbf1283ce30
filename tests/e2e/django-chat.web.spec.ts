// Browser mode against the REAL Django Channels reference backend: add the Django site through
// "Add a site", a student writes over the site’s socket → it appears and notifies; the teacher's reply
// reaches the student's socket live. The account says that opening a history marks the
// student's messages read on the server; the details pane names the student in full.
import { expect, test } from '@playwright/test';
import { startDjangoBackend } from '../../backends/django/launcher/backend';
import { SiteClient } from '../../backends/django/launcher/site-client';
import { recordNotifications, setWindowFocus, shownNotifications } from './support/notifications';
import { startWebApp } from './support/web-app';

test('add a Django mentor chat site, receive a student message, reply over the socket', async ({ page }) => {
  test.setTimeout(120_000);
  const backend = await startDjangoBackend({ seedDemo: true, students: 3, anonThrottle: '10000/hour' });
  const app = await startWebApp();
  try {
    await recordNotifications(page, app.url);
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Connect your site' }).click();
    await page.getByRole('combobox', { name: 'Backend' }).selectOption({ label: 'Django mentor chat' });
    await page.getByRole('textbox', { name: 'Site URL' }).fill(backend.url);
    await page.getByRole('textbox', { name: 'Email or username' }).fill(backend.seed!.teacher.email);
    await page.getByRole('textbox', { name: 'Password' }).fill('wrong');
    await page.screenshot({ path: 'test-results/django-chat-add-site.png' });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Wrong email, username or password.');
    await page.getByRole('textbox', { name: 'Password' }).fill(backend.seed!.teacher.password);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    const conversations = page.getByRole('list', { name: 'Conversations' });
    const ahmad = conversations.getByRole('listitem', { name: /^Ahmad Student/ });
    await expect(ahmad).toBeVisible({ timeout: 30_000 });
    await ahmad.click();
    const messages = page.getByRole('list', { name: 'Messages' });
    await expect(messages.getByRole('listitem').first()).toContainText('Hello, I have a question');

    const cred = backend.seed!.students[0]!;
    const student = new SiteClient(backend.url);
    await student.login(cred.username, cred.password);
    const socket = await student.socket('/ws/chat/my-conversation/');
    await socket.next((f) => f.type === 'connection_established');
    // The teacher is in another window: the student's message notifies, with the name and the text.
    await setWindowFocus(page, false);
    socket.send('Is the quiz on Friday? <b>not bold</b>');
    await expect(messages.getByRole('listitem').last()).toContainText('Is the quiz on Friday? <b>not bold</b>', { timeout: 20_000 });
    await expect.poll(async () => (await shownNotifications(page)).find((n) => n.body.includes('quiz'))).toMatchObject({ title: 'Ahmad Student', body: 'Is the quiz on Friday? <b>not bold</b>' });
    await setWindowFocus(page, true);
    // The read side effect is said on the account; the student's full name, username and email in the details.
    await expect(page.getByRole('navigation').getByText(/opening a conversation’s history on this site marks the student’s messages read on the server/i)).toBeVisible();
    const details = page.getByRole('complementary', { name: 'Visitor details' });
    await expect(details.getByRole('definition').nth(0)).toHaveText('Ahmad Student');
    await expect(details.getByRole('term').nth(1)).toHaveText('Username');
    await expect(details.getByRole('definition').nth(1)).toHaveText(cred.username);
    await expect(details.getByRole('definition').nth(2)).toHaveText(cred.email);
    await page.screenshot({ path: 'docs/screenshots/django-chat.png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/django-chat-inbox-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
    // The same in Indonesian (then back: the rest of the test reads English names).
    await page.getByRole('combobox', { name: 'Language' }).selectOption('id');
    await expect(page.getByRole('navigation').getByText(/menandai pesan siswa sudah dibaca di server/)).toBeVisible();
    await expect(page.getByRole('complementary', { name: 'Detail pengunjung' }).getByRole('term').nth(1)).toHaveText('Nama pengguna');
    await page.screenshot({ path: 'test-results/django-chat-inbox-id.png' });
    await page.getByRole('combobox', { name: 'Bahasa' }).selectOption('en');
    await expect(details.getByRole('term').nth(1)).toHaveText('Username');

    const from = socket.frames.length;
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Yes, Friday at 9.');
    await reply.press('Enter');
    const seen = await socket.next((f) => f.type === 'new_message', from, 20_000);
    expect((seen.message as { content: string }).content).toBe('Yes, Friday at 9.');
    await socket.close();
  } finally {
    await app.stop();
    await backend.stop();
  }
});
