// Rooms (direct, group, public, broadcast), members, messages over REST with the live frames they
// push, edit/delete/read, and page/limit history with meta.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameSocket, OWNER, api, startTestBackend, type TestBackend } from './helpers';

type Room = { id: string; name: string; type: string; members: { user_id: string; username: string; display_name: string; status: string; is_online: boolean }[]; unread_count: number };
type Msg = { id: string; room_id: string; sender_id: string; content: string; is_edited: boolean; edited_at: string | null; is_deleted: boolean; reply_to_id: string | null };

let b: TestBackend;
let c: ReturnType<typeof api>;
let owner: { token: string; userId: string };
let ana: { token: string; userId: string };
let bob: { token: string; userId: string };
let eve: { token: string; userId: string };
beforeAll(async () => {
  b = await startTestBackend();
  c = api(b.url);
  owner = await c.login(OWNER.email, OWNER.password);
  ana = await c.register('ana');
  bob = await c.register('bob');
  eve = await c.register('eve');
});
afterAll(() => b.cleanup());

describe('rooms', () => {
  it('a direct room is created once (201, then 200), named "" with both members', async () => {
    const first = await c.call<Room>('POST', `/api/v1/rooms/direct/${owner.userId}`, { token: ana.token });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ type: 'direct', name: '' });
    expect(first.body.data.members.map((m) => m.username).sort()).toEqual(['ana', 'owner']);
    const again = await c.call<Room>('POST', `/api/v1/rooms/direct/${ana.userId}`, { token: owner.token });
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(first.body.data.id);
    expect((await c.call('POST', `/api/v1/rooms/direct/${ana.userId}`, { token: ana.token })).status).toBe(400);
    expect((await c.call('POST', '/api/v1/rooms/direct/00000000-0000-4000-8000-000000000000', { token: ana.token })).status).toBe(404);
  });

  it('a group pushes room_join to the added members; my-chats lists it with members, last_message and unread_count', async () => {
    const sock = await FrameSocket.connect(b.wsUrl, bob.token);
    const r = await c.call<Room>('POST', '/api/v1/rooms', { token: owner.token, json: { name: 'Team', type: 'group', member_ids: [ana.userId, bob.userId] } });
    expect(r.status).toBe(201);
    const join = await sock.next('room_join', (f) => f.data?.room_id === r.body.data.id);
    expect((join.data?.room as Room).name).toBe('Team');
    const mine = await c.call<Room[]>('GET', '/api/v1/rooms/my-chats', { token: bob.token });
    const team = mine.body.data.find((x) => x.id === r.body.data.id);
    expect(team?.members.map((m) => m.display_name).sort()).toEqual(['Site Owner', 'User ana', 'User bob']);
    expect(team?.members.find((m) => m.username === 'bob')?.is_online).toBe(true);
    expect(team?.unread_count).toBe(0);
    sock.close();
  });

  it('group rooms are invite-only, public rooms can be joined (user_join to members), non-members get 403', async () => {
    const group = await c.call<Room>('POST', '/api/v1/rooms', { token: owner.token, json: { name: 'Private', type: 'group' } });
    expect((await c.call('POST', `/api/v1/rooms/${group.body.data.id}/join`, { token: eve.token })).status).toBe(403);
    expect((await c.call('GET', `/api/v1/rooms/${group.body.data.id}`, { token: eve.token })).status).toBe(403);
    expect((await c.call('GET', `/api/v1/rooms/${group.body.data.id}/messages`, { token: eve.token })).status).toBe(403);

    const lobby = await c.call<Room>('POST', '/api/v1/rooms', { token: owner.token, json: { name: 'Lobby', type: 'public' } });
    const sock = await FrameSocket.connect(b.wsUrl, owner.token);
    expect((await c.call('GET', `/api/v1/rooms/${lobby.body.data.id}`, { token: eve.token })).status).toBe(200);
    const joined = await c.call<Room>('POST', `/api/v1/rooms/${lobby.body.data.id}/join`, { token: eve.token });
    expect(joined.status).toBe(200);
    expect(joined.body.data.members.map((m) => m.username).sort()).toEqual(['eve', 'owner']);
    const f = await sock.next('user_join', (x) => x.data?.room_id === lobby.body.data.id);
    expect(f.data).toEqual({ room_id: lobby.body.data.id, user_id: eve.userId, username: 'eve' });
    expect((await c.call('POST', `/api/v1/rooms/${lobby.body.data.id}/leave`, { token: eve.token })).status).toBe(200);
    await sock.next('user_leave', (x) => x.data?.user_id === eve.userId);
    sock.close();
  });

  it('unknown and malformed room ids are 404 / 400; unknown routes 404, wrong methods 405', async () => {
    expect((await c.call('GET', '/api/v1/rooms/00000000-0000-4000-8000-000000000000', { token: owner.token })).status).toBe(404);
    expect((await c.call('GET', '/api/v1/rooms/not-a-uuid', { token: owner.token })).status).toBe(400);
    expect((await c.call('GET', '/api/v1/nothing', { token: owner.token })).status).toBe(404);
    expect((await c.call('DELETE', '/api/v1/rooms/my-chats', { token: owner.token })).status).toBe(405);
  });
});

