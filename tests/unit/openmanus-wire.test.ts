// The openmanus kind's wire parts without a network: frame parsing, timeline items, REST errors.
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/main/core/connectors/connector';
import { FrameParser, MAX_FRAME_CHARS } from '../../src/main/core/connectors/openmanus/frames';
import { OpenManusRest, normalizeBaseUrl, socketBaseUrl } from '../../src/main/core/connectors/openmanus/rest-client';
import { MAX_PAYLOAD, messageItem } from '../../src/main/core/connectors/openmanus/timeline';
import { WireMessage } from '../../src/main/core/connectors/openmanus/wire';

const CONV = '6245b6be-af93-4983-ad89-ef82e20b96c5';
const message = (over: Record<string, unknown> = {}) => ({
  id: 'm1',
  conversation_id: CONV,
  role: 'assistant',
  content: 'hello',
  tool_calls: null,
  tool_call_id: null,
  base64_image: null,
  created_at: '2026-12-01T10:00:00.000000Z',
  updated_at: '2026-12-01T10:00:00.000000Z',
  ...over,
});
const frame = (event: string, payload: unknown) => JSON.stringify({ type: 'notify', event, payload });

function parser(now = 1_000_000) {
  let n = 0;
  let clock = now;
  const p = new FrameParser({ conversationRemoteId: CONV, now: () => clock, newId: () => `ev${++n}` });
  return { p, tick: (ms: number) => (clock += ms) };
}

