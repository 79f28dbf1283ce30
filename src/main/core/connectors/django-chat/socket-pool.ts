// One WebSocket per conversation that matters (backends.md §2 has no teacher-wide socket): the
// ones the user has open, then the most recently active, up to a bound. Each authenticates with
// the session cookie and the site's own Origin, reopens after every drop with backoff, and
// reports `established` (the engine then catches that conversation up). A reply sent here is
// confirmed only by its echo (`is_own_message: true`), the only acknowledgement the site gives.
import WebSocket from 'ws';
import { ConnectorError } from '../connector';
import { backoffDelay } from '../../sync/backoff';
import type { Timers } from '../../sync/timers';
import { ConnectionEstablished, ErrorFrame, NewMessageFrame, type WireMessage } from './wire';

export interface SocketPoolOptions {
  baseUrl: string;
  /** The `sessionid` cookie value, read at every (re)connect. */
  sessionId: () => string | undefined;
  maxSockets: number;
  echoTimeoutMs: number;
  timers: Timers;
  random: () => number;
  /** The socket is joined: whatever happened while it was not must be fetched. */
  onEstablished: (remoteId: string) => void;
  /** A message that is not the echo of a reply sent here (the student's, or ours from elsewhere). */
  onMessage: (remoteId: string, message: WireMessage) => void;
  /** The handshake was refused with 401/403 (no valid session, or Origin refused); other statuses are retried. */
  onRefused: (remoteId: string, status: number) => void;
  warn: (message: string) => void;
}

interface PendingEcho {
  content: string;
  resolve: (m: WireMessage) => void;
  reject: (e: Error) => void;
  timer: unknown;
}

class ConversationSocket {
  ws: WebSocket | null = null;
  established = false;
  attempts = 0;
  retryTimer: unknown = null;
  readonly echoes: PendingEcho[] = [];
  readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  constructor(readonly remoteId: string) {}
}

const wsUrl = (baseUrl: string, remoteId: string): string =>
  `${baseUrl.replace(/^http/, 'ws')}/ws/chat/conversations/${encodeURIComponent(remoteId)}/`;

export class SocketPool {
  private readonly sockets = new Map<string, ConversationSocket>();
  private watched = new Set<string>();
  /** Recently active conversations, least recent first (Map order). */
  private readonly recent = new Map<string, true>();
  private running = false;

  constructor(private readonly o: SocketPoolOptions) {}

  start(): void {
    this.running = true;
    this.reconcile();
  }

  stop(): void {
    this.running = false;
    for (const s of [...this.sockets.values()]) this.close(s, new ConnectorError('transient', 'Disconnected.'));
    this.sockets.clear();
  }

  /** The conversations the user has open: always kept (they count towards the bound first). */
  setWatched(remoteIds: string[]): void {
    this.watched = new Set(remoteIds);
    this.reconcile();
  }

  /** Activity seen in a conversation: it becomes the most recent, and may get a socket. */
  touch(remoteId: string): void {
    this.recent.delete(remoteId);
    this.recent.set(remoteId, true);
    // Only the ones that could ever get a socket are remembered.
    while (this.recent.size > this.o.maxSockets * 4) this.recent.delete(this.recent.keys().next().value as string);
    this.reconcile();
  }

  isLive(remoteId: string): boolean {
    return this.sockets.get(remoteId)?.established === true;
  }

  openCount(): number {
    return this.sockets.size;
  }

  /** Sends a reply and resolves with its echo; rejects 'transient' when the echo does not come. */
  async send(remoteId: string, content: string): Promise<WireMessage> {
    if (!this.running) throw new ConnectorError('transient', 'The live connection is down; the reply waits.');
    this.touch(remoteId);
    const socket = this.sockets.get(remoteId) ?? this.open(remoteId);
    await this.ready(socket);
    const ws = socket.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new ConnectorError('transient', 'The conversation’s socket closed before the reply was sent.');
    return new Promise<WireMessage>((resolve, reject) => {
      const echo: PendingEcho = {
        content,
        resolve,
        reject,
        timer: this.o.timers.setTimeout(() => {
          const i = socket.echoes.indexOf(echo);
          if (i >= 0) socket.echoes.splice(i, 1);
          reject(new ConnectorError('transient', 'The site did not confirm the reply in time.'));
        }, this.o.echoTimeoutMs),
      };
      socket.echoes.push(echo);
      ws.send(JSON.stringify({ message: content }), (error) => {
        if (!error) return;
        this.settle(socket, echo);
        reject(new ConnectorError('transient', `Sending failed: ${error.message}`));
      });
    });
  }

  private desired(): Set<string> {
    const want = new Set<string>();
    for (const id of this.watched) if (want.size < this.o.maxSockets) want.add(id);
    for (const id of [...this.recent.keys()].reverse()) {
      if (want.size >= this.o.maxSockets) break;
      want.add(id);
    }
    return want;
  }

  private reconcile(): void {
    if (!this.running) return;
    const want = this.desired();
    for (const s of [...this.sockets.values()]) {
      // A socket with a reply waiting for its echo stays until the echo (or its timeout).
      if (!want.has(s.remoteId) && s.echoes.length === 0) {
        this.sockets.delete(s.remoteId);
        this.close(s, new ConnectorError('transient', 'Socket no longer needed.'));
      }
    }
    for (const id of want) if (!this.sockets.has(id)) this.open(id);
  }

