// The Django challenge notification feed (backends.md §3): one socket for the whole account,
// ws(s)://host/ws/challenges/notifications/ with the session cookie and the site's own Origin.
// The server sends no frame on connect and closes the socket with 1011 on a decline (a server
// bug): every close is reopened calmly with backoff and followed by a catch-up through the
// challenges list. A refused handshake (403) is told apart by a cookie-only GET: an expired
// session (sign in again) or an Origin the site does not accept.
import WebSocket from 'ws';
import type { RemoteConversation, RemoteFeedEntry, RemoteMessage } from '../../mirror/types';
import { backoffDelay } from '../../sync/backoff';
import type { Timers } from '../../sync/timers';
import { ConnectorError, type Connector, type ConnectorSink, type Page } from '../connector';
import { credentialString, type CredentialsPort } from '../credentials';
import type { KindContext } from '../registry';
import { DjangoRest } from '../django-chat/rest-client';
import { API } from '../django-chat/session';
import { djangoNotificationsCapabilities } from './capabilities';
import { AcceptedFrame, ChallengePage, InviteFrame, WireChallenge, acceptedEntry, challengeEntries, inviteEntry } from './wire';

export const CHALLENGES_PATH = `${API}/challenges/challenges/`;
const SOCKET_PATH = '/ws/challenges/notifications/';
const PAGE_SIZE = 50;

/** The kind's context (fetch, clock, random, timers, log) plus the account. */
export interface DjangoNotificationsOptions extends KindContext {
  baseUrl: string;
  credentials: CredentialsPort;
  /** First reconnect delay (doubles up to maxRetryMs). */
  retryMs?: number;
  maxRetryMs?: number;
}