describe('openmanus frames', () => {
  it('maps each event to an event item with its text, payload and run state', () => {
    const { p } = parser();
    const cases: [string, Record<string, unknown>, string, boolean, string | null][] = [
      ['agent.step', { step: 3, max_steps: 20 }, 'Step 3 of 20', false, 'running'],
      ['agent.thoughts.start', { content: '' }, 'Thinking…', false, 'running'],
      ['agent.thoughts.finish', { content: 'I will search' }, 'I will search', false, 'running'],
      ['agent.tools_prepared', { tool_name: 'browser_use', tool_args: { url: 'x' }, status: 'prepared' }, 'Using browser_use…', false, 'running'],
      ['agent.tool_result', { tool_name: 'web_search', result: '1. a', status: 'success' }, 'web_search result: 1. a', false, 'running'],
      ['agent.tool_error', { tool: 'python_execute', error: 'timeout' }, 'python_execute failed: timeout', true, 'running'],
      ['agent.finished', { tool: 'terminate' }, 'Agent finished', false, 'finished'],
      ['agent.error', { type: 'LLMError', detail: 'empty' }, 'Agent error: LLMError: empty', true, 'failed'],
      ['agent.stuck', {}, 'Agent stuck', true, 'stuck'],
      ['file.created', { file: { path: '/w/a.md' } }, 'File created: /w/a.md', false, null],
      ['file.updated', { file: { name: 'a.md' } }, 'File updated: a.md', false, null],
    ];
    for (const [event, payload, text, isError, runState] of cases) {
      const r = p.parse(frame(event, payload));
      expect(r.ok, event).toBe(true);
      if (!r.ok) continue;
      expect(r.item).toMatchObject({ kind: 'event', event, text, isError, runState, conversationRemoteId: CONV });
      expect(r.item.payload).toEqual(payload);
    }
  });

  it('keeps unknown events with their payload, and skips malformed frames with a reason', () => {
    const { p } = parser();
    const r = p.parse(frame('agent.usage', { cost: 0.1 }));
    expect(r.ok && r.item.text).toBe('agent.usage {"cost":0.1}');
    for (const bad of ['not json', '[]', JSON.stringify({ type: 'other', event: 'x' }), frame('message.created', { message: { id: 1 } }), frame('', {})]) {
      const result = p.parse(bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
    }
    expect(p.parse(frame('message.created', { message: message({ conversation_id: 'other' }) })).ok).toBe(false);
  });

  it('message.created keeps the stored id; events sort after it in the server clock, in arrival order', () => {
    const { p, tick } = parser(0);
    const m = p.parse(frame('message.created', { message: message({ id: 'srv-1' }) }));
    expect(m.ok && m.item.remoteId).toBe('srv-1');
    const serverTime = Date.parse('2026-12-01T10:00:00Z');
    const a = p.parse(frame('agent.step', { step: 1, max_steps: 2 }));
    const b = p.parse(frame('agent.step', { step: 2, max_steps: 2 }));
    tick(50);
    const c = p.parse(frame('agent.finished', {}));
    if (!a.ok || !b.ok || !c.ok) throw new Error('parse failed');
    expect(a.item.createdAt).toBeGreaterThan(serverTime);
    expect(b.item.createdAt).toBeGreaterThan(a.item.createdAt);
    expect(c.item.createdAt).toBe(serverTime + 50);
    expect(new Set([a.item.remoteId, b.item.remoteId, c.item.remoteId]).size).toBe(3);
  });

  it('says why a frame was skipped', () => {
    const { p } = parser();
    expect(p.parse('{oops')).toEqual({ ok: false, reason: 'frame is not JSON' });
    expect(p.parse(JSON.stringify({ type: 'other', event: 'x' }))).toEqual({ ok: false, reason: 'not a notify frame: Invalid input: expected "notify"' });
    expect(p.parse(frame('message.created', { message: { id: 1 } }))).toEqual({ ok: false, reason: 'message.created without a valid message: Invalid option: expected one of "user"|"assistant"|"tool"|"system"' });
    expect(p.parse(frame('message.created', { message: message({ conversation_id: 'other' }) }))).toEqual({ ok: false, reason: 'message of another conversation' });
    expect(p.parse(Buffer.from(frame('agent.finished', null))).ok).toBe(true);
  });

  it('takes a frame of up to 8 M characters, not one more', () => {
    const { p } = parser();
    const head = frame('agent.thoughts.finish', { content: '' });
    const at = (n: number) => head.replace('"content":""', `"content":"${'x'.repeat(n - head.length)}"`);
    expect(p.parse(at(MAX_FRAME_CHARS)).ok).toBe(true);
    expect(p.parse(at(MAX_FRAME_CHARS + 1))).toEqual({ ok: false, reason: `frame of ${MAX_FRAME_CHARS + 1} characters is over the limit` });
  });

  it('a server time that is not a number leaves the clock as it was', () => {
    const { p } = parser(5000);
    p.observeServerTime(Number.NaN);
    const r = p.parse(frame('agent.step', { step: 1, max_steps: 1 }));
    expect(r.ok && r.item.createdAt).toBe(5000);
  });

  it('hostile payloads stay inert text: HTML kept verbatim, huge payloads capped, deep nesting survives', () => {
    const { p } = parser();
    let deep: unknown = '<img src=x onerror=alert(1)>';
    for (let i = 0; i < 500; i++) deep = { d: deep };
    const huge = 'x'.repeat(MAX_PAYLOAD * 2);
    const r1 = p.parse(frame('agent.tool_result', { tool_name: '<b>t</b>', result: '<script>alert(1)</script>', tool_args: deep }));
    expect(r1.ok && r1.item.text).toBe('<b>t</b> result: <script>alert(1)</script>');
    const r2 = p.parse(frame('agent.tool_result', { tool_name: 't', result: huge }));
    if (!r2.ok) throw new Error(r2.reason);
    expect(r2.item.payloadTruncated).toBe(true);
    expect(JSON.stringify(r2.item.payload).length).toBeLessThanOrEqual(MAX_PAYLOAD);
    expect(r2.item.text.length).toBeLessThanOrEqual(20_000);
  });
});

describe('openmanus stored messages', () => {
  const item = (over: Record<string, unknown>) => messageItem(WireMessage.parse(message(over)), CONV);
  it('user, answer and system notes are text; tool calls and tool results are step rows', () => {
    expect(item({ role: 'user', content: 'hi' })).toMatchObject({ kind: 'text', sender: 'user', runState: 'running' });
    expect(item({ role: 'assistant', content: 'done' })).toMatchObject({ kind: 'text', sender: 'agent', runState: 'finished' });
    expect(item({ role: 'system', content: 'Error: token limit' })).toMatchObject({ kind: 'text', sender: 'system', isError: true, runState: 'failed' });
    expect(item({ role: 'system', content: 'Agent stuck: repeated' })).toMatchObject({ runState: 'stuck' });
    const call = item({ content: 'I will search', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'web_search', arguments: '{}' } }] });
    expect(call).toMatchObject({ kind: 'event', event: 'message.tool_call', sender: 'agent', text: 'Using web_search… I will search' });
    expect(item({ role: 'tool', content: 'Error: boom', tool_call_id: 'c1' })).toMatchObject({ kind: 'event', event: 'message.tool', sender: 'tool', isError: true });
    expect(item({ role: 'user', content: 'look', base64_image: 'iVBOR' }).text).toBe('look [image]');
  });
});

