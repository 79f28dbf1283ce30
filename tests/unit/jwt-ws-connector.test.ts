// The jwt-ws Connector with its REST over a fake fetch (tests/support/fake-jwt-ws-rest.ts) and its
// socket against a loopback `ws` server (tests/support/jwt-ws-loopback.ts), both standing in for
// the deployed server; a recording sink plays the engine. The real reference backend is covered
// by tests/integration/jwt-ws-sync.test.ts and jwt-ws-wire.test.ts. What is checked is what the
// engine is told: link states, every live frame's effect, history pages and their positions,
// replies sent once, and the owner's availability said again after each reconnect.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError, type ConnectorSink } from '../../src/main/core/connectors/connector';
import type { Credentials, CredentialsPort } from '../../src/main/core/connectors/credentials';
import { JwtWsConnector } from '../../src/main/core/connectors/jwt-ws/jwt-ws-connector';
import { connectorFailure as failure } from '../support/connector-failure';
import { FakeJwtWsRest } from '../support/fake-jwt-ws-rest';
import { LoopbackJwtWs, authFrame, until, type Dial } from '../support/jwt-ws-loopback';
import { recordingSink } from '../support/recording-sink';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const ACCESS = `${b64({ alg: 'HS256' })}.${b64({ sub: 'u-self', iat: 1000, exp: 4600 })}.sig`;
const CREDS = { accessToken: ACCESS, refreshToken: 'rt-1', expiresAt: T0 + 3_600_000, userId: 'u-self', email: 'owner@example.com' };


let ws: LoopbackJwtWs;
let rest: FakeJwtWsRest;
const connectors: JwtWsConnector[] = [];
beforeEach(async () => {
  ws = await LoopbackJwtWs.start();
  rest = new FakeJwtWsRest();
  rest.now = () => T0;
  rest.rooms.set('r1', {
    id: 'r1',
    name: 'Dapur',
    type: 'group',
    created_at: '2026-11-01T00:00:00.000Z',
    members: [
      { user_id: 'u-self', username: 'owner', status: 'online' },
      { user_id: 'u2', username: 'ana', display_name: 'Ana', status: 'online' },
    ],
  });
});
afterEach(async () => {
  for (const c of connectors.splice(0)) await c.disconnect();
  await ws.close();
});

function connector(opts: { credentials?: Credentials | undefined; refresh?: () => Promise<Credentials>; maxBackoffMs?: number } = {}) {
  const clock = { now: T0 };
  const logs: string[] = [];
  let creds = 'credentials' in opts ? opts.credentials : CREDS;
  const port: CredentialsPort = {
    current: () => creds,
    refresh: opts.refresh ?? (async () => Promise.reject(new ConnectorError('auth', 'Sign in again.'))),
  };
  const c = new JwtWsConnector({
    baseUrl: ws.httpUrl,
    credentials: port,
    fetch: rest.fetch,
    clock: () => clock.now,
    random: () => 0,
    log: (l) => void logs.push(l),
    socket: { maxBackoffMs: opts.maxBackoffMs ?? 20 },
  });
  connectors.push(c);
  return { c, clock, logs, setCredentials: (x: Credentials | undefined) => (creds = x) };
}

async function connected(c: JwtWsConnector, overrides: Partial<ConnectorSink> = {}) {
  const s = recordingSink(overrides);
  await c.connect(s.sink);
  await until(() => s.of('gap').length === 1, 'connected');
  return s;
}

const frame = (type: string, data: Record<string, unknown>) => JSON.stringify({ type, data, timestamp: '2026-12-01T12:00:00.000Z', id: null });
const msgFrame = (id: string, user: string, room = 'r1', content = `hi ${id}`) =>
  frame('message', { message_id: id, room_id: room, user_id: user, type: 'text', content, created_at: '2026-12-01T12:00:01.000Z' });

