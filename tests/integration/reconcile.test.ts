// Exactly-once replies on a backend without an idempotency key (idempotentSend: false): a reply
// whose send reached the server but whose answer was lost, or that was in flight when the app
// stopped, is looked up in the history before it is ever sent again. The fake site records every
// call and stores whatever it is sent, duplicates included: it cannot hide a resend.
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorError, type Connector, type ConnectorSink } from '../../src/main/core/connectors/connector';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { pageNewestFirst, startFakeSiteService } from '../support/fake-site-service';
import { waitFor } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

type Mode = 'ok' | 'lose-answer' | 'lose-answer-busy' | 'hang';

class ForgetfulSite {
  readonly stored: RemoteMessage[] = [{ remoteId: '1', senderType: 'visitor', content: 'halo', createdAt: 1_000 }];
  readonly calls: string[] = [];
  mode: Mode = 'ok';
  readonly connector: Connector = {
    capabilities: { serverStatus: false, idempotentSend: false, catchUp: 'page-back', readReceipts: false, typing: false, shape: 'inbox' },
    connect: async (sink: ConnectorSink) => {
      this.calls.push('connect');
      sink.link('connected');
      sink.gap('connected');
    },
    disconnect: async () => {},
    listConversations: async () => ({ items: [{ remoteId: 'c', createdAt: 500, lastMessageAt: this.stored.at(-1)!.createdAt }], next: null, watermark: null }),
    messagesAfter: async () => ({ items: [], next: null }),
    // Newest first, `limit` at a time, like the real kinds: a reply under many newer messages is pages back.
    messagesBefore: async (_c, before, limit) => {
      this.calls.push('history');
      return pageNewestFirst(this.stored, before, limit);
    },
    sendReply: async (_c, content) => {
      this.calls.push(`send ${content}`);
      const stored: RemoteMessage = { remoteId: String(this.stored.length + 1), senderType: 'admin', content, createdAt: Date.now() + this.stored.length };
      this.stored.push(stored);
      // A busy conversation: the visitor writes 120 more before the answer is known to be lost.
      if (this.mode === 'lose-answer-busy') {
        for (let i = 0; i < 120; i++) this.stored.push({ remoteId: String(this.stored.length + 1), senderType: 'visitor', content: `more ${i}`, createdAt: stored.createdAt + 1 + i });
      }
      if (this.mode === 'lose-answer' || this.mode === 'lose-answer-busy') throw new ConnectorError('transient', 'socket hang up');
      if (this.mode === 'hang') return new Promise<RemoteMessage>(() => {});
      return stored;
    },
    setStatus: async () => {},
    markRead: async () => {},
    sendTyping: () => {},
    setAvailability: async () => {},
    watch: () => {},
  };
  sent(content: string) {
    return this.stored.filter((m) => m.senderType === 'admin' && m.content === content).length;
  }
}

const start = (file: string, secrets: PlainFileSecretStore, site: ForgetfulSite) => startFakeSiteService(file, secrets, site.connector);

async function setUp() {
  const temp = tempDir();
  cleanups.push(() => temp.cleanup());
  const site = new ForgetfulSite();
  const secrets = new PlainFileSecretStore(`${temp.dir}/secrets.json`);
  let app = start(temp.file, secrets, site);
  const account = app.mirror.accounts.create({ kind: 'portfolio', name: 'Forgetful', baseUrl: 'http://f' }, 1);
  secrets.set(`account:${account.id}:token`, 'token');
  await app.service.startAll();
  await waitFor(() => app.service.connectionOf(account.id)?.state === 'live', 5000, 'live');
  cleanups.push(() => app.close());
  const conversation = () => app.mirror.conversations.findByRemote(account.id, 'c')!;
  return {
    site,
    account,
    app: () => app,
    conversation,
    restart: async () => {
      await app.close();
      app = start(temp.file, secrets, site);
      await app.service.startAll();
      await waitFor(() => app.service.connectionOf(account.id)?.state === 'live', 5000, 'live again');
    },
  };
}

