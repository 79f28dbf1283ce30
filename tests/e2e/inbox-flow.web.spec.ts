// The inbox against a real reference backend: connect, a visitor writes from the site's own
// widget in a second browser context, the owner reads, replies, resolves and reopens; typing
// and read receipts both ways; search keeps working after the backend is gone.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { ADMIN, startBackend } from './support/backend';
import { startWebApp, type WebApp } from './support/web-app';

test.describe.configure({ mode: 'serial' });

let app: WebApp;
let backend: Awaited<ReturnType<typeof startBackend>>;
let console_: Page;
let visitorContext: BrowserContext;
let visitor: Page;

test.beforeAll(async ({ browser }) => {
  backend = await startBackend();
  app = await startWebApp();
  console_ = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  visitorContext = await browser.newContext();
  visitor = await visitorContext.newPage();
});
test.afterAll(async () => {
  await visitorContext?.close();
  await console_?.close();
  await app?.stop();
  await backend?.cleanup();
});

const conversations = () => console_.getByRole('list', { name: 'Conversations' });

test('connect your site: signs in and shows the empty inbox', async () => {
  await console_.goto(app.url);
  await console_.getByRole('button', { name: 'Connect your site' }).click();
  await console_.getByRole('textbox', { name: 'Site URL' }).fill(backend.apiUrl);
  await console_.getByRole('textbox', { name: 'Email' }).fill(ADMIN.email);
  await console_.getByRole('textbox', { name: 'Password' }).fill('wrong password');
  await console_.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(console_.getByRole('alert')).toContainText('Wrong email or password');
  await console_.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await console_.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(console_.getByText('No conversations yet')).toBeVisible();
  await expect(console_.getByText('Live')).toBeVisible();
  for (const name of ['Active', 'Resolved', 'Closed', 'All']) await expect(console_.getByRole('button', { name, exact: true })).toBeVisible();
  await expect(console_.getByRole('combobox', { name: 'Availability' })).toHaveValue('online');
  await console_.screenshot({ path: 'docs/screenshots/empty-inbox.png' });
});

test('a visitor writes; the owner reads, replies, and both see typing and read state', async () => {
  await visitor.goto(backend.visitorUrl);
  await visitor.click('[aria-label="Open chat"]');
  await visitor.fill('[data-testid="visitor-name"]', 'Ana Lestari');
  await visitor.fill('[data-testid="chat-input"]', 'Halo! Is the portfolio template still available?');
  await visitor.click('[data-testid="send-button"]');
  await expect(visitor.locator('[data-testid="message"]')).toContainText('Halo!');

  // The conversation appears on top, unread.
  const row = conversations().getByRole('listitem', { name: /^Ana Lestari, 1 unread/ });
  await expect(row).toBeVisible();
  await expect(conversations().getByRole('listitem').first()).toHaveAccessibleName(/^Ana Lestari/);

  await row.click();
  const messages = console_.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Is the portfolio template still available?');
  // Opening it reads it: the badge goes away.
  await expect(conversations().getByRole('listitem', { name: /^Ana Lestari, Active/ })).toBeVisible();

  // Visitor typing reaches the console (only the open conversation's channel is subscribed).
  await visitor.locator('[data-testid="chat-input"]').pressSequentially('One more thing', { delay: 30 });
  await expect(console_.getByText('Ana Lestari is typing…')).toBeVisible();

  // Owner typing reaches the visitor.
  const reply = console_.getByRole('textbox', { name: 'Reply' });
  await reply.pressSequentially('Yes, it is', { delay: 30 });
  await expect(visitor.locator('[data-testid="typing-indicator"]')).toBeVisible();
  await reply.press('Shift+Enter');
  await reply.pressSequentially('still available.');
  await expect(console_.getByText('27/2000')).toBeVisible();
  await reply.press('Enter');
  await expect(reply).toHaveValue('');

  // The visitor page shows the reply, and the visitor reading it comes back as "Read".
  await expect(visitor.locator('[data-testid="message"]').last()).toContainText('still available.');
  await expect(messages.getByRole('listitem').last()).toContainText('Read');
  await console_.screenshot({ path: 'docs/screenshots/conversation.png' });
});

test('an open conversation is marked read only while the window is focused', async () => {
  // The owner switches to another window (emulated: the page reports no focus).
  await console_.evaluate(() => {
    document.hasFocus = () => false;
  });
  await visitor.fill('[data-testid="chat-input"]', 'Are you still there?');
  await visitor.click('[data-testid="send-button"]');
  const messages = console_.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Are you still there?');
  await expect(conversations().getByRole('listitem', { name: /^Ana Lestari, 1 unread/ })).toBeVisible();
  await console_.waitForTimeout(500);
  await expect(conversations().getByRole('listitem', { name: /^Ana Lestari, 1 unread/ })).toBeVisible();
  // The owner comes back: now it is read.
  await console_.evaluate(() => {
    document.hasFocus = () => true;
    window.dispatchEvent(new Event('focus'));
  });
  await expect(conversations().getByRole('listitem', { name: /^Ana Lestari, Active/ })).toBeVisible();
});

