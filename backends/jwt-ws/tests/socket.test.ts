// The socket as deployed: auth frame, bad token refused after the upgrade, {type,data,timestamp,id}
// frames batched with "\n", the 512-byte inbound limit, ping/pong both ways, typing and status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FrameSocket, OWNER, api, startTestBackend, waitFor, type TestBackend } from './helpers';

let b: TestBackend;
let c: ReturnType<typeof api>;
let owner: { token: string; userId: string };
let ana: { token: string; userId: string };
let bob: { token: string; userId: string };
let roomId: string;
beforeAll(async () => {
  b = await startTestBackend({ hub: { pingIntervalMs: 100, pongWaitMs: 1500 } });
  c = api(b.url);
  owner = await c.login(OWNER.email, OWNER.password);
  ana = await c.register('ana');
  bob = await c.register('bob');
  roomId = b.server.service.createRoom(owner.userId, { name: 'Team', type: 'group', member_ids: [ana.userId] }).id;
});
afterAll(() => b.cleanup());

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('connect', () => {
  it('sends {type:"auth", data:{status:"connected", user_id}} first, every frame {type, data, timestamp, id}', async () => {
    const s = await FrameSocket.connect(b.wsUrl, ana.token);
    const first = s.frames[0];
    expect(first?.type).toBe('auth');
    expect(first?.data).toEqual({ status: 'connected', user_id: ana.userId });
    s.send({ type: 'ping', data: {} });
    const pong = await s.next('pong');
    for (const f of [first, pong]) {
      expect(Object.keys(f ?? {}).sort()).toEqual(['data', 'id', 'timestamp', 'type']);
      expect(f?.id).toMatch(UUID_RE);
      expect(Number.isNaN(Date.parse(f?.timestamp ?? ''))).toBe(false);
    }
    expect(pong.data).toBeNull();
    s.close();
  });

  it('takes the token from Authorization: Bearer too', async () => {
    const s = new FrameSocket(b.wsUrl, { headers: { Authorization: `Bearer ${ana.token}` } });
    const auth = await s.next('auth');
    expect(auth.data?.user_id).toBe(ana.userId);
    s.close();
  });

  it.each([
    ['a bad token', '?token=garbage'],
    ['no token', ''],
  ])('refuses %s AFTER the upgrade: the socket opens, then closes at once (1008) with no frame', async (_n, query) => {
    const s = new FrameSocket(`${b.wsUrl}${query}`);
    await waitFor(() => s.closed, 5000, 'close');
    expect(s.opened).toBe(true);
    expect(s.closed?.code).toBe(1008);
    expect(s.frames).toEqual([]);
  });

  it('refuses an expired access token the same way', async () => {
    const short = await startTestBackend({ accessTtlSeconds: 1 });
    try {
      const t = await api(short.url).login(OWNER.email, OWNER.password);
      const gone = await waitFor(async () => (await api(short.url).call('GET', '/api/v1/users/me', { token: t.token })).status === 401, 10_000, 'expiry');
      expect(gone).toBe(true);
      const s = new FrameSocket(`${short.wsUrl}?token=${t.token}`);
      await waitFor(() => s.closed, 5000, 'close');
      expect([s.opened, s.closed?.code]).toEqual([true, 1008]);
    } finally {
      await short.cleanup();
    }
  });

  it('answers other paths with 404 and foreign origins with 403 at the upgrade; an empty origin is fine', async () => {
    const status = (url: string, headers: Record<string, string> = {}): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', () => undefined);
      });
    expect(await status(`${b.url.replace('http', 'ws')}/socket?token=${ana.token}`)).toBe(404);
    expect(await status(`${b.wsUrl}?token=${ana.token}`, { Origin: 'https://evil.example' })).toBe(403);
    expect(await status(`${b.wsUrl}?token=${ana.token}`, { Origin: 'http://localhost:3000' })).toBe(101);
  });
});

