// Issue 16 item 12: the same site connected twice. Connecting the same address again is refused;
// and where two accounts reach one backend anyway (two addresses for one site, or accounts made
// before the refusal), each mirrors our replies in its own conversation: the client-id lookup is
// per conversation, not global. Real reference backend; the second address is a plain proxy.
import { afterEach, describe, expect, it } from 'vitest';
import { connectAccount, waitFor, type TestBackend } from '../support/portfolio-harness';
import { siteAndCore } from '../support/site-and-core';
import { startTamperProxy } from '../support/tamper-proxy';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const setup = () => siteAndCore(cleanups);

describe('the same site connected twice', () => {
  it('connecting the same address again is refused and changes nothing', async () => {
    const { backend, app } = await setup();
    await connectAccount(app.core, backend);
    const again = await app.core.dispatch('accounts.connect', { kind: 'portfolio', siteUrl: `${backend.apiUrl}/`, email: backend.admin.email, password: backend.admin.password });
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.message).toMatch(/already connected/);
    expect(app.core.mirror.accounts.list()).toHaveLength(1);
  });

  it('two accounts on one backend: a reply sent from one shows, settled, in both', async () => {
    const { backend, visitor, app } = await setup();
    const proxy = await startTamperProxy(backend.apiUrl);
    cleanups.push(() => proxy.close());
    const a = await connectAccount(app.core, backend);
    const b = await connectAccount(app.core, { ...backend, apiUrl: proxy.url } as TestBackend);
    for (const id of [a, b]) await waitFor(() => app.core.accounts.connectionOf(id)?.state === 'live', 20_000, `account ${id} live`);
    const inA = app.core.mirror.conversations.findByRemote(a, String(visitor.conversationId))!;
    const inB = app.core.mirror.conversations.findByRemote(b, String(visitor.conversationId))!;
    const sent = await app.core.dispatch('messages.send', { conversationId: inA.id, content: 'our reply', clientId: '00000000-0000-4000-8000-0000000000aa' });
    expect(sent.ok).toBe(true);
    await waitFor(() => app.core.mirror.outbox.counts(a).pending === 0, 10_000, 'sent');
    // B hears of it through realtime or its next fetch; make sure it fetches.
    app.core.resync('test');
    await waitFor(() => app.core.mirror.messages.all(inB.id).some((m) => m.content === 'our reply'), 10_000, 'reply mirrored in account B');
    for (const c of [inA, inB]) {
      const replies = app.core.mirror.messages.all(c.id).filter((m) => m.content === 'our reply');
      expect(replies).toHaveLength(1);
      expect(replies[0]!.delivery).not.toBe('pending');
      expect(replies[0]!.remoteId).not.toBeNull();
    }
  });
});
