// The simulator: other users writing in rooms with the owner over REST + the socket — typing first,
// some edits and deletes, status changes, answers to the owner — surviving short-lived tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameSocket, OWNER, api, startTestBackend, waitFor, type TestBackend } from './helpers';

let b: TestBackend;
beforeAll(async () => {
  b = await startTestBackend({
    accessTtlSeconds: 2,
    rateLimit: { max: 100, windowMs: 60_000 },
    simulate: 3,
    simulator: { minDelayMs: 50, maxDelayMs: 150, editRate: 0.3, deleteRate: 0.2 },
  });
});
afterAll(() => b.cleanup());

describe('simulator', () => {
  it('writes in the owner’s direct rooms and the shared group, with typing, edits and deletes pushed to the owner', async () => {
    const c = api(b.url);
    const owner = await c.login(OWNER.email, OWNER.password);
    const sock = await FrameSocket.connect(b.wsUrl, owner.token);
    const sim = b.simulator;
    if (!sim) throw new Error('no simulator');
    const rooms = (await c.call<{ id: string; type: string; members: unknown[] }[]>('GET', '/api/v1/rooms/my-chats', { token: owner.token })).body.data;
    expect(rooms.filter((r) => r.type === 'direct')).toHaveLength(3);
    expect(rooms.find((r) => r.id === sim.groupRoomId())?.members).toHaveLength(4);

    await waitFor(() => sock.of('message').length >= 6 && sock.of('typing_start').length > 0 && sock.of('message_edit').length > 0 && sock.of('message_delete').length > 0, 20_000, 'simulated traffic');
    const senders = new Set(sock.of('message').map((f) => f.data?.user_id));
    expect(senders.has(owner.userId)).toBe(false);
    for (const id of senders) expect(sim.users().map((u) => u.id)).toContain(id);
    const statuses = await waitFor(() => sock.of('user_status_change').length > 0 && sock.of('user_status_change'), 20_000, 'status frames');
    expect(statuses.every((f) => sim.users().some((u) => u.id === f.data?.user_id))).toBe(true);
  });

  it('answers the owner in a direct room', async () => {
    const c = api(b.url);
    const owner = await c.login(OWNER.email, OWNER.password, 'second-device');
    const sock = await FrameSocket.connect(b.wsUrl, owner.token);
    const target = b.simulator?.users()[1];
    const mine = await c.call<{ id: string }>('POST', '/api/v1/messages', { token: owner.token, json: { room_id: target?.directRoomId, content: 'How can I help?' } });
    expect(mine.status).toBe(201);
    const answer = await sock.next('message', (f) => f.data?.room_id === target?.directRoomId && f.data?.user_id === target?.id && f.timestamp >= (mine.body.data as unknown as { created_at: string }).created_at);
    expect(typeof answer.data?.content).toBe('string');
  });

  it('keeps working past token expiry (refresh) and within the shared rate limit (own X-Real-IP each)', async () => {
    const sim = b.simulator;
    if (!sim) throw new Error('no simulator');
    await waitFor(() => sim.stats().refreshes >= 3, 20_000, 'token refreshes');
    const sent = sim.stats().sent;
    await waitFor(() => sim.stats().sent >= sent + 3, 20_000, 'messages after the refresh');
    expect(sim.stats().errors).toBe(0);
  });
});
