// The one WebSocket of a jwt-ws account. It is "up" only after the server's `auth` frame: a bad
// token is accepted at the upgrade and closed at once (1008), so a close before `auth` means the
// token was refused and the next attempt takes a fresh one. Reconnects use the core's backoff
// with jitter; a 429 at the upgrade waits for X-RateLimit-Reset. Keep-alive: an app-level `ping`
// every pingIntervalMs, and a socket that stays silent for pongTimeoutMs after it is dropped.
import WebSocket from 'ws';
import { backoffDelay } from '../../sync/backoff';
import { realTimers, type Timers } from '../../sync/timers';
import { ConnectorError } from '../connector';
import { encodeClientFrame, isFrame, parseFrames, type InboundFrame } from './frames';

export type SocketState = 'connecting' | 'up' | 'down' | 'stopped';

export interface SocketEvents {
  /** After every `auth` frame: the first connect and every reconnect (catch up now). */
  up(userId: string): void;
  down(reason: string, retryInMs: number): void;
  /** No token can be had without the user (sign in again): the socket has stopped. */
  authFailed(message: string): void;
  frames(frames: InboundFrame[]): void;
  warn(message: string): void;
}

export interface SocketOptions {
  /** ws(s)://host/ws (without the token). */
  url: string;
  token(): Promise<string>;
  /** The server refused this token (closed before `auth`, or 401/403 at the upgrade). */
  tokenRefused(token: string): void;
  events: SocketEvents;
  random?: () => number;
  now?: () => number;
  timers?: Timers;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** Give up waiting for `auth` after this long (then reconnect). */
  authTimeoutMs?: number;
  maxBackoffMs?: number;
  createSocket?: (url: string) => WebSocket;
}

export class JwtWsSocket {
  private ws: WebSocket | null = null;
  private state: SocketState = 'down';
  private attempt = 0;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private silenceTimer: unknown = null;
  private authTimer: unknown = null;
  private rateLimitedUntil = 0;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly timers: Timers;
  readonly stats = { connects: 0, refusedTokens: 0, rateLimited: 0, pingsSent: 0, silentDrops: 0 };

  constructor(private readonly opts: SocketOptions) {
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? realTimers;
  }

  get current(): SocketState {
    return this.state;
  }

  start(): void {
    if (this.state === 'connecting' || this.state === 'up') return;
    this.open();
  }

