// django-chat replies under faults, against the REAL Django Channels backend (daphne): 50 replies
// queued while the site is down, a SIGKILL of the core (in its own process) between a reply's
// socket send and its echo, and a site that refuses the console's Origin or forgets its session.
// Each ends with every reply on the site exactly once and the mirror equal to the site's database.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SiteClient, type SiteSocket } from '../../backends/django/launcher/site-client';
import type { Message } from '../../src/shared/domain';
import { replyOutcome, startCoreChild } from '../support/core-child-process';
import { connectDjango, delivered, djangoMirrorSnapshot, djangoSnapshot, startDjangoBackend, startDjangoCore, type DjangoBackend, type DjangoTestCore } from '../support/django-harness';
import { waitFor } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';
import { startWsDropProxy } from '../support/ws-drop-proxy';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function backend(): Promise<DjangoBackend> {
  const b = await startDjangoBackend({ seedDemo: true, students: 5, anonThrottle: '10000/hour' });
  cleanups.push(() => b.stop());
  return b;
}
function dataDir(): string {
  const t = tempDir('switchboard-django-outbox-');
  cleanups.push(() => t.cleanup());
  return t.dir;
}
async function core(dir: string): Promise<DjangoTestCore> {
  const c = await startDjangoCore(dir);
  cleanups.push(() => c.close());
  return c;
}
/** A seeded student on their own socket, straight to the site. */
async function student(b: DjangoBackend, index: number): Promise<{ socket: SiteSocket; conversationId: string; write(text: string): Promise<void> }> {
  const cred = b.seed!.students[index]!;
  const client = new SiteClient(b.url);
  await client.login(cred.username, cred.password);
  const socket = await client.socket('/ws/chat/my-conversation/');
  cleanups.push(() => void socket.close());
  const hello = await socket.next((f) => f.type === 'connection_established');
  return {
    socket,
    conversationId: String(hello.conversation_id),
    async write(text) {
      const from = socket.frames.length;
      socket.send(text);
      await socket.next((f) => f.type === 'new_message' && (f.message as { content: string }).content === text, from);
    },
  };
}
const onSite = (b: DjangoBackend, content: string) => Object.values(djangoSnapshot(b)).flat().filter((m) => m.content === content).length;
const mirrorEquals = (c: DjangoTestCore, accountId: number, b: DjangoBackend) =>
  waitFor(() => JSON.stringify(djangoMirrorSnapshot(c.core, accountId)) === JSON.stringify(djangoSnapshot(b)), 30_000, 'mirror = site').catch(() =>
    expect(djangoMirrorSnapshot(c.core, accountId)).toEqual(djangoSnapshot(b)),
  );
const send = async (c: DjangoTestCore, conversationId: number, content: string): Promise<Message> => {
  const r = await c.core.dispatch('messages.send', { conversationId, content, clientId: randomUUID() });
  if (!r.ok) throw new Error(`messages.send: ${r.error.message}`);
  return r.value as Message;
};

