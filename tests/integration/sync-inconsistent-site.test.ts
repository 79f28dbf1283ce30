// Issue 16 item 7: a site whose paging never ends, or which ignores after=, must not trap the
// catch-up in an endless loop (38,666 and 70,961 requests in 10 s in the audit). The real
// reference backend behind a proxy that adds the one deviation; a real core on real SQLite.
import { afterEach, describe, expect, it } from 'vitest';
import { Visitor, connectAccount, waitFor, type TestBackend, type TestCore } from '../support/portfolio-harness';
import { siteAndCore } from '../support/site-and-core';
import { startTamperProxy, type TamperProxy } from '../support/tamper-proxy';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The account is connected through the proxy: sign-in, discovery and every fetch pass it. */
async function setup(messages: number): Promise<{ proxy: TamperProxy; app: TestCore; visitor: Visitor; backend: TestBackend }> {
  const { backend, visitor, app } = await siteAndCore(cleanups, messages);
  const proxy = await startTamperProxy(backend.apiUrl);
  cleanups.push(() => proxy.close());
  return { proxy, app, visitor, backend: { ...backend, apiUrl: proxy.url } as TestBackend };
}

describe('a site that answers inconsistently', () => {
  it('a conversation list whose pages never end: the catch-up stops, goes live and says so', async () => {
    const { proxy, app, backend } = await setup(3);
    // Every page is page 1 again, and there is always one more.
    proxy.rewrite = (url) => {
      if (url.pathname === '/api/chat/conversations') url.searchParams.set('page', '1');
      return url;
    };
    proxy.transform = (url, json) => {
      const j = json as { data?: { pagination?: { totalPages: number } } };
      if (url.pathname === '/api/chat/conversations' && j.data?.pagination) j.data.pagination.totalPages = 1_000_000_000;
      return json;
    };
    const accountId = await connectAccount(app.core, backend);
    await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live');
    expect(app.core.accounts.connectionOf(accountId)?.detail).toMatch(/answers inconsistently/i);
    expect(proxy.counts.get('/api/chat/conversations') ?? 0).toBeLessThan(10);
    expect(app.core.mirror.conversations.page('all', 10, undefined, accountId).items).toHaveLength(1);
  });

  it('a site that ignores after=: the conversation fetch stops when the cursor does not move', async () => {
    const { proxy, app, visitor, backend } = await setup(130);
    proxy.rewrite = (url) => {
      if (url.pathname === '/api/chat/messages') url.searchParams.delete('after');
      return url;
    };
    const accountId = await connectAccount(app.core, backend);
    await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live');
    expect(app.core.accounts.connectionOf(accountId)?.detail).toMatch(/answers inconsistently/i);
    expect(proxy.counts.get('/api/chat/messages') ?? 0).toBeLessThan(10);
    const conversation = app.core.mirror.conversations.findByRemote(accountId, String(visitor.conversationId))!;
    // What the pages brought is kept.
    expect(app.core.mirror.messages.all(conversation.id).length).toBeGreaterThanOrEqual(100);
  });

  it('a listed conversation whose messages the site refuses: the others sync, the account goes live, and it is asked again next time', async () => {
    const { proxy, app, visitor, backend } = await setup(2);
    const refused = String(visitor.conversationId);
    proxy.answer = (url) => (url.pathname === '/api/chat/messages' && url.searchParams.get('conversationId') === refused ? { status: 404, json: { success: false, error: 'Conversation not found' } } : null);
    const other = await new Visitor(backend.api.url, 'Nina').open();
    await other.send('the other one');
    const accountId = await connectAccount(app.core, backend);
    await waitFor(() => app.core.accounts.connectionOf(accountId)?.state === 'live', 20_000, 'live');
    expect(app.core.accounts.connectionOf(accountId)?.detail).toMatch(/answers inconsistently/i);
    const ok = app.core.mirror.conversations.findByRemote(accountId, String(other.conversationId))!;
    expect(app.core.mirror.messages.all(ok.id).map((m) => m.content)).toEqual(['the other one']);
    // The site answers again: the next catch-up brings the refused conversation's messages.
    proxy.answer = null;
    app.core.resync('test');
    const row = await waitFor(() => app.core.mirror.conversations.findByRemote(accountId, refused), 10_000, 'row');
    await waitFor(() => app.core.mirror.messages.all(row.id).length === 2, 10_000, 'refused messages after all');
    await waitFor(() => app.core.accounts.connectionOf(accountId)?.detail === null, 10_000, 'consistent again');
  });
});
