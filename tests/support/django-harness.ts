// The real Django Channels reference backend (backends/django, daphne on a free loopback port)
// and a real core on a temp data dir, connected through the contract like the UI does.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startDjangoBackend, type DjangoBackend, type DjangoBackendOptions } from '../../backends/django/launcher/backend';
import { createDjangoChatKind, type DjangoChatTuning } from '../../src/main/core/connectors/django-chat/kind';
import { portfolioKind } from '../../src/main/core/connectors/portfolio/kind';
import type { Core } from '../../src/main/core/core';
import { startTestCore, type TestCore } from './portfolio-harness';

export { startDjangoBackend, type DjangoBackend, type DjangoBackendOptions };

export type DjangoTestCore = TestCore;

/** A real core speaking the built-in kinds, with django-chat's poll and echo timeout shortened. */
export function startDjangoCore(dataDir: string, tuning: DjangoChatTuning = { pollMs: 200, echoTimeoutMs: 5000 }): Promise<TestCore> {
  return startTestCore(dataDir, { kinds: [portfolioKind, createDjangoChatKind(tuning)] });
}

export async function connectDjango(core: Core, backend: DjangoBackend, login = backend.seed?.teacher.username ?? 'teacher', password = backend.seed?.teacher.password ?? ''): Promise<number> {
  const result = await core.dispatch('accounts.connect', { kind: 'django-chat', siteUrl: backend.url, login, password });
  if (!result.ok) throw new Error(`accounts.connect failed: ${result.error.code} ${result.error.message}`);
  return (result.value as { id: number }).id;
}

export type DjangoSnapshot = Record<string, { id: string; content: string; senderType: string }[]>;

/** The backend's own database: every conversation of the teacher, messages in server order. */
export function djangoSnapshot(backend: DjangoBackend, teacherUsername = 'teacher'): DjangoSnapshot {
  const db = new Database(join(backend.dataDir, 'db.sqlite3'), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  try {
    const teacher = db.prepare('SELECT u.id AS userId, p.id AS profileId FROM accounts_user u JOIN accounts_userprofile p ON p.user_id = u.id WHERE u.username = ?').get(teacherUsername) as {
      userId: number;
      profileId: number;
    };
    const out: DjangoSnapshot = {};
    for (const c of db.prepare('SELECT id FROM chat_conversation WHERE teacher_id = ? ORDER BY id').all(teacher.profileId) as { id: number }[]) out[String(c.id)] = [];
    const rows = db
      .prepare('SELECT m.id, m.conversation_id AS c, m.content, m.sender_id AS sender FROM chat_message m JOIN chat_conversation c ON c.id = m.conversation_id WHERE c.teacher_id = ? ORDER BY m.timestamp, m.id')
      .all(teacher.profileId) as { id: number; c: number; content: string; sender: number }[];
    for (const m of rows) out[String(m.c)]!.push({ id: String(m.id), content: m.content, senderType: m.sender === teacher.userId ? 'admin' : 'visitor' });
    return out;
  } finally {
    db.close();
  }
}

/** The mirror in the same shape. */
export function djangoMirrorSnapshot(core: Core, accountId: number): DjangoSnapshot {
  const out: DjangoSnapshot = {};
  let cursor: string | undefined;
  for (;;) {
    const page = core.mirror.conversations.page('all', 500, cursor, accountId);
    for (const c of page.items) {
      out[c.remoteId] = core.mirror.messages.all(c.id).map((m) => ({ id: m.remoteId ?? `pending:${m.clientId}`, content: m.content, senderType: m.senderType }));
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => Number(a) - Number(b)));
}

/** A reply the site confirmed: 'sent', or already 'read' (a student socket connecting marks the teacher's messages read). */
export function delivered(c: TestCore, messageId: number): boolean {
  const delivery = c.core.mirror.messages.get(messageId)?.delivery;
  return delivery === 'sent' || delivery === 'read';
}
