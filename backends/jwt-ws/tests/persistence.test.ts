// The server's own SQLite file: users, rooms, messages and sessions survive a crash and a restart
// on the same port; statuses start offline again.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { FrameSocket, OWNER, api, startTestBackend, type TestBackend } from './helpers';

const opened: TestBackend[] = [];
afterAll(async () => {
  for (const b of opened) await b.close();
  for (const b of opened) rmSync(b.dir, { recursive: true, force: true });
});

describe('restart', () => {
  it('keeps everything after an abrupt close; tokens issued before still work; sockets come back', async () => {
    const first = await startTestBackend();
    opened.push(first);
    const c = api(first.url);
    const owner = await c.login(OWNER.email, OWNER.password);
    const ana = await c.register('ana');
    const room = (await c.call<{ id: string }>('POST', `/api/v1/rooms/direct/${owner.userId}`, { token: ana.token })).body.data.id;
    const m = (await c.call<{ id: string }>('POST', '/api/v1/messages', { token: ana.token, json: { room_id: room, content: 'before the crash' } })).body.data;
    await c.call('PUT', `/api/v1/messages/${m.id}`, { token: ana.token, json: { content: 'edited before the crash' } });
    const sock = await FrameSocket.connect(first.wsUrl, owner.token);

    await first.close({ abrupt: true });
    expect(sock.closed?.code ?? (await new Promise<number>((r) => sock.ws.on('close', (code) => r(code))))).toBe(1006);

    const second = await startTestBackend({ dataDir: first.dir, port: first.server.port });
    opened.push(second);
    expect(second.url).toBe(first.url);
    const h = await c.call<{ id: string; content: string; is_edited: boolean; sender_id: string }[]>('GET', `/api/v1/rooms/${room}/messages`, { token: owner.token });
    expect(h.status).toBe(200);
    expect(h.body.data).toEqual([expect.objectContaining({ id: m.id, content: 'edited before the crash', is_edited: true, sender_id: ana.userId })]);
    const members = (await c.call<{ members: { user_id: string; status: string }[] }>('GET', `/api/v1/rooms/${room}`, { token: owner.token })).body.data.members;
    expect(members.map((x) => x.status)).toEqual(['offline', 'offline']);
    const again = await FrameSocket.connect(second.wsUrl, owner.token);
    expect(again.frames[0]?.data?.user_id).toBe(owner.userId);
    again.close();
  });

  it('a graceful close sends 1001 going away', async () => {
    const b = await startTestBackend();
    opened.push(b);
    const owner = await api(b.url).login(OWNER.email, OWNER.password);
    const sock = await FrameSocket.connect(b.wsUrl, owner.token);
    const code = new Promise<number>((r) => sock.ws.on('close', (x) => r(x)));
    await b.close();
    expect(await code).toBe(1001);
  });
});