describe('JwtWsConnector link', () => {
  it('says connecting, then connected and a gap once the auth frame came; one socket at a time', async () => {
    const { c } = connector();
    const s = await connected(c);
    expect(s.events).toEqual([['link', 'connecting'], ['link', 'connected'], ['gap', 'jwt-ws socket connected']]);
    expect(ws.dials[0]!.url).toBe(`/ws?token=${ACCESS}`);
    expect(c.capabilities).toMatchObject({ serverStatus: false, idempotentSend: false, catchUp: 'page-back', readReceipts: false, typing: true, shape: 'inbox' });
    const again = await connected(c);
    await until(() => ws.dials[0]!.closedWith !== null, 'the first socket closed');
    expect(ws.dials[0]!.closedWith).toBe(1000);
    expect(again.of('link')).toEqual([['connecting'], ['connected']]);
    expect(s.events).toHaveLength(3);
  });

  it('a drop is "connecting" with the reason and the wait; after 10 s down it is "unavailable"; up again starts over', async () => {
    const { c, clock } = connector();
    const behaviours: ((d: Dial) => void)[] = [
      (d) => d.ws.send(JSON.stringify(authFrame('u-self'))),
      // Restarts (1012) before auth: no refused token, so the same one is used again.
      (d) => ((clock.now += 9_999), d.ws.close(1012)),
      (d) => ((clock.now += 1), d.ws.close(1012)),
      (d) => d.ws.send(JSON.stringify(authFrame('u-self'))),
    ];
    let i = 0;
    ws.onDial = (d) => behaviours[Math.min(i++, behaviours.length - 1)]!(d);
    const s = await connected(c);
    ws.last.ws.close(1011, 'bye');
    await until(() => s.of('link').length === 6, 'down three times and up again');
    ws.last.ws.close(1011);
    await until(() => s.of('link').length === 8, 'down and up once more');
    expect(s.of('link')).toEqual([
      ['connecting'],
      ['connected'],
      ['connecting', 'closed 1011 bye; retrying in 1 s'],
      ['connecting', 'closed 1012; retrying in 1 s'],
      ['unavailable', 'closed 1012; retrying in 1 s'],
      ['connected'],
      ['connecting', 'closed 1011; retrying in 1 s'],
      ['connected'],
    ]);
    expect(s.of('gap')).toHaveLength(3);
  });

  it('the wait it names uses the account’s random source (jitter), not another one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const { c } = connector({ maxBackoffMs: 30_000 });
      let i = 0;
      ws.onDial = (d) => (i++ === 0 ? d.ws.send(JSON.stringify(authFrame('u-self'))) : d.ws.close(1012));
      const s = await connected(c);
      ws.last.ws.close(1012);
      await until(() => s.of('link').length === 3, 'the first drop');
      vi.advanceTimersByTime(500);
      await until(() => s.of('link').length === 4, 'the second drop');
      // random 0: 500 ms, then 1000 ms (any other random would make the second "2 s").
      expect(s.of('link').slice(2)).toEqual([
        ['connecting', 'closed 1012; retrying in 1 s'],
        ['connecting', 'closed 1012; retrying in 1 s'],
      ]);
      await c.disconnect();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a token the server refuses (closed before auth) is renewed for the next dial', async () => {
    const NEXT = `${ACCESS}.2`;
    let refreshes = 0;
    const k = connector({ refresh: async () => (refreshes++, k.setCredentials({ ...CREDS, accessToken: NEXT }), { ...CREDS, accessToken: NEXT }) });
    let i = 0;
    ws.onDial = (d) => (i++ === 0 ? d.ws.close(1008, 'invalid token') : d.ws.send(JSON.stringify(authFrame('u-self'))));
    const s = recordingSink();
    await k.c.connect(s.sink);
    await until(() => s.of('gap').length === 1, 'connected with the new token');
    expect(ws.dials.map((d) => d.token)).toEqual([ACCESS, NEXT]);
    expect(refreshes).toBe(1);
  });

  it('a line that is not a frame is a warning for the engine', async () => {
    const { c } = connector();
    const s = await connected(c);
    ws.last.ws.send('{oops');
    await until(() => s.of('warn').length === 1, 'the warning');
    expect(s.of('warn')).toEqual([['jwt-ws: skipped a frame (invalid JSON)']]);
  });

  it('no token without the user: "sign in again"', async () => {
    const { c } = connector({ credentials: { ...CREDS, expiresAt: T0 - 1 } });
    const s = recordingSink();
    await c.connect(s.sink);
    await until(() => s.of('link').length === 2, 'auth expired');
    expect(s.of('link')[1]).toEqual(['auth-expired', 'Sign in again.']);
    expect(ws.dials).toEqual([]);
  });
});

