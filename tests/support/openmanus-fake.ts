// In-process stand-ins for the openmanus connector's unit tests: an OpenManus backend answering
// over a fake fetch (REST under /api/v1/chat, shaped like backends/openmanus), a fake socket opener
// that records each attempt and lets the test drive its events, and a sink recording what the
// connector reports. The real backend (Django Channels) is covered by
// tests/integration/openmanus-connector.test.ts.
import { expect, vi } from 'vitest';
import type { ConnectorSink } from '../../src/main/core/connectors/connector';
import type { Credentials, CredentialsPort } from '../../src/main/core/connectors/credentials';
import type { OpenSocket, SocketHandlers } from '../../src/main/core/connectors/openmanus/conversation-socket';
import { OpenManusConnector } from '../../src/main/core/connectors/openmanus/openmanus-connector';
import type { RemoteConversation, RemoteMessage } from '../../src/main/core/mirror/types';
import { FakeTimers } from './fake-timers';

export const API = 'http://agents.test/api';

export interface FakeMessage {
  id: string;
  role: 'user' | 'assistant' | 'tool' | 'system';
  content: string | null;
  tool_calls?: unknown[] | null;
  created_at: string;
}
export interface FakeConversation {
  id: string;
  title: string | null;
  llm_model: string | null;
  created_at: string;
  messages: FakeMessage[];
}
export interface FakeCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The backend: newest conversation first in the list, messages oldest first in the detail. */
export class FakeOpenManus {
  readonly conversations: FakeConversation[] = [];
  readonly calls: FakeCall[] = [];
  /** Answers to force, by "METHOD path" (one per call, in order); `path` is under /v1/chat. */
  readonly forced = new Map<string, { status: number; body?: unknown }[]>();
  /** Calls that wait until released (see hold). */
  private holding: ((release: () => void) => void) | null = null;
  private nextId = 1;

  /** `apiPath`: where the API lives under the origin (the base URL the user gives ends with it). */
  constructor(readonly apiPath = '/api') {}

  add(id: string, messages: { role: FakeMessage['role']; content: string; at: number; tool_calls?: unknown[] }[] = [], over: Partial<FakeConversation> = {}): FakeConversation {
    const c: FakeConversation = { id, title: `Title ${id}`, llm_model: 'gpt-4o', created_at: iso(messages[0]?.at ?? 1_000), messages: [], ...over };
    for (const m of messages) this.say(c, m.role, m.content, m.at, m.tool_calls);
    this.conversations.unshift(c);
    return c;
  }

  say(c: FakeConversation | string, role: FakeMessage['role'], content: string, at: number, toolCalls?: unknown[]): FakeMessage {
    const conv = typeof c === 'string' ? this.get(c) : c;
    const m: FakeMessage = { id: `m${this.nextId++}`, role, content, tool_calls: toolCalls ?? null, created_at: iso(at) };
    conv.messages.push(m);
    return m;
  }

  get(id: string): FakeConversation {
    const c = this.conversations.find((x) => x.id === id);
    if (!c) throw new Error(`no conversation ${id}`);
    return c;
  }

  force(key: string, ...answers: { status: number; body?: unknown }[]): void {
    this.forced.set(key, [...(this.forced.get(key) ?? []), ...answers]);
  }

  /** Every later call waits for `release()` handed to `onCall`. */
  hold(onCall: ((release: () => void) => void) | null): void {
    this.holding = onCall;
  }

  requests(key: string): FakeCall[] {
    return this.calls.filter((c) => `${c.method} ${c.path}` === key);
  }

  readonly fetch = (async (url: string | URL, init: RequestInit) => {
    const u = new URL(String(url));
    const prefix = `${this.apiPath}/v1/chat`;
    const path = u.pathname.startsWith(prefix) ? u.pathname.slice(prefix.length) : `(outside the API) ${u.pathname}`;
    const method = init.method ?? 'GET';
    const body = init.body ? (JSON.parse(String(init.body)) as unknown) : undefined;
    this.calls.push({ method, path, headers: { ...(init.headers as Record<string, string>) }, body });
    if (this.holding) {
      const onCall = this.holding;
      await new Promise<void>((resolve) => onCall(resolve));
    }
    const forced = this.forced.get(`${method} ${path}`)?.shift();
    if (forced) return json(forced.status, forced.body ?? {});
    return this.answer(method, path, body);
  }) as unknown as typeof fetch;

  private answer(method: string, path: string, body: unknown): Response {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'conversations') return json(404, { detail: 'Not found.' });
    if (parts.length === 1 && method === 'GET') return json(200, this.conversations.map((c) => ({ id: c.id, title: c.title, llm_model: c.llm_model })));
    if (parts.length === 1 && method === 'POST') {
      const b = body as { model: string; content: string };
      const c = this.add(`new-${this.nextId}`, [], { title: null, llm_model: b.model, created_at: iso(50_000) });
      this.say(c, 'user', b.content, 50_000);
      return json(201, { id: c.id, title: c.title, llm_model: c.llm_model });
    }
    const c = this.conversations.find((x) => x.id === parts[1]);
    if (!c) return json(404, { detail: 'Not found.' });
    const wire = (m: FakeMessage) => ({ ...m, conversation_id: c.id, tool_call_id: null, base64_image: null });
    if (parts.length === 2) return json(200, { conversation: { id: c.id, title: c.title, llm_model: c.llm_model, created_at: c.created_at }, messages: c.messages.map(wire) });
    if (method === 'GET') return json(200, [...c.messages].reverse().map(wire));
    const m = this.say(c, 'user', (body as { content: string }).content, 60_000);
    return json(201, { message: 'ok', message_id: m.id, attachments_count: 0 });
  }
}

