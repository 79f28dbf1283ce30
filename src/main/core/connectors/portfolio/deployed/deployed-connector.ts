// The portfolio site as deployed (backends.md §1 "As deployed"): the admin_session cookie on
// every request and on Pusher channel auth, per-status unpaged lists merged by id, whole
// histories fetched only for conversations that changed, AI replies as sender 'ai', mark-read,
// and the site's AI switch. No idempotent send, no read receipts, no catch-up cursor.
import type { Channel, default as Pusher } from 'pusher-js';
import { z } from 'zod';
import type { Availability, Capabilities, ConversationStatus } from '../../../../../shared/domain';
import type { RemoteConversation, RemoteMessage } from '../../../mirror/types';
import { ConnectorError, type Connector, type ConnectorSink, type Page } from '../../connector';
import type { PusherSettings } from '../portfolio-connector';
import { RestClient } from '../rest-client';
import { diffList, mergeStatusLists, STATUSES, type ListView } from './list-diff';
import { realTimers, type Timers } from '../../../sync/timers';
import { SubscriptionRetry, bindParsed, connectPusher, pusherFactory, unref, type LinkDeps } from '../pusher-link';
import { needsRenewal } from './session-token';
import {
  AiSettingsChangedEvent,
  AiTypingEvent,
  ConversationUpdatedEvent,
  DeployedConversation,
  DeployedMessage,
  DeployedSendResult,
  DeployedSettings,
  NewConversationEvent,
  TypingEvent,
  toRemoteConversation,
  toRemoteMessage,
} from './wire';

export const ADMIN_CHANNEL = 'private-admin-notifications';
export const PRESENCE_CHANNEL = 'presence-admin-chat';
const conversationChannel = (remoteId: string) => `private-conversation-${remoteId}`;
/** Status changes from elsewhere arrive as bare conversation-updated events: re-list at most this often. */
const LIST_REFRESH_MS = 5000;
/** How long a conversation is followed after activity: the site's AI answers within autoReplyDelay. */
const FOLLOW_MS = 30_000;

export const deployedCapabilities = (): Capabilities => ({
  serverStatus: true,
  idempotentSend: false,
  catchUp: 'page-back',
  readReceipts: false,
  typing: true,
  shape: 'inbox',
  startConversations: false,
  serverReadState: true,
  aiReplies: true,
});

export interface DeployedConnectorOptions extends LinkDeps {
  baseUrl: string;
  pusher: PusherSettings;
  /** The admin_session token in use now. */
  token: () => string | undefined;
  /** Renews the token (site secret) or rejects with ConnectorError('auth'). */
  refresh: () => Promise<unknown>;
  /** The token's expiry (epoch ms) and whether this account can renew it (site-secret mode). */
  expiresAt?: () => number | null;
  renewable?: () => boolean;
  log?: (message: string) => void;
  fetch?: typeof fetch;
}

export class DeployedPortfolioConnector implements Connector {
  readonly capabilities = deployedCapabilities();
  private readonly rest: RestClient;
  private readonly fetchFn: typeof fetch;
  private pusher: Pusher | null = null;
  /** Counts connects and disconnects: a connect still loading the SDK sees it was overtaken. */
  private links = 0;
  private sink: ConnectorSink | null = null;
  private watched = new Map<string, Channel | null>();
  private availability: Availability = 'online';
  /** What the last list said about each conversation. */
  private readonly view = new Map<number, ListView>();
  /** The whole history of a conversation fetched by the last messagesBefore(null), newest first. */
  private readonly histories = new Map<string, RemoteMessage[]>();
  private listTimer: unknown = null;
  private aiEnabled: boolean | null = null;
  private aiTyping = new Set<string>();
  private renewing: Promise<unknown> | null = null;
  /** Conversations subscribed for a while after activity (see activity()). */
  private readonly followed = new Map<string, unknown>();
  private readonly timers: Timers;
  private readonly clock: () => number;
  private readonly resubscribes: SubscriptionRetry;
  /** The last channel auth was refused for good (auth-expired): refusals are not retried then. */
  private authRefused = false;

