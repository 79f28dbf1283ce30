// messages.removed: when the mirror deletes a message row (a fetched copy of our own reply merged
// into its pending row on a backend without client ids, a discarded reply), the renderer is told,
// so the open conversation never shows a reply twice. The events are folded through the same list
// functions useMessages uses, to check what the screen would show.
import { afterEach, describe, expect, it } from 'vitest';
import { AccountService } from '../../src/main/core/accounts/account-service';
import { ConnectorError, type Connector, type ConnectorSink } from '../../src/main/core/connectors/connector';
import { EventBus } from '../../src/main/core/events';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { realTimers } from '../../src/main/core/sync/timers';
import { emptyMessageList, mergeMessages, removeMessages, type MessageList } from '../../src/renderer/src/lib/message-list';
import type { EventName, EventPayload } from '../../src/shared/contract';
import { waitFor } from '../support/portfolio-harness';
import { openTempMirror } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

type Recorded = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/** A bare backend (no client ids, page-back catch-up) whose send answers only when the test says so. */
class BareSite {
  readonly messages: RemoteMessage[] = [{ remoteId: '1', seq: 1, senderType: 'visitor', content: 'hello', createdAt: 1_000 }];
  sink: ConnectorSink | null = null;
  private release: (() => void) | null = null;
  refuse: string | null = null;
  readonly connector: Connector = {
    capabilities: { serverStatus: true, idempotentSend: false, catchUp: 'page-back', readReceipts: false, typing: false, shape: 'inbox' },
    connect: async (sink) => {
      this.sink = sink;
      sink.link('connected');
      sink.gap('connected');
    },
    disconnect: async () => {
      this.sink = null;
    },
    listConversations: async () => ({ items: [{ remoteId: '7', serverStatus: 'active', createdAt: 500, lastMessageAt: this.messages.at(-1)!.createdAt }], next: null, watermark: null }),
    messagesAfter: async () => ({ items: [], next: null }),
    // Newest first, no client ids on the wire.
    messagesBefore: async () => ({ items: [...this.messages].reverse().map(({ clientId: _drop, ...m }) => m), next: null }),
    sendReply: async (_conversation, content, clientId) => {
      if (this.refuse) throw new ConnectorError('rejected', this.refuse);
      const id = this.messages.length + 1;
      const stored: RemoteMessage = { remoteId: String(id), seq: id, senderType: 'admin', content, createdAt: 2_000 + id };
      this.messages.push(stored); // on the server before the answer reaches us
      await new Promise<void>((resolve) => (this.release = resolve));
      return { ...stored, clientId };
    },
    setStatus: async () => {},
    markRead: async () => {},
    sendTyping: () => {},
    setAvailability: async () => {},
    watch: () => {},
  };
  answerSend(): void {
    this.release?.();
  }
  get sendWaiting(): boolean {
    return this.release !== null;
  }
}

async function setup() {
  const ctx = openTempMirror();
  cleanups.push(() => ctx.close());
  const site = new BareSite();
  const events = new EventBus();
  const recorded: Recorded[] = [];
  events.subscribe((name, payload) => recorded.push({ name, payload } as Recorded));
  const secrets = new PlainFileSecretStore(`${ctx.temp.dir}/secrets.json`);
  const service = new AccountService({ mirror: ctx.mirror, events, secrets, connectorFactory: () => site.connector, clock: () => 3_000, random: () => 0.5, timers: realTimers, log: () => {} });
  cleanups.push(() => service.stopAll());
  const account = ctx.mirror.accounts.create({ kind: 'portfolio', name: 'Bare', baseUrl: 'http://bare' }, 1);
  secrets.set(`account:${account.id}:token`, 'token');
  await service.startAll();
  await waitFor(() => service.connectionOf(account.id)?.state === 'live', 5000, 'live');
  const conversation = ctx.mirror.conversations.findByRemote(account.id, '7')!;
  /** What an open conversation pane would show: the first page, then every event after `from`. */
  const screen = (from: number): MessageList => {
    let list = mergeMessages(emptyMessageList, []);
    for (const e of recorded.slice(from)) {
      if (e.name === 'messages.added' || e.name === 'messages.updated') list = mergeMessages(list, e.payload.messages);
      if (e.name === 'messages.removed') list = removeMessages(list, e.payload.messageIds);
    }
    return list;
  };
  return { mirror: ctx.mirror, site, service, recorded, conversation, screen };
}

