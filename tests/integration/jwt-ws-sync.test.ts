// The jwt-ws kind end to end: a real core (SQLite mirror, sync engine, outbox) signed in through
// the contract, against the REAL reference server (backends/jwt-ws) on a free loopback port.
// Each test ends with the mirror compared to the server's own database.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_GROUP_HISTORY, DEMO_OWNER, startJwtWsBackend, type JwtWsBackendHandle, type JwtWsBackendOptions } from '../../backends/jwt-ws/src/index';
import { FrameSocket, api } from '../../backends/jwt-ws/tests/helpers';
import type { Message } from '../../src/shared/domain';
import { startTestCore, waitFor, type TestCore } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

type Backend = JwtWsBackendHandle & { dir: string; restart(): Promise<void>; rejected(): number };

async function backend(opts: JwtWsBackendOptions = {}): Promise<Backend> {
  const t = tempDir('jwt-ws-sync-');
  cleanups.push(() => t.cleanup());
  const base = { dataDir: t.dir, seedDemo: true, rateLimit: false as const, jwtSecret: 'sync-test-secret-0123456789abcdef', ...opts };
  let current = await startJwtWsBackend({ port: 0, ...base });
  const port = current.server.port;
  let rejectedBefore = 0;
  const b = {
    get url() {
      return current.url;
    },
    get wsUrl() {
      return current.wsUrl;
    },
    get server() {
      return current.server;
    },
    get owner() {
      return current.owner;
    },
    get simulator() {
      return current.simulator;
    },
    dir: t.dir,
    close: (o?: { abrupt?: boolean }) => current.close(o),
    /** Killed like a crash, then started again on the same port and database. */
    /** 429s answered so far, over every restart. */
    rejected: () => rejectedBefore + (current.server.rateLimiter?.rejected ?? 0),
    async restart() {
      rejectedBefore += current.server.rateLimiter?.rejected ?? 0;
      await current.close({ abrupt: true });
      current = await startJwtWsBackend({ ...base, port, seedDemo: false, simulate: 0, owner: DEMO_OWNER });
    },
  } as Backend;
  cleanups.push(() => b.close());
  return b;
}

async function core(): Promise<TestCore> {
  const t = tempDir('jwt-ws-core-');
  const c = await startTestCore(t.dir);
  cleanups.push(() => t.cleanup());
  cleanups.push(() => c.close());
  return c;
}

async function call<T>(c: TestCore, method: string, input: unknown): Promise<T> {
  const r = await c.core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

async function connect(c: TestCore, b: Backend, password: string = DEMO_OWNER.password): Promise<number> {
  const a = await call<{ id: number }>(c, 'accounts.connect', { kind: 'jwt-ws', siteUrl: b.url, email: DEMO_OWNER.email, password });
  return a.id;
}

/** Waits for an async condition (waitFor takes sync ones). */
async function until(fn: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await fn())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const live = (c: TestCore, ms = 20_000) => waitFor(() => c.state() === 'live', ms, `live (now ${c.state()}: ${c.states.at(-1)?.detail})`);

type Snap = Record<string, { id: string; content: string; senderType: string; senderName: string | null; at: number }[]>;

/**
 * Messages of the same millisecond in id order on both sides: the server has no order key but
 * created_at, and a live frame carries no position, so the console cannot always know the
 * server's order inside one millisecond (bursts written in one server tick).
 */
const tieOrder = (s: Snap): Snap => Object.fromEntries(Object.entries(s).map(([k, l]) => [k, [...l].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))]));

/** The server's database: every room of the owner, messages not deleted, in server order. */
function serverSnapshot(b: Backend): Snap {
  const ownerId = b.owner!.id;
  const out: Snap = {};
  for (const room of b.server.service.myRooms(ownerId) as { id: string }[]) out[room.id] = [];
  for (const m of b.server.service.allMessages()) {
    if (!out[m.room_id] || m.is_deleted) continue;
    const own = m.sender_id === ownerId;
    out[m.room_id]!.push({ id: m.id, content: m.content, senderType: own ? 'admin' : 'member', senderName: own ? null : b.server.service.getUser(m.sender_id).display_name, at: Date.parse(m.created_at) });
  }
  return tieOrder(out);
}