  constructor(private readonly options: DeployedConnectorOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.timers = options.timers ?? realTimers;
    this.clock = options.clock ?? Date.now;
    this.resubscribes = new SubscriptionRetry(this.timers, options.random);
    this.rest = new RestClient({
      baseUrl: options.baseUrl,
      token: options.token,
      authHeaders: (token) => ({ Cookie: `admin_session=${token}` }),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** Requests refused at the same moment share one renewal. */
  private renew(): Promise<unknown> {
    this.renewing ??= this.options.refresh().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  /** One request; a 401 renews the session once (site secret) before it counts as signed out. */
  private async call<T extends z.ZodType>(method: 'GET' | 'POST' | 'PATCH', path: string, schema: T, body?: unknown): Promise<z.output<T>> {
    if (this.options.renewable?.() && needsRenewal(this.options.expiresAt?.(), this.clock())) {
      // Renewed ahead of the end; a failure here is retried on the 401 that follows.
      await this.renew().catch((error: unknown) => this.options.log?.(`portfolio (deployed): early renewal failed: ${String(error)}`));
    }
    const used = this.options.token();
    try {
      return await this.rest.request(method, path, schema, body);
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.kind !== 'auth') throw error;
      // Renewed meanwhile by another request: just try again with the new token.
      if (this.options.token() === used) await this.renew();
      return this.rest.request(method, path, schema, body);
    }
  }

  /** pusher-js's Node XHR will not send a Cookie header: channel auth goes through fetch. */
  private async authorize(socketId: string, channelName: string, renewed = false): Promise<{ auth: string; channel_data?: string }> {
    const token = this.options.token();
    const res = await this.fetchFn(new URL('/api/pusher/auth', this.options.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(token ? { Cookie: `admin_session=${token}` } : {}) },
      body: new URLSearchParams({ socket_id: socketId, channel_name: channelName }).toString(),
      signal: AbortSignal.timeout(15_000),
      redirect: 'error',
    });
    if ((res.status === 401 || res.status === 403) && !renewed) {
      try {
        await this.renew();
      } catch {
        this.authRefused = true;
        this.sink?.link('auth-expired', 'The site refused the realtime sign-in; sign in again.');
        throw new Error(`auth ${res.status}`);
      }
      return this.authorize(socketId, channelName, true);
    }
    if (res.status === 401 || res.status === 403) {
      this.authRefused = true;
      this.sink?.link('auth-expired', 'The site refused the realtime sign-in; sign in again.');
    }
    if (!res.ok) throw new Error(`channel auth answered ${res.status}`);
    this.authRefused = false;
    return (await res.json()) as { auth: string; channel_data?: string };
  }

  async connect(sink: ConnectorSink): Promise<void> {
    await this.disconnect();
    this.sink = sink;
    const link = ++this.links;
    const { timers, clock, random } = this.options;
    const createPusher = await pusherFactory(this.options);
    if (this.links !== link) return; // disconnected, or connected again, while the SDK loaded
    const pusher = connectPusher(this.options.pusher, sink, (socketId, channel) => this.authorize(socketId, channel), { createPusher, timers, clock, random });
    this.pusher = pusher;
    const warn = (m: string) => sink.warn(m);

    const admin = this.subscribe(pusher, ADMIN_CHANNEL);
    admin.bind('pusher:subscription_succeeded', () => sink.gap('subscribed to admin notifications'));
    admin.bind('pusher:subscription_error', (e: { error?: string; status?: number }) => sink.warn(`Realtime subscription to admin notifications failed: ${e?.error ?? e?.status ?? 'unknown'}; retrying`));
    bindParsed(admin, 'new-conversation', NewConversationEvent, warn, (e) => {
      sink.conversation({ remoteId: String(e.conversationId), visitorName: e.visitorName ?? null, createdAt: Date.parse(e.createdAt) });
      this.activity(String(e.conversationId));
    });
    bindParsed(admin, 'conversation-updated', ConversationUpdatedEvent, warn, (e) => {
      this.activity(String(e.conversationId));
      // No status in the event: a status changed elsewhere shows up in the next list.
      this.scheduleListRefresh();
    });
    bindParsed(admin, 'ai-settings-changed', AiSettingsChangedEvent, warn, (e) => {
      this.aiEnabled = e.aiEnabled;
      sink.aiReplies?.(e.aiEnabled);
    });
    if (this.availability !== 'offline') this.subscribe(pusher, PRESENCE_CHANNEL);
    for (const remoteId of [...this.watched.keys()]) this.watched.set(remoteId, this.subscribeConversation(remoteId));
  }

  async disconnect(): Promise<void> {
    this.links++;
    const pusher = this.pusher;
    this.pusher = null;
    if (this.listTimer) this.timers.clearTimeout(this.listTimer);
    this.listTimer = null;
    this.watched = new Map([...this.watched.keys()].map((k) => [k, null]));
    for (const timer of this.followed.values()) this.timers.clearTimeout(timer);
    this.followed.clear();
    if (pusher) pusher.disconnect();
    this.sink?.link('offline');
  }

  /**
   * Subscribes a channel (or returns the one there) that is asked for again after a transient
   * refusal: the site restarted behind its realtime server refuses every channel's auth until it
   * answers again, and pusher-js leaves a refused channel alone while the socket stays up.
   */
  private subscribe(pusher: Pusher, name: string): Channel {
    const known = pusher.channel(name) !== undefined;
    const channel = pusher.subscribe(name);
    if (known) return channel;
    channel.bind('pusher:subscription_succeeded', () => this.resubscribes.succeeded());
    channel.bind('pusher:subscription_error', () => {
      if (!this.authRefused) this.resubscribes.later(pusher, channel, () => this.pusher);
    });
    return channel;
  }

  private scheduleListRefresh(): void {
    if (this.listTimer) return;
    this.listTimer = this.timers.setTimeout(() => {
      this.listTimer = null;
      void this.refreshList().catch((error: unknown) => this.options.log?.(`portfolio (deployed): list refresh failed: ${String(error)}`));
    }, LIST_REFRESH_MS);
    unref(this.listTimer);
  }

  private async refreshList(): Promise<void> {
    const before = new Map(this.view);
    const { items } = await this.listConversations();
    for (const c of items) {
      const prior = before.get(Number(c.remoteId));
      if (!prior || prior.status !== c.serverStatus) this.sink?.conversation(c);
    }
  }

  /**
   * Something happened in a conversation (a visitor wrote, or a status or read change). An open
   * conversation's channel carries its messages. Any other is followed for a while: the site's AI
   * answers after autoReplyDelay and announces that reply on the conversation's channel only.
   * Subscribing fetches the history once it succeeds, so nothing falls between the two.
   */
  private activity(remoteId: string): void {
    if (this.watched.get(remoteId)?.subscribed) return;
    if (this.aiEnabled === false || !this.pusher) {
      this.sink?.stale(remoteId);
      return;
    }
    const timer = this.followed.get(remoteId);
    if (timer) this.timers.clearTimeout(timer);
    const channel = this.pusher.channel(conversationChannel(remoteId));
    if (!channel) this.subscribeConversation(remoteId);
    else if (!channel.subscribed) this.sink?.stale(remoteId); // subscribing, or refused: fetch now

    const next = this.timers.setTimeout(() => {
      this.followed.delete(remoteId);
      if (!this.watched.has(remoteId)) this.pusher?.unsubscribe(conversationChannel(remoteId));
    }, FOLLOW_MS);
    unref(next);
    this.followed.set(remoteId, next);
  }

  private subscribeConversation(remoteId: string): Channel | null {
    const pusher = this.pusher;
    if (!pusher) return null;
    const existing = pusher.channel(conversationChannel(remoteId));
    if (existing) return existing;
    const channel = this.subscribe(pusher, conversationChannel(remoteId));
    const warn = (m: string) => this.sink?.warn(m);
    channel.bind('pusher:subscription_succeeded', () => this.sink?.stale(remoteId));
    channel.bind('pusher:subscription_error', (e: { status?: number; error?: string }) => {
      // Auth refusals already reported auth-expired (authorize); the history is fetched instead.
      this.sink?.warn(`Realtime subscription to conversation ${remoteId} failed: ${e?.error ?? e?.status ?? 'unknown'}`);
      this.sink?.stale(remoteId);
    });
    bindParsed(channel, 'new-message', DeployedMessage, warn, (m) => this.sink?.messages(remoteId, [toRemoteMessage(m)]));
    bindParsed(channel, 'client-typing', TypingEvent, warn, (e) => this.sink?.typing(remoteId, e.senderType, e.isTyping));
    bindParsed(channel, 'ai-typing', AiTypingEvent, warn, (e) => {
      if (e.isTyping) this.aiTyping.add(remoteId);
      else this.aiTyping.delete(remoteId);
      this.sink?.typing(remoteId, 'ai', e.isTyping);
    });
    return channel;
  }

  watch(remoteIds: string[]): void {
    const wanted = new Set(remoteIds);
    for (const [remoteId] of this.watched) {
      if (!wanted.has(remoteId)) {
        if (!this.followed.has(remoteId)) this.pusher?.unsubscribe(conversationChannel(remoteId));
        this.watched.delete(remoteId);
      }
    }
    for (const remoteId of wanted) if (!this.watched.has(remoteId)) this.watched.set(remoteId, this.subscribeConversation(remoteId));
  }

  /** Every status on its own (status=all matches nothing on this site), merged by id: three requests for any number of conversations. */
  async listConversations(): Promise<Page<RemoteConversation> & { watermark: string | null }> {
    const lists = await Promise.all(
      STATUSES.map(async (status) => {
        const data = await this.call('GET', `/api/chat/conversations?status=${status}`, z.array(z.unknown()));
        const parsed: DeployedConversation[] = [];
        for (const raw of data) {
          const r = DeployedConversation.safeParse(raw);
          if (r.success) parsed.push(r.data);
          else this.options.log?.('portfolio (deployed): skipped a malformed conversation');
        }
        return parsed;
      }),
    );
    const merged = mergeStatusLists(lists.map((l) => l.map((c) => ({ ...c, lastMessageAt: c.lastMessageAt ?? null, unreadCount: c.unreadCount ?? 0 }))));
    diffList(this.view, merged);
    return { items: merged.map(toRemoteConversation), next: null, watermark: null };
  }

  /** The whole history, newest first (the site has no paging). */
  private async history(remoteId: string): Promise<RemoteMessage[]> {
    const data = await this.call('GET', `/api/chat/messages?conversationId=${encodeURIComponent(remoteId)}`, z.array(z.unknown()));
    const items: RemoteMessage[] = [];
    for (const raw of data) {
      const r = DeployedMessage.safeParse(raw);
      if (r.success) items.push(toRemoteMessage(r.data));
      else this.options.log?.('portfolio (deployed): skipped a malformed message');
    }
    items.sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0));
    this.histories.set(remoteId, items);
    return items;
  }