const messageEvents = (recorded: Recorded[], from: number) =>
  recorded.slice(from).flatMap((e) => {
    if (e.name === 'messages.added' || e.name === 'messages.updated') return [`${e.name} ${e.payload.messages.map((m) => m.id).join(',')}`];
    if (e.name === 'messages.removed') return [`${e.name} ${e.payload.messageIds.join(',')}`];
    return [];
  });

describe('messages.removed', () => {
  it('is emitted when the send answer merges a fetched copy of our reply into the pending row, and the pane shows the reply once', async () => {
    const { mirror, site, service, recorded, conversation, screen } = await setup();
    const start = recorded.length;
    const pending = service.sendReply(conversation, 'on my way', '00000000-0000-4000-8000-000000000001');
    // handlers.ts announces the pending reply like this.
    recorded.push({ name: 'messages.added', payload: { conversationId: conversation.id, messages: [pending] } });
    await waitFor(() => site.sendWaiting, 5000, 'send in flight');
    // Something makes the engine fetch the conversation before the send returns: the copy is stored.
    site.sink!.stale('7');
    await waitFor(() => mirror.messages.all(conversation.id).length === 3, 5000, 'copy fetched');
    const copy = mirror.messages.all(conversation.id).find((m) => m.remoteId === '2')!;
    expect(copy.id).not.toBe(pending.id);
    expect(screen(start).messages.filter((m) => m.content === 'on my way')).toHaveLength(2);

    site.answerSend();
    await waitFor(() => mirror.outbox.counts(conversation.accountId).pending === 0, 5000, 'send answered');
    expect(messageEvents(recorded, start)).toEqual([
      `messages.added ${pending.id}`,
      `messages.added ${copy.id}`,
      `messages.removed ${copy.id}`,
      `messages.updated ${pending.id}`,
    ]);
    const removed = recorded.find((e) => e.name === 'messages.removed')!;
    expect(removed.payload).toEqual({ conversationId: conversation.id, messageIds: [copy.id] });
    // The mirror and the screen agree: one reply, the pending row, now sent.
    expect(mirror.messages.all(conversation.id).map((m) => [m.id, m.remoteId, m.delivery])).toEqual([
      [expect.any(Number), '1', 'sent'],
      [pending.id, '2', 'sent'],
    ]);
    expect(screen(start).messages.map((m) => [m.id, m.content, m.delivery])).toEqual([[pending.id, 'on my way', 'sent']]);
  });

  it('within one burst, a copy added and merged away is never announced', async () => {
    const { mirror, site, service, recorded, conversation, screen } = await setup();
    const pending = service.sendReply(conversation, 'twice?', '00000000-0000-4000-8000-000000000002');
    await waitFor(() => site.sendWaiting, 5000, 'send in flight');
    const start = recorded.length;
    // Two live events in the same tick: the copy without a client id, then the same message with it.
    const copy: RemoteMessage = { remoteId: '2', seq: 2, senderType: 'admin', content: 'twice?', createdAt: 2_002 };
    site.sink!.messages('7', [copy]);
    site.sink!.messages('7', [{ ...copy, clientId: '00000000-0000-4000-8000-000000000002' }]);
    await waitFor(() => recorded.slice(start).some((e) => e.name === 'conversations.changed'), 5000, 'burst applied');
    expect(messageEvents(recorded, start)).toEqual([`messages.updated ${pending.id}`]);
    expect(mirror.messages.all(conversation.id).filter((m) => m.content === 'twice?').map((m) => m.id)).toEqual([pending.id]);
    expect(screen(start).messages.map((m) => m.id)).toEqual([pending.id]);
    site.answerSend();
  });

  it('is emitted when a failed reply is discarded', async () => {
    const { mirror, site, service, recorded, conversation } = await setup();
    site.refuse = 'Message too long';
    const clientId = '00000000-0000-4000-8000-000000000003';
    const pending = service.sendReply(conversation, 'refused', clientId);
    await waitFor(() => mirror.messages.get(pending.id)?.delivery === 'failed', 5000, 'failed');
    expect(mirror.conversations.get(conversation.id)).toMatchObject({ lastMessagePreview: 'refused', lastMessageAt: 3_000 });
    const start = recorded.length;
    expect(service.discard(conversation, clientId)).toBe(true);
    expect(messageEvents(recorded, start)).toEqual([`messages.removed ${pending.id}`]);
    expect(mirror.messages.get(pending.id)).toBeUndefined();
    // The list no longer previews a reply that does not exist: back to the visitor's message.
    expect(mirror.conversations.get(conversation.id)).toMatchObject({ lastMessagePreview: 'hello', lastMessageAt: 1_000 });
  });
});
