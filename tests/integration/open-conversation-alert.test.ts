// The load bench's "lost" messages (BENCHMARKS.md, session 5): on a loaded site the chat API's
// Pusher trigger for a message's new-message event timed out and was never delivered, while
// its admin alert was. The console skipped alerts for the conversation open on screen (its
// channel carries the messages), so that message stayed missing there until the next
// reconnect. Here the site stores a visitor message and announces only its alert, as the chat
// API does when the first of its two triggers fails: the real reference backend and Pusher
// server, the alert triggered with the official `pusher` SDK as the backend would.
import Pusher from 'pusher';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAccount, waitFor } from '../support/portfolio-harness';
import { waitForOccupied } from '../support/pusher-channel';
import { siteAndCore } from '../support/site-and-core';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('the conversation open on screen', () => {
  it('gets a message whose new-message event was lost when its alert arrives, and a delivered one only once', async () => {
    const { backend, visitor, app } = await siteAndCore(cleanups);
    const accountId = await connectAccount(app.core, backend);
    await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live');
    const conversation = app.core.mirror.conversations.findByRemote(accountId, String(visitor.conversationId))!;
    await app.core.dispatch('conversations.watch', { conversationIds: [conversation.id] });
    const pusher = new Pusher({ appId: backend.app.id, key: backend.app.key, secret: backend.app.secret, host: '127.0.0.1', port: String(backend.pusherPort), useTLS: false });
    await waitForOccupied(pusher, `private-conversation-${visitor.conversationId}`);
    const texts = () => app.core.mirror.messages.all(conversation.id).map((m) => m.content);

    // Both events delivered: the message comes once, from its channel.
    await visitor.send('delivered the usual way');
    await waitFor(() => texts().includes('delivered the usual way'), 10_000, 'the delivered message');

    // Stored by the site, its new-message trigger lost: only the alert comes.
    const { q } = backend.api.chatDb;
    const now = new Date().toISOString();
    const content = 'the channel never brought this one';
    const id = Number(q.insertMessage.run(visitor.conversationId!, 'visitor', null, content, 0, null, null, now).lastInsertRowid);
    q.setLastMessage.run(now, now, visitor.conversationId!);
    await pusher.trigger('private-admin-notifications', 'new-message-alert', { conversationId: visitor.conversationId, messagePreview: content.substring(0, 50), senderType: 'visitor' });
    await waitFor(() => app.core.mirror.messages.findByRemote(conversation.id, String(id)), 10_000, 'the message only its alert announced');

    expect(texts()).toEqual(['hello', 'delivered the usual way', content]);
    expect(app.core.accounts.connectionOf(accountId)).toEqual({ state: 'live', detail: null });
  });
});
