// A connector over an in-memory "server", for driving the sync engine and the outbox without a
// network. It records every call (and how it ended), answers like a backend with cursors or
// page-back history, and does NOT deduplicate replies by client id: a resend shows up as a
// second message, so "once each" is something a test can check. Calls can be made to fail or
// be held with `next` and `hold`.
import type { Availability, ConversationStatus } from '../../src/shared/domain';
import type { Connector, ConnectorCapabilities, ConnectorSink, Page } from '../../src/main/core/connectors/connector';
import type { RemoteConversation, RemoteMessage } from '../../src/main/core/mirror/types';

export type FakeMethod = 'connect' | 'disconnect' | 'listConversations' | 'messagesAfter' | 'messagesBefore' | 'sendReply' | 'setStatus' | 'markRead';

export interface FakeCall {
  method: FakeMethod | 'sendTyping' | 'setAvailability' | 'watch';
  args: unknown[];
  /** 'pending' while it runs; the error's message when it threw. */
  outcome: 'pending' | 'ok' | string;
}

interface ServerConversation extends RemoteConversation {
  updatedAt: number;
  messages: RemoteMessage[];
}

export class FakeConnector implements Connector {
  readonly capabilities: ConnectorCapabilities;
  readonly calls: FakeCall[] = [];
  sink: ConnectorSink | null = null;
  /** The server's conversations by remote id, messages oldest first. */
  readonly server = new Map<string, ServerConversation>();
  /** Conversations per listConversations page. */
  listPageSize = 100;
  /** What connect() reports; by default connected, then a gap (like a subscription succeeding). */
  onConnect: (sink: ConnectorSink) => void = (sink) => {
    sink.link('connected');
    sink.gap('connected');
  };
  private serverClock = 1_000;
  private nextMessageId = 1;
  private readonly scripted = new Map<FakeMethod, ((args: unknown[]) => Promise<void> | void)[]>();

  constructor(capabilities: Partial<ConnectorCapabilities> = {}) {
    this.capabilities = { serverStatus: true, idempotentSend: true, catchUp: 'cursor', readReceipts: true, typing: true, shape: 'inbox', ...capabilities };
  }

  // ---------------------------------------------------------------- the server side
  addConversation(remoteId: string, fields: Partial<RemoteConversation> = {}): ServerConversation {
    const at = ++this.serverClock;
    const c: ServerConversation = { remoteId, visitorName: `Visitor ${remoteId}`, serverStatus: 'active', createdAt: at, lastMessageAt: at, ...fields, updatedAt: at, messages: [] };
    this.server.set(remoteId, c);
    return c;
  }

  /** A visitor (or admin) message stored on the server; the conversation's activity moves. */
  addMessage(remoteId: string, content: string, fields: Partial<RemoteMessage> = {}): RemoteMessage {
    const c = this.server.get(remoteId) ?? this.addConversation(remoteId);
    const at = ++this.serverClock;
    const id = this.nextMessageId++;
    const m: RemoteMessage = { remoteId: String(id), seq: id, senderType: 'visitor', content, createdAt: at, ...fields };
    c.messages.push(m);
    c.lastMessageAt = at;
    c.lastMessagePreview = content;
    c.updatedAt = at;
    return m;
  }

