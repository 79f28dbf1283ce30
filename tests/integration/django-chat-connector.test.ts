// The django-chat connector on its own against the REAL Django Channels reference backend: the
// socket bound, the polled list, and a session the site no longer knows. A recording sink
// stands in for the engine.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SiteClient } from '../../backends/django/launcher/site-client';
import type { ConnectorSink } from '../../src/main/core/connectors/connector';
import type { Credentials, CredentialsPort } from '../../src/main/core/connectors/credentials';
import { DjangoChatConnector } from '../../src/main/core/connectors/django-chat/django-chat-connector';
import { refreshDjango, signInDjango } from '../../src/main/core/connectors/django-chat/session';
import { realTimers } from '../../src/main/core/sync/timers';
import { startDjangoBackend, type DjangoBackend } from '../support/django-harness';
import { waitFor } from '../support/portfolio-harness';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function recordingSink() {
  const links: { state: string; detail?: string }[] = [];
  const stale = new Set<string>();
  const messages: { remoteId: string; content: string }[] = [];
  const sink: ConnectorSink = {
    link: (state, detail) => links.push({ state, ...(detail ? { detail } : {}) }),
    gap: () => {},
    conversation: () => {},
    patch: () => {},
    stale: (id) => stale.add(id),
    messages: (id, ms) => messages.push(...ms.map((m) => ({ remoteId: id, content: m.content }))),
    edited: () => {},
    deleted: () => {},
    feed: () => {},
    read: () => {},
    typing: () => {},
    visitorOnline: () => {},
    warn: () => {},
  };
  return { sink, links, stale, messages };
}

async function connector(b: DjangoBackend, maxSockets: number) {
  let creds: Credentials = await signInDjango(b.url, 'teacher', b.seed!.teacher.password, fetch);
  const port: CredentialsPort = {
    current: () => creds,
    refresh: async () => (creds = await refreshDjango(b.url, creds, fetch)),
  };
  const c = new DjangoChatConnector({ baseUrl: b.url, credentials: port, fetch, clock: Date.now, random: Math.random, timers: realTimers, log: () => {}, pollMs: 150, maxSockets, echoTimeoutMs: 5000 });
  cleanups.push(() => c.disconnect());
  return c;
}

describe('django-chat connector (real backend)', () => {
  it('keeps at most maxSockets sockets however many conversations are active, and still sees every conversation by polling', async () => {
    const b = await startDjangoBackend({ seedDemo: true, students: 7, anonThrottle: '10000/hour' });
    cleanups.push(() => b.stop());
    const c = await connector(b, 2);
    const rec = recordingSink();
    await c.connect(rec.sink);
    await c.listConversations({ since: null, page: null }); // what the engine's first catch-up does
    rec.stale.clear();
    const students = await Promise.all(
      b.seed!.students.map(async (cred) => {
        const s = new SiteClient(b.url);
        await s.login(cred.username, cred.password);
        const socket = await s.socket('/ws/chat/my-conversation/');
        cleanups.push(() => void socket.close());
        return { socket, id: String((await socket.next((f) => f.type === 'connection_established')).conversation_id) };
      }),
    );
    let maxOpen = 0;
    for (const s of students) {
      s.socket.send(`hi from ${s.id}`);
      await s.socket.next((f) => f.type === 'new_message');
      maxOpen = Math.max(maxOpen, c.openSockets());
    }
    await waitFor(() => students.every((s) => rec.stale.has(s.id)), 15_000, 'every active conversation reported');
    maxOpen = Math.max(maxOpen, c.openSockets());
    expect(maxOpen).toBeLessThanOrEqual(2);
    expect(c.openSockets()).toBe(2);
    expect(rec.links.some((l) => l.state === 'connected')).toBe(true);
  });

  it('a session the site no longer has: the refused socket is reported once as auth-expired; polling goes on with Bearer', async () => {
    const b = await startDjangoBackend({ seedDemo: true, students: 2, anonThrottle: '10000/hour' });
    cleanups.push(() => b.stop());
    const c = await connector(b, 5);
    const rec = recordingSink();
    await c.connect(rec.sink);
    const first = (await c.listConversations({ since: null, page: null })).items[0]!;
    c.watch([first.remoteId]);
    await waitFor(() => rec.stale.has(first.remoteId), 10_000, 'socket established');
    // The site forgets every session (a logout elsewhere, a flushed session store), then restarts.
    await b.kill();
    const db = new Database(join(b.dataDir, 'db.sqlite3'));
    db.prepare('DELETE FROM django_session').run();
    db.close();
    await b.restart();
    await waitFor(() => rec.links.some((l) => l.state === 'auth-expired'), 20_000, 'auth-expired');
    expect(rec.links.find((l) => l.state === 'auth-expired')?.detail).toMatch(/session expired/);
    expect(c.openSockets()).toBe(0);
    // The student writes; the poll (Bearer still valid) reports it although no socket is open.
    const cred = b.seed!.students[0]!;
    const s = new SiteClient(b.url);
    await s.login(cred.username, cred.password);
    const mine = await s.json<{ id: number }>('GET', '/en/api/v1/chat/my-conversation/');
    rec.stale.clear();
    await s.json('POST', '/en/api/v1/chat/my-conversation/messages/', { content: 'written while the teacher’s session is gone' });
    await waitFor(() => rec.stale.has(String(mine.id)), 15_000, 'polled');
    expect(rec.links.filter((l) => l.state === 'auth-expired')).toHaveLength(1);
  });
});
