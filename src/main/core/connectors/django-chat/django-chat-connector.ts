// The Django mentor chat (backends.md §2) as the teacher: REST with Bearer for lists and history,
// one socket per conversation that matters (SocketPool) for live messages and replies. There is
// no teacher-wide socket, so the conversation list is polled: what moved is reported, fetched
// (unless its socket is live) and given a socket while it stays among the most recent.
import { z } from 'zod';
import type { RemoteConversation, RemoteMessage } from '../../mirror/types';
import { backoffDelay } from '../../sync/backoff';
import { ConnectorError, type Connector, type ConnectorCapabilities, type ConnectorSink, type Page } from '../connector';
import { credentialString, type CredentialsPort } from '../credentials';
import type { KindContext } from '../registry';
import { djangoChatCapabilities } from './capabilities';
import { DjangoRest } from './rest-client';
import { API } from './session';
import { SocketPool } from './socket-pool';
import { WireConversation, WireMessage, WirePage, toRemoteConversation, toRemoteMessage } from './wire';

/** The kind's context (fetch, clock, random, timers, log) and this account's settings. */
export interface DjangoChatConnectorOptions extends KindContext {
  baseUrl: string;
  credentials: CredentialsPort;
  /** How often the list is polled (default 10 s). */
  pollMs?: number;
  /** Sockets kept open at most (default 20; see README for the measured cost). */
  maxSockets?: number;
  /** How long a reply waits for its echo before the outbox reconciles it (default 15 s). */
  echoTimeoutMs?: number;
}

const LIST_PAGE = 100;
/** The poll reads small pages: on the deployed serializer every row costs queries (measured: README). */
const POLL_PAGE = 20;
export const DEFAULT_MAX_SOCKETS = 20;
const conversationsPath = `${API}/chat/teacher/conversations/`;
const messagesPath = (remoteId: string) => `${API}/chat/teacher/conversations/${encodeURIComponent(remoteId)}/messages/`;

export class DjangoChatConnector implements Connector {
  readonly capabilities: ConnectorCapabilities = djangoChatCapabilities();
  /** The list is polled here, newest page first, and what moved is reported (see poll()). */
  readonly pollsItself = true;
  private readonly rest: DjangoRest;
  private readonly pool: SocketPool;
  private sink: ConnectorSink | null = null;
  private pollTimer: unknown = null;
  private pollFailures = 0;
  /** Last `updated_at` seen per conversation (epoch ms): what a poll compares with. */
  private readonly seen = new Map<string, number>();
  private linked = false;
  private generation = 0;
  /** The generation whose socket refusal is being handled (once per connect, or per re-probe). */
  private refused = -1;
  /** The site refused our Origin: sockets are tried again now and then (`originRetries` so far). */
  private originRefused = false;
  private originRetries = 0;
  private originTimer: unknown = null;

  constructor(private readonly o: DjangoChatConnectorOptions) {
    this.rest = new DjangoRest({ baseUrl: o.baseUrl, credentials: o.credentials, fetch: o.fetch, clock: o.clock });
    this.pool = new SocketPool({
      baseUrl: o.baseUrl,
      sessionId: () => credentialString(o.credentials.current(), 'sessionid'),
      maxSockets: o.maxSockets ?? DEFAULT_MAX_SOCKETS,
      echoTimeoutMs: o.echoTimeoutMs ?? 15_000,
      timers: o.timers,
      random: o.random,
      onEstablished: (remoteId) => this.onEstablished(remoteId),
      onMessage: (remoteId, m) => this.sink?.messages(remoteId, [toRemoteMessage(m)]),
      onRefused: (remoteId, status) => void this.onRefused(remoteId, status),
      warn: (m) => this.sink?.warn(m),
    });
  }

  async connect(sink: ConnectorSink): Promise<void> {
    await this.disconnect();
    this.sink = sink;
    this.generation++;
    sink.link('connecting');
    this.pool.start();
    await this.poll(this.generation);
  }

  async disconnect(): Promise<void> {
    this.generation++;
    if (this.pollTimer) this.o.timers.clearTimeout(this.pollTimer);
    this.pollTimer = null;
    if (this.originTimer) this.o.timers.clearTimeout(this.originTimer);
    this.originTimer = null;
    this.originRefused = false;
    this.originRetries = 0;
    this.pool.stop();
    this.linked = false;
    this.sink?.link('offline');
  }

  /** Sockets open now (for the account's details and the benchmarks). */
  openSockets(): number {
    return this.pool.openCount();
  }

