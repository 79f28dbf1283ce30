// The portfolio connector and sync engine against the REAL reference backend: real HTTP, real
// pusher-js in Node, real SQLite files in temp dirs. Each test ends with the mirror compared to
// the backend's own database.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain';
import {
  Visitor,
  backendSnapshot,
  connectAccount,
  countMessages,
  mirrorSnapshot,
  sleep,
  sortKeys,
  startTestBackend,
  startTestCore,
  waitFor,
  type TestBackend,
  type TestCore,
} from '../support/portfolio-harness';
import { tempDir, type TempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function backend(options: Parameters<typeof startTestBackend>[0] = {}): Promise<TestBackend> {
  const b = await startTestBackend(options);
  cleanups.push(() => b.close());
  return b;
}
function dir(): TempDir {
  const t = tempDir('switchboard-core-');
  cleanups.push(() => t.cleanup());
  return t;
}
async function core(dataDir: string): Promise<TestCore> {
  const c = await startTestCore(dataDir);
  cleanups.push(() => c.close());
  return c;
}

const live = (c: TestCore, ms = 15_000) => waitFor(() => c.state() === 'live', ms, `live (now ${c.state()}: ${c.states.at(-1)?.detail})`);
const equal = (c: TestCore, accountId: number, b: TestBackend) => expect(sortKeys(mirrorSnapshot(c.core, accountId))).toEqual(sortKeys(backendSnapshot(b)));
const waitEqual = (c: TestCore, accountId: number, b: TestBackend, ms = 15_000) =>
  waitFor(() => JSON.stringify(sortKeys(mirrorSnapshot(c.core, accountId))) === JSON.stringify(sortKeys(backendSnapshot(b))), ms, 'mirror = backend').catch(() => equal(c, accountId, b));

async function call<T>(c: TestCore, method: string, input: unknown): Promise<T> {
  const r = await c.core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

describe('portfolio sync against the reference backend', () => {
  it('1. first sync: reaches live with progress, and the mirror equals the backend exactly', async () => {
    const b = await backend({ seed: true });
    // More history than one page, in more conversations than one page.
    const visitors = await Promise.all(Array.from({ length: 120 }, (_, i) => new Visitor(b.apiUrl, `Bulk ${i}`).open()));
    for (const v of visitors) await v.send(`hello from ${v.name}`);
    for (let i = 0; i < 250; i++) await visitors[0]!.send(`long history ${i}`);
    const c = await core(dir().dir);
    const t0 = Date.now();
    const accountId = await connectAccount(c.core, b);
    await live(c);
    const ms = Date.now() - t0;
    const snap = backendSnapshot(b);
    console.log(`[1] first sync: ${Object.keys(snap).length} conversations, ${countMessages(snap)} messages, live after ${ms} ms, ${c.progress.length} progress events`);
    expect(c.progress.length).toBeGreaterThan(0);
    expect(c.progress.at(-1)).toMatchObject({ done: c.progress.at(-1)!.total });
    expect(new Set(Object.values(snap).map((x) => x.status))).toEqual(new Set(['active', 'resolved', 'closed']));
    equal(c, accountId, b);
  });

  it('3. outbox: 50 replies queued offline survive two restarts and land once each, in order', async () => {
    const b = await backend({ seed: true });
    const d = dir().dir;
    let c = await core(d);
    const accountId = await connectAccount(c.core, b);
    await live(c);
    const visitor = await new Visitor(b.apiUrl, 'Outbox Olga').open();
    await visitor.send('are you there?');
    const conversation = await waitFor(() => c.core.mirror.conversations.findByRemote(accountId, String(visitor.conversationId)), 10_000, 'conversation');
    const contents = Array.from({ length: 50 }, (_, i) => `reply ${String(i).padStart(2, '0')}`);
    const send = (cc: TestCore, content: string) => call<Message>(cc, 'messages.send', { conversationId: conversation.id, content, clientId: randomUUID() });

    b.api.setAvailable(false);
    for (const content of contents.slice(0, 30)) expect((await send(c, content)).delivery).toBe('pending');
    await sleep(300);
    await c.close(); // closed mid-queue, the backend unreachable
    c = await core(d);
    for (const content of contents.slice(30)) await send(c, content);
    expect((await call<{ accountId: number; pending: number }[]>(c, 'outbox.counts', undefined))[0]).toMatchObject({ pending: 50 });
    await sleep(300);
    const t0 = Date.now();
    b.api.setAvailable(true);
    // Kill it again while the queue drains.
    await waitFor(() => b.api.listAllMessages().some((m) => m.content === 'reply 05'), 20_000, 'draining started');
    await c.close();
    c = await core(d);
    await waitFor(() => c.core.mirror.outbox.counts(accountId).pending === 0, 30_000, 'outbox empty');
    const deliveredMs = Date.now() - t0;
    await live(c);
    const admin = b.api.listAllMessages().filter((m) => m.conversationId === visitor.conversationId && m.senderType === 'admin');
    console.log(`[3] outbox: ${admin.length} replies on the backend, all delivered ${deliveredMs} ms after the network came back (two restarts)`);
    expect(admin.map((m) => m.content)).toEqual(contents);
    const mine = c.core.mirror.messages.all(conversation.id).filter((m) => m.senderType === 'admin');
    expect(mine.map((m) => m.content)).toEqual(contents);
    for (const m of mine) {
      expect(m.delivery === 'sent' || m.delivery === 'read').toBe(true);
      expect(m.remoteId).toMatch(/^\d+$/);
    }
    await waitEqual(c, accountId, b);
  });

  it.each([
    ['visitor message first, then resolve', 'visitor-first'],
    ['resolve first, then visitor message', 'resolve-first'],
  ])('4. a visitor message and a resolve racing (%s): same final state on both sides, no ghost unread', async (_label, order) => {
    const b = await backend({ seed: false });
    const c = await core(dir().dir);
    const accountId = await connectAccount(c.core, b);
    await live(c);
    const visitor = await new Visitor(b.apiUrl, 'Racing Rita').open();
    await visitor.send('first');
    const conversation = await waitFor(() => c.core.mirror.conversations.findByRemote(accountId, String(visitor.conversationId)), 10_000, 'conversation');
    await waitFor(() => c.core.mirror.messages.all(conversation.id).length === 1, 10_000, 'first message');
    for (let round = 0; round < 5; round++) {
      const server = () => b.api.chatDb.db.prepare('SELECT status FROM conversations WHERE id = ?').get(visitor.conversationId) as { status: string };
      const resolve = () => call(c, 'conversations.setStatus', { conversationId: conversation.id, status: 'resolved' });
      // The server sees them in the given order; the console sees the events and its own
      // optimistic change interleaved.
      if (order === 'visitor-first') {
        await visitor.send(`race ${round}`);
        await resolve();
      } else {
        await resolve();
        await waitFor(() => server().status === 'resolved', 5000, 'resolved on the server');
        await visitor.send(`race ${round}`);
      }
      await waitFor(() => c.core.mirror.outbox.counts(accountId).pending === 0, 10_000, 'outbox empty');
      expect(server().status).toBe(order === 'visitor-first' ? 'resolved' : 'active');
      await waitFor(() => c.core.mirror.conversations.get(conversation.id)?.status === server().status && c.state() === 'live', 10_000, `status converges (server ${server().status}, mirror ${c.core.mirror.conversations.get(conversation.id)?.status})`);
      await waitEqual(c, accountId, b);
      const serverUnread = () => (b.api.chatDb.db.prepare("SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND sender_type = 'visitor' AND is_read = 0").get(visitor.conversationId) as { n: number }).n;
      // Before reading: the console counts exactly what the server counts.
      expect(serverUnread()).toBeGreaterThan(0);
      await waitFor(() => c.core.mirror.conversations.get(conversation.id)?.unreadCount === serverUnread(), 5000, `unread ${c.core.mirror.conversations.get(conversation.id)?.unreadCount} = server ${serverUnread()}`);
      // Read it in the console: nothing unread on either side.
      await call(c, 'conversations.markRead', { conversationId: conversation.id });
      await waitFor(() => serverUnread() === 0 && c.core.mirror.outbox.counts(accountId).pending === 0, 10_000, 'read on the server');
      await sleep(200);
      expect(c.core.mirror.conversations.get(conversation.id)?.unreadCount).toBe(0);
      expect(c.core.mirror.conversations.get(conversation.id)?.status).toBe(server().status);
    }
    const final = c.core.mirror.conversations.get(conversation.id)!;
    console.log(`[4] ${order}: final status ${final.status} on both sides, unread ${final.unreadCount}`);
  });

  it.each([
    ['the JWT secret rotated', 'rotate'],
    ['a short-lived JWT expiring', 'ttl'],
  ])('5. a 401 mid-stream (%s): auth-expired, replies kept; sign in again and everything resumes', async (_label, how) => {
    const b = await backend({ seed: true, jwtSecret: 'first-secret-first-secret-first-secret', ...(how === 'ttl' ? { jwtTtlSeconds: 3 } : {}) });
    const c = await core(dir().dir);
    const accountId = await connectAccount(c.core, b);
    await live(c);
    const visitor = await new Visitor(b.apiUrl, 'Token Tina').open();
    await visitor.send('before rotation');
    const conversation = await waitFor(() => c.core.mirror.conversations.findByRemote(accountId, String(visitor.conversationId)), 10_000, 'conversation');
    // Every token the console holds becomes invalid.
    if (how === 'rotate') await b.restartApi({ jwtSecret: 'second-secret-second-secret-second' });
    else await sleep(3500);
    for (let i = 0; i < 3; i++) await visitor.send(`during expiry ${i}`);
    const replies = ['kept 1', 'kept 2', 'kept 3'];
    for (const content of replies) await call(c, 'messages.send', { conversationId: conversation.id, content, clientId: randomUUID() });
    await waitFor(() => c.state() === 'auth-expired', 15_000, `auth-expired (now ${c.state()})`);
    const accounts = await call<{ connectionState: string; stateDetail: string | null }[]>(c, 'accounts.list', undefined);
    expect(accounts[0]).toMatchObject({ connectionState: 'auth-expired' });
    await sleep(500);
    expect(c.core.mirror.outbox.counts(accountId)).toEqual({ pending: 3, failed: 0 });
    expect(c.core.mirror.messages.all(conversation.id).filter((m) => m.delivery === 'pending').map((m) => m.content)).toEqual(replies);
    const t0 = Date.now();
    await call(c, 'accounts.signIn', { kind: 'portfolio', accountId, email: b.admin.email, password: b.admin.password });
    await live(c);
    await waitFor(() => c.core.mirror.outbox.counts(accountId).pending === 0, 15_000, 'outbox delivered');
    await waitEqual(c, accountId, b);
    console.log(`[5] 401 (${how}): auth-expired reached; after sign-in live + outbox delivered + caught up in ${Date.now() - t0} ms`);
    expect(b.api.listAllMessages().filter((m) => m.senderType === 'admin' && m.conversationId === visitor.conversationId).map((m) => m.content)).toEqual(replies);
  });

  it('7. a backend without the extensions: page-back catch-up works and the account says "Limited sync"', async () => {
    const b = await backend({ seed: true, extensions: false });
    const c = await core(dir().dir);
    // No /api/chat/config: the settings must be given by hand.
    const refused = await c.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: b.apiUrl, email: b.admin.email, password: b.admin.password });
    expect(refused.ok).toBe(false);
    const accountId = await connectAccount(c.core, b, true);
    await live(c);
    equal(c, accountId, b);
    const [account] = await call<{ stateDetail: string | null; connectionState: string }[]>(c, 'accounts.list', undefined);
    expect(account!.connectionState).toBe('live');
    expect(account!.stateDetail).toMatch(/^Limited sync/);
    // Live messages arrive, and a gap while the realtime server is down is paged back.
    const visitors = await Promise.all([1, 2, 3].map((i) => new Visitor(b.apiUrl, `Bare ${i}`).open()));
    for (const v of visitors) await v.send('hello');
    await waitEqual(c, accountId, b);
    await b.stopPusher();
    await waitFor(() => c.state() !== 'live', 10_000, 'not live');
    for (let i = 0; i < 120; i++) await visitors[i % 3]!.send(`offline ${i}`);
    const t0 = Date.now();
    await b.startPusher();
    await live(c, 20_000);
    await waitEqual(c, accountId, b);
    console.log(`[7] bare backend: page-back gap of 120 messages filled ${Date.now() - t0} ms after the realtime server came back`);
    // A reply without server-side deduplication still shows once.
    const conversation = c.core.mirror.conversations.findByRemote(accountId, String(visitors[0]!.conversationId))!;
    await call(c, 'messages.send', { conversationId: conversation.id, content: 'reply on a bare backend', clientId: randomUUID() });
    await waitFor(() => c.core.mirror.outbox.counts(accountId).pending === 0, 10_000, 'sent');
    await visitors[0]!.send('after the reply');
    await waitEqual(c, accountId, b);
  });

  it('8. offline history: with the backend stopped, a new core reads, pages and searches everything', async () => {
    const b = await backend({ seed: true });
    const d = dir().dir;
    const c1 = await core(d);
    const accountId = await connectAccount(c1.core, b);
    await live(c1);
    const v = await new Visitor(b.apiUrl, 'Offline Oscar').open();
    for (let i = 0; i < 75; i++) await v.send(`history line ${i} zanzibar${i}`);
    await waitEqual(c1, accountId, b);
    const expected = backendSnapshot(b);
    await c1.close();
    await b.close();
    const c2 = await core(d);
    const [account] = await call<{ lastSyncedAt: number | null; connectionState: string }[]>(c2, 'accounts.list', undefined);
    expect(account!.lastSyncedAt).toEqual(expect.any(Number));
    const seen: Record<string, { status: string; messages: { id: string; content: string; senderType: string }[] }> = {};
    let cursor: string | undefined;
    do {
      const page = await call<{ items: { id: number; remoteId: string; status: string }[]; nextCursor: string | null }>(c2, 'conversations.page', { filter: 'all', limit: 2, ...(cursor ? { cursor } : {}) });
      for (const conv of page.items) {
        const messages: Message[] = [];
        let before: string | undefined;
        do {
          const mp = await call<{ items: Message[]; nextCursor: string | null }>(c2, 'messages.page', { conversationId: conv.id, limit: 20, ...(before ? { before } : {}) });
          messages.unshift(...mp.items);
          before = mp.nextCursor ?? undefined;
        } while (before);
        seen[conv.remoteId] = { status: conv.status, messages: messages.map((m) => ({ id: m.remoteId!, content: m.content, senderType: m.senderType })) };
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sortKeys(seen)).toEqual(sortKeys(expected));
    const hits = await call<{ messageId: number | null; conversationId: number }[]>(c2, 'search', { query: 'zanzibar42' });
    expect(hits.filter((h) => h.messageId !== null)).toHaveLength(1);
    const people = await call<{ messageId: number | null }[]>(c2, 'search', { query: 'Oscar' });
    expect(people.some((h) => h.messageId === null)).toBe(true);
    console.log(`[8] offline: ${Object.keys(seen).length} conversations, ${countMessages(seen)} messages read back with the backend stopped; lastSyncedAt ${new Date(account!.lastSyncedAt!).toISOString()}`);
  });

  it('2b. a realtime outage longer than 10 s shows "unavailable", and the gap is filled within 5 s of the server coming back', async () => {
    const b = await backend({ seed: true });
    const c = await core(dir().dir);
    const accountId = await connectAccount(c.core, b);
    await live(c);
    const v = await new Visitor(b.apiUrl, 'Patient Pat').open();
    await b.stopPusher();
    const down = Date.now();
    for (let i = 0; i < 30; i++) await v.send(`during the long outage ${i}`);
    await waitFor(() => c.state() === 'unavailable', 20_000, `unavailable (now ${c.state()})`);
    const unavailableAfter = Date.now() - down;
    await sleep(2000);
    expect(c.state()).toBe('unavailable');
    const restart = Date.now();
    await b.startPusher();
    await live(c, 10_000);
    const gap = Date.now() - restart;
    await waitEqual(c, accountId, b);
    console.log(`[2b] long outage: unavailable after ${unavailableAfter} ms; live again ${gap} ms after the restart`);
    expect(gap).toBeLessThanOrEqual(5000);
  });
});