describe('replies on a backend without idempotent send', () => {
  it('a lost answer: the retry finds the reply in the history and does not send it again', async () => {
    const { site, account, app, conversation } = await setUp();
    site.mode = 'lose-answer';
    app().service.sendReply(conversation(), 'on my way', '00000000-0000-4000-8000-00000000000a');
    await waitFor(() => site.calls.includes('send on my way'), 5000, 'first send');
    site.mode = 'ok';
    await waitFor(() => app().mirror.outbox.counts(account.id).pending === 0, 10_000, 'settled');
    expect(site.sent('on my way')).toBe(1);
    expect(site.calls.filter((c) => c === 'send on my way')).toHaveLength(1);
    const mine = app().mirror.messages.all(conversation().id).filter((m) => m.content === 'on my way');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ delivery: 'sent', clientId: '00000000-0000-4000-8000-00000000000a', remoteId: '2' });
  });

  it('a lost answer in a busy conversation: the reply is found pages back, under 120 newer messages, and not sent again', async () => {
    const { site, account, app, conversation } = await setUp();
    site.mode = 'lose-answer-busy';
    app().service.sendReply(conversation(), 'checking now', '00000000-0000-4000-8000-00000000001a');
    await waitFor(() => site.calls.includes('send checking now'), 5000, 'first send');
    site.mode = 'ok';
    await waitFor(() => app().mirror.outbox.counts(account.id).pending === 0, 10_000, 'settled');
    expect(site.sent('checking now')).toBe(1);
    expect(site.calls.filter((c) => c === 'send checking now')).toHaveLength(1);
  });

  it('in flight when the app stopped: after the restart it is reconciled, not resent, and shows once', async () => {
    const { site, account, app, conversation, restart } = await setUp();
    site.mode = 'hang';
    app().service.sendReply(conversation(), 'sampai jumpa', '00000000-0000-4000-8000-00000000000b');
    await waitFor(() => site.calls.includes('send sampai jumpa'), 5000, 'in flight');
    site.mode = 'ok';
    await restart();
    await waitFor(() => app().mirror.outbox.counts(account.id).pending === 0, 10_000, 'settled after restart');
    expect(site.sent('sampai jumpa')).toBe(1);
    expect(app().mirror.messages.all(conversation().id).filter((m) => m.content === 'sampai jumpa')).toHaveLength(1);
  });

  it('in flight but never arrived: after the restart it is looked for, not found, and sent once', async () => {
    const { site, account, app, conversation, restart } = await setUp();
    // The request dies before the site stores anything.
    site.connector.sendReply = async (_c, content) => {
      site.calls.push(`lost ${content}`);
      return new Promise<RemoteMessage>(() => {});
    };
    app().service.sendReply(conversation(), 'terima kasih', '00000000-0000-4000-8000-00000000000c');
    await waitFor(() => site.calls.includes('lost terima kasih'), 5000, 'in flight');
    site.connector.sendReply = async (_c, content) => {
      site.calls.push(`send ${content}`);
      const stored: RemoteMessage = { remoteId: String(site.stored.length + 1), senderType: 'admin', content, createdAt: Date.now() };
      site.stored.push(stored);
      return stored;
    };
    await restart();
    await waitFor(() => app().mirror.outbox.counts(account.id).pending === 0, 10_000, 'settled after restart');
    expect(site.calls.indexOf('history')).toBeLessThan(site.calls.lastIndexOf('send terima kasih'));
    expect(site.sent('terima kasih')).toBe(1);
  });

  it('the same text twice: the second reply is not mistaken for the first one already on the server', async () => {
    const { site, account, app, conversation } = await setUp();
    app().service.sendReply(conversation(), 'ok', '00000000-0000-4000-8000-00000000000d');
    await waitFor(() => app().mirror.outbox.counts(account.id).pending === 0, 5000, 'first ok');
    site.mode = 'lose-answer';
    app().service.sendReply(conversation(), 'ok', '00000000-0000-4000-8000-00000000000e');
    await waitFor(() => site.calls.filter((c) => c === 'send ok').length === 2, 5000, 'second ok sent');
    site.mode = 'ok';
    await waitFor(() => app().mirror.outbox.counts(account.id).pending === 0, 10_000, 'second ok settled');
    expect(site.sent('ok')).toBe(2);
    expect(site.calls.filter((c) => c === 'send ok')).toHaveLength(2);
    expect(app().mirror.messages.all(conversation().id).filter((m) => m.content === 'ok').map((m) => m.remoteId)).toEqual(['2', '3']);
  });
});