  /** Runs `fn` at the start of the next call of `method` (throw to fail it, await to hold it). */
  next(method: FakeMethod, fn: (args: unknown[]) => Promise<void> | void): this {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), fn]);
    return this;
  }

  /**
   * Holds the next call of `method` until release(); `reached` resolves once it is held. Then
   * `after` runs (throw to fail the call once released).
   */
  hold(method: FakeMethod, after?: () => void): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const reachedPromise = new Promise<void>((r) => (reached = r));
    this.next(method, async () => {
      reached();
      await held;
      after?.();
    });
    return { reached: reachedPromise, release };
  }

  count(method: FakeCall['method'], outcome?: 'ok'): number {
    return this.calls.filter((c) => c.method === method && (!outcome || c.outcome === outcome)).length;
  }

  private async call<T>(method: FakeMethod, args: unknown[], body: () => T): Promise<T> {
    const call: FakeCall = { method, args, outcome: 'pending' };
    this.calls.push(call);
    try {
      const script = this.scripted.get(method)?.shift();
      if (script) await script(args);
      const result = body();
      call.outcome = 'ok';
      return result;
    } catch (error) {
      call.outcome = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  // ---------------------------------------------------------------- Connector
  connect(sink: ConnectorSink): Promise<void> {
    return this.call('connect', [], () => {
      this.sink = sink;
      this.onConnect(sink);
    });
  }

  disconnect(): Promise<void> {
    return this.call('disconnect', [], () => {
      this.sink?.link('offline');
      this.sink = null;
    });
  }

  listConversations(options: { since: string | null; page: string | null }): Promise<Page<RemoteConversation> & { watermark: string | null }> {
    return this.call('listConversations', [options], () => {
      const since = options.since === null ? -Infinity : Date.parse(options.since);
      const all = [...this.server.values()].filter((c) => c.updatedAt > since).sort((a, b) => b.updatedAt - a.updatedAt);
      const start = options.page ? Number(options.page) : 0;
      const slice = all.slice(start, start + this.listPageSize);
      const watermark = slice.reduce<number | null>((w, c) => (w === null || c.updatedAt > w ? c.updatedAt : w), null);
      return {
        items: slice.map(({ messages: _m, updatedAt: _u, ...c }) => ({ ...c })),
        next: start + this.listPageSize < all.length ? String(start + this.listPageSize) : null,
        // A real ISO time, as portfolio sends: the engine compares watermarks with Date.parse.
        watermark: watermark === null ? null : new Date(watermark).toISOString(),
      };
    });
  }

  messagesAfter(remoteId: string, afterRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>> {
    return this.call('messagesAfter', [remoteId, afterRemoteId, limit], () => {
      const messages = this.server.get(remoteId)?.messages ?? [];
      const from = afterRemoteId === null ? 0 : messages.findIndex((m) => m.remoteId === afterRemoteId) + 1;
      const items = messages.slice(from, from + limit);
      return { items: items.map((m) => ({ ...m })), next: from + limit < messages.length ? items.at(-1)!.remoteId : null };
    });
  }

  messagesBefore(remoteId: string, beforeRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>> {
    return this.call('messagesBefore', [remoteId, beforeRemoteId, limit], () => {
      const newestFirst = [...(this.server.get(remoteId)?.messages ?? [])].reverse();
      const from = beforeRemoteId === null ? 0 : newestFirst.findIndex((m) => m.remoteId === beforeRemoteId) + 1;
      const items = newestFirst.slice(from, from + limit);
      return { items: items.map((m) => ({ ...m })), next: from + limit < newestFirst.length ? items.at(-1)!.remoteId : null };
    });
  }

  /** Stores every reply it is sent, even one with a client id it has seen: no deduplication. */
  sendReply(remoteId: string, content: string, clientId: string): Promise<RemoteMessage> {
    return this.call('sendReply', [remoteId, content, clientId], () => ({ ...this.addMessage(remoteId, content, { senderType: 'admin', clientId }) }));
  }

  setStatus(remoteId: string, status: ConversationStatus): Promise<void> {
    return this.call('setStatus', [remoteId, status], () => {
      const c = this.server.get(remoteId);
      if (c) Object.assign(c, { serverStatus: status, updatedAt: ++this.serverClock });
    });
  }

  markRead(remoteId: string, messageRemoteIds: string[]): Promise<void> {
    return this.call('markRead', [remoteId, messageRemoteIds], () => {
      for (const m of this.server.get(remoteId)?.messages ?? []) if (messageRemoteIds.includes(m.remoteId)) m.readAt ??= ++this.serverClock;
    });
  }

  sendTyping(remoteId: string, isTyping: boolean): void {
    this.calls.push({ method: 'sendTyping', args: [remoteId, isTyping], outcome: 'ok' });
  }

  async setAvailability(availability: Availability): Promise<void> {
    this.calls.push({ method: 'setAvailability', args: [availability], outcome: 'ok' });
  }

  watch(remoteIds: string[]): void {
    this.calls.push({ method: 'watch', args: [remoteIds], outcome: 'ok' });
  }

  /** The server's messages of one conversation, as (remote id, content) pairs, oldest first. */
  contents(remoteId: string): string[] {
    return (this.server.get(remoteId)?.messages ?? []).map((m) => m.content);
  }
}
