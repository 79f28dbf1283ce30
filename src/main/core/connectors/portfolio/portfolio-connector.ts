// The portfolio site's live chat (backends.md §1): REST for history and actions, one Pusher
// connection for realtime. It subscribes to the admin channels always, and to a conversation's
// own channel only while that conversation is open (typing and read receipts), so an inbox with
// thousands of conversations does not hold thousands of subscriptions.
import type { Channel, default as Pusher } from 'pusher-js';
import { z } from 'zod';
import type { Availability, ConversationStatus } from '../../../../shared/domain';
import type { RemoteConversation, RemoteMessage } from '../../mirror/types';
import { ConnectorError, type Connector, type ConnectorCapabilities, type ConnectorSink, type Page } from '../connector';
import { AlertCheck } from './alert-check';
import { portfolioCapabilities } from './capabilities';
import { Backoff } from '../../sync/backoff';
import { realTimers, type Timers } from '../../sync/timers';
import { PROBE_BACKOFF, SubscriptionRetry, bindParsed, probeDelay, pusherFactory, pusherOptions, unref, type LinkDeps } from './pusher-link';
import { checkMessagePage } from './message-page-check';
import { RestClient } from './rest-client';
import {
  ConfigResult,
  ConversationUpdatedEvent,
  LoginResult,
  ConversationsResult,
  MessageAlertEvent,
  MessageReadEvent,
  MessagesResult,
  NewConversationEvent,
  SendResult,
  TypingEvent,
  VisitorOnlineEvent,
  WireConversation,
  WireMessage,
  WireMessages,
  toRemoteConversation,
  toRemoteMessage,
} from './wire';

export const ADMIN_CHANNEL = 'private-admin-notifications';
export const PRESENCE_CHANNEL = 'presence-admin-chat';
const conversationChannel = (remoteId: string) => `private-conversation-${remoteId}`;

export interface PusherSettings {
  key: string;
  cluster: string;
  wsHost?: string;
  wsPort?: number;
  forceTLS?: boolean;
}

export interface PortfolioConnectorOptions extends LinkDeps {
  baseUrl: string;
  pusher: PusherSettings;
  /** The backend implements backends.md §1's extensions (after=, updatedSince=, clientMessageId). */
  extensions: boolean;
  token: () => string | undefined;
  log?: (message: string) => void;
  fetch?: typeof fetch;
}

const PAGE_SIZE = 100;
const UNAVAILABLE_AFTER_MS = 10_000;

export class PortfolioConnector implements Connector {
  readonly capabilities: ConnectorCapabilities;
  private readonly rest: RestClient;
  private pusher: Pusher | null = null;
  /** Counts connects and disconnects: a connect still loading the SDK sees it was overtaken. */
  private links = 0;
  private sink: ConnectorSink | null = null;
  /** Open conversations; null until their channel is subscribed (no connection yet). */
  private watched = new Map<string, Channel | null>();
  private availability: Availability = 'online';
  private probeTimer: unknown = null;
  private readonly probes: Backoff;
  /** Refused subscriptions in a row (any channel); reset when one succeeds. */
  private readonly resubscribes: SubscriptionRetry;
  private downSince: number | null = null;
  /** Open conversations' delivered visitor messages, waiting for their alerts (see alert-check.ts). */
  private readonly alerts: AlertCheck;
  private readonly timers: Timers;
  private readonly clock: () => number;

  constructor(private readonly options: PortfolioConnectorOptions) {
    this.rest = new RestClient({ baseUrl: options.baseUrl, token: options.token, ...(options.fetch ? { fetch: options.fetch } : {}) });
    this.capabilities = portfolioCapabilities(options.extensions);
    this.timers = options.timers ?? realTimers;
    this.clock = options.clock ?? Date.now;
    this.probes = new Backoff(PROBE_BACKOFF, options.random);
    this.resubscribes = new SubscriptionRetry(this.timers, options.random);
    this.alerts = new AlertCheck(this.clock);
  }

