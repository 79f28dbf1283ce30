// Issue 16 item 11: realtime events alone no longer create conversations the site does not have,
// and implausible times are clamped. The real reference backend and Pusher server; the events a
// broken or hostile backend would send are triggered through the Pusher server's HTTP API with
// the official `pusher` SDK, as any backend holding the app secret can.
import Pusher from 'pusher';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS } from '../../src/main/core/sync/plausible';
import { Visitor, connectAccount, waitFor } from '../support/portfolio-harness';
import { waitForOccupied } from '../support/pusher-channel';
import { siteAndCore } from '../support/site-and-core';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const FAR = '+275760-09-13T00:00:00.000Z';

async function setup() {
  const { backend, visitor, app } = await siteAndCore(cleanups);
  const accountId = await connectAccount(app.core, backend);
  await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live');
  const pusher = new Pusher({ appId: backend.app.id, key: backend.app.key, secret: backend.app.secret, host: '127.0.0.1', port: String(backend.pusherPort), useTLS: false });
  return { backend, visitor, app, accountId, pusher };
}

describe('realtime events the site does not back', () => {
  it('a new-conversation or a patch for an unknown id leaves no row; a real new conversation still appears', async () => {
    const { app, accountId, pusher, backend } = await setup();
    await pusher.trigger('private-admin-notifications', 'new-conversation', { conversationId: 999_999, visitorName: 'Ghost', createdAt: FAR });
    await pusher.trigger('private-admin-notifications', 'visitor-online', { conversationId: 999_998, online: true });
    await waitFor(() => app.logs.some((l) => l.includes('refused conversation 999999')), 10_000, 'the site asked about 999999');
    await waitFor(() => app.logs.some((l) => l.includes('refused conversation 999998')), 10_000, 'the site asked about 999998');
    expect(app.core.mirror.conversations.findByRemote(accountId, '999999')).toBeUndefined();
    expect(app.core.mirror.conversations.findByRemote(accountId, '999998')).toBeUndefined();
    // And the engine is not stuck retrying it: the account stays live without an error.
    expect(app.core.accounts.connectionOf(accountId)).toEqual({ state: 'live', detail: null });
    const other = await new Visitor(backend.apiUrl, 'Nina').open();
    await other.send('a real one');
    await waitFor(() => app.core.mirror.conversations.findByRemote(accountId, String(other.conversationId)), 10_000, 'real conversation');
    const row = app.core.mirror.conversations.findByRemote(accountId, String(other.conversationId))!;
    await waitFor(() => app.core.mirror.messages.all(row.id).length === 1, 10_000, 'its message');
  });

  it('a placeholder left by an older version, which the site refuses, is removed on its next alert', async () => {
    const { app, accountId, pusher } = await setup();
    const now = Date.now();
    const ghost = app.core.mirror.transaction(() => app.core.mirror.conversations.upsert(accountId, { remoteId: '999997', createdAt: now, lastMessageAt: 0 }, now, 'sync')).row;
    await pusher.trigger('private-admin-notifications', 'new-message-alert', { conversationId: 999_997 });
    await waitFor(() => app.core.mirror.conversations.getRow(ghost.id) === undefined, 10_000, 'placeholder removed');
    expect(app.logs.some((l) => l.includes('refused conversation 999997') && l.includes('removed its placeholder'))).toBe(true);
    expect(app.core.accounts.connectionOf(accountId)).toEqual({ state: 'live', detail: null });
  });

  it('a message from the year 275760 is stored at the time it arrived', async () => {
    const { app, accountId, pusher, visitor } = await setup();
    const conversation = app.core.mirror.conversations.findByRemote(accountId, String(visitor.conversationId))!;
    await app.core.dispatch('conversations.watch', { conversationIds: [conversation.id] });
    await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 10_000, 'live');
    // The watch subscribes the conversation's channel; wait until the Pusher server has it.
    await waitForOccupied(pusher, `private-conversation-${visitor.conversationId}`);
    const before = Date.now();
    await pusher.trigger(`private-conversation-${visitor.conversationId}`, 'new-message', { id: 424_242, content: 'from the future', senderType: 'visitor', createdAt: FAR });
    await waitFor(() => app.core.mirror.messages.all(conversation.id).some((m) => m.remoteId === '424242'), 10_000, 'message');
    const stored = app.core.mirror.messages.all(conversation.id).find((m) => m.remoteId === '424242')!;
    expect(stored).toBeDefined();
    expect(stored.createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(stored.createdAt).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS);
    expect(app.core.mirror.conversations.get(conversation.id)!.lastMessageAt).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_SKEW_MS);
  });
});