describe('JwtWsConnector availability and typing', () => {
  it('the owner’s availability goes out, and again after every reconnect (the server makes each socket online)', async () => {
    const { c } = connector();
    await c.setAvailability('away');
    const s = await connected(c);
    await until(() => ws.dials[0]!.received.length === 1, 'the status');
    expect(ws.dials[0]!.received).toEqual([{ type: 'user_status_change', data: { status: 'away' } }]);
    await c.setAvailability('offline');
    await until(() => ws.dials[0]!.received.length === 2, 'offline');
    expect(ws.dials[0]!.received[1]).toEqual({ type: 'user_status_change', data: { status: 'invisible' } });
    ws.dials[0]!.ws.close(1011);
    await until(() => s.of('gap').length === 2, 'up again');
    c.sendTyping('r1', true);
    await until(() => ws.dials[1]!.received.length === 2, 'status and typing');
    expect(ws.dials[1]!.received).toEqual([
      { type: 'user_status_change', data: { status: 'invisible' } },
      { type: 'typing_start', data: { room_id: 'r1' } },
    ]);
    await c.setAvailability('online');
    ws.dials[1]!.ws.close(1011);
    await until(() => s.of('gap').length === 3, 'up a third time');
    c.sendTyping('r1', false);
    await until(() => ws.dials[2]!.received.length === 1, 'typing');
    expect(ws.dials[2]!.received).toEqual([{ type: 'typing_stop', data: { room_id: 'r1' } }]);
    expect(ws.dials[1]!.received.at(-1)).toEqual({ type: 'user_status_change', data: { status: 'online' } });
  });
});

