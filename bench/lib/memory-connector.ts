// A connector that serves a backend's history from memory, so the real sync engine (AccountSync)
// can be timed writing to the mirror without a network in the way. It keeps the portfolio
// connector's capabilities and paging (cursor catch-up, pages of at most `limit`).
import type { Connector, ConnectorCapabilities, ConnectorSink, Page } from '../../src/main/core/connectors/connector';
import type { RemoteConversation, RemoteMessage } from '../../src/main/core/mirror/types';

export class MemoryConnector implements Connector {
  readonly capabilities: ConnectorCapabilities = { serverStatus: true, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox' };
  sink: ConnectorSink | null = null;

  constructor(
    private readonly conversations: RemoteConversation[],
    /** Messages per conversation remote id, oldest first. */
    private readonly messages: Map<string, RemoteMessage[]>,
    private readonly listPage = 100,
  ) {}

  async connect(sink: ConnectorSink): Promise<void> {
    this.sink = sink;
    sink.link('connected');
    sink.gap('connected');
  }

  async disconnect(): Promise<void> {
    this.sink?.link('offline');
    this.sink = null;
  }

  async listConversations({ page }: { since: string | null; page: string | null }): Promise<Page<RemoteConversation> & { watermark: string | null }> {
    const from = page ? Number(page) : 0;
    const items = this.conversations.slice(from, from + this.listPage);
    const next = from + this.listPage < this.conversations.length ? String(from + this.listPage) : null;
    return { items, next, watermark: null };
  }

  async messagesAfter(remoteId: string, afterRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>> {
    const all = this.messages.get(remoteId) ?? [];
    const from = afterRemoteId === null ? 0 : all.findIndex((m) => m.remoteId === afterRemoteId) + 1;
    const items = all.slice(from, from + limit);
    return { items, next: from + limit < all.length ? (items.at(-1)?.remoteId ?? null) : null };
  }

  async messagesBefore(): Promise<Page<RemoteMessage>> {
    return { items: [], next: null };
  }

  async sendReply(): Promise<RemoteMessage> {
    throw new Error('not used by the benchmarks');
  }

  async setStatus(): Promise<void> {}
  async markRead(): Promise<void> {}
  sendTyping(): void {}
  async setAvailability(): Promise<void> {}
  watch(): void {}
}