  private schedulePoll(generation: number, ms: number): void {
    if (generation !== this.generation) return;
    if (this.pollTimer) this.o.timers.clearTimeout(this.pollTimer);
    this.pollTimer = this.o.timers.setTimeout(() => {
      this.pollTimer = null;
      void this.poll(generation);
    }, ms);
  }

  /** Reads the list newest activity first until it reaches what was seen; reports what moved. */
  private async poll(generation: number): Promise<void> {
    const sink = this.sink;
    if (!sink || generation !== this.generation) return;
    try {
      const moved: { c: RemoteConversation; stamp: number }[] = [];
      for (let page = 1; ; page++) {
        const { items, next, stamps } = await this.listPage(page, POLL_PAGE);
        if (generation !== this.generation) return;
        let fresh = 0;
        for (const [i, c] of items.entries()) {
          const stamp = stamps[i]!;
          const before = this.seen.get(c.remoteId);
          if (before === undefined || stamp > before) {
            fresh++;
            moved.push({ c, stamp });
          }
        }
        // Newest activity first: a page with anything already seen ends the walk.
        if (!next || fresh < items.length || !this.linked) break;
      }
      this.pollFailures = 0;
      if (!this.linked) {
        // First answer since (re)connecting: the engine fills the gap with a full catch-up.
        this.linked = true;
        sink.link('connected');
        sink.gap('signed in; the list answers');
      } else {
        for (const { c, stamp } of moved) {
          this.seen.set(c.remoteId, stamp);
          sink.conversation(c);
          if (!this.pool.isLive(c.remoteId)) sink.stale(c.remoteId);
        }
        // Oldest first, so that the newest activity ends up the most recent and keeps a socket.
        for (const { c } of [...moved].reverse()) this.pool.touch(c.remoteId);
      }
      this.schedulePoll(generation, this.o.pollMs ?? 10_000);
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof ConnectorError && error.kind === 'auth') {
        this.linked = false;
        sink.link('auth-expired', error.message);
        return;
      }
      this.linked = false;
      sink.link('unavailable', `The site cannot be reached: ${error instanceof Error ? error.message : String(error)}; retrying.`);
      this.schedulePoll(generation, backoffDelay(++this.pollFailures, this.o.random, 1000, 60_000));
    }
  }

  /**
   * A refused handshake is not retried blindly: a cookie-only GET tells an expired session (sign
   * in again) from a refused Origin (the site's allowed hosts). The sockets stop: until the next
   * connect (sign in again), or, for a refused Origin, until a retry with backoff is accepted.
   * Polling keeps bringing messages while Bearer still works.
   */
  private async onRefused(remoteId: string, status: number): Promise<void> {
    const sink = this.sink;
    const generation = this.generation;
    if (!sink || this.refused === generation) return;
    this.refused = generation;
    this.pool.stop();
    try {
      const session = await this.rest.sessionValid(conversationsPath);
      if (generation !== this.generation) return;
      if (session) {
        sink.warn(`The site refused the live connection for conversation ${remoteId} (HTTP ${status}).`);
        sink.link('unavailable', 'The site refuses live connections from this console (its allowed hosts do not include the site address); messages arrive by polling, replies wait; trying again now and then.');
        // The site's owner may fix its allowed hosts: the sockets are tried again with backoff.
        this.retrySockets(generation);
      } else {
        sink.link('auth-expired', 'The site’s session expired: sign in again for live messages and replies.');
      }
    } catch (error) {
      sink.warn(`Could not check the session after a refused socket: ${error instanceof Error ? error.message : String(error)}`);
      if (generation !== this.generation) return;
      sink.link('unavailable', `The site refused the live connection (HTTP ${status}); trying again now and then.`);
      this.retrySockets(generation);
    }
  }

  /** After a refusal that signing in again would not fix: the sockets are tried again with backoff (1 s to 60 s). */
  private retrySockets(generation: number): void {
    this.originRefused = true;
    this.originTimer = this.o.timers.setTimeout(() => {
      this.originTimer = null;
      if (generation !== this.generation) return;
      this.refused = -1;
      this.pool.start();
    }, backoffDelay(++this.originRetries, this.o.random, 1000, 60_000));
  }

  private onEstablished(remoteId: string): void {
    const sink = this.sink;
    if (!sink) return;
    if (this.originRefused) {
      // Accepted again after a refused Origin: live, and whatever waited is caught up.
      this.originRefused = false;
      this.originRetries = 0;
      sink.link('connected');
      sink.gap('the site accepts live connections again');
    }
    sink.stale(remoteId);
  }

  private async listPage(page: number, size: number): Promise<{ items: RemoteConversation[]; stamps: number[]; next: boolean }> {
    const data = await this.rest.request('GET', `${conversationsPath}?page=${page}&page_size=${size}`, WirePage);
    const items: RemoteConversation[] = [];
    const stamps: number[] = [];
    for (const raw of data.results) {
      const parsed = WireConversation.safeParse(raw);
      if (!parsed.success) {
        this.sink?.warn('django-chat: skipped a malformed conversation');
        continue;
      }
      const c = toRemoteConversation(parsed.data, (m) => this.sink?.warn(m));
      items.push(c);
      stamps.push(Date.parse(parsed.data.updated_at ?? parsed.data.created_at));
    }
    return { items, stamps, next: data.next !== null };
  }

  watch(remoteIds: string[]): void {
    this.pool.setWatched(remoteIds);
  }

  async listConversations({ page }: { since: string | null; page: string | null }): Promise<Page<RemoteConversation> & { watermark: string | null }> {
    const pageNo = page ? Number(page) : 1;
    const { items, stamps, next } = await this.listPage(pageNo, LIST_PAGE);
    items.forEach((c, i) => this.seen.set(c.remoteId, Math.max(this.seen.get(c.remoteId) ?? 0, stamps[i]!)));
    const newest = stamps.length ? new Date(Math.max(...stamps)).toISOString() : null;
    return { items, next: next ? String(pageNo + 1) : null, watermark: newest };
  }

  private async messagePage(remoteId: string, page: number | 'last', size: number): Promise<{ items: RemoteMessage[]; page: number; count: number }> {
    const data = await this.rest.request('GET', `${messagesPath(remoteId)}?page=${page}&page_size=${size}`, WirePage);
    const items: RemoteMessage[] = [];
    for (const raw of data.results) {
      const parsed = WireMessage.safeParse(raw);
      if (parsed.success) items.push(toRemoteMessage(parsed.data));
      else this.sink?.warn('django-chat: skipped a malformed message');
    }
    const pages = Math.max(1, Math.ceil(data.count / size));
    return { items, page: page === 'last' ? pages : page, count: data.count };
  }

  async messagesAfter(): Promise<Page<RemoteMessage>> {
    throw new ConnectorError('rejected', 'This site has no catch-up cursor; its history is read page by page from the newest.');
  }

  /**
   * Newest first. The site pages oldest first, so this starts at the last page (the newest)
   * and walks back; a short last page is topped up with the one before it, so the first answer
   * always holds at least `limit` messages where there are that many (the outbox looks for a
   * reply just sent among them). `before` is the page token this returned, or a message id.
   * Note: every read of the history marks the student's messages read on the server.
   */
  async messagesBefore(remoteId: string, before: string | null, limit: number): Promise<Page<RemoteMessage>> {
    const size = Math.min(1000, Math.max(1, limit));
    if (before && !before.startsWith('page:')) return this.messagesBeforeId(remoteId, Number(before), size);
    let current = await this.messagePage(remoteId, before ? Number(before.slice(5)) : 'last', size);
    let items = current.items;
    if (!before && items.length < size && current.page > 1) {
      const previous = await this.messagePage(remoteId, current.page - 1, size);
      items = [...previous.items, ...items];
      current = previous;
    }
    return { items: [...items].reverse(), next: current.page > 1 ? `page:${current.page - 1}` : null };
  }

  private async messagesBeforeId(remoteId: string, beforeId: number, size: number): Promise<Page<RemoteMessage>> {
    let token: string | null = null;
    do {
      const page: Page<RemoteMessage> = await this.messagesBefore(remoteId, token, size);
      const older = page.items.filter((m) => Number(m.remoteId) < beforeId);
      if (older.length) return { items: older, next: page.next };
      token = page.next;
    } while (token);
    return { items: [], next: null };
  }

  async sendReply(remoteId: string, content: string, clientId: string): Promise<RemoteMessage> {
    // Over the socket: a REST post is stored but never reaches the student live.
    const echo = await this.pool.send(remoteId, content);
    this.seen.set(remoteId, Math.max(this.seen.get(remoteId) ?? 0, Date.parse(echo.timestamp)));
    return { ...toRemoteMessage(echo), clientId };
  }

  async setStatus(): Promise<void> {
    // The site has no resolve/close: status is kept on this computer (serverStatus: false).
  }

  async markRead(remoteId: string): Promise<void> {
    await this.rest.request('POST', `${API}/chat/conversations/${encodeURIComponent(remoteId)}/mark-read/`, z.object({ detail: z.string() }).partial());
  }

  sendTyping(): void {
    // The site has no typing events.
  }

  async setAvailability(): Promise<void> {
    // The site has no presence.
  }
}