describe('JwtWsConnector live frames', () => {
  async function live(overrides: Partial<ConnectorSink> = {}) {
    const k = connector();
    await k.c.listConversations();
    const s = await connected(k.c, overrides);
    s.events.length = 0;
    /** Sends frames, then a marker, and waits until the marker is handled (frames are handled in order). */
    const push = async (...frames: string[]) => {
      const n = s.of('typing').length;
      ws.last.ws.send([...frames, frame('typing_stop', { room_id: 'mark', user_id: 'u2' })].join('\n'));
      await until(() => s.of('typing').length > n, 'the frames handled');
      s.events.pop();
    };
    return { ...k, s, push };
  }

  it('a message from a member is passed on with their name; from us as admin; for an unknown room the room is stale', async () => {
    const { s, push } = await live();
    await push(msgFrame('m1', 'u2'), msgFrame('m2', 'u-self'), msgFrame('m3', 'u2', 'r-new'));
    expect(s.events).toEqual([
      ['messages', 'r1', [{ remoteId: 'm1', seq: 0, senderType: 'member', senderId: 'u2', senderName: 'Ana', content: 'hi m1', createdAt: Date.parse('2026-12-01T12:00:01.000Z'), kind: 'text' }]],
      ['messages', 'r1', [expect.objectContaining({ remoteId: 'm2', senderType: 'admin', senderName: null })]],
      ['stale', 'r-new'],
    ]);
    expect(rest.requests).toEqual(['GET /api/v1/rooms/my-chats']);
  });

  it('a sender we have no name for: the room is read first, in order with the frames after it', async () => {
    const { s, push } = await live();
    rest.rooms.get('r1')!.members!.push({ user_id: 'u3', username: 'budi', display_name: 'Budi' });
    await push(msgFrame('m1', 'u3'), frame('typing_start', { room_id: 'r1', user_id: 'u3' }));
    expect(s.events.map((e) => e[0])).toEqual(['conversation', 'messages', 'typing']);
    expect(s.events[0]![1]).toMatchObject({ remoteId: 'r1', visitorName: 'Dapur' });
    expect(s.events[1]![2]).toEqual([expect.objectContaining({ remoteId: 'm1', senderName: 'Budi' })]);
    expect(rest.requests.at(-1)).toBe('GET /api/v1/rooms/r1');
  });

  it('a room that cannot be read is logged; the message still lands, nameless', async () => {
    const { s, push, logs } = await live();
    rest.failures.push({ match: /rooms\/r1$/, status: 500, body: { success: false, message: 'boom' } });
    await push(msgFrame('m1', 'u4'));
    expect(s.events).toEqual([['messages', 'r1', [expect.objectContaining({ remoteId: 'm1', senderName: null })]]]);
    expect(logs).toEqual(['jwt-ws: could not read room r1: boom']);
  });

  it('edits and deletes, with the server’s time or our clock', async () => {
    const { s, push, clock } = await live();
    clock.now = T0 + 5000;
    await push(
      frame('message_edit', { message_id: 'm1', room_id: 'r1', content: 'fixed', edited_at: '2026-12-01T12:00:09.000Z' }),
      frame('message_edit', { message_id: 'm2', room_id: 'r1', content: 'again' }),
      frame('message_delete', { message_id: 'm3', room_id: 'r1', deleted_at: '2026-12-01T12:00:10.000Z' }),
      frame('message_delete', { message_id: 'm4', room_id: 'r1', deleted_at: null }),
    );
    expect(s.events).toEqual([
      ['edited', 'r1', [{ remoteId: 'm1', content: 'fixed', editedAt: Date.parse('2026-12-01T12:00:09.000Z') }]],
      ['edited', 'r1', [{ remoteId: 'm2', content: 'again', editedAt: T0 + 5000 }]],
      ['deleted', 'r1', ['m3'], Date.parse('2026-12-01T12:00:10.000Z')],
      ['deleted', 'r1', ['m4'], T0 + 5000],
    ]);
  });

  it('typing and status changes of others; our own are not news', async () => {
    const { s, push } = await live();
    await push(
      frame('typing_start', { room_id: 'r1', user_id: 'u2' }),
      frame('typing_stop', { room_id: 'r1', user_id: 'u2' }),
      frame('typing_start', { room_id: 'r1', user_id: 'u-self' }),
      frame('user_status_change', { user_id: 'u-self', status: 'away' }),
      frame('user_status_change', { user_id: 'u2', status: 'away' }),
    );
    expect(s.events).toEqual([
      ['typing', 'r1', 'visitor', true],
      ['typing', 'r1', 'visitor', false],
      ['patch', 'r1', { members: [{ remoteId: 'u2', name: 'Ana', presence: 'away' }], visitorOnline: true, visitorPresence: null }],
    ]);
  });

  it('joins and leaves re-read the room; a room we joined is also stale; a room we left is forgotten', async () => {
    const { s, push } = await live();
    rest.rooms.set('r2', { id: 'r2', name: 'Baru', type: 'group', members: [] });
    await push(
      frame('user_join', { room_id: 'r1', user_id: 'u3' }),
      frame('user_leave', { room_id: 'r1', user_id: 'u3' }),
      frame('room_join', { room_id: 'r2' }),
      frame('room_leave', { room_id: 'r1' }),
      msgFrame('m9', 'u2', 'r1'),
    );
    expect(s.events.map((e) => [e[0], e[0] === 'conversation' ? (e[1] as { remoteId: string }).remoteId : e[1]])).toEqual([
      ['conversation', 'r1'],
      ['conversation', 'r1'],
      ['conversation', 'r2'],
      ['stale', 'r2'],
      ['stale', 'r1'],
    ]);
  });

  it('error frames and unknown types are logged; a frame whose handling fails is logged and the next ones still land', async () => {
    let fail = true;
    const { s, push, logs } = await live({
      messages: () => {
        if (fail) {
          fail = false;
          throw new Error('disk full');
        }
      },
    });
    await push(
      frame('error', { message: 'Rate limit' }),
      frame('error', {}),
      frame('message_reaction', {}),
      frame('pong', {}),
      msgFrame('m1', 'u2'),
      frame('typing_start', { room_id: 'r1', user_id: 'u2' }),
    );
    expect(logs).toEqual([
      'jwt-ws: server error frame: Rate limit',
      'jwt-ws: server error frame: (no message)',
      'jwt-ws: kept an unknown frame type "message_reaction"',
      'jwt-ws: frame message failed: disk full',
    ]);
    expect(s.events).toEqual([['typing', 'r1', 'visitor', true]]);
  });

  it('a live message continues the positions of the newest history page', async () => {
    const { c, s, push } = await live();
    for (let i = 0; i < 4; i++) rest.add('r1', { sender_id: 'u2' });
    await c.messagesBefore('r1', null, 2);
    await push(msgFrame('m10', 'u2'), msgFrame('m11', 'u2'));
    expect(s.of('messages').map((e) => (e[1] as { seq: number }[])[0]!.seq)).toEqual([5, 6]);
    // An older page does not move them.
    await c.messagesBefore('r1', 'page:2:2', 2);
    await push(msgFrame('m12', 'u2'));
    expect(s.of('messages').map((e) => (e[1] as { seq: number }[])[0]!.seq)).toEqual([5, 6, 7]);
  });

  it('without a total from the server, live positions stay unknown', async () => {
    const { c, s, push } = await live();
    rest.meta = false;
    rest.add('r1', { sender_id: 'u2' });
    await c.messagesBefore('r1', null, 2);
    await push(msgFrame('m10', 'u2'));
    expect((s.of('messages')[0]![1] as { seq: number }[])[0]!.seq).toBe(0);
  });

  it('an older page read first tells nothing about the newest position', async () => {
    const { c, s, push } = await live();
    for (let i = 0; i < 4; i++) rest.add('r1', { sender_id: 'u2' });
    await c.messagesBefore('r1', 'page:2:2', 2);
    await push(msgFrame('m10', 'u2'));
    expect((s.of('messages')[0]![1] as { seq: number }[])[0]!.seq).toBe(0);
  });

  it('disconnect waits for the frame in hand, then the sink hears nothing more', async () => {
    const { c, s } = await live();
    rest.rooms.get('r1')!.members!.push({ user_id: 'u3', username: 'budi' });
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    rest.beforeAnswer = (call) => (call.path === '/api/v1/rooms/r1' ? held : undefined);
    ws.last.ws.send(msgFrame('m1', 'u3'));
    await until(() => rest.requests.includes('GET /api/v1/rooms/r1'), 'the room read');
    let done = false;
    const stopping = c.disconnect().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    release();
    await stopping;
    expect(s.events.map((e) => e[0])).toEqual(['conversation', 'messages']);
    expect(ws.last.closedWith === null || ws.last.closedWith === 1000).toBe(true);
  });
});