describe('django-chat replies under faults (real backend)', () => {
  it('50 replies queued while the site is down survive a core restart and are delivered exactly once, in order, when it is back', async () => {
    const b = await backend();
    const dir = dataDir();
    let c = await core(dir);
    const accountId = await connectDjango(c.core, b);
    await waitFor(() => c.state() === 'live', 30_000, 'live');
    await mirrorEquals(c, accountId, b);
    const rows = c.core.mirror.conversations.page('all', 10, undefined, accountId).items;
    expect(rows.length).toBeGreaterThanOrEqual(4);

    await b.kill();
    await waitFor(() => c.state() === 'unavailable', 20_000, 'unavailable');
    const texts = Array.from({ length: 50 }, (_, i) => `queued reply ${i} to ${rows[i % 4]!.remoteId}`);
    for (const [i, text] of texts.entries()) await send(c, rows[i % 4]!.id, text);
    expect(c.core.mirror.outbox.counts(accountId).pending).toBe(50);

    // The app quits with the site still down; the next start finds all 50 waiting.
    await c.close();
    c = await core(dir);
    await waitFor(() => c.state() === 'unavailable', 30_000, 'unavailable after the core restart');
    expect(c.core.mirror.outbox.counts(accountId).pending).toBe(50);
    expect(texts.every((t) => onSite(b, t) === 0)).toBe(true);

    await b.restart();
    await waitFor(() => c.core.mirror.outbox.counts(accountId).pending === 0, 90_000, 'outbox drained');
    for (const text of texts) expect(onSite(b, text), text).toBe(1);
    // Per conversation, the site stores them in the order they were written.
    const site = djangoSnapshot(b);
    for (const row of rows.slice(0, 4)) {
      const queued = site[row.remoteId]!.map((m) => m.content).filter((t) => t.startsWith('queued reply '));
      expect(queued).toEqual(texts.filter((t) => t.endsWith(` to ${row.remoteId}`)));
    }
    await mirrorEquals(c, accountId, b);
    const mine = rows.slice(0, 4).flatMap((r) => c.core.mirror.messages.all(r.id)).filter((m) => m.content.startsWith('queued reply '));
    expect(mine).toHaveLength(50);
    expect(mine.every((m) => m.delivery === 'sent' || m.delivery === 'read')).toBe(true);
  }, 240_000);

  it('the core SIGKILLed between a reply’s socket send and its echo: after the restart the reply is on the site exactly once', async () => {
    const b = await backend();
    const proxy = await startWsDropProxy(b.port);
    cleanups.push(() => proxy.close());
    const dir = dataDir();
    const s = await student(b, 0);
    await s.write('is anyone there?'); // the newest conversation: the one the child replies in
    const text = 'the reply whose echo never came back';
    // Upstream passes (the site stores the reply); the echo carrying the text is kept back.
    proxy.hold(text);
    const env = { SWITCHBOARD_CHILD_KIND: 'django-chat' };
    let child = startCoreChild(cleanups, [dir, proxy.url, 'teacher', b.seed!.teacher.password], { ...env, SWITCHBOARD_CHILD_REPLY: text });
    await waitFor(() => onSite(b, text) === 1, 60_000, 'the reply stored by the site');
    child.proc.kill('SIGKILL');
    await child.exited;
    // Killed after the send and before the echo: the reply still waits in the outbox. (A history
    // fetch racing the send may already have brought the site's copy as a row of its own; the
    // reconciliation after the restart makes the two one.)
    const killed = replyOutcome(dir, text);
    expect(killed.pending).toBe(1);
    expect(killed.mine.filter((m) => m.delivery === 'pending')).toHaveLength(1);
    proxy.release();

    child = startCoreChild(cleanups, [dir], env);
    await waitFor(() => child.lines.some((l) => l.state === 'live'), 60_000, 'restarted core live');
    await waitFor(() => replyOutcome(dir, text).pending === 0, 60_000, 'outbox settled after the restart');
    child.proc.kill('SIGTERM');
    await child.exited;
    expect(onSite(b, text)).toBe(1);
    expect(replyOutcome(dir, text).mine.map((m) => m.delivery)).toEqual([expect.stringMatching(/^(sent|read)$/)]);
    // The student saw it exactly once, live.
    expect(s.socket.frames.filter((f) => f.type === 'new_message' && (f.message as { content: string }).content === text)).toHaveLength(1);
  }, 180_000);

  it('a refused Origin: the account says why, student messages still arrive, the queued reply waits and is delivered once when the site accepts the console again', async () => {
    const b = await backend();
    const proxy = await startWsDropProxy(b.port);
    cleanups.push(() => proxy.close());
    const c = await core(dataDir());
    const accountId = await connectDjango(c.core, { ...b, url: proxy.url });
    await waitFor(() => c.state() === 'live', 30_000, 'live');
    const s = await student(b, 0);
    const row = await waitFor(() => c.core.mirror.conversations.findByRemote(accountId, s.conversationId), 15_000, 'conversation');
    await c.core.dispatch('conversations.watch', { conversationIds: [row.id] });

    // The site moves behind a host it does not list in ALLOWED_HOSTS: every new socket is 403.
    proxy.forgeOrigin('http://proxy.example');
    proxy.drop();
    proxy.restore();
    await waitFor(() => c.state() === 'unavailable', 20_000, 'unavailable');
    expect(c.core.accounts.connectionOf(accountId)?.detail).toMatch(/allowed hosts/);
    const reply = await send(c, row.id, 'reply while the Origin is refused');
    await s.write('written while the console is refused');
    await waitFor(() => c.core.mirror.messages.all(row.id).some((m) => m.content === 'written while the console is refused'), 20_000, 'polled meanwhile');
    expect(onSite(b, reply.content)).toBe(0);
    expect(c.core.mirror.messages.get(reply.id)?.delivery).toBe('pending');

    proxy.forgeOrigin(null);
    await waitFor(() => c.state() === 'live', 60_000, 'live once the site accepts the Origin');
    await waitFor(() => delivered(c, reply.id), 30_000, 'queued reply delivered');
    expect(onSite(b, reply.content)).toBe(1);
    await mirrorEquals(c, accountId, b);
  }, 180_000);

  it('an expired session: "sign in again" on the account, messages still polled, the queued reply delivered once after signing in', async () => {
    const b = await backend();
    const c = await core(dataDir());
    const accountId = await connectDjango(c.core, b);
    await waitFor(() => c.state() === 'live', 30_000, 'live');
    const first = await student(b, 0);
    const row = await waitFor(() => c.core.mirror.conversations.findByRemote(accountId, first.conversationId), 15_000, 'conversation');
    await c.core.dispatch('conversations.watch', { conversationIds: [row.id] });

    // The site forgets every session (a logout elsewhere, a flushed session store); JWTs stay valid.
    await b.kill();
    const db = new Database(join(b.dataDir, 'db.sqlite3'));
    db.prepare('DELETE FROM django_session').run();
    db.close();
    await b.restart();
    await waitFor(() => c.state() === 'auth-expired', 30_000, 'auth-expired');
    expect(c.core.accounts.connectionOf(accountId)?.detail).toMatch(/sign in again/i);
    const reply = await send(c, row.id, 'reply while signed out');
    const s = await student(b, 0);
    await s.write('written while the teacher is signed out');
    expect(onSite(b, reply.content)).toBe(0);

    const signIn = await c.core.dispatch('accounts.signIn', { kind: 'django-chat', accountId, login: 'teacher', password: b.seed!.teacher.password });
    expect(signIn.ok).toBe(true);
    await waitFor(() => c.state() === 'live', 30_000, 'live after signing in');
    await waitFor(() => delivered(c, reply.id), 30_000, 'queued reply delivered');
    await waitFor(() => c.core.mirror.messages.all(row.id).some((m) => m.content === 'written while the teacher is signed out'), 20_000, 'nothing lost');
    expect(onSite(b, reply.content)).toBe(1);
    await mirrorEquals(c, accountId, b);
  }, 180_000);
});