describe('openmanus REST client', () => {
  function rest(answer: (url: string, init: RequestInit) => Response, credentials: () => { token: string } | { sessionid: string } | undefined = () => ({ token: 't0k' }), csrf: (() => string) | null = () => 'c'.repeat(32)) {
    const calls: { url: string; init: RequestInit }[] = [];
    const warnings: string[] = [];
    const client = new OpenManusRest({
      baseUrl: 'http://127.0.0.1:9/api/',
      credentials,
      warn: (m) => warnings.push(m),
      ...(csrf ? { csrfToken: csrf } : {}),
      fetch: (async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return answer(url, init);
      }) as unknown as typeof fetch,
    });
    return { client, calls, warnings };
  }
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('talks to {base}/v1/chat with the Bearer token, and the session cookie + CSRF pair for writes', async () => {
    const { client, calls } = rest(() => json(200, [{ id: 'a', title: 't', llm_model: 'm' }, { nope: 1 }]));
    expect(await client.listConversations()).toEqual([{ id: 'a', title: 't', llm_model: 'm' }]);
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/api/v1/chat/conversations');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer t0k');

    const cookie = rest(() => json(200, { message: 'ok', message_id: 'm9', attachments_count: 0 }), () => ({ sessionid: 's1' }));
    expect(await cookie.client.sendMessage('c1', 'hi')).toEqual({ messageId: 'm9', attachments: 0 });
    const h = cookie.calls[0]!.init.headers as Record<string, string>;
    expect(h.Cookie).toBe(`sessionid=s1; csrftoken=${'c'.repeat(32)}`);
    expect(h['X-CSRFToken']).toBe('c'.repeat(32));
    expect(h.Authorization).toBeUndefined();
  });

  it('maps statuses to what happens next: 401 auth, 5xx transient, 404/422 rejected with the detail', async () => {
    const expectKind = async (status: number, body: unknown, kind: string, text?: string) => {
      const { client } = rest(() => json(status, body));
      const error = await client.conversation('x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).kind).toBe(kind);
      if (text) expect((error as ConnectorError).message).toContain(text);
    };
    await expectKind(401, { detail: 'Invalid token: Signature has expired' }, 'auth', 'Signature has expired');
    await expectKind(503, {}, 'transient');
    await expectKind(404, { detail: 'Not found.' }, 'rejected', 'Not found.');
    await expectKind(422, { detail: [{ loc: ['body', 'content'], msg: 'field required' }] }, 'rejected', 'body.content: field required');
    await expectKind(200, { unexpected: true }, 'rejected', 'not an OpenManus backend');
    const none = rest(() => json(200, []), () => undefined);
    await expect(none.client.listConversations()).rejects.toMatchObject({ kind: 'auth' });
    const down = new OpenManusRest({ baseUrl: 'http://127.0.0.1:9/api', credentials: () => ({ token: 't' }), fetch: (() => Promise.reject(new Error('ECONNREFUSED'))) as unknown as typeof fetch });
    await expect(down.listConversations()).rejects.toMatchObject({ kind: 'transient' });
  });

  const headersOf = (c: { init: RequestInit }) => c.init.headers as Record<string, string>;

  it('reads, creates and posts at the paths of the conversation, with JSON only when there is a body', async () => {
    const m = message({ id: 'm1' });
    const { client, calls, warnings } = rest((url) =>
      url.endsWith('/messages') && calls.at(-1)!.init.method === 'GET'
        ? json(200, [m, { id: '' }])
        : url.endsWith('/messages')
          ? json(201, { message: 'ok', message_id: 42 })
          : url.endsWith('/conversations')
            ? json(201, { id: 'new', title: null, llm_model: 'gpt-4o' })
            : json(200, { conversation: { id: 'a b' }, messages: [m, { role: 'user' }] }),
    );
    expect((await client.conversation('a b')).messages.map((x) => x.id)).toEqual(['m1']);
    expect((await client.messagesNewestFirst('a/b')).map((x) => x.id)).toEqual(['m1']);
    expect(await client.createConversation({ model: 'gpt-4o', content: 'go' })).toEqual({ id: 'new', title: null, llm_model: 'gpt-4o' });
    expect(await client.sendMessage('a b', 'hi', 'iVBOR')).toEqual({ messageId: '42', attachments: 0 });
    expect(calls.map((c) => [c.init.method, c.url.replace('http://127.0.0.1:9/api/v1/chat', ''), c.init.body ?? null])).toEqual([
      ['GET', '/conversations/a%20b', null],
      ['GET', '/conversations/a%2Fb/messages', null],
      ['POST', '/conversations', JSON.stringify({ model: 'gpt-4o', content: 'go' })],
      ['POST', '/conversations/a%20b/messages', JSON.stringify({ content: 'hi', base64_image: 'iVBOR' })],
    ]);
    expect(headersOf(calls[0]!)).toEqual({ Accept: 'application/json', Authorization: 'Bearer t0k' });
    expect(headersOf(calls[2]!)).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json', Authorization: 'Bearer t0k' });
    expect(warnings).toEqual([
      'Skipped a malformed message (#1): Invalid input',
      'Skipped a malformed message (#1): Too small: expected string to have >=1 characters',
    ]);
  });

  it('with the session cookie, reads carry no CSRF pair; writes carry a fresh random one and the Referer', async () => {
    const { client, calls } = rest(() => json(200, []), () => ({ sessionid: 's1' }), null);
    await client.listConversations();
    expect(headersOf(calls[0]!)).toEqual({ Accept: 'application/json', Cookie: 'sessionid=s1' });
    const send = rest(() => json(200, { message_id: 'm' }), () => ({ sessionid: 's1' }), null);
    await send.client.sendMessage('c', 'a');
    await send.client.sendMessage('c', 'b');
    const tokens = send.calls.map((c) => headersOf(c)['X-CSRFToken']!);
    for (const [i, token] of tokens.entries()) {
      expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(headersOf(send.calls[i]!).Cookie).toBe(`sessionid=s1; csrftoken=${token}`);
      expect(headersOf(send.calls[i]!).Referer).toBe('http://127.0.0.1:9/api');
    }
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it('a 403 is a sign-in problem only with the session cookie; 429 waits; errors keep the detail', async () => {
    const failure = async (status: number, body: unknown, credentials: () => { token: string } | { sessionid: string } = () => ({ token: 't' })) =>
      (await rest(() => json(status, body), credentials).client.listConversations().catch((e: unknown) => e)) as ConnectorError;
    expect(await failure(403, { detail: 'CSRF failed' }, () => ({ sessionid: 's' }))).toMatchObject({ kind: 'auth', message: 'The session was refused (CSRF failed).' });
    expect(await failure(403, { detail: 'Forbidden' })).toMatchObject({ kind: 'rejected', message: 'Forbidden' });
    expect(await failure(429, {})).toMatchObject({ kind: 'transient', message: 'HTTP 429' });
    expect(await failure(400, { detail: 7 })).toMatchObject({ kind: 'rejected', message: 'HTTP 400' });
    expect(await failure(400, { detail: ['plain', { msg: 'no place' }, null, { loc: 'body', msg: 'x' }] })).toMatchObject({ message: 'plain; no place; null; x' });
    expect(await failure(401, {})).toMatchObject({ kind: 'auth', message: 'The backend refused the token (HTTP 401): paste a fresh one.' });
    expect(await failure(200, { not: 'a list' })).toMatchObject({ kind: 'rejected', message: 'Unexpected answer from /conversations: not an OpenManus backend (Invalid input: expected array, received object).' });
    expect(await rest(() => json(200, []), () => undefined).client.sendMessage('c', 'x').catch((e: unknown) => e)).toMatchObject({ kind: 'auth', message: 'No token: paste a fresh token for this account.' });
  });

  it('an error page that is not JSON (a proxy in front) still reads as its status', async () => {
    const html = (status: number) => rest(() => new Response('<html>Bad gateway</html>', { status, headers: { 'Content-Type': 'text/html' } })).client.listConversations().catch((e: unknown) => e);
    expect(await html(502)).toMatchObject({ kind: 'transient', message: 'HTTP 502' });
    expect(await html(404)).toMatchObject({ kind: 'rejected', message: 'HTTP 404' });
  });

  it('normalises the base URL and maps it to the socket base', () => {
    expect(normalizeBaseUrl('  http://h.test/api///  ')).toBe('http://h.test/api');
    expect(() => normalizeBaseUrl('ftp://h.test/api')).toThrow('The base URL must start with http:// or https://');
    expect(socketBaseUrl('http://h.test/api//?x=1')).toBe('ws://h.test/ws');
    expect(socketBaseUrl('http://h.test/apis')).toBe('ws://h.test/apis/ws');
    expect(socketBaseUrl('http://h.test/api/v2')).toBe('ws://h.test/api/v2/ws');
  });

  it('derives the socket base from the API base URL', () => {
    expect(socketBaseUrl('http://127.0.0.1:8090/api')).toBe('ws://127.0.0.1:8090/ws');
    expect(socketBaseUrl('https://agents.example.com/backend/api/')).toBe('wss://agents.example.com/backend/ws');
  });
});

describe('openmanus kind inputs', () => {
  it('splits the base URL into origin and API path (default /api) and reads a JWT expiry', async () => {
    const { apiLocation, jwtExpiry } = await import('../../src/main/core/connectors/openmanus/kind');
    expect(apiLocation('http://127.0.0.1:8090/api/')).toEqual({ origin: 'http://127.0.0.1:8090', apiPath: '/api' });
    expect(apiLocation('agents.example.com')).toEqual({ origin: 'https://agents.example.com', apiPath: '/api' });
    expect(apiLocation('https://x.test/backend/api')).toEqual({ origin: 'https://x.test', apiPath: '/backend/api' });
    expect(() => apiLocation('ftp://x.test')).toThrow(/http/);
    const claims = Buffer.from(JSON.stringify({ exp: 1_800_000_000 })).toString('base64url');
    expect(jwtExpiry(`h.${claims}.s`)).toBe(1_800_000_000_000);
    expect(jwtExpiry('not-a-jwt')).toBeNull();
  });

  it('the connect input needs a token or a session cookie', async () => {
    const { ConnectInput } = await import('../../src/shared/kinds');
    expect(ConnectInput.safeParse({ kind: 'openmanus', siteUrl: 'http://h/api', token: 'abc' }).success).toBe(true);
    expect(ConnectInput.safeParse({ kind: 'openmanus', siteUrl: 'http://h/api', sessionCookie: 'abc' }).success).toBe(true);
    expect(ConnectInput.safeParse({ kind: 'openmanus', siteUrl: 'http://h/api' }).success).toBe(false);
  });
});