describe('JwtWsConnector REST', () => {
  it('lists rooms as conversations, all in one page', async () => {
    const { c } = connector();
    const page = await c.listConversations();
    expect(page.next).toBeNull();
    expect(page.watermark).toBeNull();
    expect(page.items).toEqual([expect.objectContaining({ remoteId: 'r1', visitorName: 'Dapur', serverStatus: null, visitorOnline: true })]);
  });

  it('history newest first in offset pages, each message with its position from the oldest', async () => {
    const { c } = connector();
    await c.listConversations();
    rest.calls.length = 0;
    for (let i = 0; i < 7; i++) rest.add('r1', { sender_id: 'u2' });
    const p1 = await c.messagesBefore('r1', null, 3);
    expect(p1.items.map((m) => [m.remoteId, m.seq, m.senderName])).toEqual([
      ['m7', 7, 'Ana'],
      ['m6', 6, 'Ana'],
      ['m5', 5, 'Ana'],
    ]);
    expect(p1.next).toBe('page:2:3');
    const p2 = await c.messagesBefore('r1', p1.next, 99);
    expect(p2.items.map((m) => m.seq)).toEqual([4, 3, 2]);
    const p3 = await c.messagesBefore('r1', p2.next, 3);
    expect([p3.items.map((m) => m.seq), p3.next]).toEqual([[1], null]);
    expect(rest.requests.slice(-3)).toEqual(['GET /api/v1/rooms/r1/messages?page=1&limit=3', 'GET /api/v1/rooms/r1/messages?page=2&limit=3', 'GET /api/v1/rooms/r1/messages?page=3&limit=3']);
    // A page past the end is empty and ends the walk.
    expect(await c.messagesBefore('r1', 'page:9:3', 3)).toEqual({ items: [], next: null });
  });

  it('a page the server could not give at once (503) is asked again, so a walk does not stop half way', async () => {
    const { c } = connector();
    for (let i = 0; i < 3; i++) rest.add('r1', { sender_id: 'u2' });
    rest.failures.push({ match: /messages\?page=1/, status: 503 });
    const p = await c.messagesBefore('r1', null, 50);
    expect(p.items).toHaveLength(3);
    expect(rest.requests.filter((r) => r.includes('messages?'))).toHaveLength(2);
  });

  it('cursors with more digits are read; anything else is taken for a message id', async () => {
    const { c } = connector();
    for (let i = 0; i < 15; i++) rest.add('r1', { sender_id: 'u2' });
    const p = await c.messagesBefore('r1', 'page:2:10', 10);
    expect(p.items.map((m) => m.remoteId)).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    expect((await c.messagesBefore('r1', 'page:12:1', 1)).items.map((m) => m.remoteId)).toEqual(['m4']);
    rest.calls.length = 0;
    expect((await c.messagesBefore('r1', 'page:2:3x', 3)).items).toEqual([]);
    expect((await c.messagesBefore('r1', 'xpage:2:3', 3)).items).toEqual([]);
    expect(rest.requests.filter((r) => r.includes(`page=${Number.MAX_SAFE_INTEGER}`))).toHaveLength(2);
  });

  it('page sizes: 50 when none is asked, at most 100, at least 1', async () => {
    const { c } = connector();
    await c.messagesBefore('r1', null, 0);
    await c.messagesBefore('r1', null, 500);
    await c.messagesBefore('r1', null, -5);
    expect(rest.requests).toEqual(['GET /api/v1/rooms/r1/messages?page=1&limit=50', 'GET /api/v1/rooms/r1/messages?page=1&limit=100', 'GET /api/v1/rooms/r1/messages?page=1&limit=1']);
  });

  it('before a message id: the page after the one that holds it; an id not found gives nothing', async () => {
    const { c } = connector();
    for (let i = 0; i < 7; i++) rest.add('r1', { sender_id: 'u2' });
    const after5 = await c.messagesBefore('r1', 'm5', 3);
    expect(after5.items.map((m) => m.remoteId)).toEqual(['m4', 'm3', 'm2']);
    expect(after5.next).toBe('page:3:3');
    rest.calls.length = 0;
    const none = await c.messagesBefore('r1', 'm-gone', 3);
    expect(none).toEqual({ items: [], next: null });
    // Walked pages 1-3 (the last one), then asked for a page past any end.
    expect(rest.requests.map((r) => /page=(\d+)/.exec(r)![1])).toEqual(['1', '2', '3', String(Number.MAX_SAFE_INTEGER)]);
  });

  it('without a total from the server positions are unknown (0)', async () => {
    const { c } = connector();
    rest.meta = false;
    for (let i = 0; i < 3; i++) rest.add('r1', { sender_id: 'u2' });
    const p = await c.messagesBefore('r1', null, 3);
    expect(p.items.map((m) => m.seq)).toEqual([0, 0, 0]);
    expect(p.next).toBe('page:2:3');
    const p2 = await c.messagesBefore('r1', p.next, 3);
    expect(p2).toEqual({ items: [], next: null });
  });

  it('senders who left are looked up once each: their display name, else username; a missing user is "Former member"', async () => {
    const { c } = connector();
    await c.listConversations();
    rest.users.set('u8', { id: 'u8', username: 'cici', display_name: ' Cici ' });
    rest.users.set('u9', { id: 'u9', username: 'dodi', display_name: '  ' });
    for (const u of ['u8', 'u9', 'u404', 'u8', 'u-self', 'u2']) rest.add('r1', { sender_id: u });
    const p = await c.messagesBefore('r1', null, 50);
    expect(p.items.map((m) => [m.senderId, m.senderName, m.senderType])).toEqual([
      ['u2', 'Ana', 'member'],
      ['u-self', null, 'admin'],
      ['u8', 'Cici', 'member'],
      ['u404', 'Former member', 'member'],
      ['u9', 'dodi', 'member'],
      ['u8', 'Cici', 'member'],
    ]);
    expect(rest.requests.filter((r) => r.includes('/users/'))).toEqual(['GET /api/v1/users/u8', 'GET /api/v1/users/u404', 'GET /api/v1/users/u9']);
    await c.messagesAfter('r1', null, 50);
    expect(rest.requests.filter((r) => r.includes('/users/'))).toHaveLength(3);
  });

  it('a lookup that fails for another reason fails the page', async () => {
    const { c } = connector();
    rest.add('r1', { sender_id: 'u8' });
    rest.failures.push({ match: /users\/u8/, status: 503, body: { success: false, message: 'later' } });
    const error = await failure(c.messagesBefore('r1', null, 50));
    expect([error.kind, error.message]).toEqual(['transient', 'later']);
  });

  it('messages after a known id come oldest first; with none known, the newest page', async () => {
    const { c } = connector();
    for (let i = 0; i < 7; i++) rest.add('r1', { sender_id: 'u2' });
    const after = await c.messagesAfter('r1', 'm3', 2);
    expect([after.items.map((m) => m.remoteId), after.next]).toEqual([['m4', 'm5', 'm6', 'm7'], null]);
    expect(rest.requests.filter((r) => r.includes('messages?')).map((r) => /page=(\d+)&limit=(\d+)/.exec(r)!.slice(1).join(':'))).toEqual(['1:2', '2:2', '3:2']);
    rest.calls.length = 0;
    expect((await c.messagesAfter('r1', 'm7', 3)).items).toEqual([]);
    rest.calls.length = 0;
    const newest = await c.messagesAfter('r1', null, 3);
    expect(newest.items.map((m) => m.remoteId)).toEqual(['m5', 'm6', 'm7']);
    expect(rest.calls).toHaveLength(1);
    rest.calls.length = 0;
    const unknown = await c.messagesAfter('r1', 'm-gone', 500);
    expect(unknown.items).toHaveLength(7);
    expect(rest.requests).toEqual(['GET /api/v1/rooms/r1/messages?page=1&limit=100']);
    await c.messagesAfter('r1', null, 0);
    expect(rest.requests.at(-1)).toBe('GET /api/v1/rooms/r1/messages?page=1&limit=1');
  });
});

