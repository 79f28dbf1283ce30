// A jwt-ws chat server (backends.md §4, as deployed): rooms are conversations, one WebSocket
// carries everything live, REST carries history and replies. The server has no catch-up cursor,
// no idempotency key and no resolve/close: gaps are filled by paging back, a reply that may have
// arrived is looked for in the history before it is sent again, and the status stays local.
import type { Availability, ConversationStatus } from '../../../../shared/domain';
import type { RemoteConversation, RemoteMessage } from '../../mirror/types';
import { ConnectorError, type Connector, type ConnectorCapabilities, type ConnectorSink, type Page } from '../connector';
import type { Timers } from '../../sync/timers';
import type { CredentialsPort } from '../credentials';
import { JwtWsApi, HISTORY_LIMIT, type SentRecord } from './api';
import { Directory } from './directory';
import { isFrame, type InboundFrame } from './frames';
import { JwtWsRest } from './rest-client';
import { CredentialTokens } from './session';
import { JwtWsSocket, type SocketOptions } from './socket';

export const jwtWsCapabilities: ConnectorCapabilities = {
  serverStatus: false,
  idempotentSend: false,
  catchUp: 'page-back',
  readReceipts: false,
  typing: true,
  shape: 'inbox',
};

export interface JwtWsConnectorOptions {
  baseUrl: string;
  credentials: CredentialsPort;
  fetch?: typeof fetch;
  clock?: () => number;
  random?: () => number;
  timers?: Timers;
  log?: (message: string) => void;
  /** Socket tuning (keep-alive, backoff) for tests. */
  socket?: Pick<SocketOptions, 'pingIntervalMs' | 'pongTimeoutMs' | 'authTimeoutMs' | 'maxBackoffMs'>;
}

const UNAVAILABLE_AFTER_MS = 10_000;
const AVAILABILITY_STATUS: Record<Availability, string> = { online: 'online', away: 'away', offline: 'invisible' };
const cursor = (page: number, limit: number): string => `page:${page}:${limit}`;

export class JwtWsConnector implements Connector {
  readonly capabilities = jwtWsCapabilities;
  private readonly tokens: CredentialTokens;
  private readonly api: JwtWsApi;
  private readonly dir: Directory;
  private readonly clock: () => number;
  private readonly log: (message: string) => void;
  private socket: JwtWsSocket | null = null;
  private sink: ConnectorSink | null = null;
  private availability: Availability = 'online';
  private downSince: number | null = null;
  /** Frames are handled in order, one after the other (some need a room fetched first). */
  private chain: Promise<void> = Promise.resolve();
  /** Replies whose send may have reached the server: clientId → first attempt. */
  private readonly attempts = new Map<string, SentRecord>();

  constructor(private readonly opts: JwtWsConnectorOptions) {
    this.clock = opts.clock ?? Date.now;
    this.log = opts.log ?? (() => undefined);
    this.tokens = new CredentialTokens(opts.credentials, this.clock);
    const http = { baseUrl: opts.baseUrl, now: this.clock, ...(opts.fetch ? { fetch: opts.fetch } : {}) };
    this.api = new JwtWsApi(new JwtWsRest(http, this.tokens), { ...(opts.timers ? { timers: opts.timers } : {}), ...(opts.random ? { random: opts.random } : {}) });
    this.dir = new Directory(() => this.tokens.current()?.userId ?? null);
  }

  async connect(sink: ConnectorSink): Promise<void> {
    await this.disconnect();
    this.sink = sink;
    sink.link('connecting');
    const wsUrl = `${this.opts.baseUrl.replace(/^http/, 'ws')}/ws`;
    const socket = new JwtWsSocket({
      ...this.opts.socket,
      url: wsUrl,
      now: this.clock,
      ...(this.opts.random ? { random: this.opts.random } : {}),
      ...(this.opts.timers ? { timers: this.opts.timers } : {}),
      token: () => this.tokens.accessToken(),
      tokenRefused: (t) => this.tokens.rejected(t),
      events: {
        up: () => this.onUp(),
        down: (reason, retryInMs) => this.onDown(reason, retryInMs),
        authFailed: (message) => sink.link('auth-expired', message),
        frames: (frames) => {
          for (const f of frames) this.chain = this.chain.then(() => this.onFrame(f)).catch((e: unknown) => this.log(`jwt-ws: frame ${f.type} failed: ${(e as Error).message}`));
        },
        warn: (message) => sink.warn(message),
      },
    });
    this.socket = socket;
    socket.start();
  }

