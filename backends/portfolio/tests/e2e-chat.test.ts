// End to end: a simulated visitor (REST + pusher-js, like the widget) and an admin pusher-js
// client exchange messages, typing and read receipts through the reference backend.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PusherJS from 'pusher-js';
import type { Channel, Members } from 'pusher-js';
import { startSimulator, type SimulatorHandle } from '../src/index';
import { ADMIN, client, startTestBackend } from './api';
import { collectErrors, connected, nextEvent, subscribed, waitFor } from './helpers';

type Backend = Awaited<ReturnType<typeof startTestBackend>>;
let b: Backend;
let api: ReturnType<typeof client>;
let token: string;
let admin: PusherJS;
let sim: SimulatorHandle | null = null;

beforeAll(async () => {
  b = await startTestBackend();
  api = client(b.apiUrl);
  token = await api.login();
});

afterAll(async () => {
  admin?.disconnect();
  await sim?.stop();
  await b.cleanup();
});

function events<T>(channel: Channel, name: string): T[] {
  const list: T[] = [];
  channel.bind(name, (d: T) => list.push(d));
  return list;
}

describe('visitor simulator ⇄ admin pusher-js', () => {
  it('exchange messages, typing, read receipts, status and presence', async () => {
    // The admin discovers the realtime settings and connects like the console would.
    const cfg = (await api.call<{ pusher: { key: string; cluster: string; wsHost: string; wsPort: number; forceTLS: boolean } }>('GET', '/api/chat/config'))
      .body.data.pusher;
    admin = new PusherJS(cfg.key, {
      cluster: cfg.cluster,
      wsHost: cfg.wsHost,
      wsPort: cfg.wsPort,
      wssPort: cfg.wsPort,
      forceTLS: cfg.forceTLS,
      enabledTransports: ['ws'],
      disableStats: true,
      channelAuthorization: { endpoint: `${b.apiUrl}/api/pusher/auth`, transport: 'ajax', headers: { Authorization: `Bearer ${token}` } },
    });
    const adminErrors = collectErrors(admin);
    await connected(admin);
    const notifications = await subscribed(admin, 'private-admin-notifications');
    const presence = await subscribed(admin, 'presence-admin-chat');
    const me = (presence as unknown as { members: Members }).members.me as { info: { name: string; status: string } };
    expect(me.info).toEqual({ name: ADMIN.name, status: 'online' });

    const newConversations = events<{ conversationId: number; visitorName: string; firstMessage: string }>(notifications, 'new-conversation');
    const alerts = events<{ conversationId: number; messagePreview: string; senderType: string }>(notifications, 'new-message-alert');
    const online = events<{ conversationId: number; online: boolean }>(notifications, 'visitor-online');
    const updates = events<{ conversationId: number; status: string; updatedAt: string }>(notifications, 'conversation-updated');

    sim = await startSimulator({ apiUrl: b.apiUrl, visitors: 1, minDelayMs: 1500, maxDelayMs: 2000, messages: 2, names: ['Sim Visitor'] });
    await sim.ready();
    const conv = await waitFor(() => newConversations[0], 10_000, 'new-conversation');
    expect(conv).toMatchObject({ visitorName: 'Sim Visitor', firstMessage: expect.any(String) });
    const convId = conv.conversationId;
    await waitFor(() => online.find((o) => o.conversationId === convId && o.online), 10_000, 'visitor-online true');
    await waitFor(() => alerts.find((a) => a.conversationId === convId && a.senderType === 'visitor'), 5000, 'new-message-alert');

    // Subscribing as admin to the conversation must not count as the visitor being online.
    const chat = await subscribed(admin, `private-conversation-${convId}`);
    const messages = events<{ id: number; content: string; senderType: string; conversationId: number; clientMessageId: string | null }>(chat, 'new-message');
    const typing = events<{ senderType: string; isTyping: boolean }>(chat, 'client-typing');
    const reads = events<{ messageIds: number[]; readAt: string }>(chat, 'message-read');

    // The visitor's second message arrives live, preceded by its typing indicator.
    await waitFor(() => messages.find((m) => m.senderType === 'visitor'), 10_000, 'visitor message');
    await waitFor(() => typing.find((t) => t.senderType === 'visitor' && t.isTyping), 5000, 'visitor typing');

    // The admin types and replies with an idempotency key; the echo carries it back.
    expect(chat.trigger('client-typing', { senderType: 'admin', isTyping: true })).toBe(true);
    await waitFor(() => sim?.stats().typingReceived, 5000, 'typing at the visitor');
    const clientMessageId = randomUUID();
    const sent = await api.call<{ messageId: number }>('POST', '/api/chat/send', {
      token,
      json: { conversationId: convId, content: 'Hi! Thanks for writing — how can I help?', clientMessageId },
    });
    expect(sent.status).toBe(201);
    const echo = await waitFor(() => messages.find((m) => m.clientMessageId === clientMessageId), 5000, 'echo of the reply');
    expect(echo).toMatchObject({ id: sent.body.data.messageId, senderType: 'admin', conversationId: convId });

    // A retry of the same send is answered from the database and triggers nothing.
    const count = messages.length;
    const retry = await api.call<{ messageId: number }>('POST', '/api/chat/send', {
      token,
      json: { conversationId: convId, content: 'Hi! Thanks for writing — how can I help?', clientMessageId },
    });
    expect(retry.body.data.messageId).toBe(sent.body.data.messageId);

    // The visitor reads the reply (read receipt) and answers.
    const receipt = await waitFor(() => reads.find((r) => r.messageIds.includes(sent.body.data.messageId)), 10_000, 'read receipt');
    expect(new Date(receipt.readAt).getTime()).toBeGreaterThan(0);
    await waitFor(() => messages.slice(count).find((m) => m.senderType === 'visitor'), 15_000, 'visitor reply');
    expect(messages.filter((m) => m.clientMessageId === clientMessageId)).toHaveLength(1);

    // The admin marks the visitor's messages read; the visitor hears about it.
    const visitorIds = messages.filter((m) => m.senderType === 'visitor').map((m) => m.id);
    const readRes = await api.call<{ messageIds: number[] }>('POST', '/api/chat/messages/read', { token, json: { conversationId: convId, messageIds: visitorIds } });
    expect(readRes.body.data.messageIds).toEqual(visitorIds);
    await waitFor(() => sim?.stats().readReceiptsReceived, 5000, 'read receipt at the visitor');

    // Status changes are announced to admins.
    await api.call('PATCH', `/api/chat/conversations/${convId}`, { token, json: { status: 'resolved' } });
    await waitFor(() => updates.find((u) => u.conversationId === convId && u.status === 'resolved'), 5000, 'conversation-updated');

    // The list shows the visitor online; leaving flips it.
    const list = await api.call<{ conversations: { id: number; visitorOnline: boolean }[] }>('GET', '/api/chat/conversations', { token });
    expect(list.body.data.conversations.find((c) => c.id === convId)?.visitorOnline).toBe(true);
    await sim.stop();
    sim = null;
    await waitFor(() => online.find((o) => o.conversationId === convId && !o.online), 10_000, 'visitor-online false');
    const afterLeave = await api.call<{ conversations: { id: number; visitorOnline: boolean }[] }>('GET', '/api/chat/conversations', { token });
    expect(afterLeave.body.data.conversations.find((c) => c.id === convId)?.visitorOnline).toBe(false);

    // The database holds exactly what was exchanged.
    const stored = b.api.listAllMessages().filter((m) => m.conversationId === convId);
    expect(stored.map((m) => m.id).sort((x, y) => x - y)).toEqual([...new Set(messages.map((m) => m.id).concat(stored.map((m) => m.id)))].sort((x, y) => x - y));
    expect(adminErrors).toEqual([]);
  });

  it('admins see each other on presence-admin-chat', async () => {
    const makeAdmin = (jwt: string): PusherJS =>
      new PusherJS(b.pusher.key, {
        cluster: 'mt1',
        wsHost: '127.0.0.1',
        wsPort: b.pusher.port,
        wssPort: b.pusher.port,
        forceTLS: false,
        enabledTransports: ['ws'],
        disableStats: true,
        channelAuthorization: { endpoint: `${b.apiUrl}/api/pusher/auth`, transport: 'ajax', headers: { Authorization: `Bearer ${jwt}` } },
      });
    await b.api.upsertAdmin('second@example.com', 'second-password', 'Second Admin');
    const a1 = makeAdmin(token);
    const a2 = makeAdmin(await api.login('second@example.com', 'second-password'));
    try {
      const p1 = await subscribed(a1, 'presence-admin-chat');
      const added = nextEvent<{ id: string; info: { name: string } }>(p1, 'pusher:member_added');
      await subscribed(a2, 'presence-admin-chat');
      expect((await added).info.name).toBe('Second Admin');
      const removed = nextEvent<{ id: string }>(p1, 'pusher:member_removed');
      a2.disconnect();
      await removed;
    } finally {
      a1.disconnect();
      a2.disconnect();
    }
  });
});
