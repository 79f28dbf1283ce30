// Contract tests for every chat API endpoint (seed §6 + the extensions), including bad input.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, JWT_SECRET, client, startTestBackend } from './api';

type Backend = Awaited<ReturnType<typeof startTestBackend>>;
let b: Backend;
let api: ReturnType<typeof client>;
let adminToken: string;
let visitor: string;
let convId: number;
let otherVisitor: string;
let otherConv: number;

beforeAll(async () => {
  b = await startTestBackend();
  api = client(b.apiUrl);
  adminToken = await api.login();
  visitor = await api.session();
  const r = await api.visitorSays(visitor, 'Hello from the contract test', { visitorName: 'Contract', visitorEmail: 'c@example.com' });
  convId = r.body.data.conversationId;
  otherVisitor = await api.session();
  otherConv = (await api.visitorSays(otherVisitor, 'Someone else')).body.data.conversationId;
});

afterAll(() => b.cleanup());

async function jwt(payload: Record<string, unknown>, exp: number | string, secret = JWT_SECRET): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('1')
    .setIssuer('switchboard-portfolio')
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
}

describe('POST /api/chat/session', () => {
  it('creates a session without a body', async () => {
    const r = await api.call<{ sessionToken: string; conversationId: null; expiresAt: string }>('POST', '/api/chat/session');
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
    expect(r.body.data.sessionToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.data.conversationId).toBeNull();
    expect(new Date(r.body.data.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
  });

  it('validates an existing token and returns its conversation', async () => {
    const r = await api.call<{ sessionToken: string; conversationId: number }>('POST', '/api/chat/session', { json: { sessionToken: visitor } });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ sessionToken: visitor, conversationId: convId });
  });

  it('replaces an unknown or expired token with a new session', async () => {
    const unknown = randomUUID();
    const r = await api.call<{ sessionToken: string }>('POST', '/api/chat/session', { json: { sessionToken: unknown } });
    expect(r.status).toBe(200);
    expect(r.body.data.sessionToken).not.toBe(unknown);
    const s = await api.session();
    b.api.expireSession(s);
    const r2 = await api.call<{ sessionToken: string; conversationId: null }>('POST', '/api/chat/session', { json: { sessionToken: s } });
    expect(r2.body.data.sessionToken).not.toBe(s);
  });
});