  async connect(sink: ConnectorSink): Promise<void> {
    await this.disconnect();
    this.sink = sink;
    const link = ++this.links;
    const { pusher: p } = this.options;
    const create = await pusherFactory(this.options);
    if (this.links !== link) return; // disconnected, or connected again, while the SDK loaded
    const pusher = create(p.key, {
      ...pusherOptions(p),
      channelAuthorization: {
        endpoint: new URL('/api/pusher/auth', this.options.baseUrl).toString(),
        transport: 'ajax',
        headersProvider: () => ({ Authorization: `Bearer ${this.options.token() ?? ''}` }),
      },
    });
    this.pusher = pusher;

    pusher.connection.bind('state_change', ({ current }: { current: string }) => {
      if (current === 'connected') {
        this.probes.succeeded();
        this.downSince = null;
        sink.link('connected');
      } else if (current === 'connecting') {
        this.downSince ??= this.clock();
        // The probe restarts pusher-js's attempt, which also restarts its 10 s "unavailable"
        // timer: keep reporting unavailable once the link has been down that long.
        if (this.clock() - this.downSince > UNAVAILABLE_AFTER_MS) sink.link('unavailable', 'The realtime server cannot be reached; retrying.');
        else sink.link('connecting');
        this.scheduleProbe(pusher);
      } else if (current === 'unavailable') {
        this.downSince ??= this.clock();
        sink.link('unavailable', 'The realtime server cannot be reached; retrying.');
        this.scheduleProbe(pusher);
      } else if (current === 'failed') sink.link('unavailable', 'This system cannot use the realtime transport.');
    });
    pusher.connection.bind('error', (error: { data?: { code?: number; message?: string } }) => {
      const code = error?.data?.code;
      if (code === 4009) sink.link('auth-expired', 'The realtime server refused the sign-in.');
      else if (code !== undefined && code >= 4000 && code < 4100) sink.link('unavailable', error.data?.message ?? `Refused (${code}).`);
    });

    const admin = pusher.subscribe(ADMIN_CHANNEL);
    admin.bind('pusher:subscription_succeeded', () => {
      this.resubscribes.succeeded();
      sink.gap('subscribed to admin notifications');
    });
    admin.bind('pusher:subscription_error', (e: { status?: number; error?: string }) => this.onSubscriptionError(e, admin));
    this.bindParsed(admin, 'new-conversation', NewConversationEvent, (e) => {
      sink.conversation({ remoteId: String(e.conversationId), visitorName: e.visitorName ?? null, createdAt: Date.parse(e.createdAt) });
      sink.stale(String(e.conversationId));
    });
    this.bindParsed(admin, 'new-message-alert', MessageAlertEvent, (e) => {
      // An open conversation's channel carries the message itself, ahead of this alert on the
      // same socket: fetching it again cost a REST round trip per message of the busiest
      // conversation (bench: live latency). Unless the channel never brought it (alert-check.ts).
      const remoteId = String(e.conversationId);
      if (this.watched.get(remoteId)?.subscribed && this.alerts.alerted(remoteId, e.messagePreview)) return;
      sink.stale(remoteId);
    });
    this.bindParsed(admin, 'conversation-updated', ConversationUpdatedEvent, (e) => sink.patch(String(e.conversationId), { serverStatus: e.status }));
    this.bindParsed(admin, 'visitor-online', VisitorOnlineEvent, (e) => sink.patch(String(e.conversationId), { visitorOnline: e.online }));

    if (this.availability !== 'offline') this.joinPresence();
    for (const remoteId of [...this.watched.keys()]) this.subscribeConversation(remoteId);
  }

  async disconnect(): Promise<void> {
    this.links++;
    const pusher = this.pusher;
    this.pusher = null;
    if (this.probeTimer) this.timers.clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.probes.succeeded();
    this.downSince = null;
    this.watched = new Map([...this.watched.keys()].map((k) => [k, null]));
    this.alerts.forget();
    if (pusher) pusher.disconnect();
    this.sink?.link('offline');
  }

  /**
   * pusher-js waits up to ~15 s between attempts once the server has gone away, so a restarted
   * server would leave a long gap. While the link is down, restart the attempt (PROBE_BACKOFF;
   * channels stay bound and are resubscribed on connect, which reports the gap).
   */
  private scheduleProbe(pusher: Pusher): void {
    if (this.probeTimer || this.pusher !== pusher) return;
    const delay = probeDelay(this.probes, this.downSince === null ? 0 : this.clock() - this.downSince);
    this.probeTimer = this.timers.setTimeout(() => {
      this.probeTimer = null;
      if (this.pusher !== pusher) return;
      const state = pusher.connection.state;
      if (state !== 'connecting' && state !== 'unavailable') return;
      pusher.disconnect();
      pusher.connect();
      this.scheduleProbe(pusher);
    }, delay);
    unref(this.probeTimer);
  }

