// A conversation's socket reopens after an outage: the connector says the conversation is stale
// and, at once, the socket delivers a brand-new message. The messages written while it was down
// (more than a page of them) must still be fetched: the new live message must not look like the
// end of the gap. Seen in the Django fault test as holes (student 1's messages 68-77 missing while
// 78 was there). The fake site pages its history newest first, `limit` at a time, like the kinds.
import { afterEach, describe, expect, it } from 'vitest';
import type { Connector, ConnectorSink } from '../../src/main/core/connectors/connector';
import type { RemoteMessage } from '../../src/main/core/mirror/types';
import { PlainFileSecretStore } from '../../src/main/core/settings/settings-store';
import { pageNewestFirst, startFakeSiteService } from '../support/fake-site-service';
import { waitFor } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const CONVERSATIONS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

class PagedSite {
  readonly stored = new Map<string, RemoteMessage[]>(CONVERSATIONS.map((c) => [c, []]));
  sink: ConnectorSink | undefined;
  private next = 1;
  write(conversation: string, content: string): RemoteMessage {
    const m: RemoteMessage = { remoteId: String(this.next), senderType: 'visitor', content, createdAt: 1_000 + this.next++ };
    this.stored.get(conversation)!.push(m);
    return m;
  }
  readonly connector: Connector = {
    capabilities: { serverStatus: false, idempotentSend: false, catchUp: 'page-back', readReceipts: false, typing: false, shape: 'inbox' },
    connect: async (sink) => {
      this.sink = sink;
      sink.link('connected');
      sink.gap('connected');
    },
    disconnect: async () => {},
    listConversations: async () => ({
      items: CONVERSATIONS.map((c) => ({ remoteId: c, createdAt: 500, lastMessageAt: this.stored.get(c)!.at(-1)?.createdAt ?? 500 })),
      next: null,
      watermark: null,
    }),
    messagesAfter: async () => ({ items: [], next: null }),
    // A page takes a moment, as over the network: hints queue behind the fetchers' few workers.
    messagesBefore: async (c, before, limit) => {
      await new Promise((r) => setTimeout(r, 20));
      return pageNewestFirst(this.stored.get(c)!, before, limit);
    },
    sendReply: async () => {
      throw new Error('not used');
    },
    setStatus: async () => {},
    markRead: async () => {},
    sendTyping: () => {},
    setAvailability: async () => {},
    watch: () => {},
  };
}

describe('a stale hint followed at once by a live message', () => {
  it('fetches every message written while the sockets were down, more than a page each, though the hints waited behind busy fetches', async () => {
    const temp = tempDir();
    cleanups.push(() => temp.cleanup());
    const site = new PagedSite();
    for (const c of CONVERSATIONS) for (let i = 0; i < 5; i++) site.write(c, `${c} before ${i}`);
    const secrets = new PlainFileSecretStore(`${temp.dir}/secrets.json`);
    const { mirror, service, close } = startFakeSiteService(temp.file, secrets, site.connector);
    cleanups.push(close);
    const account = mirror.accounts.create({ kind: 'portfolio', name: 'Paged', baseUrl: 'http://p' }, 1);
    secrets.set(`account:${account.id}:token`, 'token');
    await service.startAll();
    await waitFor(() => service.connectionOf(account.id)?.state === 'live', 5000, 'live');
    const mirrored = (c: string) => mirror.messages.all(mirror.conversations.findByRemote(account.id, c)!.id).map((m) => m.content);
    const siteHas = (c: string) => site.stored.get(c)!.map((m) => m.content);
    await waitFor(() => CONVERSATIONS.every((c) => mirrored(c).length === 5), 5000, 'first sync');

    // The sockets were down: 250 messages were written into each meanwhile (2.5 pages of a walk).
    for (const c of CONVERSATIONS) for (let i = 0; i < 250; i++) site.write(c, `${c} while down ${i}`);
    // They reopen together: "stale", then a new message delivered live at once on each.
    for (const c of CONVERSATIONS) {
      site.sink!.stale(c);
      site.sink!.messages(c, [site.write(c, `${c} live after reopening`)]);
    }

    await waitFor(() => CONVERSATIONS.every((c) => mirrored(c).length === siteHas(c).length), 10_000, 'every message mirrored');
    for (const c of CONVERSATIONS) expect(mirrored(c)).toEqual(siteHas(c));
  });
});
