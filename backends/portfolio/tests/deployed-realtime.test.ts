// The as-deployed flavour's realtime side with real pusher-js against the site's Pusher-protocol
// server: cookie channel auth (form-encoded), presence {name: 'Admin'}, the deployed events, the
// AI auto-reply inside the send request with ai-typing around it, and the events it never sends.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type PusherJS from 'pusher-js';
import { connected, nextEvent, subscribed, waitFor } from './helpers';
import { recordEvents, siteClient, sitePusher, startDeployedSite, type DeployedTestSite } from './deployed-support';

let site: DeployedTestSite;
let http: ReturnType<typeof siteClient>;
let cookie: string;
const clients: PusherJS[] = [];

function pusherFor(c: string | null): ReturnType<typeof sitePusher> {
  const p = sitePusher(site, c);
  clients.push(p);
  return p;
}

beforeAll(async () => {
  site = await startDeployedSite({ ai: false });
  http = siteClient(site.apiUrl);
  cookie = await http.login();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});
afterAll(async () => {
  await site.cleanup();
});

async function rawAuth(channel: string, o: { cookie?: string; json?: boolean } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'Content-Type': o.json ? 'application/json' : 'application/x-www-form-urlencoded' };
  if (o.cookie) headers.Cookie = `admin_session=${o.cookie}`;
  const params = { socket_id: '1234.5678', channel_name: channel };
  const res = await fetch(`${site.apiUrl}/api/pusher/auth`, {
    method: 'POST',
    headers,
    body: o.json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Pusher channel auth as deployed', () => {
  it('needs the cookie for every channel whose name contains "admin"', async () => {
    for (const channel of ['private-admin-notifications', 'presence-admin-chat', 'private-admin-anything']) {
      expect((await rawAuth(channel)).status, channel).toBe(403);
      const ok = await rawAuth(channel, { cookie });
      expect(ok.status, channel).toBe(200);
      expect(String(ok.body.auth)).toMatch(new RegExp(`^${site.pusher.key}:[0-9a-f]{64}$`));
    }
    // Authorization headers are not read here either.
    const res = await fetch(`${site.apiUrl}/api/pusher/auth`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Bearer ${cookie}` },
      body: new URLSearchParams({ socket_id: '1.2', channel_name: 'private-admin-notifications' }).toString(),
    });
    expect(res.status).toBe(403);
  });

  it('authorises conversation channels for anyone, presence members as {name: "Admin"}, and only form bodies', async () => {
    expect((await rawAuth('private-conversation-1')).status).toBe(200);
    const presence = await rawAuth('presence-admin-chat', { cookie });
    expect(JSON.parse(String(presence.body.channel_data))).toEqual({ user_id: String(site.admin?.id), user_info: { name: 'Admin' } });
    // request.formData() cannot read JSON: the route's catch answers 500.
    expect((await rawAuth('private-admin-notifications', { cookie, json: true })).status).toBe(500);
  });

  it('lets real pusher-js join the admin channels with the cookie and refuses it without', async () => {
    const admin = pusherFor(cookie);
    await connected(admin);
    await subscribed(admin, 'private-admin-notifications');
    const presence = await subscribed(admin, 'presence-admin-chat');
    expect((presence as unknown as { members: { me: { info: unknown } } }).members.me.info).toEqual({ name: 'Admin' });

    const anonymous = pusherFor(null);
    await connected(anonymous);
    const ch = anonymous.subscribe('private-admin-notifications');
    const err = await nextEvent<{ status: number }>(ch, 'pusher:subscription_error');
    expect(err.status).toBe(403);
    expect(admin.authStatuses).toEqual([200, 200]);
  });
});

describe('events as deployed', () => {
  it('a new visitor: new-conversation on the admin channel; later messages: new-message + conversation-updated {conversationId, unreadCount}', async () => {
    const admin = pusherFor(cookie);
    const adminChannel = await subscribed(admin, 'private-admin-notifications');
    const adminEvents = recordEvents(adminChannel);

    const first = await http.visitorSays('rt-visitor-1', 'Hello there');
    const convId = first.body.data.conversationId;
    const created = await waitFor(() => adminEvents.find((e) => e.event === 'new-conversation'), 10_000, 'new-conversation');
    expect(created.data).toEqual({ conversationId: convId, visitorName: null, firstMessage: 'Hello there', createdAt: expect.any(String) });

    const convChannel = await subscribed(admin, `private-conversation-${convId}`);
    const convEvents = recordEvents(convChannel);
    const second = await http.visitorSays('rt-visitor-1', 'Second message', convId);
    const msg = await waitFor(() => convEvents.find((e) => e.event === 'new-message'), 10_000, 'new-message');
    expect(msg.data).toEqual({
      id: second.body.data.messageId,
      conversationId: convId,
      content: 'Second message',
      senderType: 'visitor',
      senderId: null,
      createdAt: expect.any(String),
    });
    const updated = await waitFor(() => adminEvents.find((e) => e.event === 'conversation-updated'), 10_000, 'conversation-updated');
    expect(updated.data).toEqual({ conversationId: convId, unreadCount: 2 });

    // The admin's reply, mark-read and a status change each announce the new unread count.
    await http.adminSays(cookie, convId, 'Hi, owner here');
    await waitFor(() => convEvents.find((e) => e.event === 'new-message' && (e.data as { senderType: string }).senderType === 'admin'), 10_000, 'admin new-message');
    await waitFor(() => adminEvents.filter((e) => e.event === 'conversation-updated').length >= 2, 10_000, 'second conversation-updated');
    expect(adminEvents.filter((e) => e.event === 'conversation-updated')[1]?.data).toEqual({ conversationId: convId, unreadCount: 0 });
    await http.call('PATCH', `/api/chat/conversations/${convId}`, { cookie, json: { status: 'resolved' } });
    await waitFor(() => adminEvents.filter((e) => e.event === 'conversation-updated').length >= 3, 10_000, 'conversation-updated after PATCH');

    // Fence: ai-settings-changed comes after everything above on the same channel, so anything
    // the deployed site never sends would have arrived by now.
    await http.call('PATCH', '/api/chat/settings', { cookie, json: { aiEnabled: false } });
    const fence = await waitFor(() => adminEvents.find((e) => e.event === 'ai-settings-changed'), 10_000, 'ai-settings-changed');
    expect(fence.data).toEqual({ aiEnabled: false, changedBy: site.admin?.id });
    const names = new Set([...adminEvents, ...convEvents].map((e) => e.event));
    for (const never of ['new-message-alert', 'message-read', 'visitor-online']) expect(names.has(never), never).toBe(false);
  });

  it('mark-read announces conversation-updated with unreadCount 0 and no message-read', async () => {
    const admin = pusherFor(cookie);
    const adminEvents = recordEvents(await subscribed(admin, 'private-admin-notifications'));
    const c = await http.visitorSays('rt-visitor-read', 'please read me');
    const convId = c.body.data.conversationId;
    const convEvents = recordEvents(await subscribed(admin, `private-conversation-${convId}`));
    await http.call('POST', '/api/chat/messages/mark-read', { cookie, json: { conversationId: convId } });
    const ev = await waitFor(() => adminEvents.find((e) => e.event === 'conversation-updated'), 10_000, 'conversation-updated');
    expect(ev.data).toEqual({ conversationId: convId, unreadCount: 0 });
    await http.adminSays(cookie, convId, 'fence');
    await waitFor(() => convEvents.find((e) => e.event === 'new-message'), 10_000, 'fence new-message');
    expect(convEvents.map((e) => e.event)).toEqual(['new-message']);
  });
});

describe('the AI auto-responder', () => {
  it('answers each visitor message inside the send request after autoReplyDelay, with ai-typing around the ai new-message', async () => {
    const admin = pusherFor(cookie);
    const adminEvents = recordEvents(await subscribed(admin, 'private-admin-notifications'));
    const on = await http.call<{ aiEnabled: boolean }>('PATCH', '/api/chat/settings', { cookie, json: { aiEnabled: true, autoReplyDelay: 300 } });
    expect(on.body.data.aiEnabled).toBe(true);
    expect((await waitFor(() => adminEvents.find((e) => e.event === 'ai-settings-changed'), 10_000, 'ai-settings-changed')).data).toEqual({
      aiEnabled: true,
      changedBy: site.admin?.id,
    });

    const first = await http.visitorSays('rt-visitor-ai', 'Hello! What is your price for a landing page?');
    const convId = first.body.data.conversationId;
    expect(first.status).toBe(200);
    expect(first.body.data.aiResponse).toMatchObject({ conversationId: convId, senderType: 'ai', senderId: null, isRead: false });
    expect(String(first.body.data.aiResponse?.content)).toMatch(/Pricing depends/);

    const convEvents = recordEvents(await subscribed(admin, `private-conversation-${convId}`));
    const started = Date.now();
    const second = await http.visitorSays('rt-visitor-ai', 'Can we schedule a call?', convId);
    // The reply is inside the request: it cannot come back before the delay.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const ai = second.body.data.aiResponse as { id: number; content: string };
    await waitFor(() => convEvents.filter((e) => e.event === 'ai-typing').length >= 2, 10_000, 'ai-typing off');
    expect(convEvents.map((e) => [e.event, (e.data as { senderType?: string; isTyping?: boolean }).senderType ?? (e.data as { isTyping?: boolean }).isTyping])).toEqual([
      ['new-message', 'visitor'],
      ['ai-typing', true],
      ['new-message', 'ai'],
      ['ai-typing', false],
    ]);
    expect(convEvents[1]?.data).toEqual({ isTyping: true, conversationId: convId });
    expect(convEvents[2]?.data).toEqual({ id: ai.id, conversationId: convId, content: ai.content, senderType: 'ai', senderId: null, createdAt: expect.any(String) });

    const history = await http.call<{ senderType: string }[]>('GET', `/api/chat/messages?conversationId=${convId}`, { cookie });
    expect(history.body.data.map((m) => m.senderType)).toEqual(['visitor', 'ai', 'visitor', 'ai']);
    // AI replies do not count as unread and do not read the visitor's messages.
    const list = await http.call<{ id: number; unreadCount: number }[]>('GET', '/api/chat/conversations', { cookie });
    expect(list.body.data.find((x) => x.id === convId)?.unreadCount).toBe(2);

    // An admin reply is never answered by the AI.
    const reply = await http.adminSays(cookie, convId, 'Owner here.');
    expect(reply.body.data).not.toHaveProperty('aiResponse');

    await http.call('PATCH', '/api/chat/settings', { cookie, json: { aiEnabled: false } });
    const silent = await http.visitorSays('rt-visitor-ai', 'Anyone there?', convId);
    expect(silent.body.data).not.toHaveProperty('aiResponse');
  });

  it('is on from the start on a fresh site (the settings row is created with the AI on)', async () => {
    const fresh = await startDeployedSite({ autoReplyDelayMs: 0 });
    try {
      const r = await siteClient(fresh.apiUrl).visitorSays('fresh-visitor', 'Hi');
      expect(r.body.data.aiResponse).toMatchObject({ senderType: 'ai' });
      expect(fresh.api.store.settings()?.ai_enabled).toBe(1);
    } finally {
      await fresh.cleanup();
    }
  });
});