function mirrorSnapshot(c: TestCore, accountId: number): Snap {
  const out: Snap = {};
  for (const conv of c.core.mirror.conversations.page('all', 500, undefined, accountId).items) {
    out[conv.remoteId] = c.core.mirror.messages
      .all(conv.id)
      .map((m) => ({ id: m.remoteId ?? `pending:${m.clientId}`, content: m.content, senderType: m.senderType, senderName: m.senderType === 'admin' ? null : m.senderName, at: m.createdAt }));
  }
  return tieOrder(out);
}

const sorted = (s: Snap) => JSON.stringify(Object.fromEntries(Object.entries(s).sort(([a], [b]) => a.localeCompare(b))));
const waitEqual = (c: TestCore, accountId: number, b: Backend, ms = 20_000) =>
  waitFor(() => sorted(mirrorSnapshot(c, accountId)) === sorted(serverSnapshot(b)), ms, 'mirror = server').catch(() => {
    const m = mirrorSnapshot(c, accountId);
    const s = serverSnapshot(b);
    for (const [room, list] of Object.entries(s)) {
      const have = new Set((m[room] ?? []).map((x) => x.id));
      const missing = list.map((x, i) => [i, x.content] as const).filter(([, _c], i) => !have.has(list[i]!.id));
      if (missing.length && process.env.JWTDEBUG) console.log(c.logs.filter((l) => l.includes(room.slice(0, 8)) || l.includes('catchUp') || l.includes('gap')).join('\n'));
      if (missing.length || (m[room]?.length ?? 0) !== list.length) console.log(`room ${room}: server ${list.length}, mirror ${m[room]?.length}, missing ${missing.length}: ${missing.slice(0, 3).map((x) => x.join(':')).join(', ')} … ${missing.slice(-2).map((x) => x.join(':')).join(', ')}`);
    }
    expect(m).toEqual(s);
  });

const conversationByName = (c: TestCore, accountId: number, name: string) => c.core.mirror.conversations.page('all', 500, undefined, accountId).items.find((x) => x.visitorName === name);