  async disconnect(): Promise<void> {
    this.socket?.stop();
    this.socket = null;
    await this.chain;
    this.sink = null;
  }

  private onUp(): void {
    this.downSince = null;
    this.sink?.link('connected');
    // The server makes every new socket 'online': say again what the owner chose.
    if (this.availability !== 'online') this.socket?.send('user_status_change', { status: AVAILABILITY_STATUS[this.availability] });
    this.sink?.gap('jwt-ws socket connected');
  }

  private onDown(reason: string, retryInMs: number): void {
    const sink = this.sink;
    if (!sink) return;
    this.downSince ??= this.clock();
    const detail = `${reason}; retrying in ${Math.ceil(retryInMs / 1000)} s`;
    sink.link(this.clock() - this.downSince >= UNAVAILABLE_AFTER_MS ? 'unavailable' : 'connecting', detail);
  }

  private async onFrame(f: InboundFrame): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    const self = this.tokens.current()?.userId;
    if (isFrame(f, 'message')) {
      const room = f.data.room_id;
      if (!this.dir.knowsRoom(room)) return sink.stale(room);
      if (f.data.user_id !== self && !this.dir.name(f.data.user_id)) await this.refreshRoom(room);
      sink.messages(room, [this.dir.frameMessage(f.data)]);
    } else if (isFrame(f, 'message_edit')) {
      sink.edited(f.data.room_id, [{ remoteId: f.data.message_id, content: f.data.content, editedAt: f.data.edited_at ? Date.parse(f.data.edited_at) : this.clock() }]);
    } else if (isFrame(f, 'message_delete')) {
      sink.deleted(f.data.room_id, [f.data.message_id], f.data.deleted_at ? Date.parse(f.data.deleted_at) : this.clock());
    } else if (isFrame(f, 'typing_start') || isFrame(f, 'typing_stop')) {
      if (f.data.user_id !== self) sink.typing(f.data.room_id, 'visitor', f.type === 'typing_start');
    } else if (isFrame(f, 'user_status_change')) {
      if (f.data.user_id === self) return;
      for (const c of this.dir.setStatus(f.data.user_id, f.data.status)) sink.patch(c.roomId, c.patch);
    } else if (isFrame(f, 'user_join') || isFrame(f, 'user_leave') || isFrame(f, 'room_join')) {
      await this.refreshRoom(f.data.room_id);
      if (f.type === 'room_join') sink.stale(f.data.room_id);
    } else if (isFrame(f, 'room_leave')) {
      this.dir.forgetRoom(f.data.room_id);
    } else if (isFrame(f, 'error')) {
      this.log(`jwt-ws: server error frame: ${f.data.message ?? '(no message)'}`);
    } else if ('unknown' in f) {
      this.log(`jwt-ws: kept an unknown frame type "${f.type.slice(0, 100)}"`);
    }
  }

  /** Re-reads a room (members, name) and tells the engine; a failure is logged, the next list fixes it. */
  private async refreshRoom(roomId: string): Promise<void> {
    try {
      this.sink?.conversation(this.dir.conversation(await this.api.room(roomId)));
    } catch (error) {
      this.log(`jwt-ws: could not read room ${roomId}: ${(error as Error).message}`);
    }
  }

  async listConversations(): Promise<Page<RemoteConversation> & { watermark: string | null }> {
    const rooms = await this.api.myRooms();
    return { items: rooms.map((r) => this.dir.conversation(r)), next: null, watermark: null };
  }

  /** Names of senders not in any room we know (they left): looked up once each. */
  private async ensureNames(senderIds: Iterable<string>): Promise<void> {
    const self = this.tokens.current()?.userId;
    for (const id of new Set(senderIds)) {
      if (id === self || this.dir.name(id)) continue;
      try {
        const u = await this.api.user(id);
        this.dir.rememberName(id, u.display_name?.trim() || u.username);
      } catch (error) {
        if (!(error instanceof ConnectorError) || error.kind !== 'rejected') throw error;
        this.dir.rememberName(id, 'Former member');
      }
    }
  }

  /** History newest first. `before` is this connector's own page cursor (offset pages of the server). */
  async messagesBefore(roomId: string, before: string | null, limit: number): Promise<Page<RemoteMessage>> {
    const m = before ? /^page:(\d+):(\d+)$/.exec(before) : null;
    const size = m ? Number(m[2]) : Math.min(100, Math.max(1, limit || HISTORY_LIMIT));
    let page = m ? Number(m[1]) : 1;
    if (before && !m) page = await this.pageAfterMessage(roomId, before, size);
    const { messages, totalPages, total } = await this.api.historyPage(roomId, page, size);
    await this.ensureNames(messages.map((x) => x.sender_id));
    if (total !== null && page === 1) this.dir.sawHistory(roomId, total);
    const offset = (page - 1) * size;
    const items = messages.map((x, i) => this.dir.message(x, this.clock, total === null ? 0 : Math.max(0, total - offset - i)));
    return { items, next: page < totalPages && messages.length > 0 ? cursor(page + 1, size) : null };
  }

  /** The page after the one holding a message id (for a `before` that is a message id). */
  private async pageAfterMessage(roomId: string, messageId: string, size: number): Promise<number> {
    for (let page = 1; page <= 200; page++) {
      const { messages, totalPages } = await this.api.historyPage(roomId, page, size);
      if (messages.some((x) => x.id === messageId)) return page + 1;
      if (page >= totalPages) break;
    }
    return Number.MAX_SAFE_INTEGER;
  }

  /** Oldest first after a known id: walks back to it (the server has no cursor). */
  async messagesAfter(roomId: string, after: string | null, limit: number): Promise<Page<RemoteMessage>> {
    const found = await this.api.pageBack(roomId, (x) => x.id === after, after ? 200 : 1, Math.min(100, Math.max(1, limit)));
    const idx = after ? found.findIndex((x) => x.id === after) : -1;
    const newer = (idx >= 0 ? found.slice(0, idx) : found).reverse();
    await this.ensureNames(newer.map((x) => x.sender_id));
    return { items: newer.map((x) => this.dir.message(x, this.clock)), next: null };
  }

  async sendReply(roomId: string, content: string, clientId: string): Promise<RemoteMessage> {
    const self = this.tokens.current()?.userId;
    if (!self) throw new ConnectorError('auth', 'Sign in again.');
    const previous = this.attempts.get(clientId);
    if (!previous) this.attempts.set(clientId, { roomId, content, firstAttemptAt: this.clock() });
    try {
      const m = await this.api.sendReply(roomId, content, self, previous);
      this.attempts.delete(clientId);
      return { ...this.dir.message(m, this.clock), clientId };
    } catch (error) {
      // Refused for good: it never arrived, so a later resend needs no reconciliation.
      if (error instanceof ConnectorError && error.kind === 'rejected') this.attempts.delete(clientId);
      throw error;
    }
  }

  async setStatus(_roomId: string, _status: ConversationStatus): Promise<void> {
    // No resolve/close on this server (capabilities.serverStatus false): the engine keeps it local.
  }

  async markRead(_roomId: string, messageRemoteIds: string[]): Promise<void> {
    // One request per message against 100 requests a minute: only the newest few.
    for (const id of messageRemoteIds.slice(-10)) await this.api.markRead(id);
  }

  sendTyping(roomId: string, isTyping: boolean): void {
    this.socket?.send(isTyping ? 'typing_start' : 'typing_stop', { room_id: roomId });
  }

  async setAvailability(availability: Availability): Promise<void> {
    this.availability = availability;
    this.socket?.send('user_status_change', { status: AVAILABILITY_STATUS[availability] });
  }

  watch(): void {
    // One socket carries every room: nothing to subscribe per conversation.
  }
}