describe('messages', () => {
  let roomId: string;
  beforeAll(async () => {
    roomId = (await c.call<Room>('POST', '/api/v1/rooms', { token: owner.token, json: { name: 'Chat', type: 'group', member_ids: [ana.userId, bob.userId] } })).body.data.id;
  });

  it('POST /messages → 201 and a `message` frame to every member (the sender too) without the sender’s name', async () => {
    const anaSock = await FrameSocket.connect(b.wsUrl, ana.token);
    const ownerSock = await FrameSocket.connect(b.wsUrl, owner.token);
    const r = await c.call<Msg>('POST', '/api/v1/messages', { token: bob.token, json: { room_id: roomId, content: 'hello <b>all</b>', type: 'text' } });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body.data).sort()).toEqual(
      ['content', 'created_at', 'edited_at', 'id', 'is_deleted', 'is_edited', 'metadata', 'reply_to_id', 'room_id', 'sender_id', 'type'].sort(),
    );
    for (const s of [anaSock, ownerSock]) {
      const f = await s.next('message', (x) => x.data?.message_id === r.body.data.id);
      expect(f.data).toEqual({
        message_id: r.body.data.id,
        room_id: roomId,
        user_id: bob.userId,
        type: 'text',
        content: 'hello <b>all</b>',
        metadata: null,
        reply_to_id: null,
        created_at: (r.body.data as unknown as { created_at: string }).created_at,
      });
    }
    const bobSock = await FrameSocket.connect(b.wsUrl, bob.token);
    const echo = await c.call<Msg>('POST', '/api/v1/messages', { token: bob.token, json: { room_id: roomId, content: 'echo?' } });
    await bobSock.next('message', (x) => x.data?.message_id === echo.body.data.id);
    for (const s of [anaSock, ownerSock, bobSock]) s.close();
  });

  it.each([
    ['empty content', { content: '   ' }, 400],
    ['too long', { content: 'x'.repeat(5001) }, 400],
    ['bad type', { content: 'hi', type: 'sticker' }, 400],
    ['no room', { room_id: undefined, content: 'hi' }, 400],
    ['unknown room', { room_id: '00000000-0000-4000-8000-000000000000', content: 'hi' }, 404],
    ['reply to a message of another room', { content: 'hi', reply_to_id: '00000000-0000-4000-8000-000000000000' }, 400],
  ])('%s → %i, nothing stored', async (_n, patch, status) => {
    const before = b.server.service.allMessages().length;
    const r = await c.call('POST', '/api/v1/messages', { token: ana.token, json: { room_id: roomId, ...patch } });
    expect(r.status).toBe(status);
    expect(b.server.service.allMessages().length).toBe(before);
  });

  it('a non-member cannot write (403); a broadcast room only takes its creator’s messages', async () => {
    expect((await c.call('POST', '/api/v1/messages', { token: eve.token, json: { room_id: roomId, content: 'hi' } })).status).toBe(403);
    const news = await c.call<Room>('POST', '/api/v1/rooms', { token: owner.token, json: { name: 'News', type: 'broadcast', member_ids: [ana.userId] } });
    expect((await c.call('POST', '/api/v1/messages', { token: ana.token, json: { room_id: news.body.data.id, content: 'hi' } })).status).toBe(403);
    expect((await c.call('POST', '/api/v1/messages', { token: owner.token, json: { room_id: news.body.data.id, content: 'hi' } })).status).toBe(201);
  });

  it('edit → message_edit, delete → message_delete; only the sender may; history keeps the deleted one emptied', async () => {
    const sock = await FrameSocket.connect(b.wsUrl, owner.token);
    const m = (await c.call<Msg>('POST', '/api/v1/messages', { token: ana.token, json: { room_id: roomId, content: 'typo here' } })).body.data;
    const reply = await c.call<Msg>('POST', '/api/v1/messages', { token: owner.token, json: { room_id: roomId, content: 'which?', reply_to_id: m.id } });
    expect(reply.body.data.reply_to_id).toBe(m.id);

    expect((await c.call('PUT', `/api/v1/messages/${m.id}`, { token: owner.token, json: { content: 'hijack' } })).status).toBe(403);
    const e = await c.call<Msg>('PUT', `/api/v1/messages/${m.id}`, { token: ana.token, json: { content: 'fixed here' } });
    expect(e.status).toBe(200);
    expect(e.body.data).toMatchObject({ content: 'fixed here', is_edited: true });
    const ef = await sock.next('message_edit', (f) => f.data?.message_id === m.id);
    expect(ef.data).toMatchObject({ room_id: roomId, user_id: ana.userId, content: 'fixed here', edited_at: e.body.data.edited_at });

    expect((await c.call('DELETE', `/api/v1/messages/${m.id}`, { token: bob.token })).status).toBe(403);
    expect((await c.call('DELETE', `/api/v1/messages/${m.id}`, { token: ana.token })).status).toBe(200);
    const df = await sock.next('message_delete', (f) => f.data?.message_id === m.id);
    expect(df.data).toMatchObject({ room_id: roomId, user_id: ana.userId });
    expect((await c.call('DELETE', `/api/v1/messages/${m.id}`, { token: ana.token })).status).toBe(404);
    expect((await c.call('PUT', `/api/v1/messages/${m.id}`, { token: ana.token, json: { content: 'back' } })).status).toBe(404);

    const h = await c.call<Msg[]>('GET', `/api/v1/rooms/${roomId}/messages?limit=5`, { token: bob.token });
    const gone = h.body.data.find((x) => x.id === m.id);
    expect(gone).toMatchObject({ is_deleted: true, content: '' });
    sock.close();
  });

  it('read receipts: POST /messages/:id/read is idempotent and lowers unread_count', async () => {
    const m = (await c.call<Msg>('POST', '/api/v1/messages', { token: ana.token, json: { room_id: roomId, content: 'read me' } })).body.data;
    const unread = async (): Promise<number> =>
      (await c.call<Room[]>('GET', '/api/v1/rooms/my-chats', { token: bob.token })).body.data.find((x) => x.id === roomId)?.unread_count ?? -1;
    const before = await unread();
    const r1 = await c.call<{ message_id: string; read_at: string }>('POST', `/api/v1/messages/${m.id}/read`, { token: bob.token });
    const r2 = await c.call<{ message_id: string; read_at: string }>('POST', `/api/v1/messages/${m.id}/read`, { token: bob.token });
    expect(r1.status).toBe(200);
    expect(r2.body.data.read_at).toBe(r1.body.data.read_at);
    expect(await unread()).toBe(before - 1);
    expect((await c.call('POST', `/api/v1/messages/${m.id}/read`, { token: eve.token })).status).toBe(403);
  });
});

