// The list never shows another filter's (or account's) rows: a load carries what it was for, and
// an answer for a filter or account that is no longer shown is dropped. These reproduce the race
// of issue 14 (Active → Resolved right after Resolve showed the Active list under "Resolved").
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ConversationFilter, ConversationSummary } from '../../src/shared/domain';
import type { MethodOutput } from '../../src/shared/contract';
import { useConversations } from '../../src/renderer/src/hooks/useConversations';
import { deferred, installFakeApi } from './support/fake-api';
import { conversation, countsOf } from './support/fixtures';

type Page = MethodOutput<'conversations.page'>;
const pageOf = (all: ConversationSummary[], filter: ConversationFilter, accountId?: number): Page => {
  const rows = all.filter((c) => (filter === 'all' || c.status === filter) && (accountId === undefined || c.accountId === accountId));
  return { items: rows, nextCursor: null, counts: countsOf(all) };
};
const ids = (items: ConversationSummary[]) => items.map((c) => c.id);

describe('useConversations', () => {
  it('a change event just before a filter switch does not bring back the old filter’s rows', async () => {
    // Conversation 1 was just resolved; 2 stays active.
    const all = [conversation(1, { status: 'resolved' }), conversation(2)];
    const fake = installFakeApi({ 'conversations.page': ({ filter, accountId }) => pageOf(all, filter, accountId) });
    const { result, rerender } = renderHook(({ filter }: { filter: ConversationFilter }) => useConversations(filter), { initialProps: { filter: 'active' } });
    await waitFor(() => expect(ids(result.current.items)).toEqual([2]));

    // The core reports the change (the Resolve), and the owner clicks "Resolved" at once.
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [1] }));
    rerender({ filter: 'resolved' });
    await waitFor(() => expect(fake.callsOf('conversations.page')).toHaveLength(3));
    // Every answer is in: the list shows the Resolved rows, agreeing with the count beside it.
    await act(async () => {});
    expect(ids(result.current.items)).toEqual([1]);
    expect(result.current.counts.resolved).toBe(1);
    expect(result.current.loading).toBe(false);
  });

  it('an answer for the old filter that arrives after the new one is dropped', async () => {
    const all = [conversation(1, { status: 'resolved' }), conversation(2)];
    const late = deferred<Page>();
    let first = true;
    installFakeApi({
      'conversations.page': ({ filter }) => {
        if (filter === 'active' && first) {
          first = false;
          return late.promise;
        }
        return pageOf(all, filter);
      },
    });
    const { result, rerender } = renderHook(({ filter }: { filter: ConversationFilter }) => useConversations(filter), { initialProps: { filter: 'active' } });
    rerender({ filter: 'resolved' });
    await waitFor(() => expect(ids(result.current.items)).toEqual([1]));
    await act(async () => late.resolve(pageOf(all, 'active')));
    expect(ids(result.current.items)).toEqual([1]);
  });

  it('an older answer for the same filter does not overwrite a newer one', async () => {
    let all = [conversation(1), conversation(2)];
    const slow = deferred<Page>();
    let n = 0;
    const fake = installFakeApi({
      'conversations.page': ({ filter }) => {
        n += 1;
        // The second load (the first refresh) is slow; the third (a later refresh) is not.
        return n === 2 ? slow.promise : pageOf(all, filter);
      },
    });
    const { result } = renderHook(() => useConversations('active'));
    await waitFor(() => expect(ids(result.current.items)).toEqual([1, 2]));
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [1] }));
    await waitFor(() => expect(fake.callsOf('conversations.page')).toHaveLength(2));
    const stale = pageOf(all, 'active');
    all = [conversation(2)];
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [1] }));
    await waitFor(() => expect(ids(result.current.items)).toEqual([2]));
    await act(async () => slow.resolve(stale));
    expect(ids(result.current.items)).toEqual([2]);
  });

  it('switching accounts drops the other account’s answer', async () => {
    const all = [conversation(1, { accountId: 1 }), conversation(2, { accountId: 2 })];
    const late = deferred<Page>();
    installFakeApi({ 'conversations.page': ({ filter, accountId }) => (accountId === 1 ? late.promise : pageOf(all, filter, accountId)) });
    const { result, rerender } = renderHook(({ accountId }: { accountId: number }) => useConversations('active', accountId), { initialProps: { accountId: 1 } });
    rerender({ accountId: 2 });
    await waitFor(() => expect(ids(result.current.items)).toEqual([2]));
    await act(async () => late.resolve(pageOf(all, 'active', 1)));
    expect(ids(result.current.items)).toEqual([2]);
  });

  it('a page loaded on scroll for the old filter is not appended to the new one', async () => {
    const all = Array.from({ length: 5 }, (_, i) => conversation(i + 1, { status: i < 3 ? 'active' : 'resolved' }));
    const more = deferred<Page>();
    installFakeApi({
      'conversations.page': ({ filter, cursor }) => {
        if (cursor) return more.promise;
        const page = pageOf(all, filter);
        return filter === 'active' ? { ...page, items: page.items.slice(0, 2), nextCursor: 'c2' } : page;
      },
    });
    const { result, rerender } = renderHook(({ filter }: { filter: ConversationFilter }) => useConversations(filter), { initialProps: { filter: 'active' } });
    await waitFor(() => expect(result.current.hasMore).toBe(true));
    let loading!: Promise<unknown>;
    act(() => {
      loading = result.current.loadMore();
    });
    rerender({ filter: 'resolved' });
    await waitFor(() => expect(ids(result.current.items)).toEqual([4, 5]));
    await act(async () => {
      more.resolve({ items: [all[2]!], nextCursor: null, counts: countsOf(all) });
      await loading;
    });
    expect(ids(result.current.items)).toEqual([4, 5]);
  });

  it('shows the load error, and the next good answer clears it', async () => {
    let fail = true;
    installFakeApi({
      'conversations.page': ({ filter }) => {
        if (fail) throw new Error('database is locked');
        return pageOf([conversation(1)], filter);
      },
    });
    const { result } = renderHook(() => useConversations('active'));
    await waitFor(() => expect(result.current.error).toContain('database is locked'));
    fail = false;
    await act(async () => result.current.refresh());
    expect(result.current.error).toBeNull();
    expect(ids(result.current.items)).toEqual([1]);
  });
});
