// Pure pieces of the sync engine: backoff bounds, the outbox's order and exactly-once delivery
// through the AccountService with a fake connector, and the mirror's merge of a reply's echo.
import { afterEach, describe, expect, it } from 'vitest';
import { AccountService } from '../../src/main/core/accounts/account-service';
import { ConnectorError, type Connector } from '../../src/main/core/connectors/connector';
import { EventBus } from '../../src/main/core/events';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { backoffDelay } from '../../src/main/core/sync/backoff';
import type { Timers } from '../../src/main/core/sync/timers';
import { openTempMirror } from '../support/temp-db';
import { waitFor } from '../support/portfolio-harness';

describe('backoffDelay', () => {
  it('stays within [ceiling/2, ceiling] and the ceiling doubles up to the cap', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      expect(backoffDelay(attempt, () => 0)).toBe(ceiling / 2);
      expect(backoffDelay(attempt, () => 0.999999)).toBeLessThanOrEqual(ceiling);
      expect(backoffDelay(attempt, () => 0.999999)).toBeGreaterThan(ceiling / 2);
    }
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(1000, () => 1)).toBe(60_000);
  });
});

describe('outbox through AccountService with a fake connector', () => {
  let ctx: ReturnType<typeof openTempMirror>;
  let service: AccountService;
  afterEach(async () => {
    await service.stopAll();
    ctx.close();
  });

  it('sends in order per conversation, once each, through transient failures and an auth pause', async () => {
    ctx = openTempMirror();
    let now = 1_000_000;
    // Time moves only when a timer fires: backoff delays pass instantly.
    const timers: Timers = {
      setTimeout: (fn, ms) => setTimeout(() => { now += ms; fn(); }, 1),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    const received: { conversation: string; content: string; clientId: string }[] = [];
    let calls = 0;
    let authFailures = 0;
    const connector: Connector = {
      capabilities: { serverStatus: true, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox' },
      connect: async (sink) => sink.link('unavailable', 'fake'),
      disconnect: async () => {},
      listConversations: async () => ({ items: [], next: null, watermark: null }),
      messagesAfter: async () => ({ items: [], next: null }),
      messagesBefore: async () => ({ items: [], next: null }),
      sendReply: async (conversation, content, clientId): Promise<RemoteMessage> => {
        calls++;
        if (calls % 3 === 0) throw new ConnectorError('transient', 'flaky network');
        if (calls === 10 && authFailures++ === 0) throw new ConnectorError('auth', 'Token expired');
        // Idempotent by clientId, like the reference backend.
        let index = received.findIndex((r) => r.clientId === clientId);
        if (index === -1) index = received.push({ conversation, content, clientId }) - 1;
        return { remoteId: String(index + 1), clientId, seq: index + 1, senderType: 'admin', content, createdAt: now };
      },
      setStatus: async () => {},
      markRead: async () => {},
      sendTyping: () => {},
      setAvailability: async () => {},
      watch: () => {},
    };
    const secrets = new PlainFileSecretStore(`${ctx.temp.dir}/secrets.json`);
    const events = new EventBus();
    // Only the sign-in request goes over this fetch; everything else goes through the fake connector.
    const loginFetch: typeof fetch = async (input) => {
      expect(String(input)).toBe('http://fake/api/admin/login');
      return new Response(JSON.stringify({ success: true, data: { token: 'fresh-token' } }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    service = new AccountService({ mirror: ctx.mirror, events, secrets, connectorFactory: () => connector, clock: () => now, random: () => 0.5, timers, log: () => {}, fetch: loginFetch });
    const account = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Fake', baseUrl: 'http://fake' }, now);
    secrets.set(`account:${account.id}:token`, 'token');
    const conversations = ['a', 'b', 'c'].map((remoteId) => ctx.mirror.transaction(() => ctx.mirror.conversations.upsert(account.id, { remoteId, createdAt: now }, now)).row);
    await service.startAll();
    const expected: Record<string, string[]> = { a: [], b: [], c: [] };
    for (let i = 0; i < 30; i++) {
      const conversation = conversations[i % 3]!;
      const content = `${conversation.remoteId}-${i}`;
      expected[conversation.remoteId]!.push(content);
      service.sendReply(conversation, content, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    }
    // The auth failure pauses the queue and keeps everything.
    await waitFor(() => authFailures === 1, 5000, 'auth failure');
    await new Promise((r) => setTimeout(r, 50));
    const pendingWhilePaused = ctx.mirror.outbox.counts(account.id).pending;
    expect(pendingWhilePaused).toBeGreaterThan(0);
    expect(service.connectionOf(account.id)?.state).toBe('auth-expired');
    // Signing in again (the public path: new token, reconnect, outbox resumes).
    await service.signIn({ kind: 'portfolio', accountId: account.id, email: 'owner@example.com', password: 'password' });
    expect(JSON.parse(secrets.get(`account:${account.id}:credentials`)!)).toMatchObject({ token: 'fresh-token' });
    await waitFor(() => ctx.mirror.outbox.counts(account.id).pending === 0, 10_000, 'outbox empty');
    for (const c of conversations) {
      expect(received.filter((r) => r.conversation === c.remoteId).map((r) => r.content)).toEqual(expected[c.remoteId]);
      const rows = ctx.mirror.messages.all(c.id);
      expect(rows.map((m) => m.content)).toEqual(expected[c.remoteId]);
      expect(rows.every((m) => m.delivery === 'sent' && m.remoteId !== null)).toBe(true);
    }
    expect(received).toHaveLength(30);
  });
});

describe('MessagesRepo.apply', () => {
  it('merges a fetched copy of our own reply (no clientMessageId on the wire) into the pending row', () => {
    const ctx = openTempMirror();
    try {
      const { mirror } = ctx;
      const account = mirror.accounts.create({ kind: 'portfolio', name: 'Bare', baseUrl: 'http://bare' }, 1);
      const conversation = mirror.transaction(() => mirror.conversations.upsert(account.id, { remoteId: '7', createdAt: 1 }, 1)).row;
      const pending = mirror.messages.insertPending({ conversationId: conversation.id, clientId: 'c-1', senderType: 'admin', senderName: null, content: 'hello', createdAt: 5 });
      // A page-back fetch stores the server's copy before the send returns.
      const copy = mirror.transaction(() => mirror.messages.apply(conversation.id, [{ remoteId: '42', seq: 42, senderType: 'admin', content: 'hello', createdAt: 6 }]));
      expect(mirror.messages.all(conversation.id)).toHaveLength(2);
      // Then the send's answer: same remote id, our client id.
      const merged = mirror.transaction(() => mirror.messages.apply(conversation.id, [{ remoteId: '42', clientId: 'c-1', seq: 42, senderType: 'admin', content: 'hello', createdAt: 6 }]));
      // The copy's row is reported as removed, so the renderer drops it (messages.removed).
      expect(merged.removed).toEqual([copy.added[0]!.id]);
      expect(merged.updated.map((m) => m.id)).toEqual([pending.id]);
      const rows = mirror.messages.all(conversation.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: pending.id, remoteId: '42', delivery: 'sent' });
      expect(mirror.searchIndex.search('hello', 10).filter((h) => h.messageId !== null)).toHaveLength(1);
    } finally {
      ctx.close();
    }
  });
});