describe('history', () => {
  it('page/limit, newest first, meta{page, limit, total, total_pages}; limit capped at 100, garbage falls back', async () => {
    const room = (await c.call<Room>('POST', '/api/v1/rooms', { token: owner.token, json: { name: 'Long', type: 'group', member_ids: [ana.userId] } })).body.data;
    const ids: string[] = [];
    for (let i = 0; i < 130; i++) ids.push(b.server.service.sendMessage(i % 2 ? ana.userId : owner.userId, { room_id: room.id, content: `m${i}` }).id);
    const p1 = await c.call<Msg[]>('GET', `/api/v1/rooms/${room.id}/messages?page=1&limit=50`, { token: ana.token });
    expect(p1.body.meta).toEqual({ page: 1, limit: 50, total: 130, total_pages: 3 });
    expect(p1.body.data.map((m) => m.content).slice(0, 2)).toEqual(['m129', 'm128']);
    const p3 = await c.call<Msg[]>('GET', `/api/v1/rooms/${room.id}/messages?page=3&limit=50`, { token: ana.token });
    expect(p3.body.data).toHaveLength(30);
    expect(p3.body.data.at(-1)?.content).toBe('m0');
    const all = [...p1.body.data, ...(await c.call<Msg[]>('GET', `/api/v1/rooms/${room.id}/messages?page=2&limit=50`, { token: ana.token })).body.data, ...p3.body.data];
    expect(new Set(all.map((m) => m.id))).toEqual(new Set(ids));
    expect((await c.call<Msg[]>('GET', `/api/v1/rooms/${room.id}/messages?page=4&limit=50`, { token: ana.token })).body.data).toEqual([]);

    const capped = await c.call<Msg[]>('GET', `/api/v1/rooms/${room.id}/messages?limit=1000`, { token: ana.token });
    expect(capped.body.meta?.limit).toBe(100);
    expect(capped.body.data).toHaveLength(100);
    const garbage = await c.call<Msg[]>('GET', `/api/v1/rooms/${room.id}/messages?page=abc&limit=-3`, { token: ana.token });
    expect(garbage.body.meta).toMatchObject({ page: 1, limit: 50 });

    // Offset paging shifts when messages arrive in between: a client must dedupe by id.
    b.server.service.sendMessage(ana.userId, { room_id: room.id, content: 'late' });
    const shifted = await c.call<Msg[]>('GET', `/api/v1/rooms/${room.id}/messages?page=2&limit=50`, { token: ana.token });
    expect(shifted.body.data[0]?.id).toBe(p1.body.data.at(-1)?.id);
  });
});
