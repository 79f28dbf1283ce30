// Browser mode against the REAL jwt-ws reference server: add the account as "JWT WebSocket chat",
// a member writes (appears with their name above the bubble, and notifies), the reply reaches the server and
// the other members' sockets, an edit shows its mark and a delete takes the message away;
// presence (online / away / busy / offline) in the header of a direct room and in a group's
// member list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_OWNER, startJwtWsBackend, type JwtWsBackendHandle } from '../../backends/jwt-ws/src/index';
import { FrameSocket, api } from '../../backends/jwt-ws/tests/helpers';
import { seriousViolations } from './support/axe';
import { recordNotifications, setWindowFocus, shownNotifications } from './support/notifications';
import { startWebApp, type WebApp } from './support/web-app';

test.describe.configure({ mode: 'serial' });

let app: WebApp;
let backend: JwtWsBackendHandle;
let dataDir: string;
let page: Page;

test.beforeAll(async ({ browser }) => {
  dataDir = mkdtempSync(join(tmpdir(), 'jwt-ws-e2e-'));
  backend = await startJwtWsBackend({ port: 0, dataDir, seedDemo: true, rateLimit: false });
  app = await startWebApp();
  page = await browser.newPage();
  await recordNotifications(page, app.url);
});
test.afterAll(async () => {
  await page?.close();
  await app?.stop();
  await backend?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('adds the account as "JWT WebSocket chat"; rooms appear named after the room or the other member', async () => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Connect your site' }).click();
  await page.getByRole('combobox', { name: 'Backend' }).selectOption({ label: 'JWT WebSocket chat' });
  await expect(page.getByText('A room-based chat server with JWT sign-in and one WebSocket.')).toBeVisible();
  await page.getByRole('textbox', { name: 'Site URL' }).fill(backend.url);
  await page.getByRole('textbox', { name: 'Email' }).fill(DEMO_OWNER.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_OWNER.password);
  await page.screenshot({ path: 'test-results/jwt-ws-connect.png' });
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const conversations = page.getByRole('list', { name: 'Conversations' });
  await expect(conversations.getByRole('listitem', { name: /^Support team/ })).toBeVisible({ timeout: 20_000 });
  await expect(conversations.getByRole('listitem', { name: /^Alice Rahman/ })).toBeVisible();
  await expect(page.getByText('Live')).toBeVisible({ timeout: 20_000 });
});

test('a member writes, the owner replies; the reply reaches the server once and the other members; an edit and a delete show', async () => {
  const rest = api(backend.url);
  const alice = await rest.login('alice@example.com', 'member-demo-password');
  const conversations = page.getByRole('list', { name: 'Conversations' });
  await conversations.getByRole('listitem', { name: /^Alice Rahman/ }).click();
  const room = backend.server.service.myRooms(alice.userId).find((r) => r.type === 'direct' && (r.members as { user_id: string }[]).some((m) => m.user_id === backend.owner!.id)) as { id: string };
  const aliceSock = await FrameSocket.connect(backend.wsUrl, alice.token);

  // The owner is in another window: the member's message notifies, with her name and the text.
  await setWindowFocus(page, false);
  const sent = (await rest.call<{ id: string }>('POST', '/api/v1/messages', { token: alice.token, json: { room_id: room.id, content: 'Are you there? <b>not bold</b>' } })).body.data;
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Are you there? <b>not bold</b>');
  await expect.poll(async () => (await shownNotifications(page)).find((n) => n.body.includes('Are you there?'))).toMatchObject({ title: 'Alice Rahman', body: 'Are you there? <b>not bold</b>' });
  await setWindowFocus(page, true);
  // The sender's name is on the message: read out, and shown above the bubble.
  await expect(messages.getByRole('listitem').last()).toHaveAccessibleName(/^Alice Rahman, /);
  await expect(messages.getByRole('listitem').last().locator('.sender')).toHaveText('Alice Rahman');

  // Alice's socket made her online; away and busy are told apart, in the header of the direct room.
  const header = page.getByTestId('header-presence');
  await expect(header).toHaveText('Online');
  aliceSock.send({ type: 'user_status_change', data: { status: 'away' } });
  await expect(header).toHaveText('Away');
  aliceSock.send({ type: 'user_status_change', data: { status: 'busy' } });
  await expect(header).toHaveText('Busy');
  await expect(conversations.getByRole('listitem', { name: /^Alice Rahman/ }).locator('.presence-busy')).toBeVisible();

  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Yes, how can I help?');
  await reply.press('Enter');
  const echo = await aliceSock.next('message', (f) => f.data?.content === 'Yes, how can I help?');
  expect(echo.data?.user_id).toBe(backend.owner!.id);
  expect(backend.server.service.allMessages().filter((m) => m.content === 'Yes, how can I help?')).toHaveLength(1);

  await rest.call('PUT', `/api/v1/messages/${sent.id}`, { token: alice.token, json: { content: 'Are you there? (edited by Alice)' } });
  // The edited text replaces the old one, marked "edited" with the time in its tooltip.
  await expect(messages).toContainText('Are you there? (edited by Alice)');
  const edited = messages.getByRole('listitem').filter({ hasText: 'Are you there? (edited by Alice)' });
  await expect(edited.locator('.edited')).toHaveText('edited');
  await expect(edited.locator('.edited')).toHaveAttribute('title', /^Edited .*\d/);
  await expect(edited).toHaveAccessibleName(/, edited$/);
  await page.screenshot({ path: 'test-results/jwt-ws-conversation.png' });
  // Deleted messages: gone from the view and search; the newest one from the list's preview too.
  await rest.call('DELETE', `/api/v1/messages/${sent.id}`, { token: alice.token });
  await expect(messages).not.toContainText('Are you there?');
  const preview = conversations.getByRole('listitem', { name: /^Alice Rahman/ }).locator('.preview');
  const last = (await rest.call<{ id: string }>('POST', '/api/v1/messages', { token: alice.token, json: { room_id: room.id, content: 'Never mind, found it.' } })).body.data;
  await expect(preview).toHaveText('Never mind, found it.');
  await rest.call('DELETE', `/api/v1/messages/${last.id}`, { token: alice.token });
  await expect(messages).not.toContainText('Never mind');
  await expect(preview).toHaveText('Yes, how can I help?');
  aliceSock.close();
  // Her last socket closed: offline.
  await expect(header).toHaveText('Offline');
  await page.getByRole('searchbox', { name: 'Search' }).fill('edited by Alice');
  await expect(page.getByText('Nothing found.')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search' }).fill('');
});

test('a group room: members named above their bubbles when the sender changes, an edit marked, everyone\'s presence in the details; light, dark and Indonesian', async ({ browser }) => {
  // Two more browser contexts for the screenshots: more than the default minute on a loaded machine.
  test.setTimeout(180_000);
  const rest = api(backend.url);
  const login = (name: string) => rest.login(`${name}@example.com`, 'member-demo-password');
  const [chen, dewi, alice] = [await login('chen'), await login('dewi'), await login('alice')];
  const team = backend.server.service.myRooms(chen.userId).find((r) => r.name === 'Support team') as { id: string };
  const chenSock = await FrameSocket.connect(backend.wsUrl, chen.token);
  const dewiSock = await FrameSocket.connect(backend.wsUrl, dewi.token);
  const aliceSock = await FrameSocket.connect(backend.wsUrl, alice.token);
  dewiSock.send({ type: 'user_status_change', data: { status: 'away' } });
  aliceSock.send({ type: 'user_status_change', data: { status: 'busy' } });
  const say = async (who: { token: string }, content: string) => (await rest.call<{ id: string }>('POST', '/api/v1/messages', { token: who.token, json: { room_id: team.id, content } })).body.data;
  await say(dewi, 'I can take the refund ticket.');
  const first = await say(chen, 'Thanks! The customer is waiting on chat 2.');
  await say(chen, 'Ping me when it is done.');
  await rest.call('PUT', `/api/v1/messages/${first.id}`, { token: chen.token, json: { content: 'Thanks! The customer is waiting on chat 3.' } });

  const conversations = page.getByRole('list', { name: 'Conversations' });
  await conversations.getByRole('listitem', { name: /^Support team/ }).click();
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Thanks! The customer is waiting on chat 3.');
  const items = messages.getByRole('listitem');
  // Dewi, then Chen twice: Chen's name once, above the first of his two.
  await expect(items.nth(-3).locator('.sender')).toHaveText('Dewi Lestari');
  await expect(items.nth(-2).locator('.sender')).toHaveText('Chen Wei');
  await expect(items.nth(-1).locator('.sender')).toHaveCount(0);
  await expect(items.nth(-2).locator('.edited')).toHaveText('edited');

  const members = page.getByRole('list', { name: '3 other members' });
  await expect(members.getByRole('listitem', { name: 'Chen Wei, Online' })).toBeVisible();
  await expect(members.getByRole('listitem', { name: 'Dewi Lestari, Away' })).toBeVisible();
  await expect(members.getByRole('listitem', { name: 'Alice Rahman, Busy' })).toBeVisible();
  // Most present first.
  await expect(members.getByRole('listitem')).toHaveText([/^Chen Wei/, /^Alice Rahman/, /^Dewi Lestari/]);
  await page.screenshot({ path: 'docs/screenshots/jwt-ws-group.png' });

  for (const [scheme, locale, file] of [
    ['dark', 'en-US', 'jwt-ws-group-dark.png'],
    ['light', 'id-ID', 'jwt-ws-group-id.png'],
  ] as const) {
    const context = await browser.newContext({ colorScheme: scheme, locale, viewport: { width: 1280, height: 760 } });
    const other = await context.newPage();
    await other.goto(await app.freshUrl());
    const id = locale === 'id-ID';
    await other.getByRole('list', { name: id ? 'Percakapan' : 'Conversations' }).getByRole('listitem', { name: /^Support team/ }).click();
    await expect(other.getByRole('list', { name: id ? 'Pesan' : 'Messages' })).toContainText('Ping me when it is done.');
    await expect(other.getByRole('list', { name: id ? '3 anggota lain' : '3 other members' }).getByRole('listitem', { name: id ? 'Dewi Lestari, Sedang pergi' : 'Dewi Lestari, Away' })).toBeVisible();
    if (id) await expect(other.getByRole('list', { name: 'Pesan' }).getByRole('listitem').nth(-2).locator('.edited')).toHaveText('disunting');
    await other.screenshot({ path: `test-results/${file}` });
    // axe runs in contexts of its own (browser.newContext), so here rather than on the first page.
    expect(await seriousViolations(other)).toEqual([]);
    await context.close();
  }
  chenSock.close();
  dewiSock.close();
  aliceSock.close();
  await expect(members.getByRole('listitem', { name: 'Chen Wei, Offline' })).toBeVisible();
});

test('with the demo site added too, two accounts of different kinds share one list, each row names its account, and Accounts filters to one', async () => {
  await page.getByRole('button', { name: 'Add a site' }).click();
  await page.getByRole('button', { name: 'Try the demo' }).click();
  const conversations = page.getByRole('list', { name: 'Conversations' });
  const demoRows = conversations.getByRole('listitem', { name: /Demo site \(on this computer\)/ });
  await expect(demoRows.first()).toBeVisible({ timeout: 30_000 });
  const jwtHost = new URL(backend.url).host;
  await expect(conversations.getByRole('listitem', { name: new RegExp(`^Support team, ${jwtHost.replace(/\./g, '\\.')}`) })).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/two-accounts.png' });

  // One account only, then all of them again.
  await page.getByRole('button', { name: /^Demo site \(on this computer\)/ }).click();
  await expect(conversations.getByRole('listitem', { name: /^Support team/ })).toHaveCount(0);
  // One account shown: rows no longer name it.
  await expect(conversations.getByRole('listitem').first()).toBeVisible();
  await expect(demoRows).toHaveCount(0);
  await page.getByRole('button', { name: 'All accounts' }).click();
  await expect(conversations.getByRole('listitem', { name: /^Support team/ })).toBeVisible();
});