  async messagesBefore(remoteId: string, beforeRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>> {
    // Paging back continues through the history fetched for the first page: one request per conversation.
    const all = beforeRemoteId === null ? await this.history(remoteId) : (this.histories.get(remoteId) ?? (await this.history(remoteId)));
    const start = beforeRemoteId === null ? 0 : all.findIndex((m) => Number(m.remoteId) < Number(beforeRemoteId));
    const items = start < 0 ? [] : all.slice(start, start + limit);
    const more = start >= 0 && start + limit < all.length;
    if (!more) this.histories.delete(remoteId);
    return { items, next: more ? (items.at(-1)?.remoteId ?? null) : null };
  }

  async messagesAfter(remoteId: string, afterRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>> {
    const after = Number(afterRemoteId ?? 0);
    const items = (await this.history(remoteId)).filter((m) => Number(m.remoteId) > after).reverse();
    this.histories.delete(remoteId);
    return { items: items.slice(0, limit), next: items.length > limit ? (items[limit - 1]?.remoteId ?? null) : null };
  }

  async sendReply(remoteId: string, content: string, clientId: string): Promise<RemoteMessage> {
    const data = await this.call('POST', '/api/chat/send', DeployedSendResult, { conversationId: Number(remoteId), content });
    // The answer has no time: the history has the site's; until then, now.
    return { remoteId: String(data.messageId), clientId, seq: data.messageId, senderType: 'admin', content, createdAt: this.clock(), readAt: null };
  }

  async setStatus(remoteId: string, status: ConversationStatus): Promise<void> {
    await this.call('PATCH', `/api/chat/conversations/${encodeURIComponent(remoteId)}`, z.object({ status: z.string() }), { status });
  }

  /** The site marks every visitor message of the conversation read at once. */
  async markRead(remoteId: string, messageRemoteIds: string[]): Promise<void> {
    if (messageRemoteIds.length === 0) return;
    await this.call('POST', '/api/chat/messages/mark-read', z.unknown(), { conversationId: Number(remoteId) });
  }

  sendTyping(remoteId: string, isTyping: boolean): void {
    const channel = this.watched.get(remoteId);
    if (channel?.subscribed) channel.trigger('client-typing', { senderType: 'admin', isTyping });
  }

  async setAvailability(availability: Availability): Promise<void> {
    this.availability = availability;
    if (!this.pusher) return;
    if (availability === 'offline') this.pusher.unsubscribe(PRESENCE_CHANNEL);
    else if (!this.pusher.channel(PRESENCE_CHANNEL)?.subscribed) this.subscribe(this.pusher, PRESENCE_CHANNEL);
  }

  /** The site's AI auto-reply switch (GET creates the settings, with the AI on). */
  async aiSettings(): Promise<{ aiEnabled: boolean }> {
    const s = await this.call('GET', '/api/chat/settings', DeployedSettings);
    this.aiEnabled = s.aiEnabled;
    return { aiEnabled: s.aiEnabled };
  }

  async setAiEnabled(aiEnabled: boolean): Promise<{ aiEnabled: boolean }> {
    const s = await this.call('PATCH', '/api/chat/settings', DeployedSettings, { aiEnabled });
    this.aiEnabled = s.aiEnabled;
    return { aiEnabled: s.aiEnabled };
  }

  /** The Connector's view of the switch. */
  async aiReplies(): Promise<boolean> {
    return (await this.aiSettings()).aiEnabled;
  }

  async setAiReplies(enabled: boolean): Promise<boolean> {
    return (await this.setAiEnabled(enabled)).aiEnabled;
  }

  /** The AI switch as last read or announced (ai-settings-changed); null before either. */
  knownAiEnabled(): boolean | null {
    return this.aiEnabled;
  }

  /** Whether the site's AI is typing in this conversation (ai-typing). */
  isAiTyping(remoteId: string): boolean {
    return this.aiTyping.has(remoteId);
  }
}
