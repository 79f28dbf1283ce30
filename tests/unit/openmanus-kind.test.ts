// The openmanus kind's edges without the real backend: adding an account and signing in again
// (checked over a fake fetch, tests/support/openmanus-fake.ts), the connector it creates, how
// timeline items read as mirror rows, and the production socket opener against a loopback `ws`
// server in this process. tests/integration/openmanus-connector.test.ts covers the real backend.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { ConsoleError } from '../../src/shared/errors';
import type { SocketHandlers } from '../../src/main/core/connectors/openmanus/conversation-socket';
import { apiLocation, jwtExpiry, openmanusKind } from '../../src/main/core/connectors/openmanus/kind';
import { toRemoteConversation, toRemoteMessage } from '../../src/main/core/connectors/openmanus/remote';
import type { TimelineItem } from '../../src/main/core/connectors/openmanus/timeline';
import { MAX_FRAME_BYTES, openWs } from '../../src/main/core/connectors/openmanus/ws-opener';
import type { AccountRow } from '../../src/main/core/mirror/accounts-repo';
import { FakeTimers } from '../support/fake-timers';
import { FakeCredentials, FakeOpenManus } from '../support/openmanus-fake';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64({ alg: 'RS256' })}.${b64({ sub: 'u', exp: 1_900_000_000 })}.sig`;

function context(apiPath?: string) {
  const backend = new FakeOpenManus(apiPath);
  const logs: string[] = [];
  const ctx = { fetch: backend.fetch, clock: () => 0, random: () => 0.5, timers: new FakeTimers(), log: (m: string) => logs.push(m) };
  return { backend, logs, ctx };
}
const account = (config: unknown) => ({ id: 1, kind: 'openmanus', baseUrl: 'http://agents.test', config: JSON.stringify(config) }) as unknown as AccountRow;

describe('openmanus kind: adding an account', () => {
  it('checks a pasted token by listing conversations and keeps origin, API path, models and the expiry', async () => {
    const { backend, ctx } = context();
    backend.add('a', [], { llm_model: 'gpt-4o' });
    backend.add('b', [], { llm_model: '' });
    backend.add('c', [], { llm_model: 'claude' });
    backend.add('d', [], { llm_model: 'gpt-4o' });
    const connected = await openmanusKind.connect({ kind: 'openmanus', siteUrl: ' http://agents.test/api// ', token: `Bearer  ${JWT}` }, ctx);
    expect(connected).toEqual({ name: 'agents.test', baseUrl: 'http://agents.test', config: { apiPath: '/api', models: ['gpt-4o', 'claude'] }, credentials: { token: JWT, expiresAt: 1_900_000_000_000 } });
    expect(backend.calls.map((c) => [c.method, c.path, c.headers.Authorization])).toEqual([['GET', '/conversations', `Bearer ${JWT}`]]);
  });

  it('keeps at most 50 models', async () => {
    const { backend, ctx } = context();
    for (let i = 0; i < 60; i++) backend.add(`c${i}`, [], { llm_model: `m${i}` });
    const connected = await openmanusKind.connect({ kind: 'openmanus', siteUrl: 'http://agents.test/api', token: 'opaque' }, ctx);
    expect((connected.config as { models: string[] }).models).toHaveLength(50);
    expect(connected.credentials).toEqual({ token: 'opaque', expiresAt: null });
  });

  it('or the session cookie, sent as a cookie', async () => {
    const { backend, ctx } = context('/backend/api');
    const connected = await openmanusKind.connect({ kind: 'openmanus', siteUrl: 'http://agents.test/backend/api', sessionCookie: 'sessionid=abc' }, ctx);
    expect(connected.credentials).toEqual({ sessionid: 'abc', expiresAt: null });
    expect(connected.config).toEqual({ apiPath: '/backend/api', models: [] });
    expect(backend.calls.map((c) => c.headers.Cookie)).toEqual(['sessionid=abc']);
  });

  it('a refused token or an unreachable backend reads as something the user can act on', async () => {
    const { backend, ctx } = context();
    backend.force('GET /conversations', { status: 401, body: { detail: 'expired' } });
    await expect(openmanusKind.connect({ kind: 'openmanus', siteUrl: 'http://agents.test/api', token: 't' }, ctx)).rejects.toEqual(
      new ConsoleError('forbidden', 'The backend refused this token: paste a fresh one (they last about a minute).'),
    );
    backend.force('GET /conversations', { status: 503 });
    await expect(openmanusKind.connect({ kind: 'openmanus', siteUrl: 'http://agents.test/api', token: 't' }, ctx)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('signing in again checks the new credentials at the stored API path (default /api)', async () => {
    const { backend, ctx } = context('/backend/api');
    const credentials = await openmanusKind.signIn(account({ apiPath: '/backend/api' }), { kind: 'openmanus', accountId: 1, token: 'fresh' } as never, ctx);
    expect(credentials).toEqual({ token: 'fresh', expiresAt: null });
    const other = context();
    await openmanusKind.signIn(account({ apiPath: 7 }), { kind: 'openmanus', accountId: 1, sessionCookie: 's2' } as never, other.ctx);
    expect(backend.calls).toHaveLength(1);
    expect(other.backend.calls.map((c) => c.headers.Cookie)).toEqual(['sessionid=s2']);
    // The fake answers only under its API path: elsewhere is a 404 (rejected).
    const wrong = context();
    await expect(openmanusKind.signIn(account({ apiPath: '/elsewhere' }), { kind: 'openmanus', accountId: 1, token: 't' } as never, wrong.ctx)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('creates a connector on the stored API base with the models seen', async () => {
    const { backend, ctx } = context();
    backend.add('c1', [], { llm_model: 'gpt-4o' });
    const connector = openmanusKind.create(account({ apiPath: '/api', models: ['a', 3, 'b'] }), new FakeCredentials(), ctx);
    expect(connector.knownModels?.()).toEqual(['a', 'b']);
    expect((await connector.listConversations({ since: null, page: null })).items.map((c) => c.remoteId)).toEqual(['c1']);
    expect(openmanusKind.create(account({ models: 'a' }), new FakeCredentials(), ctx).knownModels?.()).toEqual([]);
    expect(openmanusKind.capabilities({})).toEqual({ serverStatus: false, idempotentSend: false, catchUp: 'poll', readReceipts: false, typing: false, shape: 'inbox', startConversations: true });
    expect(connector.capabilities).toEqual(openmanusKind.capabilities({}));
  });

  it('splits the base URL, with or without a scheme, and refuses what is not one', () => {
    expect(apiLocation('  http://x.test/api ')).toEqual({ origin: 'http://x.test', apiPath: '/api' });
    expect(apiLocation('x.test/api?next=http://y.test')).toEqual({ origin: 'https://x.test', apiPath: '/api' });
    expect(apiLocation('HTTP://x.test/')).toEqual({ origin: 'http://x.test', apiPath: '/api' });
    expect(() => apiLocation('http://')).toThrow(new ConsoleError('bad-request', 'Enter the base URL of the backend, like https://agents.example.com/api.'));
    expect(() => apiLocation('ws://x.test/api')).toThrow(new ConsoleError('bad-request', 'The base URL must start with https:// or http://.'));
    expect(jwtExpiry(`h.${b64({ sub: 'u' })}.s`)).toBeNull();
    expect(jwtExpiry(`h.${b64({ exp: '1' })}.s`)).toBeNull();
    expect(jwtExpiry('h.%%%.s')).toBeNull();
  });
});

describe('openmanus timeline items as mirror rows', () => {
  const item = (over: Partial<TimelineItem>): TimelineItem => ({
    remoteId: 'r1', conversationRemoteId: 'c1', kind: 'text', sender: 'agent', event: null, text: 'hello', payload: null, payloadTruncated: false, isError: false, runState: null, createdAt: 5000, ...over,
  });

  it('events keep the event, error, run state and payload; system notes are system rows; a run state rides along', () => {
    expect(toRemoteMessage(item({ kind: 'event', sender: 'tool', event: 'message.tool', payload: { a: 1 }, payloadTruncated: true, isError: true, runState: 'running', seq: 7 }), 'cl')).toEqual({
      remoteId: 'r1', clientId: 'cl', seq: 7, senderType: 'tool', content: 'hello', createdAt: 5000, kind: 'event', payload: { event: 'message.tool', error: true, run: 'running', truncated: true, data: { a: 1 } },
    });
    expect(toRemoteMessage(item({ sender: 'system', runState: 'stuck' }))).toEqual({ remoteId: 'r1', clientId: null, seq: 0, senderType: 'system', content: 'hello', createdAt: 5000, kind: 'system', payload: { run: 'stuck' } });
    expect(toRemoteMessage(item({ sender: 'user' }))).toEqual({ remoteId: 'r1', clientId: null, seq: 0, senderType: 'admin', content: 'hello', createdAt: 5000, kind: 'text' });
  });

  it('a conversation is named by its title (trimmed, 200 characters), else its model; times from the detail, else its messages, else now', () => {
    const detail = (created_at?: string) => ({ conversation: { id: 'c1', created_at }, messages: [] });
    const items = [item({ createdAt: 1000 }), item({ createdAt: 2000, text: 'y'.repeat(250) })];
    expect(toRemoteConversation({ id: 'c1', title: `  ${'t'.repeat(250)}  `, llm_model: 'm' }, detail('1970-01-01T00:00:00.500Z'), items, 9000)).toEqual({
      remoteId: 'c1', visitorName: 't'.repeat(200), visitorEmail: null, serverStatus: null, createdAt: 500, lastMessageAt: 2000, lastMessagePreview: 'y'.repeat(200),
    });
    expect(toRemoteConversation({ id: 'c1', title: ' ', llm_model: null }, detail(), items, 9000)).toMatchObject({ visitorName: null, createdAt: 1000 });
    expect(toRemoteConversation({ id: 'c1' }, null, [], 9000)).toEqual({ remoteId: 'c1', visitorName: null, visitorEmail: null, serverStatus: null, createdAt: 9000 });
  });
});

describe('openmanus production socket opener (loopback ws server)', () => {
  const servers: WebSocketServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  });
  async function server(options: ConstructorParameters<typeof WebSocketServer>[0] = {}) {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
    servers.push(wss);
    await new Promise((resolve) => wss.once('listening', resolve));
    return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws/conversations/c1/` };
  }
  function recorder() {
    const events: unknown[][] = [];
    const handlers: SocketHandlers = {
      open: () => events.push(['open']),
      message: (text) => events.push(['message', text]),
      close: (code, reason) => events.push(['close', code, reason]),
      rejected: (status) => events.push(['rejected', status]),
      error: (error) => events.push(['error', error.message]),
    };
    return { events, handlers };
  }

  it('sends the headers, passes text frames (not binary), reports the close code and reason, and closes with 1000', async () => {
    const { wss, url } = await server();
    const seen: { cookie?: string; closed?: number } = {};
    wss.on('connection', (socket, req) => {
      seen.cookie = req.headers.cookie;
      socket.on('close', (code) => (seen.closed = code));
      socket.send(Buffer.from('binary frame, ignored'), { binary: true });
      socket.send(JSON.stringify({ type: 'notify', event: 'agent.step', payload: { step: 1 } }));
      socket.send('x'.repeat(1024 * 1024)); // a long tool result: well under the 16 MB cap
    });
    const r = recorder();
    const socket = openWs(url, { Cookie: 'sessionid=abc' }, r.handlers);
    await vi.waitFor(() => expect(r.events).toHaveLength(3));
    expect(r.events.slice(0, 2)).toEqual([['open'], ['message', '{"type":"notify","event":"agent.step","payload":{"step":1}}']]);
    expect(r.events[2]).toEqual(['message', 'x'.repeat(1024 * 1024)]);
    expect(seen.cookie).toBe('sessionid=abc');
    socket.close();
    await vi.waitFor(() => expect(seen.closed).toBe(1000));
    await vi.waitFor(() => expect(r.events.at(-1)).toEqual(['close', 1000, '']));

    const other = recorder();
    wss.removeAllListeners('connection');
    wss.on('connection', (s) => s.close(4401, 'expired'));
    openWs(url, {}, other.handlers);
    await vi.waitFor(() => expect(other.events.at(-1)).toEqual(['close', 4401, 'expired']));
  });

  it('a frame over the 16 MB cap is refused: an error, and the socket closes', async () => {
    const { wss, url } = await server();
    wss.on('connection', (socket) => socket.send('x'.repeat(MAX_FRAME_BYTES + 1)));
    const r = recorder();
    openWs(url, {}, r.handlers);
    await vi.waitFor(() => expect(r.events.at(-1)?.[0]).toBe('close'), { timeout: 10_000 });
    expect(r.events.filter((e) => e[0] === 'message')).toEqual([]);
    expect(r.events).toContainEqual(['error', 'Max payload size exceeded']);
  });

  it('a refused upgrade is reported as its HTTP status', async () => {
    const { url } = await server({ verifyClient: (_info, done) => done(false, 401) });
    const r = recorder();
    openWs(url, {}, r.handlers);
    await vi.waitFor(() => expect(r.events[0]).toEqual(['rejected', 401]));
  });

  it('closing while still connecting gives up on the handshake', async () => {
    const { wss, url } = await server({ verifyClient: () => false });
    wss.removeAllListeners();
    const r = recorder();
    const socket = openWs(url, {}, r.handlers);
    socket.close();
    await vi.waitFor(() => expect(r.events.some((e) => e[0] === 'close')).toBe(true));
    expect(r.events.filter((e) => e[0] === 'open' || e[0] === 'rejected')).toEqual([]);
    expect(r.events).toContainEqual(['error', 'WebSocket was closed before the connection was established']);
    expect(r.events.at(-1)).toEqual(['close', 1006, '']);
  });
});
