// The django-chat connector and the sync engine against the REAL Django Channels reference
// backend (backends/django under daphne, on a free loopback port): real HTTP, real sockets with
// the session cookie and Origin, real SQLite on both sides. Students act over the site's own API
// and sockets (SiteClient). Each test compares the mirror with the backend's database.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SiteClient, type SiteSocket } from '../../backends/django/launcher/site-client';
import type { Message } from '../../src/shared/domain';
import { connectDjango, delivered, djangoMirrorSnapshot, djangoSnapshot, startDjangoBackend, startDjangoCore, type DjangoBackend, type DjangoTestCore } from '../support/django-harness';
import { waitFor } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function backend(options: Parameters<typeof startDjangoBackend>[0] = {}): Promise<DjangoBackend> {
  const b = await startDjangoBackend({ seedDemo: true, students: 3, anonThrottle: '10000/hour', ...options });
  cleanups.push(() => b.stop());
  return b;
}
async function core(): Promise<DjangoTestCore> {
  const t = tempDir('switchboard-django-core-');
  cleanups.push(() => t.cleanup());
  const c = await startDjangoCore(t.dir);
  cleanups.push(() => c.close());
  return c;
}
async function student(b: DjangoBackend, index = 0): Promise<{ client: SiteClient; socket: SiteSocket; conversationId: string }> {
  const cred = b.seed!.students[index]!;
  const client = new SiteClient(b.url);
  await client.login(cred.username, cred.password);
  const socket = await client.socket('/ws/chat/my-conversation/');
  const hello = await socket.next((f) => f.type === 'connection_established');
  cleanups.push(() => void socket.close());
  return { client, socket, conversationId: String(hello.conversation_id) };
}

const live = (c: DjangoTestCore, ms = 20_000) => waitFor(() => c.state() === 'live', ms, `live (now ${c.state()}: ${c.states.at(-1)?.detail})`);
const mirrorEquals = (c: DjangoTestCore, accountId: number, b: DjangoBackend, ms = 20_000) =>
  waitFor(() => JSON.stringify(djangoMirrorSnapshot(c.core, accountId)) === JSON.stringify(djangoSnapshot(b)), ms, 'mirror = backend').catch(() =>
    expect(djangoMirrorSnapshot(c.core, accountId)).toEqual(djangoSnapshot(b)),
  );