test('resolve moves it out of Active into Resolved, with undo; reopen brings it back', async () => {
  await console_.getByRole('button', { name: 'Resolve', exact: true }).click();
  await expect(conversations().getByRole('listitem', { name: /^Ana Lestari/ })).toHaveCount(0);
  await expect(console_.getByRole('status').filter({ hasText: 'Resolved the conversation with Ana Lestari.' })).toBeVisible();
  await console_.getByRole('button', { name: 'Resolved', exact: true }).click();
  await expect(conversations().getByRole('listitem', { name: /^Ana Lestari, Resolved/ })).toBeVisible();
  await console_.getByRole('button', { name: 'Reopen', exact: true }).click();
  await expect(conversations().getByRole('listitem', { name: /^Ana Lestari/ })).toHaveCount(0);
  await console_.getByRole('button', { name: 'Active', exact: true }).click();
  await expect(conversations().getByRole('listitem', { name: /^Ana Lestari, Active/ })).toBeVisible();
  // The backend agrees.
  const status = await fetch(`${backend.apiUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  })
    .then((r) => r.json())
    .then(({ data }) => fetch(`${backend.apiUrl}/api/chat/conversations?status=active`, { headers: { authorization: `Bearer ${data.token}` } }))
    .then((r) => r.json());
  expect(status.data.conversations.map((c: { visitorName: string }) => c.visitorName)).toContain('Ana Lestari');
});

test('the details pane shows first seen, the conversation count and the status history after resolve and reopen', async () => {
  const details = console_.getByRole('complementary', { name: 'Visitor details' });
  const field = (term: string) => details.locator(`dt:text-is("${term}") + dd`);
  await expect(field('Name')).toHaveText('Ana Lestari');
  // The conversation started today (in the UI's language and format).
  const today = await console_.evaluate(() => new Date().toLocaleDateString(document.documentElement.lang, { dateStyle: 'medium' }));
  await expect(field('First seen')).toContainText(today);
  await expect(field('Conversations')).toHaveText('1');
  // Newest first: reopened here, resolved here, and active when it first appeared.
  const history = details.getByRole('list', { name: 'Status history' }).getByRole('listitem');
  await expect(history).toHaveText([/^Active\s+by you · /, /^Resolved\s+by you · /, /^Active\s+first recorded · /]);
  await expect(history.first()).toContainText(today);
});

test('keyboard: j/k move, Enter opens, r focuses the reply, ? shows the sheet', async () => {
  await console_.keyboard.press('Escape');
  await console_.locator('body').click({ position: { x: 5, y: 5 } });
  await console_.keyboard.press('?');
  await expect(console_.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await console_.getByRole('button', { name: 'Done' }).click();
  await console_.keyboard.press('j');
  await console_.keyboard.press('Enter');
  await expect(console_.getByRole('region', { name: /^Conversation with / })).toBeVisible();
  await console_.keyboard.press('r');
  await expect(console_.getByRole('textbox', { name: 'Reply' })).toBeFocused();
});

test('panes resize by keyboard and keep their size across a reload', async () => {
  const splitter = console_.getByRole('separator', { name: 'Resize the conversation list' });
  await expect(splitter).toHaveAttribute('aria-valuenow', '30');
  const before = await console_.getByRole('region', { name: 'Conversations' }).evaluate((el) => el.getBoundingClientRect().width);
  await splitter.focus();
  for (let i = 0; i < 5; i++) await console_.keyboard.press('ArrowRight');
  await expect(splitter).toHaveAttribute('aria-valuenow', '35');
  const after = await console_.getByRole('region', { name: 'Conversations' }).evaluate((el) => el.getBoundingClientRect().width);
  expect(after).toBeGreaterThan(before + 20);
  await console_.reload();
  await expect(console_.getByRole('separator', { name: 'Resize the conversation list' })).toHaveAttribute('aria-valuenow', '35');
});

test('a reply the site refuses can be discarded, and leaves the conversation at once', async () => {
  await conversations().getByRole('listitem', { name: /^Ana Lestari/ }).click();
  const messages = console_.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Is the portfolio template still available?');
  // The conversation is deleted on the site: a reply to it is refused for good (404).
  backend.api.chatDb.db.prepare('DELETE FROM conversations WHERE visitor_name = ?').run('Ana Lestari');
  const reply = console_.getByRole('textbox', { name: 'Reply' });
  await reply.fill('This reply will be refused.');
  await reply.press('Enter');
  const refused = messages.getByRole('listitem').filter({ hasText: 'This reply will be refused.' });
  await expect(refused).toContainText('Not sent');
  const row = conversations().getByRole('listitem', { name: /^Ana Lestari/ });
  await expect(row).toContainText('This reply will be refused.');
  // Discarding deletes it in the core, which announces messages.removed; the pane drops it.
  // A double click sends a second discard for a reply that is gone by then: that failure is
  // shown (what failed, in plain words), not swallowed, and has no Retry (it cannot help).
  await refused.getByRole('button', { name: 'Discard' }).evaluate((b: HTMLElement) => {
    b.click();
    b.click();
  });
  await expect(refused).toHaveCount(0);
  const notice = console_.getByRole('alert').filter({ hasText: 'Could not discard the reply.' });
  await expect(notice).toContainText('It no longer exists');
  await expect(notice.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await console_.screenshot({ path: 'docs/screenshots/error-notice.png' });
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await expect(messages).toContainText('Is the portfolio template still available?');
  // The list's preview goes back to the last message that exists.
  await expect(row).toContainText('Are you still there?');
});

test('search finds a message after the backend is stopped', async () => {
  await backend.close();
  await expect(console_.getByRole('status').filter({ hasText: /offline|Reconnecting/ }).first()).toBeVisible({ timeout: 30_000 });
  await console_.keyboard.press('Escape');
  await console_.keyboard.press('Control+k');
  const box = console_.getByRole('searchbox', { name: 'Search' });
  await box.fill('portfolio templ');
  const hit = console_.getByRole('list', { name: 'Search results' }).getByRole('button').first();
  await expect(hit).toContainText('portfolio');
  await expect(hit.locator('mark').first()).toBeVisible();
  await console_.screenshot({ path: 'docs/screenshots/search.png' });
  await hit.click();
  await expect(console_.getByRole('list', { name: 'Messages' })).toContainText('Is the portfolio template still available?');
});