  private open(remoteId: string): ConversationSocket {
    const socket = new ConversationSocket(remoteId);
    this.sockets.set(remoteId, socket);
    this.dial(socket);
    return socket;
  }

  private dial(socket: ConversationSocket): void {
    if (!this.running || this.sockets.get(socket.remoteId) !== socket) return;
    const sessionId = this.o.sessionId();
    const headers: Record<string, string> = { Origin: new URL(this.o.baseUrl).origin };
    if (sessionId) headers.Cookie = `sessionid=${sessionId}`;
    const ws = new WebSocket(wsUrl(this.o.baseUrl, socket.remoteId), { headers, handshakeTimeout: 15_000, maxPayload: 4 * 1024 * 1024 });
    socket.ws = ws;
    socket.established = false;
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      // A 5xx (the consumer raised: a locked database, a restart) is retried like a drop.
      if (status === 401 || status === 403) this.o.onRefused(socket.remoteId, status);
      else this.o.warn(`django-chat socket ${socket.remoteId}: handshake answered HTTP ${status}; retrying`);
      ws.terminate();
    });
    ws.on('error', (error) => this.o.warn(`django-chat socket ${socket.remoteId}: ${error.message}`));
    ws.on('message', (data, isBinary) => this.onFrame(socket, isBinary ? null : data.toString()));
    ws.on('close', () => {
      if (socket.ws !== ws) return;
      socket.ws = null;
      socket.established = false;
      const error = new ConnectorError('transient', 'The conversation’s socket closed.');
      for (const w of socket.readyWaiters.splice(0)) w.reject(error);
      // No echo can come on a new socket: the reply may or may not be stored; the outbox
      // reconciles it with the history before it is ever sent again.
      for (const e of socket.echoes.splice(0)) {
        this.o.timers.clearTimeout(e.timer);
        e.reject(new ConnectorError('transient', 'The socket closed before the site confirmed the reply.'));
      }
      if (!this.running || this.sockets.get(socket.remoteId) !== socket) return;
      if (!this.desired().has(socket.remoteId)) {
        this.sockets.delete(socket.remoteId);
        return;
      }
      socket.retryTimer = this.o.timers.setTimeout(() => {
        socket.retryTimer = null;
        this.dial(socket);
      }, backoffDelay(++socket.attempts, this.o.random, 500, 30_000));
    });
  }

  private onFrame(socket: ConversationSocket, text: string | null): void {
    let frame: unknown;
    try {
      frame = text === null ? undefined : JSON.parse(text);
    } catch {
      frame = undefined;
    }
    const established = ConnectionEstablished.safeParse(frame);
    if (established.success) {
      socket.established = true;
      socket.attempts = 0;
      for (const w of socket.readyWaiters.splice(0)) w.resolve();
      this.o.onEstablished(socket.remoteId);
      return;
    }
    const message = NewMessageFrame.safeParse(frame);
    if (message.success) {
      const m = message.data.message;
      const echo = m.is_own_message ? socket.echoes.find((e) => e.content === m.content) ?? socket.echoes.find((e) => e.content.trim() === m.content.trim()) : undefined;
      if (echo) {
        this.settle(socket, echo);
        echo.resolve(m);
      } else this.o.onMessage(socket.remoteId, m);
      return;
    }
    const error = ErrorFrame.safeParse(frame);
    if (error.success) {
      // The site refused what we sent ("Message content cannot be empty."): the oldest reply waiting.
      const first = socket.echoes[0];
      if (first) {
        this.settle(socket, first);
        first.reject(new ConnectorError('rejected', error.data.error));
      } else this.o.warn(`django-chat socket ${socket.remoteId}: ${error.data.error}`);
      return;
    }
    this.o.warn(`django-chat socket ${socket.remoteId}: skipped a malformed frame`);
  }

  private settle(socket: ConversationSocket, echo: PendingEcho): void {
    const i = socket.echoes.indexOf(echo);
    if (i >= 0) socket.echoes.splice(i, 1);
    this.o.timers.clearTimeout(echo.timer);
  }

  private ready(socket: ConversationSocket): Promise<void> {
    if (socket.established) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => {
          this.o.timers.clearTimeout(timer);
          resolve();
        },
        reject: (e: Error) => {
          this.o.timers.clearTimeout(timer);
          reject(e);
        },
      };
      const timer = this.o.timers.setTimeout(() => {
        socket.readyWaiters = socket.readyWaiters.filter((w) => w !== waiter);
        reject(new ConnectorError('transient', 'The conversation’s socket did not open in time.'));
      }, this.o.echoTimeoutMs);
      socket.readyWaiters.push(waiter);
    });
  }

  private close(socket: ConversationSocket, error: Error): void {
    if (socket.retryTimer) this.o.timers.clearTimeout(socket.retryTimer);
    socket.retryTimer = null;
    for (const w of socket.readyWaiters.splice(0)) w.reject(error);
    for (const e of socket.echoes.splice(0)) {
      this.o.timers.clearTimeout(e.timer);
      e.reject(error);
    }
    const ws = socket.ws;
    socket.ws = null;
    socket.established = false;
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) ws.terminate();
  }
}
