// The openmanus connector's REST side with no network: the list (each conversation's detail read
// 4 at a time), page-back sliced from one fetch, replies, new conversations, the models seen, and
// a 401 renewed once through the credentials port. The backend is an in-process fake fetch
// (tests/support/openmanus-fake.ts); tests/integration/openmanus-connector.test.ts runs the same
// behaviour against the real reference backend.
import { describe, expect, it, vi } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { wireCredentials } from '../../src/main/core/connectors/openmanus/openmanus-connector';
import { connectorFailure as failure } from '../support/connector-failure';
import { fakeConnector, FakeCredentials, type FakeOpenManus } from '../support/openmanus-fake';

function setup(options: { models?: string[]; credentials?: FakeCredentials; connected?: boolean } = {}) {
  return fakeConnector(options);
}

const detailReads = (b: FakeOpenManus) => b.calls.filter((c) => c.method === 'GET' && /^\/conversations\/[^/]+$/.test(c.path)).length;

describe('openmanus connector: the list', () => {
  it('describes each conversation from its detail: title as name, first and last times, preview', async () => {
    const t = setup();
    t.backend.add('c1', [
      { role: 'user', content: 'What is new?', at: 10_000 },
      { role: 'assistant', content: 'Nothing much', at: 11_000 },
    ]);
    t.backend.add('c2', [{ role: 'user', content: 'x'.repeat(300), at: 20_000 }], { title: '   ', llm_model: 'claude' });
    const page = await t.connector.listConversations();
    expect(page.next).toBeNull();
    expect(page.watermark).toBeNull();
    expect([...page.items].sort((a, b) => a.remoteId.localeCompare(b.remoteId))).toEqual([
      { remoteId: 'c1', visitorName: 'Title c1', visitorEmail: null, serverStatus: null, createdAt: 10_000, lastMessageAt: 11_000, lastMessagePreview: 'Nothing much' },
      { remoteId: 'c2', visitorName: 'claude', visitorEmail: null, serverStatus: null, createdAt: 20_000, lastMessageAt: 20_000, lastMessagePreview: 'x'.repeat(200) },
    ]);
  });

  it('a conversation whose detail is refused is skipped with a warning; an unreachable one fails the list', async () => {
    const t = setup();
    t.backend.add('c1', [{ role: 'user', content: 'hi', at: 10_000 }]);
    t.backend.add('gone');
    t.backend.force('GET /conversations/gone', { status: 404, body: { detail: 'Not found.' } });
    const page = await t.connector.listConversations();
    expect(page.items.map((c) => c.remoteId)).toEqual(['c1']);
    expect(t.logs).toEqual(['openmanus: Skipped conversation gone: Not found.']);

    await t.connector.connect(t.sink);
    t.backend.force('GET /conversations/gone', { status: 404, body: { detail: 'Not found.' } });
    await t.connector.listConversations();
    expect(t.sink.of('warn')).toEqual([['warn', 'Skipped conversation gone: Not found.']]);

    t.backend.force('GET /conversations/c1', { status: 502 });
    expect((await failure(t.connector.listConversations())).kind).toBe('transient');
  });

  it('reads at most 4 details at a time', async () => {
    const t = setup();
    for (let i = 1; i <= 6; i++) t.backend.add(`c${i}`, [{ role: 'assistant', content: 'ok', at: i * 1000 }]);
    const waiting: (() => void)[] = [];
    t.backend.hold((release) => waiting.push(release));
    const listing = t.connector.listConversations();
    await vi.waitFor(() => expect(waiting).toHaveLength(1));
    waiting.shift()!();
    await vi.waitFor(() => expect(detailReads(t.backend)).toBeGreaterThanOrEqual(4));
    expect(detailReads(t.backend)).toBe(4);
    waiting.shift()!();
    await vi.waitFor(() => expect(detailReads(t.backend)).toBe(5));
    t.backend.hold(null);
    for (const release of waiting.splice(0)) release();
    await vi.waitFor(() => expect(detailReads(t.backend)).toBe(6));
    for (const release of waiting.splice(0)) release();
    expect((await listing).items).toHaveLength(6);
  });

  it('opens a socket for a conversation whose agent is running, and closes it once the list says it finished', async () => {
    const t = setup();
    const c = t.backend.add('c1', [{ role: 'user', content: 'go', at: 10_000 }]);
    t.backend.add('c2', [{ role: 'assistant', content: 'done', at: 9_000 }]);
    await t.connector.connect(t.sink);
    await t.connector.listConversations();
    expect(t.sockets.openIds()).toEqual(['c1']);
    t.backend.say(c, 'assistant', 'answer', 12_000);
    await t.connector.listConversations();
    expect(t.sockets.openIds()).toEqual([]);
  });

  it('remembers the models seen, newest first, each once, at most 50', async () => {
    const t = setup({ models: ['config-a', ' ', 'config-b', 'gpt-4o'] });
    expect(t.connector.knownModels()).toEqual(['config-a', 'config-b', 'gpt-4o']);
    t.backend.add('old', [], { llm_model: 'gpt-4o' });
    t.backend.add('mid', [], { llm_model: null });
    t.backend.add('new', [], { llm_model: 'claude' });
    await t.connector.listConversations();
    expect(t.connector.knownModels()).toEqual(['claude', 'gpt-4o', 'config-a', 'config-b']);
    const many = setup({ models: Array.from({ length: 60 }, (_, i) => `m${i}`) });
    expect(many.connector.knownModels()).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });
});

