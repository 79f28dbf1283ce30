// The as-deployed wire behaviour that only a real daphne shows: HTTP 403 at a refused handshake,
// close 1011 on a non-JSON frame and on a decline, redirects, and the REST-vs-socket send paths.
// Runs against the real backend (Django Channels under daphne) on a free loopback port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDjangoBackend, type Credentials, type DjangoBackend } from '../launcher/backend';
import { SiteClient, type Frame } from '../launcher/site-client';

let backend: DjangoBackend;
let teacher: SiteClient;
let student: SiteClient;
let conversationId: number;
let seed: { teacher: Credentials; students: [Credentials, Credentials, ...Credentials[]] };

const isNew = (f: Frame): boolean => f.type === 'new_message';

beforeAll(async () => {
  backend = await startDjangoBackend({ seedDemo: true, students: 3, anonThrottle: '1000/hour' });
  const [a, b] = backend.seed?.students ?? [];
  if (!backend.seed || !a || !b) throw new Error('the demo seed has no students');
  seed = { teacher: backend.seed.teacher, students: [a, b] };
  teacher = new SiteClient(backend.url);
  await teacher.login(seed.teacher.username, seed.teacher.password);
  student = new SiteClient(backend.url);
  await student.login(seed.students[0].email, seed.students[0].password);
  const mine = await student.json<{ id: number }>('GET', '/en/api/v1/chat/my-conversation/');
  conversationId = mine.id;
}, 60_000);

afterAll(async () => {
  await backend?.stop();
});