describe('JwtWsConnector replies', () => {
  it('a reply is posted and comes back as ours with its client id', async () => {
    const { c } = connector();
    const m = await c.sendReply('r1', 'halo', 'c-1');
    expect(m).toMatchObject({ remoteId: 'm1', clientId: 'c-1', senderType: 'admin', content: 'halo' });
    expect(rest.calls.map((x) => [x.method, x.path, x.body])).toEqual([['POST', '/api/v1/messages', { room_id: 'r1', content: 'halo', type: 'text' }]]);
  });

  it('after a failure that may have reached the server, the history is searched from the first attempt before sending again', async () => {
    const { c, clock } = connector();
    // The server stored the reply, then the answer was lost.
    const stored = rest.add('r1', { sender_id: 'u-self', content: 'halo', created_at: new Date(T0).toISOString() });
    rest.failures.push({ match: /POST/, status: 503 });
    expect((await failure(c.sendReply('r1', 'halo', 'c-1'))).kind).toBe('transient');
    // Ten minutes later: the window still starts five minutes before the first attempt.
    clock.now = T0 + 600_000;
    rest.calls.length = 0;
    const m = await c.sendReply('r1', 'halo', 'c-1');
    expect(m).toMatchObject({ remoteId: stored.id, clientId: 'c-1' });
    expect(rest.requests).toEqual(['GET /api/v1/rooms/r1/messages?page=1&limit=50']);
    // Done: the same client id later is a new reply, posted without a search.
    rest.calls.length = 0;
    await c.sendReply('r1', 'halo', 'c-1');
    expect(rest.requests).toEqual(['POST /api/v1/messages']);
  });

  it('a refused reply never arrived: its resend is posted without a search', async () => {
    const { c } = connector();
    rest.failures.push({ match: /POST/, status: 400, body: { success: false, message: 'too long' } });
    expect((await failure(c.sendReply('r1', 'halo', 'c-2'))).kind).toBe('rejected');
    rest.calls.length = 0;
    await c.sendReply('r1', 'halo', 'c-2');
    expect(rest.requests).toEqual(['POST /api/v1/messages']);
  });

  it('without credentials a reply is "sign in again", nothing is sent', async () => {
    const { c } = connector({ credentials: undefined });
    const error = await failure(c.sendReply('r1', 'halo', 'c-3'));
    expect([error.kind, error.message]).toEqual(['auth', 'Sign in again.']);
    expect(rest.calls).toEqual([]);
  });

  it('read marks go out for the newest 10 only; a status change is local', async () => {
    const { c } = connector();
    await c.markRead('r1', Array.from({ length: 12 }, (_, i) => `m${i + 1}`));
    expect(rest.requests).toEqual(Array.from({ length: 10 }, (_, i) => `POST /api/v1/messages/m${i + 3}/read`));
    rest.calls.length = 0;
    await c.setStatus('r1', 'resolved');
    c.watch();
    c.sendTyping('r1', true);
    await c.setAvailability('away');
    expect(rest.calls).toEqual([]);
  });
});
