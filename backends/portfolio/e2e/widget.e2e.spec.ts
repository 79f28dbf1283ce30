// The visitor widget in Chromium against the reference backend, run like the demo
// (`--seed-demo --simulate 3`), on free ports. The first test is the seed's §10.3 test as written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import PusherJS from 'pusher-js';
import type { Channel } from 'pusher-js';
import { startPortfolioBackend, type PortfolioBackendHandle } from '../src/index';

const test = base.extend<object, { backend: PortfolioBackendHandle }>({
  backend: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'portfolio-e2e-'));
      const backend = await startPortfolioBackend({ port: 0, pusherPort: 0, dataDir: dir, seedDemo: true, simulate: 3 });
      await use(backend);
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ backend }, use) => {
    await use(backend.apiUrl);
  },
});

// e2e/chat.spec.ts (Playwright) — seed §10.3
test('visitor can send and receive messages', async ({ page }) => {
  await page.goto('/');
  
  // Open chat widget
  await page.click('[aria-label="Open chat"]');
  
  // Enter name
  await page.fill('[data-testid="visitor-name"]', 'Test User');
  
  // Send message
  await page.fill('[data-testid="chat-input"]', 'Hello!');
  await page.click('[data-testid="send-button"]');
  
  // Verify message appears
  await expect(page.locator('[data-testid="message"]')).toContainText('Hello!');
});

async function adminClient(backend: PortfolioBackendHandle): Promise<{ client: PusherJS; token: string }> {
  const login = await fetch(`${backend.apiUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: backend.admin?.email, password: backend.admin?.password }),
  });
  const token = ((await login.json()) as { data: { token: string } }).data.token;
  const cfg = ((await (await fetch(`${backend.apiUrl}/api/chat/config`)).json()) as { data: { pusher: { key: string; cluster: string; wsHost: string; wsPort: number } } })
    .data.pusher;
  const client = new PusherJS(cfg.key, {
    cluster: cfg.cluster,
    wsHost: cfg.wsHost,
    wsPort: cfg.wsPort,
    wssPort: cfg.wsPort,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: { endpoint: `${backend.apiUrl}/api/pusher/auth`, transport: 'ajax', headers: { Authorization: `Bearer ${token}` } },
  });
  return { client, token };
}

function subscribe(client: PusherJS, name: string): Promise<Channel> {
  return new Promise((resolve, reject) => {
    const ch = client.subscribe(name);
    ch.bind('pusher:subscription_succeeded', () => resolve(ch));
    ch.bind('pusher:subscription_error', (e: unknown) => reject(new Error(JSON.stringify(e))));
  });
}

function nextEvent<T>(channel: Channel, event: string, filter: (d: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const cb = (d: T): void => {
      if (!filter(d)) return;
      channel.unbind(event, cb);
      resolve(d);
    };
    channel.bind(event, cb);
  });
}

test('the visitor page and an admin pusher-js client chat live: typing, replies, read state, text-only rendering', async ({ page, backend }) => {
  const { client: admin, token } = await adminClient(backend);
  try {
    const notifications = await subscribe(admin, 'private-admin-notifications');
    await subscribe(admin, 'presence-admin-chat');
    const newConversation = nextEvent<{ conversationId: number; visitorName: string }>(notifications, 'new-conversation', (d) => d.visitorName === 'Playwright Visitor');
    const onlineEvents: { conversationId: number; online: boolean }[] = [];
    notifications.bind('visitor-online', (d: { conversationId: number; online: boolean }) => onlineEvents.push(d));

    await page.goto('/');
    await page.click('[aria-label="Open chat"]');
    await page.fill('[data-testid="visitor-name"]', 'Playwright Visitor');
    const untrusted = '<b>bold?</b> <img src=x onerror="window.__xss=1">';
    await page.fill('[data-testid="chat-input"]', untrusted);
    await page.click('[data-testid="send-button"]');
    const { conversationId } = await newConversation;

    // Rendered as text, never as HTML.
    const first = page.locator('[data-testid="message"]').first();
    await expect(first).toContainText(untrusted);
    expect(await first.locator('b, img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    await expect(first.locator('[data-testid="message-state"]')).toContainText('Sent');

    // The visitor's presence reaches the admins.
    const chat = await subscribe(admin, `private-conversation-${conversationId}`);
    await expect.poll(() => onlineEvents.some((d) => d.conversationId === conversationId && d.online)).toBe(true);

    // Visitor typing reaches the admin.
    const visitorTyping = nextEvent<{ senderType: string; isTyping: boolean }>(chat, 'client-typing', (d) => d.senderType === 'visitor' && d.isTyping);
    await page.locator('[data-testid="chat-input"]').pressSequentially('typing…');
    await visitorTyping;

    // Admin typing shows in the widget.
    chat.trigger('client-typing', { senderType: 'admin', isTyping: true });
    await expect(page.locator('[data-testid="typing-indicator"]')).toBeVisible();

    // The admin replies; the widget shows it and (open, visible) marks it read.
    const read = nextEvent<{ messageIds: number[] }>(chat, 'message-read');
    const reply = await fetch(`${backend.apiUrl}/api/chat/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ conversationId, content: 'Hello from the site owner' }),
    });
    expect(reply.status).toBe(201);
    const replyId = ((await reply.json()) as { data: { messageId: number } }).data.messageId;
    await expect(page.locator('[data-testid="message"]').filter({ hasText: 'Hello from the site owner' })).toHaveCount(1);
    await expect(page.locator('[data-testid="typing-indicator"]')).toBeHidden();
    expect((await read).messageIds).toContain(replyId);

    // The admin reads the visitor's message; the widget shows "Read".
    const visitorMessageId = Number(await first.getAttribute('data-id'));
    const markRead = await fetch(`${backend.apiUrl}/api/chat/messages/read`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ conversationId, messageIds: [visitorMessageId] }),
    });
    expect(markRead.status).toBe(200);
    await expect(first.locator('[data-testid="message-state"]')).toContainText('Read');

    // A reload restores the session and history from localStorage.
    await page.reload();
    await page.click('[aria-label="Open chat"]');
    await expect(page.locator('[data-testid="message"]')).toHaveCount(2);

    // The simulated visitors are chatting at the same time.
    // They write every 2-8 s, so wait for one rather than race it.
    await expect.poll(() => backend.simulator?.stats().sent ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  } finally {
    admin.disconnect();
  }
});