describe('django backend on the wire (daphne)', () => {
  it('refuses a socket with HTTP 403 at the handshake: no session, Bearer only, foreign or missing Origin', async () => {
    const path = `/ws/chat/conversations/${conversationId}/`;
    const status = (p: Promise<unknown>): Promise<number | undefined> =>
      p.then(
        () => undefined,
        (e: { status?: number }) => e.status,
      );
    expect(await status(teacher.socket(path, { cookie: null }))).toBe(403);
    expect(await status(teacher.socket(`${path}?token=${teacher.access}`, { cookie: null }))).toBe(403);
    expect(await status(teacher.socket(path, { origin: 'http://evil.example' }))).toBe(403);
    expect(await status(teacher.socket(path, { origin: null }))).toBe(403);
    expect(await status(teacher.socket('/ws/challenges/notifications/', { cookie: null }))).toBe(403);
    const ok = await teacher.socket(path);
    await ok.next((f) => f.type === 'connection_established');
    await ok.close();
  });

  it('accepts an Origin naming an allowed host on any port (localhost)', async () => {
    const s = await teacher.socket(`/ws/chat/conversations/${conversationId}/`, { origin: 'http://localhost:1234' });
    expect((await s.next(() => true)).type).toBe('connection_established');
    await s.close();
  });

  it('sends connection_established (id as a string), echoes new_message to both sides, and stores REST posts without broadcasting them', async () => {
    const t = await teacher.socket(`/ws/chat/conversations/${conversationId}/`);
    const s = await student.socket('/ws/chat/my-conversation/');
    expect(await t.next(() => true)).toEqual({
      type: 'connection_established',
      conversation_id: String(conversationId),
      room_group_name: `chat_${conversationId}`,
    });
    await s.next((f) => f.type === 'connection_established');

    const rest = await teacher.json<{ id: number; content: string }>('POST', `/en/api/v1/chat/teacher/conversations/${conversationId}/messages/`, {
      content: 'over REST',
    });
    t.send('over the socket');
    const echo = await t.next(isNew);
    const seen = await s.next(isNew);
    // The first new_message either side sees is the socket one: the REST post was never broadcast.
    expect((echo.message as { content: string }).content).toBe('over the socket');
    expect((echo.message as { is_own_message: boolean }).is_own_message).toBe(true);
    expect((seen.message as { content: string }).content).toBe('over the socket');
    expect((seen.message as { is_own_message: boolean }).is_own_message).toBe(false);
    expect(t.frames.filter(isNew)).toHaveLength(1);
    expect(s.frames.filter(isNew)).toHaveLength(1);

    const history = await student.json<{ results: Array<{ id: number }> }>('GET', '/en/api/v1/chat/my-conversation/messages/?page_size=1000');
    const ids = history.results.map((m) => m.id);
    expect(ids).toContain(rest.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    await t.close();
    await s.close();
  });

  it('closes the socket with 1011 on a non-JSON frame', async () => {
    const t = await teacher.socket(`/ws/chat/conversations/${conversationId}/`);
    await t.next((f) => f.type === 'connection_established');
    t.ws.send('this is not json');
    expect((await t.closed).code).toBe(1011);
  });

  it('connecting marks the student’s messages read', async () => {
    const s = await student.socket('/ws/chat/my-conversation/');
    await s.next((f) => f.type === 'connection_established');
    s.send('unread until the teacher connects');
    await s.next(isNew);
    await s.close();
    const before = await teacher.json<{ results: Array<{ id: number; unread_message_count_for_user: number }> }>(
      'GET',
      '/en/api/v1/chat/teacher/conversations/',
    );
    expect(before.results.find((c) => c.id === conversationId)?.unread_message_count_for_user).toBeGreaterThan(0);
    const t = await teacher.socket(`/ws/chat/conversations/${conversationId}/`);
    await t.next((f) => f.type === 'connection_established');
    const after = await teacher.json<{ results: Array<{ id: number; unread_message_count_for_user: number }> }>(
      'GET',
      '/en/api/v1/chat/teacher/conversations/',
    );
    expect(after.results.find((c) => c.id === conversationId)?.unread_message_count_for_user).toBe(0);
    await t.close();
  });

  it('redirects: 302 from an unprefixed path, 301 for a missing trailing slash', async () => {
    const a = await fetch(`${backend.url}/api/v1/chat/teacher/conversations/`, { redirect: 'manual' });
    expect(a.status).toBe(302);
    expect(a.headers.get('location')).toBe('/en/api/v1/chat/teacher/conversations/');
    const b = await fetch(`${backend.url}/en/api/v1/chat/teacher/conversations`, { redirect: 'manual' });
    expect(b.status).toBe(301);
  });

  it('notifications: no frame on connect, invite and accepted payloads, a cancel sends nothing, a decline closes with 1011 and no frame', async () => {
    const other = new SiteClient(backend.url);
    await other.login(seed.students[1].username, seed.students[1].password);
    const challenger = await teacher.socket('/ws/challenges/notifications/');
    const opponent = await other.socket('/ws/challenges/notifications/');
    const invite = (type: string) =>
      teacher.json<{ id: number }>('POST', '/en/api/v1/challenges/challenges/', { opponent_username: seed.students[1].username, challenge_type: type });

    const first = await invite('quick_quant_10');
    const got = await opponent.next(() => true);
    expect(got.type).toBe('new_challenge_invite');
    expect((got.payload as { id: number; challenger: { username: string } }).id).toBe(first.id);
    expect((got.payload as { challenger: { username: string } }).challenger.username).toBe('teacher');
    // The teacher's socket had no frame on connect and none since.
    expect(challenger.frames).toEqual([]);

    await other.json('POST', `/en/api/v1/challenges/challenges/${first.id}/accept/`);
    expect(await challenger.next(() => true)).toEqual({
      type: 'challenge_accepted',
      payload: { challenge_id: first.id, accepted_by: seed.students[1].username },
    });

    const cancelled = await invite('medium_verbal_15');
    await opponent.next((f) => (f.payload as { id?: number })?.id === cancelled.id);
    const mark = opponent.frames.length;
    await teacher.json('POST', `/en/api/v1/challenges/challenges/${cancelled.id}/cancel/`);
    const after = await invite('comprehensive_20');
    // The next frame after the cancel is the next invite: the cancel sent nothing.
    const next = await opponent.next(() => true, mark);
    expect((next.payload as { id: number }).id).toBe(after.id);

    const framesBefore = challenger.frames.length;
    await other.json('POST', `/en/api/v1/challenges/challenges/${after.id}/decline/`);
    expect((await challenger.closed).code).toBe(1011);
    expect(challenger.frames.length).toBe(framesBefore);
    await opponent.close();

    const list = await teacher.json<{ count: number; results: Array<{ id: number; status: string }> }>('GET', '/en/api/v1/challenges/challenges/');
    expect(list.results.find((c) => c.id === after.id)?.status).toBe('declined');
    expect(list.results.find((c) => c.id === cancelled.id)?.status).toBe('cancelled');
  });

  it('survives SIGKILL + restart on the same port and database: sessions and tokens stay valid', async () => {
    await backend.restart();
    const list = await teacher.json<{ count: number }>('GET', '/en/api/v1/chat/teacher/conversations/');
    expect(list.count).toBeGreaterThan(0);
    const s = await teacher.socket(`/ws/chat/conversations/${conversationId}/`);
    expect((await s.next(() => true)).type).toBe('connection_established');
    await s.close();
  });
});