const socketUrl = (baseUrl: string) => {
  const url = new URL(SOCKET_PATH, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
};

export class DjangoNotificationsConnector implements Connector {
  readonly capabilities = djangoNotificationsCapabilities();
  private readonly rest: DjangoRest;
  private sink: ConnectorSink | null = null;
  private ws: WebSocket | null = null;
  private retryTimer: ReturnType<Timers['setTimeout']> | null = null;
  private attempts = 0;
  /** Bumped by connect/disconnect: late callbacks of an older socket are ignored. */
  private generation = 0;

  constructor(private readonly o: DjangoNotificationsOptions) {
    this.rest = new DjangoRest({ baseUrl: o.baseUrl, credentials: o.credentials, fetch: o.fetch, clock: o.clock });
  }

  async connect(sink: ConnectorSink): Promise<void> {
    await this.disconnect();
    this.sink = sink;
    this.attempts = 0;
    sink.link('connecting');
    this.dial(++this.generation);
  }

  async disconnect(): Promise<void> {
    this.generation++;
    if (this.retryTimer) this.o.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState !== WebSocket.CLOSED) ws.terminate();
    this.sink = null;
  }

  private dial(generation: number): void {
    const sink = this.sink;
    if (!sink || generation !== this.generation) return;
    const sessionId = credentialString(this.o.credentials.current(), 'sessionid');
    if (!sessionId) {
      sink.link('auth-expired', 'Sign in again: this account has no session for live notifications.');
      return;
    }
    const headers = { Origin: new URL(this.o.baseUrl).origin, Cookie: `sessionid=${sessionId}` };
    const ws = new WebSocket(socketUrl(this.o.baseUrl), { headers, handshakeTimeout: 15_000, maxPayload: 1024 * 1024 });
    this.ws = ws;
    let refused = false;
    ws.on('unexpected-response', (_req, res) => {
      refused = true;
      ws.terminate();
      void this.onRefused(generation, res.statusCode ?? 0);
    });
    ws.on('open', () => {
      if (generation !== this.generation) return;
      this.attempts = 0;
      sink.link('connected');
      // No frame on connect and nothing replayed: what happened while closed comes from the list.
      sink.gap('notification socket opened');
    });
    ws.on('message', (data, isBinary) => {
      if (generation === this.generation) this.onFrame(sink, isBinary ? null : data.toString());
    });
    ws.on('error', (error) => this.o.log(`django-notifications socket: ${error.message}`));
    ws.on('close', (code) => {
      if (generation !== this.generation || this.ws !== ws || refused) return;
      this.ws = null;
      // 1011 is the server's answer to a decline (backends.md §3): not an error of ours.
      const why = code === 1011 ? 'the site closed the notification socket (1011)' : `the notification socket closed (${code})`;
      this.o.log(`django-notifications: ${why}; reconnecting`);
      sink.link('connecting', `Reconnecting: ${why}.`);
      this.retry(generation);
    });
  }

  private retry(generation: number): void {
    const delay = backoffDelay(++this.attempts, this.o.random, this.o.retryMs ?? 500, this.o.maxRetryMs ?? 30_000);
    this.retryTimer = this.o.timers.setTimeout(() => {
      this.retryTimer = null;
      this.dial(generation);
    }, delay);
  }

  private async onRefused(generation: number, status: number): Promise<void> {
    const sink = this.sink;
    if (!sink || generation !== this.generation) return;
    if (status !== 401 && status !== 403) {
      sink.link('unavailable', `The site refused the notification socket (HTTP ${status}); retrying.`);
      this.retry(generation);
      return;
    }
    try {
      const session = await this.rest.sessionValid(CHALLENGES_PATH);
      if (generation !== this.generation) return;
      if (session) {
        // The site's owner may fix its allowed hosts: ask again now and then.
        sink.link('unavailable', 'The site refuses live notifications from this console (its allowed hosts do not include the site address); trying again now and then.');
        this.retry(generation);
      } else {
        sink.link('auth-expired', 'The site’s session expired: sign in again for live notifications.');
      }
    } catch (error) {
      if (generation !== this.generation) return;
      sink.link('unavailable', `The site refused the notification socket (HTTP ${status}) and could not be asked why: ${error instanceof Error ? error.message : String(error)}; retrying.`);
      this.retry(generation);
    }
  }

  private onFrame(sink: ConnectorSink, text: string | null): void {
    let frame: unknown;
    try {
      frame = text === null ? undefined : JSON.parse(text);
    } catch {
      frame = undefined;
    }
    const invite = InviteFrame.safeParse(frame);
    if (invite.success) {
      sink.feed([inviteEntry(invite.data.payload)]);
      return;
    }
    const accepted = AcceptedFrame.safeParse(frame);
    if (accepted.success) {
      const { challenge_id, accepted_by } = accepted.data.payload;
      sink.feed([acceptedEntry(challenge_id, accepted_by?.trim() || 'Your opponent', this.o.clock(), accepted.data.payload)]);
      return;
    }
    sink.warn(`django-notifications: skipped a malformed or unknown notification (${(text ?? '<binary>').slice(0, 80)})`);
  }

  /** The challenges list, newest first, as feed entries. */
  async listFeed({ page }: { page: string | null }): Promise<Page<RemoteFeedEntry>> {
    const pageNo = page ? Number(page) : 1;
    const data = await this.rest.request('GET', `${CHALLENGES_PATH}?page=${pageNo}&page_size=${PAGE_SIZE}`, ChallengePage);
    const userId = Number(this.o.credentials.current()?.userId);
    const now = this.o.clock();
    const items: RemoteFeedEntry[] = [];
    for (const raw of data.results) {
      const parsed = WireChallenge.safeParse(raw);
      if (!parsed.success) {
        this.sink?.warn('django-notifications: skipped a malformed challenge in the list');
        continue;
      }
      items.push(...challengeEntries(parsed.data, userId, now));
    }
    return { items, next: data.next ? String(pageNo + 1) : null };
  }

  // A feed has no conversations: the engine's conversation calls find nothing to do.
  async listConversations(): Promise<Page<RemoteConversation> & { watermark: string | null }> {
    return { items: [], next: null, watermark: null };
  }

  async messagesAfter(): Promise<Page<RemoteMessage>> {
    return { items: [], next: null };
  }

  async messagesBefore(): Promise<Page<RemoteMessage>> {
    return { items: [], next: null };
  }

  async sendReply(): Promise<RemoteMessage> {
    throw new ConnectorError('rejected', 'A notification feed takes no replies.');
  }

  async setStatus(): Promise<void> {}

  async markRead(): Promise<void> {}

  sendTyping(): void {}

  async setAvailability(): Promise<void> {}

  watch(): void {}
}
