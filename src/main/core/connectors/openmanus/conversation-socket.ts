// One conversation's socket (ws/conversations/{id}/?token=…, or the session cookie), kept open
// while the conversation is watched: it reconnects with backoff after drops and reports each
// (re)open so the caller catches up over REST before trusting the stream. An auth close (4401)
// or a refused handshake (401/403) is not retried: it waits for resume() with fresh credentials.
import { backoffDelay } from '../../sync/backoff';
import type { Timers } from '../../sync/timers';
import type { OpenManusCredentials } from './rest-client';

export const AUTH_CLOSE_CODES = new Set([4401, 4001, 4003, 4403]);

export interface SocketHandlers {
  open(): void;
  message(text: string): void;
  close(code: number, reason: string): void;
  /** The HTTP upgrade was answered with this status instead of 101. */
  rejected(status: number): void;
  error(error: Error): void;
}
/** Opens one WebSocket; the production one is `openWs` (ws-opener.ts), tests pass fakes. */
export type OpenSocket = (url: string, headers: Record<string, string>, handlers: SocketHandlers) => { close(): void };

export type SocketState = 'connecting' | 'open' | 'retrying' | 'auth' | 'stopped';

export interface ConversationSocketOptions {
  conversationRemoteId: string;
  /** ws(s)://host/…/ws */
  socketBaseUrl: string;
  credentials: () => OpenManusCredentials | undefined;
  open: OpenSocket;
  timers: Timers;
  random: () => number;
  onFrame: (text: string) => void;
  /** Every open; `reconnect` is false only for the first. Catch up over REST here. */
  onOpen: (reconnect: boolean) => void;
  onState: (state: SocketState, detail?: string) => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class ConversationSocket {
  private state: SocketState = 'stopped';
  private current: { close(): void } | null = null;
  private attemptId = 0;
  private failures = 0;
  private opened = false;
  private retryTimer: unknown = null;

  constructor(private readonly options: ConversationSocketOptions) {}

  get status(): SocketState {
    return this.state;
  }

  start(): void {
    if (this.state !== 'stopped') return;
    this.connect();
  }

  /** New credentials arrived: reconnect now if waiting for them (or for a retry). */
  resume(): void {
    if (this.state === 'auth' || this.state === 'retrying') {
      this.clearRetry();
      this.failures = 0;
      this.connect();
    }
  }

  stop(): void {
    this.clearRetry();
    this.attemptId += 1;
    const socket = this.current;
    this.current = null;
    this.setState('stopped');
    socket?.close();
  }

  private url(credentials: OpenManusCredentials): { url: string; headers: Record<string, string> } {
    const base = `${this.options.socketBaseUrl.replace(/\/+$/, '')}/conversations/${encodeURIComponent(this.options.conversationRemoteId)}/`;
    if ('token' in credentials) return { url: `${base}?token=${encodeURIComponent(credentials.token)}`, headers: {} };
    return { url: base, headers: { Cookie: `sessionid=${credentials.sessionid}` } };
  }

  private connect(): void {
    const credentials = this.options.credentials();
    if (!credentials) {
      this.setState('auth', 'No token: paste a fresh token for this account.');
      return;
    }
    const id = ++this.attemptId;
    let settled = false;
    const live = () => id === this.attemptId && !settled;
    const end = (next: () => void) => {
      if (!live()) return;
      settled = true;
      this.current = null;
      next();
    };
    this.setState('connecting');
    const { url, headers } = this.url(credentials);
    this.current = this.options.open(url, headers, {
      open: () => {
        if (!live()) return;
        this.failures = 0;
        const reconnect = this.opened;
        this.opened = true;
        this.setState('open');
        this.options.onOpen(reconnect);
      },
      message: (text) => {
        if (live()) this.options.onFrame(text);
      },
      close: (code, reason) =>
        end(() => {
          if (AUTH_CLOSE_CODES.has(code)) this.setState('auth', `The backend closed the socket (${code}${reason ? ` ${reason}` : ''}): the token expired.`);
          else this.scheduleRetry(`closed (${code}${reason ? ` ${reason}` : ''})`);
        }),
      rejected: (status) =>
        end(() => {
          if (status === 401 || status === 403) this.setState('auth', `The backend refused the socket (HTTP ${status}): paste a fresh token.`);
          else this.scheduleRetry(`refused (HTTP ${status})`);
        }),
      error: (error) => end(() => this.scheduleRetry(error.message)),
    });
  }

  private scheduleRetry(detail: string): void {
    this.failures += 1;
    const delay = backoffDelay(this.failures, this.options.random, this.options.baseDelayMs ?? 500, this.options.maxDelayMs ?? 30_000);
    this.setState('retrying', `${detail}; retrying in ${Math.round(delay / 100) / 10} s`);
    this.retryTimer = this.options.timers.setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'retrying') this.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setState(state: SocketState, detail?: string): void {
    this.state = state;
    this.options.onState(state, detail);
  }
}