describe('openmanus connector: history pages', () => {
  async function fiveMessages() {
    const t = setup();
    t.backend.add('c1', [1, 2, 3, 4, 5].map((i) => ({ role: i % 2 ? ('user' as const) : ('assistant' as const), content: `text ${i}`, at: i * 1000 })));
    const ids = t.backend.get('c1').messages.map((m) => m.id);
    return { ...t, ids };
  }

  it('pages back newest first from one fetch, and forward oldest first', async () => {
    const t = await fiveMessages();
    const [m1, m2, m3, m4, m5] = t.ids;
    const first = await t.connector.messagesBefore('c1', null, 2);
    expect(first.items.map((m) => m.remoteId)).toEqual([m5, m4]);
    expect(first.next).toBe(m4);
    expect(first.items[0]).toEqual({ remoteId: m5, clientId: null, seq: 0, senderType: 'admin', content: 'text 5', createdAt: 5000, kind: 'text', payload: { run: 'running' } });
    const second = await t.connector.messagesBefore('c1', m4!, 2);
    expect([second.items.map((m) => m.remoteId), second.next]).toEqual([[m3, m2], m2]);
    const last = await t.connector.messagesBefore('c1', m2!, 2);
    expect([last.items.map((m) => m.remoteId), last.next]).toEqual([[m1], null]);
    expect(await t.connector.messagesBefore('c1', 'unknown', 2)).toEqual({ items: [], next: null });

    const after = await t.connector.messagesAfter('c1', null, 2);
    expect([after.items.map((m) => m.remoteId), after.next]).toEqual([[m1, m2], m2]);
    const tail = await t.connector.messagesAfter('c1', m3!, 2);
    expect([tail.items.map((m) => m.remoteId), tail.next]).toEqual([[m4, m5], null]);
    const end = await t.connector.messagesAfter('c1', m4!, 5);
    expect([end.items.map((m) => m.remoteId), end.next]).toEqual([[m5], null]);
  });

  it('a history read in the last 3 s is reused; an older one is read again', async () => {
    const t = await fiveMessages();
    await t.connector.listConversations();
    expect(detailReads(t.backend)).toBe(1);
    t.timers.advance(2999);
    await t.connector.messagesBefore('c1', null, 50);
    expect(detailReads(t.backend)).toBe(1);
    t.timers.advance(1);
    await t.connector.messagesAfter('c1', null, 50);
    expect(detailReads(t.backend)).toBe(2);
  });
});