  private onSubscriptionError(e: { status?: number; error?: string }, channel?: Channel): void {
    if (e?.status === 401 || e?.status === 403) {
      this.sink?.link('auth-expired', 'The site refused the realtime sign-in; sign in again.');
      return;
    }
    this.sink?.warn(`Realtime subscription failed: ${e?.error ?? e?.status ?? 'unknown'}; retrying`);
    // A transient refusal (the site down for a moment) is not final: pusher-js would never retry
    // on its own while the socket stays up, and the account would never catch up.
    const pusher = this.pusher;
    if (!channel || !pusher) return;
    this.resubscribes.later(pusher, channel, () => this.pusher);
  }

  /** Binds an event whose payload is checked first; malformed payloads are skipped and reported. */
  private bindParsed<T extends z.ZodType>(channel: Channel, event: string, schema: T, handler: (data: z.output<T>) => void): void {
    bindParsed(channel, event, schema, (message) => this.sink?.warn(message), handler);
  }

  private joinPresence(): void {
    const presence = this.pusher?.subscribe(PRESENCE_CHANNEL);
    if (presence) presence.bind('pusher:subscription_error', (e: { status?: number; error?: string }) => this.onSubscriptionError(e, presence));
  }

  private subscribeConversation(remoteId: string): void {
    const pusher = this.pusher;
    if (!pusher) return;
    const channel = pusher.subscribe(conversationChannel(remoteId));
    this.watched.set(remoteId, channel);
    channel.bind('pusher:subscription_succeeded', () => {
      this.resubscribes.succeeded();
      this.alerts.forget(remoteId);
      this.sink?.stale(remoteId);
    });
    channel.bind('pusher:subscription_error', (e: { status?: number; error?: string }) => this.onSubscriptionError(e, channel));
    this.bindParsed(channel, 'new-message', WireMessage, (m) => {
      if (m.senderType === 'visitor') this.alerts.delivered(remoteId, m.content);
      this.sink?.messages(remoteId, [toRemoteMessage(m)]);
    });
    this.bindParsed(channel, 'message-read', MessageReadEvent, (e) =>
      this.sink?.read(remoteId, e.messageIds.map(String), Date.parse(e.readAt), e.readerType ?? 'visitor'),
    );
    this.bindParsed(channel, 'client-typing', TypingEvent, (e) => this.sink?.typing(remoteId, e.senderType, e.isTyping));
  }

  watch(remoteIds: string[]): void {
    const wanted = new Set(remoteIds);
    for (const [remoteId] of this.watched) {
      if (!wanted.has(remoteId)) {
        this.pusher?.unsubscribe(conversationChannel(remoteId));
        this.watched.delete(remoteId);
        this.alerts.forget(remoteId);
      }
    }
    for (const remoteId of wanted) {
      if (!this.watched.has(remoteId)) {
        if (this.pusher) this.subscribeConversation(remoteId);
        else this.watched.set(remoteId, null);
      }
    }
  }

  async listConversations({ since, page }: { since: string | null; page: string | null }): Promise<Page<RemoteConversation> & { watermark: string | null }> {
    const pageNo = page ? Number(page) : 1;
    const query = new URLSearchParams({ status: 'all', limit: String(PAGE_SIZE), page: String(pageNo) });
    if (since && this.options.extensions) query.set('updatedSince', since);
    const data = await this.rest.request('GET', `/api/chat/conversations?${query}`, ConversationsResult);
    const items: RemoteConversation[] = [];
    let watermark: string | null = null;
    for (const raw of data.conversations) {
      const parsed = WireConversation.safeParse(raw);
      if (!parsed.success) {
        this.options.log?.('portfolio: skipped a malformed conversation');
        continue;
      }
      items.push(toRemoteConversation(parsed.data));
      const stamp = parsed.data.updatedAt ?? parsed.data.lastMessageAt ?? null;
      if (stamp && (!watermark || Date.parse(stamp) > Date.parse(watermark))) watermark = stamp;
    }
    return { items, next: pageNo < data.pagination.totalPages ? String(pageNo + 1) : null, watermark };
  }

