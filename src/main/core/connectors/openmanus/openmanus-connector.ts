// OpenManus agent conversations (backends.md §5): REST for the list and each conversation's
// history, one socket per conversation that is open on screen or has an agent running. There is
// no account-wide socket: the list is polled for new conversations, and every socket (re)open
// marks its conversation stale so the engine pages back through the history it missed.
import { randomUUID } from 'node:crypto';
import type { RemoteConversation, RemoteMessage } from '../../mirror/types';
import { Backoff, type BackoffPolicy } from '../../sync/backoff';
import { ConnectorError, type Connector, type ConnectorSink, type Page } from '../connector';
import { credentialString, type Credentials, type CredentialsPort } from '../credentials';
import type { KindContext } from '../registry';
import { openmanusCapabilities } from './capabilities';
import { ConversationSocket, type OpenSocket, type SocketState } from './conversation-socket';
import { FrameParser } from './frames';
import { toRemoteConversation, toRemoteMessage } from './remote';
import { OpenManusRest, socketBaseUrl, type OpenManusCredentials } from './rest-client';
import { messageItem, type TimelineItem } from './timeline';
import type { ConversationDetail, WireConversation } from './wire';
import { openWs } from './ws-opener';

/** The kind's context (fetch, clock, random, timers, log) and this account's settings. */
export interface OpenManusConnectorOptions extends KindContext {
  /** http(s)://host/…/api */
  apiBase: string;
  credentials: CredentialsPort;
  openSocket?: OpenSocket;
  /** How often the list is polled for conversations started elsewhere. */
  pollMs?: number;
  newId?: () => string;
  /** Models seen when the account was added (the account's config). */
  models?: string[];
}

/** A history fetched moments ago serves the engine's page-back right after a list fetch. */
const HISTORY_FRESH_MS = 3000;
const DETAIL_FETCHES = 4;
const RUN_END_GRACE_MS = 3000;
/**
 * While the backend does not answer, the list is polled sooner than usual (it is how the account
 * learns it is back): 2.5–5 s at first, then twice as late each time up to 30–60 s, not every 5 s
 * for as long as the app runs against a backend gone for good.
 */
export const UNAVAILABLE_POLL_BACKOFF: BackoffPolicy = { baseMs: 5000, maxMs: 60_000 };
/** Known conversations without a socket re-read per poll: the newest few, and one more in turn. */
const RECHECK_NEWEST = 5;

export function wireCredentials(c: Credentials | undefined): OpenManusCredentials | undefined {
  const token = credentialString(c, 'token');
  if (token) return { token };
  const sessionid = credentialString(c, 'sessionid');
  return sessionid ? { sessionid } : undefined;
}

interface Live {
  socket: ConversationSocket;
  parser: FrameParser;
}

export class OpenManusConnector implements Connector {
  readonly capabilities = openmanusCapabilities;
  /** The list is polled here, newest page first, and what moved is reported (see poll()). */
  readonly pollsItself = true;
  private readonly rest: OpenManusRest;
  private sink: ConnectorSink | null = null;
  private readonly live = new Map<string, Live>();
  private watched = new Set<string>();
  private readonly running = new Set<string>();
  private readonly known = new Set<string>();
  private readonly histories = new Map<string, { at: number; items: TimelineItem[]; detail: ConversationDetail }>();
  private lastModel: string | null = null;
  /** Models seen, most recent first (config, the list, conversations started here). */
  private readonly models: string[] = [];
  private pollTimer: unknown = null;
  /** Stored messages per conversation when last read, to see one continued elsewhere. */
  private readonly storedCounts = new Map<string, number>();
  private recheckTurn = 0;
  private renewing: Promise<boolean> | null = null;
  private unavailable = false;
  private readonly unavailablePolls: Backoff;

  constructor(private readonly options: OpenManusConnectorOptions) {
    this.unavailablePolls = new Backoff(UNAVAILABLE_POLL_BACKOFF, options.random);
    for (const m of options.models ?? []) this.noteModel(m, false);
    this.rest = new OpenManusRest({
      baseUrl: options.apiBase,
      credentials: () => wireCredentials(options.credentials.current()),
      fetch: options.fetch,
      warn: (m) => this.warn(m),
    });
  }

  async connect(sink: ConnectorSink): Promise<void> {
    this.sink = sink;
    sink.link('connected');
    sink.gap('connected');
    this.schedulePoll();
    this.reconcileSockets();
  }