describe('openmanus connector: replies and new conversations', () => {
  it('a reply is posted, then read back for the server time; the agent run gets a socket', async () => {
    const t = setup();
    t.backend.add('c1', [{ role: 'assistant', content: 'hello', at: 10_000 }]);
    await t.connector.connect(t.sink);
    await t.connector.messagesBefore('c1', null, 10);
    const sent = await t.connector.sendReply('c1', 'Summarise it', 'client-1');
    expect(t.backend.requests('POST /conversations/c1/messages').map((c) => c.body)).toEqual([{ content: 'Summarise it' }]);
    const stored = t.backend.get('c1').messages.at(-1)!;
    expect(sent).toEqual({ remoteId: stored.id, clientId: 'client-1', seq: 0, senderType: 'admin', content: 'Summarise it', createdAt: 60_000, kind: 'text', payload: { run: 'running' } });
    expect(t.sockets.openIds()).toEqual(['c1']);
    // The cached history predates the reply.
    const page = await t.connector.messagesBefore('c1', null, 10);
    expect(page.items[0]!.remoteId).toBe(stored.id);
  });

  it('when the read-back fails or misses the message, the reply keeps our clock (a failure is warned)', async () => {
    const t = setup();
    t.backend.add('c1');
    await t.connector.connect(t.sink);
    t.backend.force('GET /conversations/c1/messages', { status: 500, body: { detail: 'boom' } });
    const sent = await t.connector.sendReply('c1', 'hi', 'client-1');
    expect(sent).toEqual({ remoteId: t.backend.get('c1').messages.at(-1)!.id, clientId: 'client-1', seq: 0, senderType: 'admin', content: 'hi', createdAt: 100_000, kind: 'text' });
    expect(t.sink.of('warn')).toEqual([['warn', 'Could not read back the sent message: boom']]);
    t.backend.force('GET /conversations/c1/messages', { status: 200, body: [] });
    expect((await t.connector.sendReply('c1', 'again', 'client-2')).createdAt).toBe(100_000);
    expect(t.sink.of('warn')).toHaveLength(1);
  });

  it('starts a conversation with the chosen model (else the newest seen) and announces it to the engine', async () => {
    const t = setup();
    await t.connector.connect(t.sink);
    const none = await failure(t.connector.startConversation({ content: 'Find flights', model: '  ' }));
    expect([none.kind, none.message]).toEqual(['rejected', 'Choose the model the agent should use.']);
    expect(t.backend.calls).toEqual([]);

    t.backend.add('c0', [], { llm_model: 'gpt-4o' });
    await t.connector.listConversations();
    const started = await t.connector.startConversation({ content: 'Find flights' });
    const created = t.backend.conversations[0]!;
    expect(t.backend.requests('POST /conversations').map((c) => c.body)).toEqual([{ model: 'gpt-4o', content: 'Find flights' }]);
    expect(started.conversation).toMatchObject({ remoteId: created.id, visitorName: 'gpt-4o', createdAt: Date.parse(created.created_at) });
    expect(started.messages.map((m) => [m.remoteId, m.content, m.senderType])).toEqual([[created.messages[0]!.id, 'Find flights', 'admin']]);
    expect(t.sink.events.filter((e) => e[0] === 'conversation' || e[0] === 'stale').map((e) => (e[0] === 'conversation' ? ['conversation', e[1].remoteId] : e))).toEqual([
      ['conversation', created.id],
      ['stale', created.id],
    ]);
    expect(t.sockets.openIds()).toEqual([created.id]);

    await t.connector.startConversation({ content: 'More', model: ' claude ' });
    expect(t.backend.requests('POST /conversations').at(-1)!.body).toEqual({ model: 'claude', content: 'More' });
    expect(t.connector.knownModels()).toEqual(['claude', 'gpt-4o']);
    await t.connector.startConversation({ content: 'Again' });
    expect(t.backend.requests('POST /conversations').at(-1)!.body).toEqual({ model: 'claude', content: 'Again' });
  });

  it('a conversation started but not readable yet is still announced, from the create answer', async () => {
    const t = setup();
    await t.connector.connect(t.sink);
    t.backend.force('GET /conversations/new-1', { status: 404, body: { detail: 'Not yet.' } });
    const started = await t.connector.startConversation({ content: 'Go', model: 'm' });
    expect(started).toEqual({ conversation: { remoteId: 'new-1', visitorName: 'm', visitorEmail: null, serverStatus: null, createdAt: 100_000 }, messages: [] });
    expect(t.sink.stales()).toEqual(['new-1']);
  });
});

describe('openmanus connector: credentials', () => {
  it('reads a token, else a session cookie, else nothing', () => {
    expect(wireCredentials({ token: 't', sessionid: 's' })).toEqual({ token: 't' });
    expect(wireCredentials({ sessionid: 's' })).toEqual({ sessionid: 's' });
    expect(wireCredentials({ token: '' })).toBeUndefined();
    expect(wireCredentials(undefined)).toBeUndefined();
  });

  it('sends the session cookie when that is what the account has', async () => {
    const t = setup({ credentials: new FakeCredentials({ sessionid: 'sess-1' }) });
    await t.connector.listConversations();
    expect(t.backend.calls[0]!.headers.Cookie).toBe('sessionid=sess-1');
  });

  it('a 401 renews once through the port and retries; concurrent 401s share one renewal', async () => {
    const t = setup({ credentials: new FakeCredentials({ token: 'old' }, { token: 'new' }) });
    t.backend.force('GET /conversations', { status: 401, body: { detail: 'expired' } }, { status: 401, body: { detail: 'expired' } });
    let open = () => {};
    t.credentials.gate = new Promise((resolve) => (open = resolve));
    const both = Promise.all([t.connector.listConversations(), t.connector.listConversations()]);
    // Both 401s are answered at once; by the time this check runs (a macrotask) both callers wait on the renewal.
    await vi.waitFor(() => expect(t.credentials.refreshes).toBeGreaterThan(0));
    open();
    await both;
    expect(t.credentials.refreshes).toBe(1);
    expect(t.backend.requests('GET /conversations').map((c) => c.headers.Authorization)).toEqual(['Bearer old', 'Bearer old', 'Bearer new', 'Bearer new']);
    // A later expiry renews again.
    t.backend.force('GET /conversations', { status: 401, body: { detail: 'expired' } });
    await t.connector.listConversations();
    expect(t.credentials.refreshes).toBe(2);
  });

  it('when the token cannot be renewed the auth error stands; other failures are not renewed', async () => {
    const t = setup();
    t.backend.add('c1');
    t.backend.force('POST /conversations/c1/messages', { status: 401, body: { detail: 'Signature has expired' } });
    const e = await failure(t.connector.sendReply('c1', 'hi', 'x'));
    expect(e).toBeInstanceOf(ConnectorError);
    expect([e.kind, e.message]).toEqual(['auth', 'The backend refused the token (Signature has expired): paste a fresh one.']);
    expect(t.credentials.refreshes).toBe(1);
    t.backend.force('POST /conversations/c1/messages', { status: 503 });
    expect((await failure(t.connector.sendReply('c1', 'hi', 'x'))).kind).toBe('transient');
    expect(t.credentials.refreshes).toBe(1);
    expect(t.backend.requests('POST /conversations/c1/messages')).toHaveLength(2);
  });
});