  private async messages(query: URLSearchParams): Promise<{ items: RemoteMessage[]; hasMore: boolean; nextCursor: number | null }> {
    const data = await this.rest.request('GET', `/api/chat/messages?${query}`, MessagesResult);
    // The whole page at once in one plain pass (the usual case); a page it is unsure of through
    // zod; one with a malformed message, one by one.
    const checked = checkMessagePage(data.messages);
    if (checked) return { items: checked, hasMore: data.hasMore, nextCursor: data.nextCursor ?? null };
    const page = WireMessages.safeParse(data.messages);
    if (page.success) return { items: page.data.map(toRemoteMessage), hasMore: data.hasMore, nextCursor: data.nextCursor ?? null };
    const items: RemoteMessage[] = [];
    for (const raw of data.messages) {
      const parsed = WireMessage.safeParse(raw);
      if (parsed.success) items.push(toRemoteMessage(parsed.data));
      else this.options.log?.('portfolio: skipped a malformed message');
    }
    return { items, hasMore: data.hasMore, nextCursor: data.nextCursor ?? null };
  }

  async messagesAfter(remoteId: string, afterRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>> {
    if (!this.options.extensions) throw new ConnectorError('rejected', 'This backend cannot fetch messages after a cursor.');
    const page = await this.messages(new URLSearchParams({ conversationId: remoteId, limit: String(limit), after: afterRemoteId ?? '0' }));
    const last = page.items.at(-1);
    return { items: page.items, next: page.hasMore && last ? last.remoteId : null };
  }

  async messagesBefore(remoteId: string, beforeRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>> {
    const query = new URLSearchParams({ conversationId: remoteId, limit: String(limit) });
    if (beforeRemoteId) query.set('before', beforeRemoteId);
    const page = await this.messages(query);
    return { items: page.items, next: page.hasMore && page.nextCursor !== null ? String(page.nextCursor) : null };
  }

  async sendReply(remoteId: string, content: string, clientId: string): Promise<RemoteMessage> {
    const body: Record<string, unknown> = { conversationId: Number(remoteId), content };
    if (this.options.extensions) body.clientMessageId = clientId;
    const data = await this.rest.request('POST', '/api/chat/send', SendResult, body);
    return toRemoteMessage({ ...data, id: data.messageId, clientMessageId: data.clientMessageId ?? clientId });
  }

  async setStatus(remoteId: string, status: ConversationStatus): Promise<void> {
    await this.rest.request('PATCH', `/api/chat/conversations/${encodeURIComponent(remoteId)}`, z.object({ status: z.string() }), { status });
  }

  async markRead(remoteId: string, messageRemoteIds: string[]): Promise<void> {
    if (!this.options.extensions || messageRemoteIds.length === 0) return;
    await this.rest.request('POST', '/api/chat/messages/read', z.unknown(), {
      conversationId: Number(remoteId),
      messageIds: messageRemoteIds.map(Number),
    });
  }

  sendTyping(remoteId: string, isTyping: boolean): void {
    const channel = this.watched.get(remoteId);
    if (channel?.subscribed) channel.trigger('client-typing', { senderType: 'admin', isTyping });
  }

  async setAvailability(availability: Availability): Promise<void> {
    this.availability = availability;
    if (!this.pusher) return;
    if (availability === 'offline') this.pusher.unsubscribe(PRESENCE_CHANNEL);
    else if (!this.pusher.channel(PRESENCE_CHANNEL)?.subscribed) this.joinPresence();
  }
}

/** Signs in with the admin's email and password; returns the JWT. */
export async function signInPortfolio(baseUrl: string, email: string, password: string, fetchFn?: typeof fetch): Promise<{ token: string; expiresAt: number | null }> {
  const rest = new RestClient({ baseUrl, token: () => undefined, ...(fetchFn ? { fetch: fetchFn } : {}) });
  const data = await rest.request('POST', '/api/admin/login', LoginResult, { email, password }, false);
  return { token: data.token, expiresAt: data.expiresAt ? Date.parse(data.expiresAt) : null };
}

/** Realtime settings from the site itself, or null where the backend has no discovery endpoint. */
export async function discoverPortfolio(baseUrl: string, fetchFn?: typeof fetch): Promise<PusherSettings | null> {
  const rest = new RestClient({ baseUrl, token: () => undefined, ...(fetchFn ? { fetch: fetchFn } : {}) });
  try {
    const data = await rest.request('GET', '/api/chat/config', ConfigResult, undefined, false);
    return data.pusher;
  } catch (error) {
    if (error instanceof ConnectorError && error.kind === 'rejected') return null;
    throw error;
  }
}