describe('jwt-ws sync against the reference server', () => {
  it('first sync: rooms as conversations named after the room or the other member, every page of history, names, edits, no deleted message', async () => {
    const b = await backend();
    const c = await core();
    const accountId = await connect(c, b);
    await live(c);
    await waitEqual(c, accountId, b);
    const team = conversationByName(c, accountId, 'Support team');
    expect(team).toBeDefined();
    expect(c.core.mirror.messages.all(team!.id)).toHaveLength(DEMO_GROUP_HISTORY);
    const alice = conversationByName(c, accountId, 'Alice Rahman')!;
    const msgs = c.core.mirror.messages.all(alice.id);
    expect(msgs.filter((m) => m.senderType === 'member').every((m) => m.senderName === 'Alice Rahman')).toBe(true);
    expect(msgs.find((m) => m.content.endsWith('(fixed)'))?.editedAt).not.toBeNull();
    const budi = conversationByName(c, accountId, 'Budi Santoso')!;
    expect(c.core.mirror.messages.all(budi.id).map((m) => m.content)).not.toContain('oops wrong chat');
    expect((await call<{ messageId: number }[]>(c, 'search', { query: 'oops' })).length).toBe(0);
    // The room's other members, with their names, for the details pane; nobody has a socket yet.
    const details = await call<{ members: { name: string; presence: string }[] }>(c, 'conversations.details', { conversationId: team!.id });
    expect(details.members.map((m) => m.name).sort()).toEqual(['Alice Rahman', 'Chen Wei', 'Dewi Lestari']);
    expect(details.members.every((m) => m.presence === 'offline')).toBe(true);
    expect(alice.visitorPresence).toBe('offline');
    expect(team!.visitorPresence).toBeNull();
    expect(team!.statusIsLocal).toBe(true);
    const account = (await call<{ capabilities: { catchUp: string; idempotentSend: boolean } }[]>(c, 'accounts.list', undefined))[0]!;
    expect(account.capabilities).toMatchObject({ catchUp: 'page-back', idempotentSend: false, serverStatus: false, typing: true });
  });

  it('wrong password: a clear error, no account', async () => {
    const b = await backend();
    const c = await core();
    const r = await c.core.dispatch('accounts.connect', { kind: 'jwt-ws', siteUrl: b.url, email: DEMO_OWNER.email, password: 'nope' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toBe('Wrong email or password.');
  });

  it('live: a member writes, edits and deletes; typing and presence; the reply reaches the server once and the other members', async () => {
    const b = await backend();
    const c = await core();
    const accountId = await connect(c, b);
    await live(c);
    const rest = api(b.url);
    const chen = await rest.login('chen@example.com', 'member-demo-password');
    const dewi = await rest.login('dewi@example.com', 'member-demo-password');
    const team = conversationByName(c, accountId, 'Support team')!;
    const events: { name: string; payload: unknown }[] = [];
    c.core.events.subscribe((name, payload) => void events.push({ name, payload }));

    const dewiSock = await FrameSocket.connect(b.wsUrl, dewi.token);
    const sent = (await rest.call<{ id: string }>('POST', '/api/v1/messages', { token: chen.token, json: { room_id: team.remoteId, content: 'new from chen' } })).body.data;
    const got = await waitFor(() => c.core.mirror.messages.all(team.id).find((m) => m.remoteId === sent.id), 10_000, 'live message');
    expect(got).toMatchObject({ senderType: 'member', senderName: 'Chen Wei', content: 'new from chen' });

    await rest.call('PUT', `/api/v1/messages/${sent.id}`, { token: chen.token, json: { content: 'new from chen (edited)' } });
    await waitFor(() => c.core.mirror.messages.all(team.id).find((m) => m.remoteId === sent.id && m.content === 'new from chen (edited)' && m.editedAt), 10_000, 'edit');
    expect((await call<{ messageId: number }[]>(c, 'search', { query: 'edited' })).length).toBeGreaterThan(0);
    await rest.call('DELETE', `/api/v1/messages/${sent.id}`, { token: chen.token });
    await waitFor(() => !c.core.mirror.messages.all(team.id).some((m) => m.remoteId === sent.id), 10_000, 'delete');
    // Gone from the list's preview too: it shows the message before it again.
    expect(c.core.mirror.conversations.get(team.id)!.lastMessagePreview).not.toContain('new from chen');
    const hits = await call<{ messageId: number; snippet?: string }[]>(c, 'search', { query: 'chen' });
    expect(hits.filter((h) => h.messageId === got.id)).toEqual([]);

    // Typing from a member, and ours to the members.
    const chenSock = await FrameSocket.connect(b.wsUrl, chen.token);
    chenSock.send({ type: 'typing_start', data: { room_id: team.remoteId } });
    await waitFor(() => events.some((e) => e.name === 'typing' && (e.payload as { conversationId: number; isTyping: boolean }).conversationId === team.id), 10_000, 'typing in');
    await call(c, 'typing.send', { conversationId: team.id, isTyping: true });
    await dewiSock.next('typing_start', (f) => f.data?.user_id === b.owner!.id);

    // Presence: online, away, busy and offline told apart — a direct room's other member in the
    // summary, every member in the room's list; away and busy still count as "there".
    const chenDirect = await rest.call<{ id: string }>('POST', `/api/v1/rooms/direct/${b.owner!.id}`, { token: chen.token });
    const direct = () => c.core.mirror.conversations.findByRemote(accountId, chenDirect.body.data.id);
    await waitFor(() => direct(), 10_000, 'new direct room');
    await waitFor(() => c.core.mirror.conversations.get(direct()!.id)?.visitorPresence === 'online', 10_000, 'chen online');
    for (const status of ['away', 'busy'] as const) {
      chenSock.send({ type: 'user_status_change', data: { status } });
      await waitFor(() => c.core.mirror.conversations.get(direct()!.id)?.visitorPresence === status, 10_000, `chen ${status}`);
      expect(direct()!.visitorOnline).toBe(true);
    }
    chenSock.close();
    await waitFor(() => c.core.mirror.conversations.get(direct()!.id)?.visitorPresence === 'offline', 10_000, 'chen offline');
    expect(direct()!.visitorOnline).toBe(false);
    dewiSock.send({ type: 'user_status_change', data: { status: 'busy' } });
    const memberPresence = async (name: string) =>
      (await call<{ members: { name: string; presence: string }[] }>(c, 'conversations.details', { conversationId: team.id })).members.find((m) => m.name === name)?.presence;
    await until(async () => (await memberPresence('Dewi Lestari')) === 'busy', 10_000, 'dewi busy in the member list');
    expect(await memberPresence('Chen Wei')).toBe('offline');
    expect(c.core.mirror.conversations.findByRemote(accountId, team.remoteId)?.visitorOnline).toBe(true);
    expect(c.core.mirror.conversations.get(team.id)?.visitorPresence).toBeNull();
    expect(events.some((e) => e.name === 'conversations.changed' && (e.payload as { conversationIds: number[] }).conversationIds.includes(team.id))).toBe(true);

    // The owner's availability reaches the members as user_status_change.
    // Away goes out as away (never busy); offline as invisible, which the others see as offline.
    const ownerStatus = async (availability: string, seen: string) => {
      const from = dewiSock.frames.length;
      await call(c, 'settings.update', { availability });
      await dewiSock.next('user_status_change', (f) => f.data?.user_id === b.owner!.id, from);
      expect(dewiSock.frames.slice(from).filter((f) => f.type === 'user_status_change' && f.data?.user_id === b.owner!.id).map((f) => f.data?.status)).toEqual([seen]);
    };
    await ownerStatus('away', 'away');
    await ownerStatus('offline', 'offline');
    await ownerStatus('online', 'online');

    // A reply: once on the server, pushed to the other members.
    const reply = await call<Message>(c, 'messages.send', { conversationId: team.id, content: 'reply from the console', clientId: randomUUID() });
    await waitFor(() => c.core.mirror.messages.all(team.id).find((m) => m.id === reply.id && m.delivery === 'sent'), 10_000, 'sent');
    const onServer = b.server.service.allMessages().filter((m) => m.content === 'reply from the console');
    expect(onServer).toHaveLength(1);
    await dewiSock.next('message', (f) => f.data?.message_id === onServer[0]!.id);
    await waitEqual(c, accountId, b);
    dewiSock.close();
  });

  it('faults: the server killed 5 times during 2,000 messages in 10 rooms, tokens expiring every 2 s, 429 storms, replies queued meanwhile — mirror = server, each reply once', async () => {
    // 40 requests per 2 s for the console's address: the catch-ups after each kill run into 429s.
    const b = await backend({ accessTtlSeconds: 2, rateLimit: { max: 40, windowMs: 2000 } });
    const c = await core();
    const accountId = await connect(c, b);
    await live(c);
    const svc = () => b.server.service;
    const members = await Promise.all(Array.from({ length: 10 }, (_, i) => svc().createUser({ email: `m${i}@example.com`, username: `member${i}`, password: 'member-password-1', displayName: `Member ${i}` })));
    const rooms = members.map((m, i) => svc().createRoom(m.id, { name: `Room ${i}`, type: 'group', member_ids: [b.owner!.id] }).id);
    let written = 0;
    let mark = 0;
    const replies: string[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 400; i++) {
        const r = (round * 400 + i) % 10;
        svc().sendMessage(members[r]!.id, { room_id: rooms[r]!, content: `r${round} m${i}` });
        written++;
      }
      const conv = await waitFor(() => c.core.mirror.conversations.findByRemote(accountId, rooms[round]!), 20_000, `room ${round} in the mirror`);
      const content = `console reply ${round}`;
      replies.push(content);
      await call(c, 'messages.send', { conversationId: conv.id, content, clientId: randomUUID() });
      mark = c.states.length;
      await b.restart();
      // Written while the console is still reconnecting: only the catch-up can bring these.
      for (let i = 0; i < 5; i++) svc().sendMessage(members[(round + i) % 10]!.id, { room_id: rooms[(round + i) % 10]!, content: `gap r${round} ${i}` });
      written += 5;
    }
    // Live again after the LAST kill: the link went down and a catch-up ran since.
    await waitFor(() => c.states.slice(mark).some((x) => x.state !== 'live') && c.state() === 'live', 90_000, `live after the last kill (now ${c.state()})`);
    await waitFor(() => c.core.mirror.outbox.counts(accountId).pending === 0, 30_000, 'outbox empty');
    await waitEqual(c, accountId, b, 30_000);
    for (const content of replies) expect(svc().allMessages().filter((m) => m.content === content)).toHaveLength(1);
    const total = Object.values(serverSnapshot(b)).reduce((n, l) => n + l.length, 0);
    console.log(`[jwt-ws faults] ${written} member messages in 10 rooms, 5 kills, ${replies.length} replies, ${b.rejected()} requests answered 429; mirror = server with ${total} messages`);
    expect(written).toBeGreaterThanOrEqual(2000);
    expect(b.rejected()).toBeGreaterThan(0);
  }, 180_000);
});

describe('jwt-ws hostile input', () => {
  it('200 hostile frames (1 MB, invalid JSON among valid lines, unknown types and fields, odd values) are inert; the valid ones around them land', async () => {
    const b = await backend();
    const c = await core();
    const accountId = await connect(c, b);
    await live(c);
    const team = conversationByName(c, accountId, 'Support team')!;
    const alice = (await api(b.url).login('alice@example.com', 'member-demo-password')).userId;
    const ownerId = b.owner!.id;
    const hub = b.server.hub;
    const at = new Date().toISOString();
    const valid = (n: number) => b.server.service.sendMessage(alice, { room_id: team.remoteId, content: `valid ${n}` });
    // One frame of 1 MB (twenty of them in one WebSocket message would pass the socket's 8 MB
    // cap: the socket then drops and the catch-up fills in, which the fault test covers).
    hub.sendRaw(ownerId, JSON.stringify({ type: 'message', data: { message_id: 'x', room_id: team.remoteId, user_id: alice, content: 'y'.repeat(1024 * 1024), created_at: at } }));
    const gapsBefore = c.logs.filter((l) => l.includes('gap')).length;
    const hostile: string[] = [
      '{"type":"message","data":',
      'not json at all',
      JSON.stringify({ type: 'message_reaction', data: { emoji: '👍' } }),
      JSON.stringify({ type: 'brand_new_type', data: { anything: [1, 2, 3] }, extra: true }),
      JSON.stringify({ type: 'message_edit', data: { message_id: 42, room_id: null, content: {} } }),
      JSON.stringify({ type: 'user_status_change', data: { user_id: alice, status: '<b>busy</b>' } }),
      JSON.stringify({ type: '__proto__', data: { polluted: true } }),
      JSON.stringify({ type: 'typing_start', data: { room_id: 'no-such-room', user_id: alice } }),
      JSON.stringify({ type: 'message_delete', data: { message_id: 'unknown-id', room_id: team.remoteId } }),
    ];
    let sent = 0;
    for (let i = 0; sent < 200; i++) {
      hub.sendRaw(ownerId, hostile[i % hostile.length]!);
      sent++;
      if (i % 20 === 0) valid(i); // goes out in the same WebSocket message as the hostile lines
    }
    const html = b.server.service.sendMessage(alice, { room_id: team.remoteId, content: '<img src=x onerror=alert(1)> **bold**' });
    await waitFor(() => c.core.mirror.messages.findByRemote(team.id, html.id), 15_000, 'the message after the storm');
    for (let i = 0; i < 200; i += 20) expect(c.core.mirror.messages.all(team.id).some((m) => m.content === `valid ${i}`)).toBe(true);
    expect(c.core.mirror.messages.findByRemote(team.id, html.id)?.content).toBe('<img src=x onerror=alert(1)> **bold**');
    expect(c.core.mirror.messages.findByRemote(team.id, 'x')).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(c.state()).toBe('live');
    expect(c.logs.some((l) => l.includes('skipped a frame'))).toBe(true);
    // Nothing of this dropped the socket: the valid messages came live, not through a catch-up.
    expect(c.logs.filter((l) => l.includes('gap')).length).toBe(gapsBefore);
    await waitEqual(c, accountId, b);
  });
});
