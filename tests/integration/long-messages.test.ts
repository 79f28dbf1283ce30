// Issue 16 item 9: a message over 100,000 characters was dropped for good (a log line, and the
// cursor moved past it). Now it is kept: its row holds the beginning and a marker, and the whole
// text comes back through messages.fullText. The reference backend caps visitor messages at 2,000
// characters, so a proxy in front of it lengthens one message in the REST answers.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS } from '../../src/main/core/mirror/messages-repo';
import { Visitor, connectAccount, startTestBackend, startTestCore, waitFor, type TestBackend } from '../support/portfolio-harness';
import { startTamperProxy } from '../support/tamper-proxy';
import { tempDir } from '../support/temp-db';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('a message longer than the mirror keeps in a row', () => {
  it('is kept shortened with a marker, the whole text retrievable, nothing skipped', async () => {
    const backend = await startTestBackend();
    cleanups.push(() => backend.close());
    const visitor = await new Visitor(backend.apiUrl, 'Vera').open();
    const ids = [await visitor.send('first'), await visitor.send('to be lengthened'), await visitor.send('last')];
    const long = `${'🙂'.repeat(10)}${'long text '.repeat(25_000)}the end`;
    const proxy = await startTamperProxy(backend.apiUrl);
    cleanups.push(() => proxy.close());
    proxy.transform = (url, json) => {
      const data = (json as { data?: { messages?: { id: number; content: string }[] } }).data;
      if (url.pathname === '/api/chat/messages') for (const m of data?.messages ?? []) if (m.id === ids[1]) m.content = long;
      return json;
    };
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const app = await startTestCore(dir.dir);
    cleanups.push(() => app.close());
    const accountId = await connectAccount(app.core, { ...backend, apiUrl: proxy.url } as TestBackend);
    await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live');
    const conversation = app.core.mirror.conversations.findByRemote(accountId, String(visitor.conversationId))!;
    const rows = app.core.mirror.messages.all(conversation.id);
    expect(rows.map((m) => m.remoteId)).toEqual(ids.map(String));
    const kept = rows[1]!;
    expect(kept.content.length).toBeLessThan(MAX_MESSAGE_CHARS + 200);
    expect(kept.content.startsWith(long.slice(0, 1000))).toBe(true);
    expect(kept.content).toMatch(/Message shortened: 250,027 characters in all/);
    const full = await app.core.dispatch('messages.fullText', { messageId: kept.id });
    expect(full).toEqual({ ok: true, value: long });
    const short = await app.core.dispatch('messages.fullText', { messageId: rows[0]!.id });
    expect(short).toEqual({ ok: true, value: 'first' });
    // Searchable by its beginning, like any message.
    const hits = await app.core.dispatch('search', { query: 'long text' });
    expect(hits.ok && (hits.value as { messageId?: number }[]).length).toBeGreaterThan(0);
  });
});