describe('POST /api/admin/login', () => {
  it('returns a JWT, its expiry and the admin', async () => {
    const r = await api.call<{ token: string; expiresAt: string; admin: { id: number; name: string } }>('POST', '/api/admin/login', {
      json: { email: ADMIN.email, password: ADMIN.password },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.token.split('.')).toHaveLength(3);
    expect(r.body.data.admin).toMatchObject({ id: expect.any(Number), name: ADMIN.name });
    expect(new Date(r.body.data.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('rejects bad credentials with 401', async () => {
    expect((await api.call('POST', '/api/admin/login', { json: { email: ADMIN.email, password: 'wrong' } })).status).toBe(401);
    expect((await api.call('POST', '/api/admin/login', { json: { email: 'nobody@example.com', password: 'x' } })).status).toBe(401);
  });
});

describe('POST /api/chat/send', () => {
  it('visitor: 201 with the seed fields plus the additive ones', async () => {
    const r = await api.visitorSays(visitor, 'Second message', { conversationId: convId });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({
      messageId: expect.any(Number),
      conversationId: convId,
      content: 'Second message',
      senderType: 'visitor',
      createdAt: expect.any(String),
      isRead: false,
      clientMessageId: null,
    });
  });

  it('visitor: a null conversationId continues the session conversation', async () => {
    const r = await api.visitorSays(visitor, 'Still me', { conversationId: null });
    expect(r.status).toBe(201);
    expect(r.body.data.conversationId).toBe(convId);
  });

  it('admin: replies with a conversationId', async () => {
    const r = await api.call('POST', '/api/chat/send', { token: adminToken, json: { conversationId: convId, content: 'Admin reply' } });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ senderType: 'admin', conversationId: convId, senderId: expect.any(Number) });
  });

  it('is idempotent by clientMessageId', async () => {
    const before = b.api.listAllMessages().length;
    const clientMessageId = randomUUID();
    const first = await api.call('POST', '/api/chat/send', { token: adminToken, json: { conversationId: convId, content: 'Once', clientMessageId } });
    const again = await api.call('POST', '/api/chat/send', { token: adminToken, json: { conversationId: convId, content: 'Once', clientMessageId } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(b.api.listAllMessages().length).toBe(before + 1);
    // Someone else reusing the id is a conflict, not a duplicate.
    const stolen = await api.visitorSays(otherVisitor, 'Once', { clientMessageId });
    expect(stolen.status).toBe(409);
  });

  it('stores and returns untrusted text unchanged', async () => {
    const evil = '<img src=x onerror="alert(1)"> & <script>alert(2)</script>';
    const r = await api.visitorSays(visitor, evil);
    const m = await api.call<{ messages: { content: string }[] }>('GET', `/api/chat/messages?conversationId=${convId}&limit=1`, { session: visitor });
    expect(r.status).toBe(201);
    expect(m.body.data.messages[0]?.content).toBe(evil);
  });

  it('rate-limits a visitor to 10 messages a minute (429 + Retry-After)', async () => {
    const s = await api.session();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await api.visitorSays(s, `m${i}`)).status);
    expect(statuses.slice(0, 10).every((x) => x === 201)).toBe(true);
    const last = await api.visitorSays(s, 'one too many');
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ success: false, error: expect.any(String) });
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('GET /api/chat/messages', () => {
  let ids: number[] = [];
  let conv: number;
  let s: string;
  beforeAll(async () => {
    s = await api.session();
    ids = [];
    for (let i = 1; i <= 7; i++) {
      const r = await api.visitorSays(s, `page ${i}`);
      conv = r.body.data.conversationId;
      ids.push(r.body.data.messageId);
    }
  });

  it('pages newest first with hasMore and nextCursor (before=)', async () => {
    const p1 = await api.call<{ messages: { id: number }[]; hasMore: boolean; nextCursor: number | null }>(
      'GET',
      `/api/chat/messages?conversationId=${conv}&limit=3`,
      { session: s },
    );
    expect(p1.status).toBe(200);
    expect(p1.body.data.messages.map((m) => m.id)).toEqual([ids[6], ids[5], ids[4]]);
    expect(p1.body.data.hasMore).toBe(true);
    expect(p1.body.data.nextCursor).toBe(ids[4]);
    const p3 = await api.call<{ messages: { id: number }[]; hasMore: boolean; nextCursor: number | null }>(
      'GET',
      `/api/chat/messages?conversationId=${conv}&limit=3&before=${ids[1]}`,
      { session: s },
    );
    expect(p3.body.data.messages.map((m) => m.id)).toEqual([ids[0]]);
    expect(p3.body.data).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it('catches up oldest first with after=', async () => {
    const r = await api.call<{ messages: { id: number }[]; hasMore: boolean }>('GET', `/api/chat/messages?conversationId=${conv}&after=${ids[3]}`, {
      token: adminToken,
    });
    expect(r.body.data.messages.map((m) => m.id)).toEqual([ids[4], ids[5], ids[6]]);
    expect(r.body.data.hasMore).toBe(false);
  });

  it('returns the documented message fields', async () => {
    const r = await api.call<{ messages: Record<string, unknown>[] }>('GET', `/api/chat/messages?conversationId=${conv}&limit=1`, { token: adminToken });
    expect(Object.keys(r.body.data.messages[0] ?? {}).sort()).toEqual(
      ['clientMessageId', 'content', 'conversationId', 'createdAt', 'id', 'isRead', 'readAt', 'senderId', 'senderType'].sort(),
    );
  });

  it('lets visitors read only their own conversation', async () => {
    expect((await api.call('GET', `/api/chat/messages?conversationId=${otherConv}`, { session: s })).status).toBe(403);
    expect((await api.call('GET', `/api/chat/messages?conversationId=${conv}`)).status).toBe(401);
    expect((await api.call('GET', `/api/chat/messages?conversationId=999999`, { token: adminToken })).status).toBe(404);
  });
});

describe('GET /api/chat/conversations and PATCH /api/chat/conversations/:id', () => {
  it('lists conversations with the seed shape plus updatedAt, lastMessageAt, visitorOnline', async () => {
    const r = await api.call<{ conversations: Record<string, unknown>[]; pagination: Record<string, number> }>(
      'GET',
      '/api/chat/conversations?status=all&limit=2&page=1',
      { token: adminToken },
    );
    expect(r.status).toBe(200);
    expect(r.body.data.conversations).toHaveLength(2);
    expect(r.body.data.conversations[0]).toMatchObject({
      id: expect.any(Number),
      status: 'active',
      lastMessage: { content: expect.any(String), createdAt: expect.any(String) },
      unreadCount: expect.any(Number),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      lastMessageAt: expect.any(String),
      visitorOnline: false,
    });
    expect(r.body.data.pagination).toMatchObject({ page: 1, limit: 2, total: expect.any(Number), totalPages: expect.any(Number) });
    const contract = (await api.call<{ conversations: { id: number; visitorName: string; visitorEmail: string }[] }>('GET', '/api/chat/conversations?limit=100', { token: adminToken })).body.data.conversations.find((c) => c.id === convId);
    expect(contract).toMatchObject({ visitorName: 'Contract', visitorEmail: 'c@example.com' });
  });

  it('changes status, filters by it and bumps updatedAt for updatedSince catch-up', async () => {
    const since = new Date().toISOString();
    const p = await api.call('PATCH', `/api/chat/conversations/${otherConv}`, { token: adminToken, json: { status: 'resolved' } });
    expect(p.status).toBe(200);
    expect(p.body.data).toMatchObject({ id: otherConv, status: 'resolved', updatedAt: expect.any(String) });
    const resolved = await api.call<{ conversations: { id: number; status: string }[] }>('GET', '/api/chat/conversations?status=resolved', {
      token: adminToken,
    });
    expect(resolved.body.data.conversations.map((c) => c.id)).toContain(otherConv);
    expect(resolved.body.data.conversations.every((c) => c.status === 'resolved')).toBe(true);
    const changed = await api.call<{ conversations: { id: number }[] }>('GET', `/api/chat/conversations?updatedSince=${encodeURIComponent(since)}`, {
      token: adminToken,
    });
    expect(changed.body.data.conversations.map((c) => c.id)).toEqual([otherConv]);
    // A visitor message reopens it.
    await api.visitorSays(otherVisitor, 'I have one more question');
    const after = await api.call<{ conversations: { id: number; status: string }[] }>('GET', '/api/chat/conversations?status=active&limit=100', {
      token: adminToken,
    });
    expect(after.body.data.conversations.find((c) => c.id === otherConv)?.status).toBe('active');
  });

  it('is admin only', async () => {
    expect((await api.call('GET', '/api/chat/conversations')).status).toBe(401);
    expect((await api.call('GET', '/api/chat/conversations', { session: visitor })).status).toBe(403);
    expect((await api.call('PATCH', `/api/chat/conversations/${convId}`, { session: visitor, json: { status: 'closed' } })).status).toBe(403);
    expect((await api.call('PATCH', `/api/chat/conversations/999999`, { token: adminToken, json: { status: 'closed' } })).status).toBe(404);
  });
});

describe('POST /api/chat/messages/read', () => {
  it('admin marks visitor messages read; the visitor sees isRead and updatedAt moves', async () => {
    const s = await api.session();
    const m = await api.visitorSays(s, 'read me');
    const conv = m.body.data.conversationId;
    const since = new Date().toISOString();
    const r = await api.call<{ messageIds: number[]; readAt: string }>('POST', '/api/chat/messages/read', {
      token: adminToken,
      json: { conversationId: conv, messageIds: [m.body.data.messageId] },
    });
    expect(r.status).toBe(200);
    expect(r.body.data.messageIds).toEqual([m.body.data.messageId]);
    const list = await api.call<{ messages: { isRead: boolean; readAt: string }[] }>('GET', `/api/chat/messages?conversationId=${conv}`, { session: s });
    expect(list.body.data.messages[0]).toMatchObject({ isRead: true, readAt: r.body.data.readAt });
    const changed = await api.call<{ conversations: { id: number; unreadCount: number }[] }>(
      'GET',
      `/api/chat/conversations?updatedSince=${encodeURIComponent(since)}`,
      { token: adminToken },
    );
    expect(changed.body.data.conversations).toEqual([expect.objectContaining({ id: conv, unreadCount: 0 })]);
    // Marking again changes nothing; a visitor cannot mark its own messages.
    const again = await api.call<{ messageIds: number[] }>('POST', '/api/chat/messages/read', {
      session: s,
      json: { conversationId: conv, messageIds: [m.body.data.messageId] },
    });
    expect(again.body.data.messageIds).toEqual([]);
  });

  it('visitor marks admin messages read, only in its own conversation', async () => {
    const reply = await api.call<{ messageId: number }>('POST', '/api/chat/send', { token: adminToken, json: { conversationId: convId, content: 'Read this' } });
    const r = await api.call<{ messageIds: number[] }>('POST', '/api/chat/messages/read', {
      session: visitor,
      json: { conversationId: convId, messageIds: [reply.body.data.messageId] },
    });
    expect(r.body.data.messageIds).toEqual([reply.body.data.messageId]);
    const denied = await api.call('POST', '/api/chat/messages/read', { session: otherVisitor, json: { conversationId: convId, messageIds: [1] } });
    expect(denied.status).toBe(403);
  });
});

describe('GET /api/chat/config', () => {
  it('describes the realtime connection', async () => {
    const r = await api.call('GET', '/api/chat/config');
    expect(r.body).toEqual({
      success: true,
      data: { pusher: { key: b.pusher.key, cluster: 'mt1', wsHost: '127.0.0.1', wsPort: b.pusher.port, forceTLS: false } },
    });
  });
});

describe('POST /api/pusher/auth', () => {
  const form = (socketId: string, channel: string): string => new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString();
  const auth = (channel: string, o: { token?: string; session?: string } = {}, socketId = '123.456') =>
    api.call<never>('POST', '/api/pusher/auth', { ...o, raw: form(socketId, channel), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });

  it('authorises the admin channels for admins only', async () => {
    const r = await auth('private-admin-notifications', { token: adminToken });
    expect(r.status).toBe(200);
    expect((r.body as unknown as { auth: string }).auth).toMatch(new RegExp(`^${b.pusher.key}:[0-9a-f]{64}$`));
    expect((await auth('private-admin-notifications', { session: visitor })).status).toBe(403);
    expect((await auth('private-admin-notifications')).status).toBe(403);
    const p = await auth('presence-admin-chat', { token: adminToken });
    const data = JSON.parse((p.body as unknown as { channel_data: string }).channel_data) as { user_id: string; user_info: { name: string; status: string } };
    expect(data).toMatchObject({ user_id: expect.any(String), user_info: { name: ADMIN.name, status: 'online' } });
    expect((await auth('presence-admin-chat', { session: visitor })).status).toBe(403);
  });

  it('authorises a conversation channel for the admin and its own visitor', async () => {
    expect((await auth(`private-conversation-${convId}`, { token: adminToken })).status).toBe(200);
    expect((await auth(`private-conversation-${convId}`, { session: visitor })).status).toBe(200);
    expect((await auth(`private-conversation-${convId}`, { session: otherVisitor })).status).toBe(403);
    expect((await auth(`private-conversation-${convId}`)).status).toBe(403);
    expect((await auth(`presence-conversation-${convId}`, { session: visitor })).status).toBe(200);
    expect((await auth(`presence-conversation-${convId}`, { session: otherVisitor })).status).toBe(403);
  });

  it('rejects unknown channels and malformed requests', async () => {
    expect((await auth('private-something-else', { token: adminToken })).status).toBe(400);
    expect((await auth('private-admin-notifications', { token: adminToken }, 'not-a-socket')).status).toBe(400);
    expect((await auth('private-admin-notifications', { token: 'garbage' })).status).toBe(401);
  });

  it('accepts JSON bodies too', async () => {
    const r = await api.call('POST', '/api/pusher/auth', { token: adminToken, json: { socket_id: '1.2', channel_name: 'private-admin-notifications' } });
    expect(r.status).toBe(200);
  });
});

describe('POST /api/pusher/webhook', () => {
  it('rejects unsigned webhooks', async () => {
    const r = await api.call('POST', '/api/pusher/webhook', { json: { time_ms: Date.now(), events: [] }, headers: { 'X-Pusher-Key': b.pusher.key, 'X-Pusher-Signature': 'bad' } });
    expect(r.status).toBe(401);
  });
});

describe('availability and routing', () => {
  it('answers 503 JSON on every /api route while unavailable', async () => {
    b.api.setAvailable(false);
    try {
      for (const [method, path] of [
        ['POST', '/api/chat/session'],
        ['GET', '/api/chat/conversations'],
        ['POST', '/api/pusher/auth'],
        ['GET', '/api/chat/config'],
      ] as const) {
        const r = await api.call(method, path);
        expect(r.status).toBe(503);
        expect(r.body).toMatchObject({ success: false, error: expect.any(String) });
      }
    } finally {
      b.api.setAvailable(true);
    }
    expect((await api.call('GET', '/api/chat/config')).status).toBe(200);
  });

  it('404 and 405 are JSON', async () => {
    expect((await api.call('GET', '/api/nope')).status).toBe(404);
    expect((await api.call('GET', '/api/chat/send')).status).toBe(405);
  });
});

// ------------------------------------------------------------------ bad input table
describe('bad input', () => {
  const big = 'x'.repeat(2001);
  type Case = [string, () => Promise<{ status: number; body: { success: boolean; error?: string } }>, number];
  const cases: Case[] = [
    ['malformed JSON on send', () => api.call('POST', '/api/chat/send', { session: visitor, raw: '{"content": "hi"' }), 400],
    ['JSON array body on send', () => api.call('POST', '/api/chat/send', { session: visitor, raw: '[1,2]' }), 400],
    ['empty body on send', () => api.call('POST', '/api/chat/send', { session: visitor }), 400],
    ['empty content', () => api.visitorSays(visitor, ''), 400],
    ['content over 2000 characters', () => api.visitorSays(visitor, big), 400],
    ['content of the wrong type', () => api.call('POST', '/api/chat/send', { session: visitor, json: { content: 42 } }), 400],
    ['conversationId as a string', () => api.call('POST', '/api/chat/send', { session: visitor, json: { content: 'x', conversationId: '1' } }), 400],
    ['visitorName over 100 characters', () => api.visitorSays(visitor, 'x', { visitorName: 'n'.repeat(101) }), 400],
    ['invalid visitorEmail', () => api.visitorSays(visitor, 'x', { visitorEmail: 'not-an-email' }), 400],
    ['clientMessageId that is not a UUID', () => api.visitorSays(visitor, 'x', { clientMessageId: 'abc' }), 400],
    ['body over 64 KB', () => api.call('POST', '/api/chat/send', { session: visitor, raw: JSON.stringify({ content: 'x'.repeat(70_000) }) }), 413],
    ['send without a session', () => api.call('POST', '/api/chat/send', { json: { content: 'x' } }), 401],
    ['unknown session token', () => api.visitorSays(randomUUID(), 'x'), 401],
    [
      'expired session',
      async () => {
        const s = await api.session();
        b.api.expireSession(s);
        return api.visitorSays(s, 'x');
      },
      401,
    ],
    ['unknown conversation (visitor)', () => api.visitorSays(visitor, 'x', { conversationId: 987654 }), 404],
    ['someone else’s conversation', () => api.visitorSays(visitor, 'x', { conversationId: otherConv }), 403],
    ['unknown conversation (admin)', () => api.call('POST', '/api/chat/send', { token: adminToken, json: { content: 'x', conversationId: 987654 } }), 404],
    ['admin send without conversationId', () => api.call('POST', '/api/chat/send', { token: adminToken, json: { content: 'x' } }), 400],
    ['garbage JWT', () => api.call('GET', '/api/chat/conversations', { token: 'not.a.jwt' }), 401],
    ['non-Bearer Authorization', () => api.call('GET', '/api/chat/conversations', { headers: { Authorization: 'Basic abc' } }), 401],
    ['expired JWT', async () => api.call('GET', '/api/chat/conversations', { token: await jwt({ role: 'admin' }, Math.floor(Date.now() / 1000) - 10) }), 401],
    ['JWT signed with another secret', async () => api.call('GET', '/api/chat/conversations', { token: await jwt({ role: 'admin' }, '1h', 'another-secret-another-secret-1234') }), 401],
    ['JWT without the admin role', async () => api.call('GET', '/api/chat/conversations', { token: await jwt({ role: 'visitor' }, '1h') }), 401],
    ['messages without conversationId', () => api.call('GET', '/api/chat/messages', { token: adminToken }), 400],
    ['messages with limit 0', () => api.call('GET', `/api/chat/messages?conversationId=${convId}&limit=0`, { token: adminToken }), 400],
    ['messages with limit 101', () => api.call('GET', `/api/chat/messages?conversationId=${convId}&limit=101`, { token: adminToken }), 400],
    ['messages with before=abc', () => api.call('GET', `/api/chat/messages?conversationId=${convId}&before=abc`, { token: adminToken }), 400],
    ['conversations with an unknown status', () => api.call('GET', '/api/chat/conversations?status=open', { token: adminToken }), 400],
    ['conversations with a bad updatedSince', () => api.call('GET', '/api/chat/conversations?updatedSince=yesterday', { token: adminToken }), 400],
    ['conversations with page 0', () => api.call('GET', '/api/chat/conversations?page=0', { token: adminToken }), 400],
    ['PATCH with an unknown status', () => api.call('PATCH', `/api/chat/conversations/${convId}`, { token: adminToken, json: { status: 'archived' } }), 400],
    ['PATCH with a non-numeric id', () => api.call('PATCH', '/api/chat/conversations/abc', { token: adminToken, json: { status: 'closed' } }), 400],
    ['PATCH with malformed JSON', () => api.call('PATCH', `/api/chat/conversations/${convId}`, { token: adminToken, raw: '{status:' }), 400],
    ['read with an empty id list', () => api.call('POST', '/api/chat/messages/read', { token: adminToken, json: { conversationId: convId, messageIds: [] } }), 400],
    ['read with string ids', () => api.call('POST', '/api/chat/messages/read', { token: adminToken, json: { conversationId: convId, messageIds: ['1'] } }), 400],
    ['read on an unknown conversation', () => api.call('POST', '/api/chat/messages/read', { token: adminToken, json: { conversationId: 987654, messageIds: [1] } }), 404],
    ['read without credentials', () => api.call('POST', '/api/chat/messages/read', { json: { conversationId: convId, messageIds: [1] } }), 401],
    ['login with an invalid email', () => api.call('POST', '/api/admin/login', { json: { email: 'nope', password: 'x' } }), 400],
    ['login with malformed JSON', () => api.call('POST', '/api/admin/login', { raw: 'nope' }), 400],
    ['session with a non-UUID token', () => api.call('POST', '/api/chat/session', { json: { sessionToken: 'abc' } }), 400],
    ['session with malformed JSON', () => api.call('POST', '/api/chat/session', { raw: '{' }), 400],
    ['pusher auth with malformed JSON', () => api.call('POST', '/api/pusher/auth', { raw: '{' }), 400],
  ];

  it.each(cases)('%s → %i', async (_name, run, status) => {
    const before = b.api.listAllMessages().length;
    const r = await run();
    expect(r.status).toBe(status);
    expect(r.body.success).toBe(false);
    expect(typeof r.body.error).toBe('string');
    expect(b.api.listAllMessages().length).toBe(before);
  });

  it('the server is still healthy after all of that', async () => {
    expect((await api.call('GET', '/api/health')).status).toBe(200);
    expect((await api.visitorSays(visitor, 'still here')).status).toBe(201);
  });
});

describe('login rate limit', () => {
  it('answers 429 after too many attempts', async () => {
    const limited = await startTestBackend({ loginRateLimit: { max: 3, windowMs: 60_000 } });
    try {
      const c = client(limited.apiUrl);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await c.call('POST', '/api/admin/login', { json: { email: ADMIN.email, password: 'nope' } })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.cleanup();
    }
  });
});

describe('persistence', () => {
  it('keeps conversations, messages and the JWT secret across restarts (WAL SQLite)', async () => {
    const first = await startTestBackend({ jwtSecret: undefined });
    const c1 = client(first.apiUrl);
    const token = await c1.login();
    const s = await c1.session();
    const sent = await c1.visitorSays(s, 'persist me');
    const dir = first.dir;
    await first.close();
    const second = await startTestBackend({ dataDir: dir, jwtSecret: undefined });
    try {
      const c2 = client(second.apiUrl);
      const r = await c2.call<{ messages: { id: number; content: string }[] }>('GET', `/api/chat/messages?conversationId=${sent.body.data.conversationId}`, { token });
      expect(r.status).toBe(200);
      expect(r.body.data.messages.map((m) => m.content)).toEqual(['persist me']);
      const again = await c2.visitorSays(s, 'same session after restart');
      expect(again.body.data.conversationId).toBe(sent.body.data.conversationId);
    } finally {
      await second.cleanup();
    }
  });
});

describe('extensions: false (the bare seed)', () => {
  it('drops the extensions but keeps the seed contract', async () => {
    const bare = await startTestBackend({ extensions: false });
    try {
      const c = client(bare.apiUrl);
      expect((await c.call('GET', '/api/chat/config')).status).toBe(404);
      const s = await c.session();
      const id = randomUUID();
      const r1 = await c.visitorSays(s, 'one', { clientMessageId: id });
      const r2 = await c.visitorSays(s, 'one', { clientMessageId: id });
      expect(r1.status).toBe(201);
      expect(r2.status).toBe(201);
      expect(r2.body.data.messageId).not.toBe(r1.body.data.messageId);
      expect(Object.keys(r1.body.data).sort()).toEqual(['content', 'conversationId', 'createdAt', 'id', 'isRead', 'messageId', 'senderType']);
      const conv = r1.body.data.conversationId;
      const token = await c.login();
      const m = await c.call<{ messages: Record<string, unknown>[] }>('GET', `/api/chat/messages?conversationId=${conv}&after=${r1.body.data.messageId}`, { token });
      expect(m.body.data.messages).toHaveLength(2);
      expect(Object.keys(m.body.data.messages[0] ?? {}).sort()).toEqual(['content', 'createdAt', 'id', 'isRead', 'senderType']);
      expect((await c.call('POST', '/api/chat/messages/read', { token, json: { conversationId: conv, messageIds: [1] } })).status).toBe(404);
      const list = await c.call<{ conversations: Record<string, unknown>[] }>('GET', '/api/chat/conversations', { token });
      expect(Object.keys(list.body.data.conversations[0] ?? {}).sort()).toEqual(
        ['createdAt', 'id', 'lastMessage', 'status', 'unreadCount', 'visitorEmail', 'visitorName'],
      );
      const p = await c.call('PATCH', `/api/chat/conversations/${conv}`, { token, json: { status: 'closed' } });
      expect(p.body.data).toEqual({ id: conv, status: 'closed' });
    } finally {
      await bare.cleanup();
    }
  });
});