export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export interface SocketAttempt {
  url: string;
  headers: Record<string, string>;
  h: SocketHandlers;
  closed: boolean;
}

/** Records each socket the connector opens; the test plays the server's side through `h`. */
export class FakeSockets {
  readonly attempts: SocketAttempt[] = [];
  readonly open: OpenSocket = (url, headers, h) => {
    const a: SocketAttempt = { url, headers, h, closed: false };
    this.attempts.push(a);
    return { close: () => (a.closed = true) };
  };

  /** The conversation's newest attempt. */
  of(conversationId: string): SocketAttempt | undefined {
    return this.attempts.filter((a) => a.url.includes(`/conversations/${conversationId}/`)).at(-1);
  }

  /** Conversations with a socket the connector has not closed. */
  openIds(): string[] {
    return [...new Set(this.attempts.filter((a) => !a.closed).map((a) => /\/conversations\/([^/]+)\//.exec(a.url)![1]!))].sort();
  }
}

export type SinkEvent =
  | ['link', string, string | undefined]
  | ['gap', string]
  | ['conversation', RemoteConversation]
  | ['stale', string]
  | ['messages', string, RemoteMessage[]]
  | ['warn', string];

/** A sink that records, in order, what the connector reported. */
export class RecordingSink implements ConnectorSink {
  readonly events: SinkEvent[] = [];
  link(state: string, detail?: string): void {
    this.events.push(['link', state, detail]);
  }
  gap(reason: string): void {
    this.events.push(['gap', reason]);
  }
  conversation(c: RemoteConversation): void {
    this.events.push(['conversation', c]);
  }
  stale(id: string): void {
    this.events.push(['stale', id]);
  }
  messages(id: string, messages: RemoteMessage[]): void {
    this.events.push(['messages', id, messages]);
  }
  warn(message: string): void {
    this.events.push(['warn', message]);
  }
  patch(): void {}
  edited(): void {}
  deleted(): void {}
  feed(): void {}
  read(): void {}
  typing(): void {}
  visitorOnline(): void {}

  of<K extends SinkEvent[0]>(kind: K): Extract<SinkEvent, [K, ...unknown[]]>[] {
    return this.events.filter((e): e is Extract<SinkEvent, [K, ...unknown[]]> => e[0] === kind);
  }
  links(): string[] {
    return this.of('link').map((e) => e[1]);
  }
  stales(): string[] {
    return this.of('stale').map((e) => e[1]);
  }
  clear(): void {
    this.events.length = 0;
  }
}

/** A credentials port: `renewWith` is what refresh() gives (or a failure when undefined). */
export class FakeCredentials implements CredentialsPort {
  refreshes = 0;
  /** While set, a renewal waits for it (to see callers share one). */
  gate: Promise<void> | null = null;
  constructor(
    public value: Credentials | undefined = { token: 'tok-1', expiresAt: null },
    public renewWith: Credentials | undefined = undefined,
  ) {}
  current(): Credentials | undefined {
    return this.value;
  }
  async refresh(): Promise<Credentials> {
    this.refreshes += 1;
    await (this.gate ?? Promise.resolve());
    if (!this.renewWith) throw new Error('cannot renew a pasted token');
    this.value = this.renewWith;
    return this.value;
  }
}

/**
 * A connector over the fakes above, with fake timers (starting at 100 s), a random source of 0.5 and
 * event ids ev-1, ev-2, … (`newId: false` leaves the connector's own).
 */
export function fakeConnector(options: { pollMs?: number; models?: string[]; credentials?: FakeCredentials; newId?: boolean } = {}) {
  const backend = new FakeOpenManus();
  const timers = new FakeTimers(100_000);
  const sockets = new FakeSockets();
  const sink = new RecordingSink();
  const logs: string[] = [];
  const credentials = options.credentials ?? new FakeCredentials();
  let n = 0;
  const connector = new OpenManusConnector({
    apiBase: API,
    credentials,
    fetch: backend.fetch,
    clock: () => timers.now,
    random: () => 0.5,
    timers,
    log: (m) => logs.push(m),
    openSocket: sockets.open,
    ...(options.newId === false ? {} : { newId: () => `ev-${++n}` }),
    pollMs: options.pollMs,
    models: options.models,
  });
  const lists = () => backend.requests('GET /conversations').length;
  /** Lets the poll due in `ms` run to its end (it schedules the next one when done). */
  const poll = async (ms: number) => {
    const before = lists();
    const pending = timers.count;
    timers.advance(ms);
    await vi.waitFor(
      () => {
        expect(lists()).toBe(before + 1);
        expect(timers.count).toBe(pending);
      },
      { interval: 1, timeout: 2000 },
    );
  };
  return { backend, timers, sockets, sink, logs, credentials, connector, lists, poll };
}