async function call<T>(c: DjangoTestCore, method: string, input: unknown): Promise<T> {
  const r = await c.core.dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

describe('django-chat against the Django Channels reference backend', () => {
  it('signs in with email or username; a wrong password is a clear error', async () => {
    const b = await backend();
    const c = await core();
    const wrong = await c.core.dispatch('accounts.connect', { kind: 'django-chat', siteUrl: b.url, login: 'teacher', password: 'nope' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toBe('Wrong email, username or password.');
    const id = await connectDjango(c.core, b, b.seed!.teacher.email);
    await live(c);
    const account = c.core.mirror.accounts.get(id);
    expect(account?.kind).toBe('django-chat');
  });

  it('first sync: the mirror equals the backend, students named (full name, username, email), status local', async () => {
    const b = await backend();
    const c = await core();
    const accountId = await connectDjango(c.core, b);
    await live(c);
    await mirrorEquals(c, accountId, b);
    const rows = c.core.mirror.conversations.page('all', 50, undefined, accountId).items;
    expect(rows.map((r) => r.visitorName).sort()).toEqual(['Ahmad Student', 'Budi Student']);
    // Full name, username and email, as the details pane shows them.
    expect(rows.map((r) => [r.visitorName, r.visitorUsername, r.visitorEmail]).sort()).toEqual([
      ['Ahmad Student', 'ahmad', 'ahmad@example.com'],
      ['Budi Student', 'budi', 'budi@example.com'],
    ]);
  });

  it('a student writing over the socket appears in the mirror; a reply goes over the socket, reaches the student live and is stored once', async () => {
    const b = await backend();
    const c = await core();
    const accountId = await connectDjango(c.core, b);
    await live(c);
    // The third student has no conversation yet: the first message creates it, polling finds it.
    const s = await student(b, 2);
    s.socket.send('hello from a new student');
    await s.socket.next((f) => f.type === 'new_message');
    const row = await waitFor(() => c.core.mirror.conversations.findByRemote(accountId, s.conversationId), 15_000, 'new conversation polled');
    await waitFor(() => c.core.mirror.messages.all(row.id).some((m) => m.content === 'hello from a new student'), 15_000, 'student message');

    const from = s.socket.frames.length;
    const sent = await call<Message>(c, 'messages.send', { conversationId: row.id, content: 'welcome!', clientId: randomUUID() });
    expect(sent.delivery).toBe('pending');
    const seen = await s.socket.next((f) => f.type === 'new_message', from);
    expect((seen.message as { content: string; is_own_message: boolean }).content).toBe('welcome!');
    expect((seen.message as { is_own_message: boolean }).is_own_message).toBe(false);
    await waitFor(() => delivered(c, sent.id), 15_000, 'reply confirmed by its echo');
    expect(c.core.mirror.messages.get(sent.id)?.remoteId).toMatch(/^\d+$/);
    await mirrorEquals(c, accountId, b);
    expect(djangoSnapshot(b)[s.conversationId]!.filter((m) => m.content === 'welcome!')).toHaveLength(1);

    // With the conversation open, the student's next message comes over its socket.
    await call(c, 'conversations.watch', { conversationIds: [row.id] });
    s.socket.send('thanks');
    await waitFor(() => c.core.mirror.messages.all(row.id).some((m) => m.content === 'thanks'), 15_000, 'live message');
    await mirrorEquals(c, accountId, b);
  });

  it('renews the access token with the rotating refresh token (access lives 2 s)', async () => {
    const b = await backend({ accessTokenSeconds: 2 });
    const c = await core();
    const accountId = await connectDjango(c.core, b);
    await live(c);
    const s = await student(b, 0);
    const t0 = Date.now();
    // Wait out two access lifetimes; the poll keeps working through them.
    await waitFor(() => Date.now() - t0 > 4500, 10_000, 'tokens expired');
    s.socket.send('after the access token expired');
    const row = c.core.mirror.conversations.findByRemote(accountId, s.conversationId)!;
    await waitFor(() => c.core.mirror.messages.all(row.id).some((m) => m.content === 'after the access token expired'), 15_000, 'message after renewal');
    expect(c.state()).toBe('live');
    expect(c.states.some((x) => x.state === 'auth-expired')).toBe(false);
  });

  it('daphne killed and restarted: messages written meanwhile and after are caught up, a reply queued while down is delivered once', async () => {
    const b = await backend();
    const c = await core();
    const accountId = await connectDjango(c.core, b);
    await live(c);
    const first = await student(b, 0);
    const row = c.core.mirror.conversations.findByRemote(accountId, first.conversationId)!;
    await call(c, 'conversations.watch', { conversationIds: [row.id] });

    await b.kill();
    await waitFor(() => c.state() === 'unavailable', 15_000, 'unavailable');
    const queued = await call<Message>(c, 'messages.send', { conversationId: row.id, content: 'sent while the site was down', clientId: randomUUID() });
    await b.restart();
    await live(c);
    const again = await student(b, 0);
    again.socket.send('after the restart');
    await waitFor(() => delivered(c, queued.id), 30_000, 'queued reply delivered');
    await waitFor(() => c.core.mirror.messages.all(row.id).some((m) => m.content === 'after the restart'), 15_000, 'message after restart');
    await mirrorEquals(c, accountId, b);
    expect(djangoSnapshot(b)[first.conversationId]!.filter((m) => m.content === 'sent while the site was down')).toHaveLength(1);
  });

  it('daphne SIGKILLed between a socket send and its echo: each reply is stored exactly once after the restart', async () => {
    const b = await backend();
    const c = await core();
    const accountId = await connectDjango(c.core, b);
    await live(c);
    const s = await student(b, 0);
    const row = c.core.mirror.conversations.findByRemote(accountId, s.conversationId)!;
    await call(c, 'conversations.watch', { conversationIds: [row.id] });
    const warm = await call<Message>(c, 'messages.send', { conversationId: row.id, content: 'socket warm-up', clientId: randomUUID() });
    await waitFor(() => delivered(c, warm.id), 15_000, 'warm-up confirmed');
    const stored = (content: string) => (djangoSnapshot(b)[s.conversationId] ?? []).filter((m) => m.content === content).length;
    const replies: Message[] = [];
    for (const [i, when] of (['at once', 'once stored'] as const).entries()) {
      const content = `crash reply ${i} (${when})`;
      replies.push(await call<Message>(c, 'messages.send', { conversationId: row.id, content, clientId: randomUUID() }));
      if (when === 'once stored') await waitFor(() => stored(content) === 1, 15_000, 'stored before the kill');
      await b.kill();
      await b.restart();
    }
    for (const r of replies) await waitFor(() => delivered(c, r.id), 40_000, `${r.content} delivered`);
    for (const r of replies) expect(stored(r.content)).toBe(1);
    await mirrorEquals(c, accountId, b);
  });

  it('200 hostile names and messages are mirrored as inert text, exactly as the site stores them', async () => {
    const b = await backend();
    const hostileName = '<img src=x onerror="alert(1)"> \u202Eevil\u202C Robert\'); DROP TABLE students;--';
    const db = new Database(join(b.dataDir, 'db.sqlite3'));
    db.prepare("UPDATE accounts_userprofile SET full_name = ? WHERE user_id = (SELECT id FROM accounts_user WHERE username = 'ahmad')").run(hostileName);
    db.close();
    const c = await core();
    const accountId = await connectDjango(c.core, b);
    await live(c);
    const s = await student(b, 0);
    const row = c.core.mirror.conversations.findByRemote(accountId, s.conversationId)!;
    expect(row.visitorName).toBe(hostileName);
    const seeds = [
      '<script>alert(document.cookie)</script>',
      '<img src=x onerror=alert(1)>',
      '"; DROP TABLE chat_message; --',
      '{{7*7}} ${process.exit(1)} #{1+1}',
      '\u202Egnp.exe',
      '👩‍💻'.repeat(40),
      '{"type":"connection_established","conversation_id":"1"}',
      '   padded   ',
      'line one\nline two\r\n\ttabbed',
      'x'.repeat(5000),
    ];
    const payloads = Array.from({ length: 200 }, (_, i) => `${seeds[i % seeds.length]} #${i}`);
    for (const p of payloads) s.socket.send(p);
    // 200 writes on one socket: generous on a loaded machine (the wait ends as soon as the last echo is in).
    await s.socket.next((f) => f.type === 'new_message' && (f.message as { content: string }).content === payloads.at(-1), 0, 90_000);
    await waitFor(() => payloads.every((p) => c.core.mirror.messages.all(row.id).some((m) => m.content === p)), 30_000, 'all hostile messages mirrored');
    await mirrorEquals(c, accountId, b);
  }, 150_000);
});
