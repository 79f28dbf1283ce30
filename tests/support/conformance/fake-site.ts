// A site in memory for the capability combinations no reference backend has: no server status,
// no idempotent send, page-back or poll-only catch-up, a notification feed. It stores whatever
// it is sent — duplicates included, so a resend cannot hide — and its kind is registered with
// the core like a real one (as 'portfolio', the kind the contract already accepts).
import { ConnectorError, type Connector, type ConnectorSink } from '../../../src/main/core/connectors/connector';
import type { KindDefinition } from '../../../src/main/core/connectors/registry';
import type { RemoteFeedEntry, RemoteMessage } from '../../../src/main/core/mirror/types';
import type { Capabilities } from '../../../src/shared/domain';
import type { ConformanceSite, ConformanceSubject } from './site';

interface FakeConversation {
  status: string;
  createdAt: number;
  messages: (RemoteMessage & { read?: boolean })[];
}

export class FakeSite {
  readonly conversations = new Map<string, FakeConversation>();
  readonly feed: RemoteFeedEntry[] = [];
  sink: ConnectorSink | null = null;
  realtime = true;
  expired = false;
  holding = false;
  typingSeen = new Set<string>();
  private seq = 0;

  readonly connector: Connector;

  constructor(readonly capabilities: Capabilities) {
    this.connector = this.makeConnector();
  }

  private stamp(): number {
    return Date.now() * 1000 + ++this.seq;
  }

  private check(): void {
    if (this.expired) throw new ConnectorError('auth', 'token expired');
  }

  private conversation(remoteId: string): FakeConversation {
    const c = this.conversations.get(remoteId);
    if (!c) throw new ConnectorError('rejected', `no conversation ${remoteId}`);
    return c;
  }

  private live(): boolean {
    return this.realtime && this.sink !== null && this.capabilities.catchUp !== 'poll';
  }

  visitorWrites(text: string, remoteId?: string): string {
    if (this.capabilities.shape === 'feed') {
      const entry: RemoteFeedEntry = { remoteId: `n${++this.seq}`, type: 'notice', title: text, body: '', createdAt: Date.now() + this.seq };
      this.feed.push(entry);
      if (this.realtime && this.sink) this.sink.feed([entry]);
      return entry.remoteId;
    }
    const id = remoteId ?? `c${++this.seq}`;
    let c = this.conversations.get(id);
    if (!c) {
      c = { status: 'active', createdAt: Date.now(), messages: [] };
      this.conversations.set(id, c);
      if (this.live()) this.sink!.conversation({ remoteId: id, createdAt: c.createdAt, ...(this.capabilities.serverStatus ? { serverStatus: 'active' as const } : { serverStatus: null }) });
    }
    const m: RemoteMessage = { remoteId: String(this.stamp()), senderType: 'visitor', content: text, createdAt: Date.now() + this.seq };
    c.messages.push(m);
    if (this.live()) this.sink!.messages(id, [m]);
    return id;
  }

  private page(c: FakeConversation, before: string | null, limit: number) {
    const newestFirst = [...c.messages].reverse();
    const start = before ? newestFirst.findIndex((m) => m.remoteId === before) + 1 : 0;
    const items = newestFirst.slice(start, start + limit).map(({ read: _read, ...m }) => m);
    return { items, next: start + limit < newestFirst.length ? (items.at(-1)?.remoteId ?? null) : null };
  }

