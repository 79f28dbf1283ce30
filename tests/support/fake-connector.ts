// A connector the test drives by hand: it records the sink, and REST answers come from the
// functions the test sets. For engine tests where the point is what a bad backend sends;
// the real reference backend is used wherever its behaviour is what is tested.
import type { Connector, ConnectorCapabilities, ConnectorSink, Page } from '../../src/main/core/connectors/connector';
import type { RemoteConversation, RemoteMessage } from '../../src/main/core/mirror/types';

export class FakeConnector implements Connector {
  sink: ConnectorSink | null = null;
  calls = { listConversations: 0, messagesAfter: 0, messagesBefore: 0 };
  capabilities: ConnectorCapabilities = { serverStatus: true, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox' };
  list: (options: { since: string | null; page: string | null }) => Promise<Page<RemoteConversation> & { watermark: string | null }> = async () => ({ items: [], next: null, watermark: null });
  after: (remoteId: string, after: string | null, limit: number) => Promise<Page<RemoteMessage>> = async () => ({ items: [], next: null });
  before: (remoteId: string, before: string | null, limit: number) => Promise<Page<RemoteMessage>> = async () => ({ items: [], next: null });

  constructor(patch: Partial<ConnectorCapabilities> = {}) {
    this.capabilities = { ...this.capabilities, ...patch };
  }

  async connect(sink: ConnectorSink): Promise<void> {
    this.sink = sink;
  }
  async disconnect(): Promise<void> {}
  listConversations(options: { since: string | null; page: string | null }) {
    this.calls.listConversations++;
    return this.list(options);
  }
  messagesAfter(remoteId: string, after: string | null, limit: number) {
    this.calls.messagesAfter++;
    return this.after(remoteId, after, limit);
  }
  messagesBefore(remoteId: string, before: string | null, limit: number) {
    this.calls.messagesBefore++;
    return this.before(remoteId, before, limit);
  }
  send: (remoteId: string, content: string, clientId: string) => Promise<RemoteMessage> = async () => {
    throw new Error('not used');
  };
  sendReply(remoteId: string, content: string, clientId: string): Promise<RemoteMessage> {
    return this.send(remoteId, content, clientId);
  }
  async setStatus(): Promise<void> {}
  async markRead(): Promise<void> {}
  sendTyping(): void {}
  async setAvailability(): Promise<void> {}
  watch(): void {}
}