  async disconnect(): Promise<void> {
    this.sink = null;
    this.unavailable = false;
    this.unavailablePolls.succeeded();
    if (this.pollTimer !== null) this.options.timers.clearTimeout(this.pollTimer);
    this.pollTimer = null;
    for (const live of this.live.values()) live.socket.stop();
    this.live.clear();
  }

  async listConversations(): Promise<Page<RemoteConversation> & { watermark: string | null }> {
    const list = await this.withAuth(() => this.rest.listConversations());
    const items: RemoteConversation[] = [];
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const c = list[next++]!;
        const remote = await this.describe(c);
        if (remote) items.push(remote);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DETAIL_FETCHES, list.length) }, worker));
    for (const c of list) this.known.add(c.id);
    for (const c of [...list].reverse()) if (c.llm_model) this.noteModel(c.llm_model);
    if (list[0]?.llm_model) this.lastModel = list[0].llm_model;
    this.reconcileSockets();
    return { items, next: null, watermark: null };
  }

  /** Newest first, before a stored message id (the backend has no paging: one fetch, sliced). */
  async messagesBefore(conversationRemoteId: string, beforeRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>> {
    const newestFirst = [...(await this.history(conversationRemoteId))].reverse();
    const start = beforeRemoteId === null ? 0 : newestFirst.findIndex((i) => i.remoteId === beforeRemoteId) + 1;
    if (beforeRemoteId !== null && start === 0) return { items: [], next: null };
    const slice = newestFirst.slice(start, start + limit);
    return { items: slice.map((i) => toRemoteMessage(i)), next: start + limit < newestFirst.length ? (slice.at(-1)?.remoteId ?? null) : null };
  }

  async messagesAfter(conversationRemoteId: string, afterRemoteId: string | null, limit: number): Promise<Page<RemoteMessage>> {
    const oldestFirst = await this.history(conversationRemoteId);
    const start = afterRemoteId === null ? 0 : oldestFirst.findIndex((i) => i.remoteId === afterRemoteId) + 1;
    const slice = oldestFirst.slice(start, start + limit);
    return { items: slice.map((i) => toRemoteMessage(i)), next: start + limit < oldestFirst.length ? (slice.at(-1)?.remoteId ?? null) : null };
  }

  async sendReply(conversationRemoteId: string, content: string, clientId: string): Promise<RemoteMessage> {
    const sent = await this.withAuth(() => this.rest.sendMessage(conversationRemoteId, content));
    this.histories.delete(conversationRemoteId);
    this.setRunning(conversationRemoteId, true);
    // The answer has only the id: the stored copy gives the server's time, so the reply sorts
    // before the agent's first step. Failing that, our clock.
    const stored = await this.rest.messagesNewestFirst(conversationRemoteId).then(
      (list) => list.find((m) => m.id === sent.messageId),
      (error: unknown) => this.warn(`Could not read back the sent message: ${error instanceof Error ? error.message : String(error)}`),
    );
    if (stored) return toRemoteMessage(messageItem(stored, conversationRemoteId), clientId);
    return { remoteId: sent.messageId, clientId, seq: 0, senderType: 'admin', content, createdAt: this.options.clock(), kind: 'text' };
  }

  async startConversation(input: { content: string; model?: string }): Promise<{ conversation: RemoteConversation; messages: RemoteMessage[] }> {
    const model = input.model?.trim() || this.lastModel;
    if (!model) throw new ConnectorError('rejected', 'Choose the model the agent should use.');
    const created = await this.withAuth(() => this.rest.createConversation({ model, content: input.content }));
    this.known.add(created.id);
    this.lastModel = model;
    this.noteModel(model);
    const conversation = (await this.describe(created)) ?? toRemoteConversation(created, null, [], this.options.clock());
    this.setRunning(created.id, true);
    // The engine mirrors it the usual way: the conversation, then its history fetched.
    this.sink?.conversation(conversation);
    this.sink?.stale(created.id);
    return { conversation, messages: (this.histories.get(created.id)?.items ?? []).map((i) => toRemoteMessage(i)) };
  }

  knownModels(): string[] {
    return [...this.models];
  }

  /** Newest first, each once, at most 50. */
  private noteModel(model: string, newest = true): void {
    const m = model.trim();
    if (!m) return;
    const at = this.models.indexOf(m);
    if (at >= 0) this.models.splice(at, 1);
    if (newest) this.models.unshift(m);
    else this.models.push(m);
    this.models.length = Math.min(this.models.length, 50);
  }

  // The backend keeps no status, read receipts, typing or presence: the engine keeps those here.
  async setStatus(): Promise<void> {}
  async markRead(): Promise<void> {}
  sendTyping(): void {}
  async setAvailability(): Promise<void> {}

  watch(conversationRemoteIds: string[]): void {
    this.watched = new Set(conversationRemoteIds);
    this.reconcileSockets();
  }

  // ------------------------------------------------------------------ internals
  private warn(message: string): void {
    if (this.sink) this.sink.warn(message);
    else this.options.log(`openmanus: ${message}`);
  }

  /** One conversation's detail: its RemoteConversation, its history cached for the page-back that follows. */
  private async describe(c: WireConversation): Promise<RemoteConversation | null> {
    try {
      const items = await this.fetchHistory(c.id);
      const last = items.at(-1);
      if (last?.runState) this.running[last.runState === 'running' ? 'add' : 'delete'](c.id);
      return toRemoteConversation(c, this.histories.get(c.id)?.detail ?? null, items, this.options.clock());
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === 'rejected') {
        this.warn(`Skipped conversation ${c.id}: ${error.message}`);
        return null;
      }
      throw error;
    }
  }

  private async fetchHistory(conversationRemoteId: string): Promise<TimelineItem[]> {
    const { detail, messages } = await this.withAuth(() => this.rest.conversation(conversationRemoteId));
    const items = messages.map((m) => messageItem(m, conversationRemoteId)).filter((i) => i.conversationRemoteId === conversationRemoteId);
    this.histories.set(conversationRemoteId, { at: this.options.clock(), items, detail });
    this.storedCounts.set(conversationRemoteId, messages.length);
    const newest = items.at(-1);
    if (newest) this.live.get(conversationRemoteId)?.parser.observeServerTime(newest.createdAt);
    return items;
  }

  private async history(conversationRemoteId: string): Promise<TimelineItem[]> {
    const cached = this.histories.get(conversationRemoteId);
    if (cached && this.options.clock() - cached.at < HISTORY_FRESH_MS) return cached.items;
    return this.fetchHistory(conversationRemoteId);
  }

  /** A 401 first asks the credentials port to renew; when it cannot, the user is asked. */
  private async withAuth<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.kind !== 'auth') throw error;
      if (!(await this.renew())) throw error;
      return call();
    }
  }

  private renew(): Promise<boolean> {
    this.renewing ??= this.options.credentials
      .refresh()
      .then(
        () => true,
        () => false,
      )
      .finally(() => (this.renewing = null));
    return this.renewing;
  }

  private setRunning(conversationRemoteId: string, running: boolean): void {
    if (running) this.running.add(conversationRemoteId);
    else this.running.delete(conversationRemoteId);
    this.reconcileSockets();
  }

  /** Sockets for exactly the conversations on screen or with an agent running. */
  private reconcileSockets(): void {
    if (!this.sink) return;
    const wanted = new Set([...this.watched, ...this.running]);
    for (const [id, live] of this.live) {
      if (wanted.has(id)) continue;
      live.socket.stop();
      this.live.delete(id);
    }
    for (const id of wanted) if (!this.live.has(id)) this.openSocket(id);
  }

  private openSocket(conversationRemoteId: string): void {
    const parser = new FrameParser({ conversationRemoteId, now: this.options.clock, newId: this.options.newId ?? (() => `ev-${randomUUID()}`) });
    const socket = new ConversationSocket({
      conversationRemoteId,
      socketBaseUrl: socketBaseUrl(this.rest.baseUrl),
      credentials: () => wireCredentials(this.options.credentials.current()),
      open: this.options.openSocket ?? openWs,
      timers: this.options.timers,
      random: this.options.random,
      onFrame: (text) => this.onFrame(conversationRemoteId, parser, text),
      // Whatever happened before this (re)open is only in the stored history, and a copy cached by
      // the list fetch a moment ago may predate it: fetch afresh.
      onOpen: () => {
        // Said in the log: what the agent does is streamed only while this is open (nothing is replayed).
        this.options.log(`openmanus: conversation ${conversationRemoteId}'s event stream is open`);
        this.histories.delete(conversationRemoteId);
        this.sink?.stale(conversationRemoteId);
      },
      onState: (state, detail) => this.onSocketState(conversationRemoteId, state, detail),
    });
    this.live.set(conversationRemoteId, { socket, parser });
    socket.start();
  }

  private onFrame(conversationRemoteId: string, parser: FrameParser, text: string): void {
    const sink = this.sink;
    if (!sink) return;
    const r = parser.parse(text);
    if (!r.ok) {
      sink.warn(`Skipped a malformed frame of conversation ${conversationRemoteId}: ${r.reason}`);
      return;
    }
    this.histories.delete(conversationRemoteId);
    sink.messages(conversationRemoteId, [toRemoteMessage(r.item)]);
    const state = r.item.runState;
    if (state === 'running') this.running.add(conversationRemoteId);
    // Only the agent's own events end a run live (a stored answer is followed by agent.finished).
    else if (state && r.item.event?.startsWith('agent.')) this.runEnded(conversationRemoteId);
  }

  /**
   * The run is over: its socket stays a moment for the frames that trail the end (the note after
   * agent.stuck), then closes unless the conversation is on screen, and one fetch picks up
   * anything those frames would have said.
   */
  private runEnded(conversationRemoteId: string): void {
    this.running.delete(conversationRemoteId);
    this.options.timers.setTimeout(() => {
      if (!this.sink || this.running.has(conversationRemoteId) || this.watched.has(conversationRemoteId)) return;
      this.reconcileSockets();
      this.sink.stale(conversationRemoteId);
    }, RUN_END_GRACE_MS);
  }

  private onSocketState(conversationRemoteId: string, state: SocketState, detail?: string): void {
    if (state === 'retrying') this.setUnavailable(`A conversation's socket dropped: ${detail ?? 'no answer'}`);
    else if (state === 'open') this.setAvailable();
    if (state !== 'auth') return;
    void this.renew().then((renewed) => {
      const live = this.live.get(conversationRemoteId);
      if (renewed) live?.socket.resume();
      else this.sink?.link('auth-expired', detail ?? 'the backend refused the token');
    });
  }

  /** The backend stopped answering (a socket dropped, a poll failed): polled sooner until it is back. */
  private setUnavailable(detail: string): void {
    if (this.unavailable || !this.sink) return;
    this.unavailable = true;
    this.sink.link('unavailable', detail);
    if (this.pollTimer !== null) this.options.timers.clearTimeout(this.pollTimer);
    this.schedulePoll();
  }

  /** Back: the engine catches up on everything the outage hid. */
  private setAvailable(): void {
    if (!this.unavailable || !this.sink) return;
    this.unavailable = false;
    this.unavailablePolls.succeeded();
    this.sink.link('connected');
    this.sink.gap('the backend answers again');
  }

  private schedulePoll(): void {
    const ms = this.unavailable ? this.unavailablePolls.failed() : (this.options.pollMs ?? 30_000);
    this.pollTimer = this.options.timers.setTimeout(() => {
      this.pollTimer = null;
      void this.poll().finally(() => this.sink && this.pollTimer === null && this.schedulePoll());
    }, ms);
  }

  /**
   * Conversations continued elsewhere (the web front end) while no socket of ours listens: the
   * list has no change times (newest created first), so the newest few and one older one in turn
   * are read again; one with more stored messages than we last read is fetched by the engine.
   */
  private async recheckIdle(list: WireConversation[]): Promise<void> {
    const idle = list.filter((c) => this.known.has(c.id) && !this.live.has(c.id) && this.storedCounts.has(c.id));
    const older = idle.slice(RECHECK_NEWEST);
    const picked = [...idle.slice(0, RECHECK_NEWEST), ...(older.length ? [older[this.recheckTurn++ % older.length]!] : [])];
    for (const c of picked) {
      const before = this.storedCounts.get(c.id);
      const items = await this.fetchHistory(c.id);
      if (this.storedCounts.get(c.id) === before) continue;
      if (items.at(-1)?.runState === 'running') this.running.add(c.id);
      this.sink?.stale(c.id);
    }
  }

  /** New conversations (started elsewhere) are described and fetched; known ones have their sockets. */
  private async poll(): Promise<void> {
    try {
      const list = await this.withAuth(() => this.rest.listConversations());
      this.setAvailable();
      for (const c of list) {
        if (this.known.has(c.id)) continue;
        const remote = await this.describe(c);
        this.known.add(c.id);
        if (remote && this.sink) {
          this.sink.conversation(remote);
          this.sink.stale(c.id);
        }
      }
      await this.recheckIdle(list);
      this.reconcileSockets();
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === 'auth') this.sink?.link('auth-expired', error.message);
      else if (error instanceof ConnectorError && error.kind === 'transient') this.setUnavailable(error.message);
      else this.options.log(`openmanus: polling the conversation list failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