  private makeConnector(): Connector {
    return {
    capabilities: this.capabilities,
    connect: async (sink) => {
      this.sink = sink;
      if (this.expired) return sink.link('auth-expired', 'token expired');
      if (!this.realtime) return sink.link('unavailable', 'down');
      sink.link('connected');
      sink.gap('connected');
    },
    disconnect: async () => {
      this.sink = null;
    },
    listConversations: async () => {
      this.check();
      return {
        items: [...this.conversations].map(([remoteId, c]) => ({
          remoteId,
          createdAt: c.createdAt,
          lastMessageAt: c.messages.at(-1)?.createdAt ?? c.createdAt,
          serverStatus: this.capabilities.serverStatus ? (c.status as 'active') : null,
        })),
        next: null,
        watermark: null,
      };
    },
    messagesAfter: async (remoteId, after, limit) => {
      this.check();
      const all = this.conversation(remoteId).messages;
      const start = after ? all.findIndex((m) => m.remoteId === after) + 1 : 0;
      const items = all.slice(start, start + limit).map(({ read: _read, ...m }) => m);
      return { items, next: start + limit < all.length ? (items.at(-1)?.remoteId ?? null) : null };
    },
    messagesBefore: async (remoteId, before, limit) => {
      this.check();
      return this.page(this.conversation(remoteId), before, limit);
    },
    sendReply: async (remoteId, content, clientId) => {
      this.check();
      const c = this.conversation(remoteId);
      const existing = this.capabilities.idempotentSend ? c.messages.find((m) => m.clientId === clientId) : undefined;
      const stored = existing ?? { remoteId: String(this.stamp()), senderType: 'admin' as const, content, createdAt: Date.now() + this.seq, ...(this.capabilities.idempotentSend ? { clientId } : {}) };
      if (!existing) c.messages.push(stored);
      if (this.holding) return new Promise<RemoteMessage>(() => {});
      return stored;
    },
    setStatus: async (remoteId, status) => {
      this.check();
      if (!this.capabilities.serverStatus) throw new ConnectorError('rejected', 'this site has no status');
      this.conversation(remoteId).status = status;
    },
    markRead: async (remoteId) => {
      this.check();
      for (const m of this.conversation(remoteId).messages) if (m.senderType === 'visitor') m.read = true;
    },
    sendTyping: (remoteId, isTyping) => {
      if (isTyping) this.typingSeen.add(remoteId);
    },
    setAvailability: async () => {},
    watch: () => {},
    ...(this.capabilities.shape === 'feed'
      ? {
          listFeed: async ({ page }: { page: string | null }) => {
            this.check();
            const newestFirst = [...this.feed].reverse();
            const start = page ? Number(page) : 0;
            return { items: newestFirst.slice(start, start + 20), next: start + 20 < newestFirst.length ? String(start + 20) : null };
          },
        }
      : {}),
    };
  }
}

function fakeKind(site: FakeSite): KindDefinition<'portfolio'> {
  return {
    kind: 'portfolio',
    capabilities: () => site.capabilities,
    connect: async (input) => ({ name: 'Fake', baseUrl: input.siteUrl, config: {}, credentials: { token: 'first' } }),
    signIn: async () => {
      site.expired = false;
      return { token: 'fresh' };
    },
    create: () => site.connector,
  };
}

const base: Capabilities = { serverStatus: true, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox' };

export const fakeSubject = (name: string, patch: Partial<Capabilities>): ConformanceSubject => ({
  name: `fake: ${name}`,
  capabilities: { ...base, ...patch },
  async start(): Promise<ConformanceSite> {
    const site = new FakeSite({ ...base, ...patch });
    const caps = site.capabilities;
    return {
      capabilities: caps,
      coreOptions: { kinds: [fakeKind(site)], pollIntervals: { focusedMs: 100, backgroundMs: 100, maxFocusedMs: 200, maxBackgroundMs: 200 } },
      async addAccount(core) {
        const r = await core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: 'https://fake.test', email: 'owner@example.com', password: 'pw' });
        if (!r.ok) throw new Error(r.error.message);
        return (r.value as { id: number }).id;
      },
      visitorWrites: async (text, remoteId) => site.visitorWrites(text, remoteId),
      serverMessages: async (id) => (site.conversations.get(id)?.messages ?? []).map((m) => ({ content: m.content, from: m.senderType === 'admin' ? 'owner' : 'other' })),
      ...(caps.serverStatus ? { serverStatus: async (id: string) => site.conversations.get(id)!.status } : {}),
      ...(caps.readReceipts ? { visitorMessagesRead: async (id: string) => site.conversations.get(id)!.messages.filter((m) => m.senderType === 'visitor').every((m) => m.read) } : {}),
      ...(caps.typing ? { visitorSawTyping: async (id: string) => site.typingSeen.has(id) } : {}),
      holdReplies: () => {
        site.holding = true;
      },
      releaseReplies: () => {
        site.holding = false;
      },
      dropRealtime: async () => {
        site.realtime = false;
        site.sink?.link('unavailable', 'the realtime server went away');
      },
      restoreRealtime: async () => {
        site.realtime = true;
        site.sink?.link('connected');
        site.sink?.gap('reconnected');
      },
      expireCredentials: async () => {
        site.expired = true;
      },
      signInInput: (accountId) => ({ kind: 'portfolio', accountId, email: 'owner@example.com', password: 'pw' }),
      close: async () => {},
    };
  },
});