  stop(): void {
    this.state = 'stopped';
    this.clearTimers();
    if (this.retryTimer) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
    }
  }

  /** Sends one client frame; false when the socket is not up or the frame is over 512 bytes. */
  send(type: string, data: unknown): boolean {
    const text = encodeClientFrame(type, data);
    if (text === null) {
      this.opts.events.warn(`jwt-ws: ${type} frame over 512 bytes not sent (the server would close the socket)`);
      return false;
    }
    if (this.state !== 'up' || this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  private open(): void {
    this.state = 'connecting';
    void this.opts.token().then(
      (token) => {
        if (this.state !== 'connecting') return;
        this.dial(token);
      },
      (err: unknown) => {
        if (this.state !== 'connecting') return;
        if (err instanceof ConnectorError && err.kind === 'auth') {
          this.stop();
          this.opts.events.authFailed(err.message);
          return;
        }
        const e = err as Error & { retryAfterMs?: number };
        this.scheduleRetry(`no token: ${e.message}`, e.retryAfterMs);
      },
    );
  }

  private dial(token: string): void {
    const url = `${this.opts.url}${this.opts.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
    const ws = this.opts.createSocket ? this.opts.createSocket(url) : new WebSocket(url, { handshakeTimeout: 15_000, maxPayload: 8 * 1024 * 1024 });
    this.ws = ws;
    let authed = false;
    let opened = false;
    let upgradeStatus = 0;
    let waitMs: number | undefined;
    ws.on('unexpected-response', (_req, res) => {
      upgradeStatus = res.statusCode ?? 0;
      if (upgradeStatus === 429) {
        this.stats.rateLimited++;
        const reset = Number(res.headers['x-ratelimit-reset']);
        waitMs = Number.isFinite(reset) && reset > 0 ? Math.max(1000, reset * 1000 - this.now()) : 60_000;
        this.rateLimitedUntil = this.now() + waitMs;
      }
      if (upgradeStatus === 401 || upgradeStatus === 403) this.refused(token);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      opened = true;
      this.authTimer = this.timers.setTimeout(() => ws.terminate(), this.opts.authTimeoutMs ?? 10_000);
      this.armSilence(ws);
    });
    ws.on('message', (raw: WebSocket.RawData) => {
      this.armSilence(ws);
      const text = Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8');
      const { frames, skipped } = parseFrames(text);
      for (const s of skipped) this.opts.events.warn(`jwt-ws: skipped a frame (${s.reason})`);
      if (!authed) {
        const auth = frames.find((f) => isFrame(f, 'auth'));
        if (auth && isFrame(auth, 'auth')) {
          authed = true;
          this.onUp(ws, auth.data.user_id);
        }
      }
      if (frames.length > 0) this.opts.events.frames(frames);
    });
    ws.on('error', (err) => this.opts.events.warn(`jwt-ws socket: ${err.message}`));
    ws.on('close', (code, reason) => {
      if (this.ws !== ws || this.state === 'stopped') return;
      this.clearTimers();
      this.ws = null;
      // Opened but closed before `auth`: the deployed server refuses a bad token this way (1008;
      // a server that just drops the connection gives 1006). A restart (1001/1012) is not a refusal.
      if (opened && !authed && code !== 1001 && code !== 1012) this.refused(token);
      const why = upgradeStatus ? `HTTP ${upgradeStatus} at the upgrade` : `closed ${code}${reason.length ? ` ${reason.toString().slice(0, 100)}` : ''}`;
      this.scheduleRetry(why, waitMs);
    });
  }

  private refused(token: string): void {
    this.stats.refusedTokens++;
    this.opts.tokenRefused(token);
  }

  private onUp(ws: WebSocket, userId: string): void {
    if (this.authTimer) this.timers.clearTimeout(this.authTimer);
    this.authTimer = null;
    this.state = 'up';
    this.attempt = 0;
    this.stats.connects++;
    this.schedulePing(ws);
    this.opts.events.up(userId);
  }

  /** An app-level ping every pingIntervalMs while the socket is up (re-armed: the timers are one-shot). */
  private schedulePing(ws: WebSocket): void {
    this.pingTimer = this.timers.setTimeout(() => {
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      ws.send(JSON.stringify({ type: 'ping', data: {} }));
      this.stats.pingsSent++;
      this.schedulePing(ws);
    }, this.opts.pingIntervalMs ?? 25_000);
  }

  /** Anything from the server (frames, pongs, protocol pings) proves the link; silence drops it. */
  private armSilence(ws: WebSocket): void {
    if (this.silenceTimer) this.timers.clearTimeout(this.silenceTimer);
    const limit = (this.opts.pingIntervalMs ?? 25_000) + (this.opts.pongTimeoutMs ?? 10_000);
    this.silenceTimer = this.timers.setTimeout(() => {
      this.stats.silentDrops++;
      this.opts.events.warn('jwt-ws: no answer to keep-alive pings; reconnecting');
      ws.terminate();
    }, limit);
    if (!ws.listenerCount('ping')) ws.on('ping', () => this.armSilence(ws));
  }

  private clearTimers(): void {
    for (const t of [this.pingTimer, this.silenceTimer, this.authTimer]) if (t) this.timers.clearTimeout(t);
    this.pingTimer = this.silenceTimer = this.authTimer = null;
  }

  private scheduleRetry(reason: string, minWaitMs?: number): void {
    if (this.state === 'stopped') return;
    this.state = 'down';
    this.attempt++;
    const backoff = backoffDelay(this.attempt, this.random, 1000, this.opts.maxBackoffMs ?? 30_000);
    const limited = Math.max(0, this.rateLimitedUntil - this.now());
    // Jitter on top of a 429 wait too, so many consoles behind one address do not return together.
    const delay = Math.max(backoff, (minWaitMs ?? 0) + (limited > 0 ? this.random() * 1000 : 0), limited);
    this.opts.events.down(reason, delay);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'down') this.open();
    }, delay);
  }
}
