// 4. Opening things in the inbox, through the contract (dispatch: argument parsing, handler,
// mirror) of a real core on a profile with 110,000 conversations (100,000 active) and one
// conversation of 10,000 messages: the newest page of that conversation, and the first inbox
// page with its status counts, as the renderer asks for them.
import type { ConversationSummary, Message } from '../src/shared/domain';
import { sized, type Bench } from './lib/context';
import { call, benchCore } from './lib/core';
import { Rng } from './lib/data';
import { inboxSpec, profile } from './lib/fixtures';
import { figure, nowMs, summary } from './lib/report';

type Page<T> = { items: T[]; nextCursor: string | null };

export const bench: Bench = {
  name: 'open',
  title: '4. Open a 10,000-message conversation; the inbox page over 100,000 conversations',
  async run(ctx) {
    const inbox = profile(ctx, inboxSpec(ctx));
    const core = benchCore(inbox.dir, ctx.migrationsDir);
    const big = inbox.bigConversationId!;
    const n = sized(ctx, 500, 100);
    const time = async (count: number, fn: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) await fn(i); // warm: statements prepared, pages cached
      const samples: number[] = [];
      for (let i = 0; i < count; i++) {
        const start = nowMs();
        await fn(i);
        samples.push(nowMs() - start);
      }
      return summary(samples);
    };

    const first = await call<Page<Message>>(core, 'messages.page', { conversationId: big, limit: 50 });
    const counts = core.mirror.conversations.counts();
    // Older pages, as when scrolling back through the conversation.
    const cursors: string[] = [];
    for (let cursor = first.nextCursor; cursor && cursors.length < 200; ) {
      cursors.push(cursor);
      cursor = (await call<Page<Message>>(core, 'messages.page', { conversationId: big, limit: 50, before: cursor })).nextCursor;
    }
    const rng = new Rng(2);
    const openConversation = await time(n, () => call(core, 'messages.page', { conversationId: big, limit: 50 }));
    const olderPages = await time(n, () => call(core, 'messages.page', { conversationId: big, limit: 50, before: rng.pick(cursors) }));
    const inboxFirst = await time(n, () => call(core, 'conversations.page', { filter: 'active', limit: 100 }));
    // Right after a conversation is resolved or reopened (the mirror's part of conversations.setStatus).
    // (The fixture is shared: the conversation gets its status back afterwards.)
    const original = core.mirror.conversations.get(big)!.status;
    const inboxAfterStatus = await time(sized(ctx, 200, 40), (i) => {
      core.mirror.transaction(() => core.mirror.conversations.setStatus(big, i % 2 ? 'active' : 'resolved', 'server', Date.now()));
      return call(core, 'conversations.page', { filter: 'active', limit: 100 });
    });
    core.mirror.transaction(() => core.mirror.conversations.setStatus(big, original, 'server', Date.now()));
    // When the remembered counts are gone (an account removed, a transaction rolled back) every
    // conversation is counted again.
    const inboxRecount = await time(sized(ctx, 100, 20), () => {
      core.mirror.conversations.forgetCounts();
      return call(core, 'conversations.page', { filter: 'active', limit: 100 });
    });
    const inboxAll = await time(n, () => call(core, 'conversations.page', { filter: 'all', limit: 100 }));
    const deep: string[] = [];
    for (let cursor: string | null = null, i = 0; i < 900; i++) {
      const page: Page<ConversationSummary> = await call(core, 'conversations.page', { filter: 'active', limit: 100, ...(cursor ? { cursor } : {}) });
      cursor = page.nextCursor;
      if (!cursor) break;
      if (i % 30 === 0) deep.push(cursor);
    }
    const inboxDeep = await time(n, () => call(core, 'conversations.page', { filter: 'active', limit: 500, cursor: rng.pick(deep) }));
    // What the browser-mode transport then does with a page: one JSON.stringify.
    const page = await call<Page<ConversationSummary>>(core, 'conversations.page', { filter: 'active', limit: 100 });
    const json = JSON.stringify({ type: 'result', id: 1, ok: true, value: page });
    const serialize = await time(n, async () => JSON.stringify({ type: 'result', id: 1, ok: true, value: page }));
    await core.close();

    return {
      figures: [
        figure({ id: 'open.conversation.p95', name: 'open 10k-msg conversation (newest 50), p95', value: openConversation.p95, unit: 'ms', limit: 5 }),
        figure({ id: 'open.inbox.p95', name: `inbox first page (100 of ${counts.active.toLocaleString('en')} active) + counts, p95`, value: inboxFirst.p95, unit: 'ms', limit: 5 }),
        figure({ id: 'open.inbox.status.p95', name: 'inbox first page right after a status change, p95', value: inboxAfterStatus.p95, unit: 'ms', limit: 5 }),
        figure({ id: 'open.inbox.recount.p95', name: 'inbox first page, counts not remembered, p95', value: inboxRecount.p95, unit: 'ms' }),
      ],
      info: {
        conversations: inbox.spec.conversations,
        active: inbox.spec.active,
        bigConversationMessages: inbox.spec.bigConversation,
        ms: { openConversation, olderPages, inboxFirst, inboxAfterStatus, inboxRecount, inboxAll, inboxDeep500: inboxDeep, serializeInboxPage: serialize },
        inboxPageJsonBytes: json.length,
        note: 'inbox pages are the "active" view the inbox opens on; counts are cached until a conversation is added, removed or changes status',
        olderPageCursors: cursors.length,
        counts,
      },
    };
  },
};
