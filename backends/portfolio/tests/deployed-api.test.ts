// The as-deployed flavour over real HTTP: sign-in through the /admin/login form, cookie-checked
// routes, the response shapes of backends.md §1 "As deployed", and the extensions it lacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { SITE_ADMIN, siteClient, startDeployedSite, type DeployedTestSite } from './deployed-support';

let site: DeployedTestSite;
let http: ReturnType<typeof siteClient>;
let cookie: string;

beforeAll(async () => {
  site = await startDeployedSite({ ai: false });
  http = siteClient(site.apiUrl);
  cookie = await http.login();
});
afterAll(async () => {
  await site.cleanup();
});

describe('sign-in is the site\'s own /admin/login page', () => {
  it('serves an HTML form with email and password that posts form-encoded back to /admin/login', async () => {
    const r = await http.call('GET', '/admin/login');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.text).toMatch(/<form method="post" action="\/admin\/login" enctype="application\/x-www-form-urlencoded">/);
    expect(r.text).toMatch(/name="email"/);
    expect(r.text).toMatch(/name="password"/);
  });

  it('answers a good sign-in with the admin_session cookie (HS256 {userId}, 1 day, HttpOnly, SameSite=Lax) and a redirect', async () => {
    const r = await http.call('POST', '/admin/login', { form: { email: SITE_ADMIN.email, password: SITE_ADMIN.password } });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin');
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^admin_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const token = /admin_session=([^;]+)/.exec(setCookie)?.[1] ?? '';
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { alg: string };
    expect(header.alg).toBe('HS256');
    const claims = decodeJwt(token);
    expect(claims.userId).toBe(site.admin?.id);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(24 * 3600);
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)?.[1] ?? '');
    expect(Math.abs(expires - (claims.exp ?? 0) * 1000)).toBeLessThan(1000);
    // The token is the site's own: the console's site-secret mode mints the same shape.
    expect((await http.call('GET', '/admin', { cookie: token })).text).toContain(`Signed in as ${SITE_ADMIN.email}`);
  });

  it('re-renders the form with an error for a wrong password, and sets no cookie', async () => {
    const r = await http.call('POST', '/admin/login', { form: { email: SITE_ADMIN.email, password: 'wrong' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(r.text).toContain('Invalid email or password.');
    expect(r.text).toContain(`value="${SITE_ADMIN.email}"`);
  });

  it('sends /admin without a session to the login page', async () => {
    const r = await http.call('GET', '/admin');
    expect(r.status).toBe(307);
    expect(r.headers.get('location')).toBe('/admin/login');
  });

  it('has no JSON login route and no config endpoint (Next.js HTML 404)', async () => {
    for (const [method, path] of [['POST', '/api/admin/login'], ['GET', '/api/chat/config'], ['POST', '/api/chat/session'], ['POST', '/api/chat/messages/read']] as const) {
      const r = await http.call(method, path, method === 'POST' ? { json: { email: SITE_ADMIN.email, password: SITE_ADMIN.password } } : {});
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type'), path).toContain('text/html');
      expect(r.body, path).toBeUndefined();
    }
  });
});

describe('cookie-checked routes', () => {
  it('refuses admin routes without the cookie, and never reads an Authorization header', async () => {
    const bearer = { headers: { Authorization: `Bearer ${cookie}` } };
    for (const [method, path, json] of [
      ['GET', '/api/chat/conversations', undefined],
      ['PATCH', '/api/chat/conversations/1', { status: 'closed' }],
      ['POST', '/api/chat/messages/mark-read', { conversationId: 1 }],
      ['GET', '/api/chat/settings', undefined],
      ['PATCH', '/api/chat/settings', { aiEnabled: true }],
      ['GET', '/api/chat/messages?conversationId=1', undefined],
    ] as const) {
      const r = await http.call(method, path, { ...bearer, json });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body).toEqual({ success: false, error: 'Unauthorized' });
    }
    // An admin reply with only a Bearer token is not an admin reply.
    const send = await http.call('POST', '/api/chat/send', { ...bearer, json: { conversationId: 1, content: 'hi' } });
    expect(send.status).toBe(401);
  });

  it('refuses an expired, a tampered and a wrongly signed cookie', async () => {
    const expired = await site.api.mintSession(site.admin?.id ?? 1, 60, Date.now() - 3600_000);
    const [h, p, s] = cookie.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ userId: 999, iat: 1, exp: 4_000_000_000 })).toString('base64url')}.${s}`;
    const { mintAdminSession } = await import('../src/index');
    const other = (await mintAdminSession('some-other-secret-0123456789abcdef', site.admin?.id ?? 1)).token;
    for (const bad of [expired, tampered, other, `${p}`]) {
      expect((await http.call('GET', '/api/chat/conversations', { cookie: bad })).status).toBe(401);
    }
  });

  it('accepts a token minted from AUTH_SECRET and a user id, like the console\'s site-secret mode', async () => {
    const minted = await site.api.mintSession(site.admin?.id ?? 1);
    expect((await http.call('GET', '/api/chat/conversations', { cookie: minted })).status).toBe(200);
  });

  it('answers a wrong method on a route with an empty 405', async () => {
    const r = await http.call('DELETE', '/api/chat/conversations', { cookie });
    expect(r.status).toBe(405);
    expect(r.text).toBe('');
  });
});

describe('response shapes as deployed', () => {
  it('sends a visitor message → 200 {success, data: {messageId, conversationId}} (no aiResponse while the AI is off)', async () => {
    const r = await http.visitorSays('visitor-shapes-1', 'Hello, I am Rina Putri, rina@example.com. Are you free next month?');
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
    expect(Object.keys(r.body.data).sort()).toEqual(['conversationId', 'messageId']);
    const list = await http.call<Record<string, unknown>[]>('GET', '/api/chat/conversations?status=active', { cookie });
    const conv = list.body.data.find((c) => c.id === r.body.data.conversationId);
    // The site guessed the visitor from the first message.
    expect(conv).toMatchObject({ visitorId: 'visitor-shapes-1', visitorName: 'Rina Putri', visitorEmail: 'rina@example.com', status: 'active', unreadCount: 1 });
  });

  it('lists conversations per status as a plain array (no pagination), newest activity first, with the last message and unread count', async () => {
    const a = await http.visitorSays('visitor-order-a', 'first');
    const b = await http.visitorSays('visitor-order-b', 'second, and nobody named');
    await http.visitorSays('visitor-order-a', 'a again', a.body.data.conversationId);
    const r = await http.call<Record<string, unknown>[]>('GET', '/api/chat/conversations', { cookie });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body.data)).toBe(true);
    expect(r.body).not.toHaveProperty('pagination');
    expect(r.body.data[0]?.id).toBe(a.body.data.conversationId);
    expect(r.body.data[1]?.id).toBe(b.body.data.conversationId);
    const first = r.body.data[0] as Record<string, unknown>;
    expect(Object.keys(first).sort()).toEqual(
      ['createdAt', 'id', 'lastMessageAt', 'messages', 'status', 'unreadCount', 'updatedAt', 'visitorEmail', 'visitorId', 'visitorName'].sort(),
    );
    expect(first.unreadCount).toBe(2);
    expect(first.messages).toEqual([expect.objectContaining({ content: 'a again', senderType: 'visitor', isRead: false })]);
    expect(r.body.data[1]).toMatchObject({ visitorName: null, visitorEmail: null });
    // limit/page are not read: every active conversation is in one answer.
    const paged = await http.call<unknown[]>('GET', '/api/chat/conversations?status=active&limit=1&page=2', { cookie });
    expect(paged.body.data.length).toBe(r.body.data.length);
  });

  it('matches nothing for status=all, and lists resolved / closed on their own', async () => {
    const c = await http.visitorSays('visitor-status', 'to be resolved');
    const id = c.body.data.conversationId;
    expect((await http.call<unknown[]>('GET', '/api/chat/conversations?status=all', { cookie })).body.data).toEqual([]);
    const patched = await http.call<Record<string, unknown>>('PATCH', `/api/chat/conversations/${id}`, { cookie, json: { status: 'resolved' } });
    expect(patched.status).toBe(200);
    expect(Object.keys(patched.body.data).sort()).toEqual(['createdAt', 'id', 'lastMessageAt', 'status', 'updatedAt', 'visitorEmail', 'visitorId', 'visitorName'].sort());
    expect(patched.body.data.status).toBe('resolved');
    const resolved = await http.call<{ id: number }[]>('GET', '/api/chat/conversations?status=resolved', { cookie });
    expect(resolved.body.data.map((x) => x.id)).toContain(id);
    const active = await http.call<{ id: number }[]>('GET', '/api/chat/conversations?status=active', { cookie });
    expect(active.body.data.map((x) => x.id)).not.toContain(id);
  });

  it('PATCHes visitorName / visitorEmail and validates the status', async () => {
    const c = await http.visitorSays('visitor-rename', 'hi');
    const id = c.body.data.conversationId;
    const r = await http.call<Record<string, unknown>>('PATCH', `/api/chat/conversations/${id}`, { cookie, json: { visitorName: 'Joko', visitorEmail: 'joko@example.com' } });
    expect(r.body.data).toMatchObject({ id, visitorName: 'Joko', visitorEmail: 'joko@example.com', status: 'active' });
    expect((await http.call('PATCH', `/api/chat/conversations/${id}`, { cookie, json: { status: 'archived' } })).status).toBe(400);
    expect((await http.call('PATCH', '/api/chat/conversations/999999', { cookie, json: { status: 'closed' } })).status).toBe(404);
  });

  it('returns the whole history oldest first, without paging or cursors', async () => {
    const first = await http.visitorSays('visitor-history', 'message 0');
    const id = first.body.data.conversationId;
    for (let i = 1; i < 60; i++) await http.visitorSays('visitor-history', `message ${i}`, id);
    const r = await http.call<Record<string, unknown>[]>('GET', `/api/chat/messages?conversationId=${id}&limit=10&before=5&after=50`, { cookie });
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(60);
    expect(r.body.data.map((m) => m.content)).toEqual(Array.from({ length: 60 }, (_, i) => `message ${i}`));
    expect(r.body).not.toHaveProperty('hasMore');
    expect(Object.keys(r.body.data[0] ?? {}).sort()).toEqual(['content', 'conversationId', 'createdAt', 'id', 'isRead', 'senderId', 'senderType']);
    // The visitor reads its own conversation with its visitor id, not someone else's.
    expect((await http.call<unknown[]>('GET', `/api/chat/messages?conversationId=${id}&visitorId=visitor-history`)).body.data).toHaveLength(60);
    expect((await http.call('GET', `/api/chat/messages?conversationId=${id}&visitorId=someone-else`)).status).toBe(404);
  });

  it('has no idempotency key: the same clientMessageId twice stores two messages', async () => {
    const c = await http.visitorSays('visitor-dup', 'hello');
    const id = c.body.data.conversationId;
    const body = { conversationId: id, content: 'twice', clientMessageId: '7b0f8c2e-2a51-4c55-9f3c-6c1c3f0b4e11' };
    const r1 = await http.call<{ messageId: number }>('POST', '/api/chat/send', { cookie, json: body });
    const r2 = await http.call<{ messageId: number }>('POST', '/api/chat/send', { cookie, json: body });
    expect(r1.status).toBe(200);
    expect(r2.body.data.messageId).not.toBe(r1.body.data.messageId);
    const msgs = await http.call<{ content: string; senderType: string; senderId: number }[]>('GET', `/api/chat/messages?conversationId=${id}`, { cookie });
    expect(msgs.body.data.filter((m) => m.content === 'twice')).toHaveLength(2);
    expect(msgs.body.data.find((m) => m.content === 'twice')).toMatchObject({ senderType: 'admin', senderId: site.admin?.id });
    expect(JSON.stringify(msgs.body.data)).not.toContain('clientMessageId');
  });

  it('an admin reply answers 200 and marks every visitor message read', async () => {
    const c = await http.visitorSays('visitor-reply', 'one');
    const id = c.body.data.conversationId;
    await http.visitorSays('visitor-reply', 'two', id);
    const r = await http.adminSays(cookie, id, 'Hello from the owner');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: true, data: { messageId: expect.any(Number), conversationId: id } });
    const msgs = await http.call<{ senderType: string; isRead: boolean }[]>('GET', `/api/chat/messages?conversationId=${id}`, { cookie });
    expect(msgs.body.data.filter((m) => m.senderType === 'visitor').every((m) => m.isRead)).toBe(true);
    const list = await http.call<{ id: number; unreadCount: number }[]>('GET', '/api/chat/conversations', { cookie });
    expect(list.body.data.find((x) => x.id === id)?.unreadCount).toBe(0);
  });

  it('mark-read marks every visitor message of the conversation read', async () => {
    const c = await http.visitorSays('visitor-markread', 'unread 1');
    const id = c.body.data.conversationId;
    await http.visitorSays('visitor-markread', 'unread 2', id);
    const r = await http.call('POST', '/api/chat/messages/mark-read', { cookie, json: { conversationId: id } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, data: { conversationId: id, updated: 2 } });
    const list = await http.call<{ id: number; unreadCount: number }[]>('GET', '/api/chat/conversations', { cookie });
    expect(list.body.data.find((x) => x.id === id)?.unreadCount).toBe(0);
    expect((await http.call('POST', '/api/chat/messages/mark-read', { cookie, json: {} })).status).toBe(400);
  });

  it('refuses a visitor message to someone else\'s conversation and an empty message', async () => {
    const c = await http.visitorSays('visitor-owner', 'mine');
    expect((await http.visitorSays('visitor-intruder', 'not mine', c.body.data.conversationId)).status).toBe(404);
    expect((await http.visitorSays('visitor-owner', '   ', c.body.data.conversationId)).status).toBe(400);
    expect((await http.call('POST', '/api/chat/send', { json: { content: 'no visitor id' } })).status).toBe(401);
  });
});

describe('AI settings', () => {
  it('creates the settings on the first GET, then PATCH switches the AI', async () => {
    const fresh = await startDeployedSite();
    try {
      const h = siteClient(fresh.apiUrl);
      const c = await h.login();
      expect(fresh.api.store.settings()).toBeUndefined();
      const r = await h.call<Record<string, unknown>>('GET', '/api/chat/settings', { cookie: c });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.data).sort()).toEqual(['aiEnabled', 'aiModel', 'aiTemperature', 'autoReplyDelay', 'createdAt', 'id', 'systemPrompt', 'updatedAt']);
      expect(r.body.data.aiEnabled).toBe(true);
      const off = await h.call<Record<string, unknown>>('PATCH', '/api/chat/settings', { cookie: c, json: { aiEnabled: false } });
      expect(off.body.data).toMatchObject({ id: r.body.data.id, aiEnabled: false });
      expect((await h.call<Record<string, unknown>>('GET', '/api/chat/settings', { cookie: c })).body.data.aiEnabled).toBe(false);
      expect((await h.call('PATCH', '/api/chat/settings', { cookie: c, json: { aiEnabled: 'yes' } })).status).toBe(400);
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('operations the fault tests use', () => {
  it('keeps a generated AUTH_SECRET across restarts on the same data, so cookies survive; setAvailable(false) answers 503', async () => {
    const { tempDir } = await import('./api');
    const dir = tempDir();
    const first = await startDeployedSite({ dataDir: dir, authSecret: null });
    const c = await siteClient(first.apiUrl).login();
    const secret = first.authSecret;
    const port = first.api.port;
    first.api.setAvailable(false);
    const down = await siteClient(first.apiUrl).call('GET', '/api/chat/conversations', { cookie: c });
    expect(down.status).toBe(503);
    await first.close();
    const again = await startDeployedSite({ dataDir: dir, authSecret: null, port });
    try {
      expect(again.authSecret).toBe(secret);
      expect(again.apiUrl).toBe(first.apiUrl);
      expect((await siteClient(again.apiUrl).call('GET', '/api/chat/conversations', { cookie: c })).status).toBe(200);
    } finally {
      await again.cleanup();
    }
  });
});
