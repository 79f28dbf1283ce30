// Browser mode against the REAL jwt-ws reference server: add the account as "JWT WebSocket chat",
// a member writes (appears with their name), the reply reaches the server and the other members'
// sockets, an edit and a delete show.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_OWNER, startJwtWsBackend, type JwtWsBackendHandle } from '../../backends/jwt-ws/src/index';
import { FrameSocket, api } from '../../backends/jwt-ws/tests/helpers';
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

  const sent = (await rest.call<{ id: string }>('POST', '/api/v1/messages', { token: alice.token, json: { room_id: room.id, content: 'Are you there? <b>not bold</b>' } })).body.data;
  const messages = page.getByRole('list', { name: 'Messages' });
  await expect(messages).toContainText('Are you there? <b>not bold</b>');
  // The sender's name is on the message (its accessible name; a visible name label is issue 12 item 3).
  await expect(messages.getByRole('listitem').last()).toHaveAccessibleName(/^Alice Rahman, /);

  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Yes, how can I help?');
  await reply.press('Enter');
  const echo = await aliceSock.next('message', (f) => f.data?.content === 'Yes, how can I help?');
  expect(echo.data?.user_id).toBe(backend.owner!.id);
  expect(backend.server.service.allMessages().filter((m) => m.content === 'Yes, how can I help?')).toHaveLength(1);

  await rest.call('PUT', `/api/v1/messages/${sent.id}`, { token: alice.token, json: { content: 'Are you there? (edited by Alice)' } });
  // The edited text replaces the old one (an "edited" mark in the view is issue 12 item 3).
  await expect(messages).toContainText('Are you there? (edited by Alice)');
  await page.screenshot({ path: 'test-results/jwt-ws-conversation.png' });
  await rest.call('DELETE', `/api/v1/messages/${sent.id}`, { token: alice.token });
  await expect(messages).not.toContainText('Are you there?');
  aliceSock.close();
});

test('with the demo site added too, two accounts of different kinds share one list, each row names its account, and Accounts filters to one', async () => {
  await page.getByRole('button', { name: 'Add a site' }).click();
  await page.getByRole('button', { name: 'Try the demo' }).click();
  const conversations = page.getByRole('list', { name: 'Conversations' });
  const demoRows = conversations.getByRole('listitem', { name: /Demo site \(on this computer\)/ });
  await expect(demoRows.first()).toBeVisible({ timeout: 30_000 });
  const jwtHost = new URL(backend.url).host;
  await expect(conversations.getByRole('listitem', { name: new RegExp(`^Support team, ${jwtHost.replace(/\./g, '\\.')}`) })).toBeVisible();
  await page.screenshot({ path: 'test-results/two-accounts.png' });

  // One account only, then all of them again.
  await page.getByRole('button', { name: /^Demo site \(on this computer\)/ }).click();
  await expect(conversations.getByRole('listitem', { name: /^Support team/ })).toHaveCount(0);
  // One account shown: rows no longer name it.
  await expect(conversations.getByRole('listitem').first()).toBeVisible();
  await expect(demoRows).toHaveCount(0);
  await page.getByRole('button', { name: 'All accounts' }).click();
  await expect(conversations.getByRole('listitem', { name: /^Support team/ })).toBeVisible();
});
