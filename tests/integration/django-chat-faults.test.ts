// The fault suite for django-chat against the REAL Django Channels backend: daphne SIGKILLed and
// restarted 5 times while 10 students write 2,000 messages over their sockets and the teacher
// replies. In the end the mirror equals the site's database: nothing lost, nothing doubled,
// every reply stored exactly once.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SiteClient, type SiteSocket } from '../../backends/django/launcher/site-client';
import type { Message } from '../../src/shared/domain';
import { connectDjango, delivered, djangoMirrorSnapshot, djangoSnapshot, startDjangoBackend, startDjangoCore } from '../support/django-harness';
import { waitFor } from '../support/portfolio-harness';
import { tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const STUDENTS = 10;
const PER_STUDENT = 200;
const RESTARTS = 5;

describe('django-chat fault suite', () => {
  it('5 daphne restarts during 2,000 student messages over 10 conversations: mirror = site database, replies exactly once', async () => {
    const b = await startDjangoBackend({ seedDemo: true, students: STUDENTS, anonThrottle: '100000/hour' });
    cleanups.push(() => b.stop());
    const t = tempDir('switchboard-django-faults-');
    cleanups.push(() => t.cleanup());
    const c = await startDjangoCore(t.dir);
    cleanups.push(() => c.close());
    const accountId = await connectDjango(c.core, b);
    await waitFor(() => c.state() === 'live', 30_000, 'live');

    let attempted = 0;
    let stopped = false;
    const writer = async (index: number): Promise<void> => {
      const cred = b.seed!.students[index]!;
      const client = new SiteClient(b.url);
      let socket: SiteSocket | null = null;
      for (let k = 0; k < PER_STUDENT && !stopped; ) {
        try {
          if (!client.access) await client.login(cred.username, cred.password);
          if (!socket || socket.ws.readyState !== socket.ws.OPEN) {
            socket = await client.socket('/ws/chat/my-conversation/');
            await socket.next((f) => f.type === 'connection_established');
          }
          const from = socket.frames.length;
          const text = `student ${index} message ${k}`;
          socket.send(text);
          attempted++;
          k++;
          await socket.next((f) => f.type === 'new_message' && (f.message as { content: string }).content === text, from);
        } catch {
          // daphne is down or restarting: wait for it to answer again (a condition, not a sleep).
          socket = null;
          await waitFor(async () => (await fetch(`${b.url}/en/health/`).catch(() => null))?.ok, 30_000, 'daphne back').catch(() => {});
        }
      }
      await socket?.close();
    };
    const writers = Array.from({ length: STUDENTS }, (_, i) => writer(i));

    const replies: Message[] = [];
    for (let r = 0; r < RESTARTS; r++) {
      await waitFor(() => attempted >= ((r + 1) * STUDENTS * PER_STUDENT) / (RESTARTS + 1), 120_000, `progress before restart ${r + 1}`);
      const rows = c.core.mirror.conversations.page('all', 50, undefined, accountId).items;
      for (const row of rows.slice(0, 2)) {
        const dispatched = await c.core.dispatch('messages.send', { conversationId: row.id, content: `teacher reply ${r} to ${row.remoteId}`, clientId: randomUUID() });
        if (dispatched.ok) replies.push(dispatched.value as Message);
      }
      await b.kill();
      await b.restart();
    }
    await Promise.all(writers);
    stopped = true;

    await waitFor(() => replies.every((r) => delivered(c, r.id)), 60_000, 'every reply delivered').catch((e: Error) => {
      throw new Error(`${e.message}; states ${JSON.stringify(c.states.slice(-5))}; log ${c.logs.slice(-15).join(' | ')}`);
    });
    await waitFor(() => JSON.stringify(djangoMirrorSnapshot(c.core, accountId)) === JSON.stringify(djangoSnapshot(b)), 60_000, 'mirror = site').catch(() =>
      expect(djangoMirrorSnapshot(c.core, accountId)).toEqual(djangoSnapshot(b)),
    );
    const site = djangoSnapshot(b);
    const all = Object.values(site).flat();
    const studentMessages = all.filter((m) => m.senderType === 'visitor' && m.content.startsWith('student '));
    console.log(`[faults] ${attempted} student sends, ${studentMessages.length} stored; ${replies.length} replies; ${RESTARTS} restarts`);
    expect(studentMessages.length).toBeGreaterThanOrEqual(STUDENTS * PER_STUDENT - STUDENTS * RESTARTS);
    for (const r of replies) expect(all.filter((m) => m.content === r.content)).toHaveLength(1);
    const ids = all.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  }, 400_000);
});