describe('frames', () => {
  it('frames queued together leave in ONE WebSocket message, joined with "\\n"', async () => {
    const s = await FrameSocket.connect(b.wsUrl, ana.token);
    const from = s.raw.length;
    const m1 = b.server.service.sendMessage(owner.userId, { room_id: roomId, content: 'one' });
    const m2 = b.server.service.sendMessage(owner.userId, { room_id: roomId, content: 'two' });
    b.server.service.editMessage(owner.userId, m1.id, 'one!');
    await s.next('message_edit');
    const batch = s.raw.slice(from).find((r) => r.includes(m2.id));
    expect(batch?.split('\n').map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['message', 'message', 'message_edit']);
    s.close();
  });

  it('inbound messages over 512 bytes close the socket with 1009', async () => {
    const s = await FrameSocket.connect(b.wsUrl, ana.token);
    s.send({ type: 'ping', data: { pad: 'x'.repeat(480) } });
    await waitFor(() => s.closed, 5000, 'close');
    expect(s.closed?.code).toBe(1009);
  });

  it('512 bytes exactly is still accepted', async () => {
    const s = await FrameSocket.connect(b.wsUrl, ana.token);
    const base = JSON.stringify({ type: 'ping', data: { pad: '' } });
    s.send(JSON.stringify({ type: 'ping', data: { pad: 'x'.repeat(512 - base.length) } }));
    await s.next('pong');
    expect(s.closed).toBeNull();
    s.close();
  });

  it.each([
    ['invalid JSON', '{"type":'],
    ['no type', '{"data":{}}'],
    ['a JSON array', '[1,2]'],
  ])('%s → an error frame, the socket stays open', async (_n, text) => {
    const s = await FrameSocket.connect(b.wsUrl, ana.token);
    s.send(text);
    const e = await s.next('error');
    expect(e.data).toEqual({ message: 'Invalid message format' });
    s.send({ type: 'ping' });
    await s.next('pong');
    s.close();
  });

  it('an unknown type → error frame naming it; chat messages are not taken over the socket', async () => {
    const s = await FrameSocket.connect(b.wsUrl, ana.token);
    const before = b.server.service.allMessages().length;
    s.send({ type: 'message', data: { room_id: roomId, content: 'over the socket' } });
    const e = await s.next('error');
    expect(e.data?.message).toBe('Unknown message type: message');
    expect(b.server.service.allMessages().length).toBe(before);
    s.close();
  });

  it('newlines inside an inbound frame are read as spaces (gorilla chat example)', async () => {
    const s = await FrameSocket.connect(b.wsUrl, ana.token);
    s.send('{"type":\n"ping",\n"data":{}}');
    await s.next('pong');
    s.close();
  });
});

describe('keep-alive', () => {
  it('the server sends protocol pings; a client that never pongs is dropped after pongWait', async () => {
    const good = await FrameSocket.connect(b.wsUrl, ana.token);
    let pings = 0;
    good.ws.on('ping', () => pings++);
    const mute = await FrameSocket.connect(b.wsUrl, bob.token, { autoPong: false });
    await waitFor(() => mute.closed, 5000, 'mute client dropped');
    expect(mute.closed?.code).toBe(1006);
    expect(pings).toBeGreaterThan(0);
    await waitFor(() => pings >= 5, 5000, 'more pings');
    expect(good.closed).toBeNull();
    good.close();
  });
});

describe('typing and status', () => {
  it('typing_start/typing_stop reach the other room members as {room_id, user_id, username}, not the sender', async () => {
    const o = await FrameSocket.connect(b.wsUrl, owner.token);
    const a = await FrameSocket.connect(b.wsUrl, ana.token);
    const outsider = await FrameSocket.connect(b.wsUrl, bob.token);
    a.send({ type: 'typing_start', data: { room_id: roomId } });
    const t = await o.next('typing_start');
    expect(t.data).toEqual({ room_id: roomId, user_id: ana.userId, username: 'ana' });
    a.send({ type: 'typing_stop', data: { room_id: roomId } });
    await o.next('typing_stop');
    a.send({ type: 'ping' });
    await a.next('pong');
    expect(a.of('typing_start')).toEqual([]);
    expect(outsider.of('typing_start')).toEqual([]);
    outsider.send({ type: 'typing_start', data: { room_id: roomId } });
    expect((await outsider.next('error')).data?.message).toBe('Not a member of this room');
    for (const s of [o, a, outsider]) s.close();
  });

  it('user_status_change: online on connect, chosen status, invisible shown as offline, offline on the last disconnect', async () => {
    const o = await FrameSocket.connect(b.wsUrl, owner.token);
    const status = (s: string, from: number) => o.next('user_status_change', (f) => f.data?.user_id === ana.userId && f.data?.status === s, from);
    let mark = o.frames.length;
    const a1 = await FrameSocket.connect(b.wsUrl, ana.token);
    expect((await status('online', mark)).data).toEqual({ user_id: ana.userId, username: 'ana', status: 'online' });
    for (const s of ['away', 'busy', 'invisible'] as const) {
      mark = o.frames.length;
      a1.send({ type: 'user_status_change', data: { status: s } });
      await status(s === 'invisible' ? 'offline' : s, mark);
    }
    a1.send({ type: 'user_status_change', data: { status: 'sleeping' } });
    expect((await a1.next('error')).data?.message).toBe('Invalid status: sleeping');
    a1.send({ type: 'user_status_change', data: { status: 'away' } });
    await status('away', mark);
    const room = await c.call<{ members: { user_id: string; status: string }[] }>('GET', `/api/v1/rooms/${roomId}`, { token: owner.token });
    expect(room.body.data.members.find((m) => m.user_id === ana.userId)?.status).toBe('away');

    const a2 = await FrameSocket.connect(b.wsUrl, ana.token);
    mark = o.frames.length;
    a1.close();
    a2.send({ type: 'ping' });
    await a2.next('pong');
    a2.close();
    await status('offline', mark);
    expect(o.frames.slice(mark).filter((f) => f.type === 'user_status_change' && f.data?.user_id === ana.userId)).toHaveLength(1);
    o.close();
  });
});
