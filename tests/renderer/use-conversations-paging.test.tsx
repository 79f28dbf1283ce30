// useConversations' paging and refreshes: pages on demand without doubles, a refresh as long as
// what is shown, one refresh per burst of change events, and load-more failures shown.
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodOutput } from '../../src/shared/contract';
import type { ConversationSummary } from '../../src/shared/domain';
import { useConversations } from '../../src/renderer/src/hooks/useConversations';
import { deferred, installFakeApi } from './support/fake-api';
import { conversation, countsOf } from './support/fixtures';

type Page = MethodOutput<'conversations.page'>;
const ids = (items: ConversationSummary[]) => items.map((c) => c.id);
const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => conversation(from + i));

afterEach(() => vi.useRealTimers());

describe('useConversations paging', () => {
  it('loads 100 first, then 500 a page from the cursor, skipping rows it already shows, and refreshes as many as are shown', async () => {
    const all = rows(1, 130);
    const fake = installFakeApi({
      'conversations.page': ({ cursor, limit }): Page => {
        // The second page overlaps the first by one row (a row moved while paging).
        const start = cursor ? 99 : 0;
        const items = all.slice(start, start + limit);
        return { items, nextCursor: start + limit < all.length ? `c${start + limit}` : null, counts: countsOf(all) };
      },
    });
    const { result } = renderHook(() => useConversations('all', 3));
    await waitFor(() => expect(result.current.items).toHaveLength(100));
    expect(result.current).toMatchObject({ loading: false, hasMore: true, error: null, counts: { all: 130, active: 130 } });
    expect(fake.callsOf('conversations.page')).toEqual([{ filter: 'all', limit: 100, accountId: 3 }]);

    await act(() => result.current.loadMore());
    expect(fake.callsOf('conversations.page')[1]).toEqual({ filter: 'all', limit: 500, cursor: 'c100', accountId: 3 });
    expect(ids(result.current.items)).toEqual(ids(all));
    expect(result.current.hasMore).toBe(false);
    await act(() => result.current.loadMore());
    expect(fake.callsOf('conversations.page')).toHaveLength(2);

    await act(() => result.current.refresh());
    expect(fake.callsOf('conversations.page')[2]).toEqual({ filter: 'all', limit: 130, accountId: 3 });
  });

  it('a refresh asks for at most 500 rows; without an account it names none', async () => {
    const all = rows(1, 700);
    const fake = installFakeApi({
      'conversations.page': ({ cursor, limit }): Page => {
        const start = cursor ? Number(cursor) : 0;
        return { items: all.slice(start, start + limit), nextCursor: String(start + limit), counts: countsOf(all) };
      },
    });
    const { result } = renderHook(() => useConversations('active'));
    await waitFor(() => expect(result.current.items).toHaveLength(100));
    await act(() => result.current.loadMore());
    expect(result.current.items).toHaveLength(600);
    await act(() => result.current.refresh());
    expect(fake.callsOf('conversations.page')).toEqual([
      { filter: 'active', limit: 100 },
      { filter: 'active', limit: 500, cursor: '100' },
      { filter: 'active', limit: 500 },
    ]);
  });

  it('one page at a time: a second load-more while one is on its way does nothing; a failed one is shown and the next may go', async () => {
    const slow = deferred<Page>();
    let fail = false;
    const fake = installFakeApi({
      'conversations.page': ({ cursor }) => {
        if (!cursor) return { items: rows(1, 2), nextCursor: 'c2', counts: countsOf(rows(1, 4)) };
        if (fail) throw new Error('database is locked');
        return slow.promise;
      },
    });
    const { result } = renderHook(() => useConversations('active'));
    await waitFor(() => expect(result.current.hasMore).toBe(true));
    let first!: Promise<void>;
    act(() => {
      first = result.current.loadMore();
    });
    await act(() => result.current.loadMore());
    expect(fake.callsOf('conversations.page')).toHaveLength(2);
    await act(async () => {
      slow.resolve({ items: rows(3, 3), nextCursor: 'c3', counts: countsOf(rows(1, 4)) });
      await first;
    });
    expect(ids(result.current.items)).toEqual([1, 2, 3]);
    fail = true;
    await act(() => result.current.loadMore());
    expect(result.current.error).toContain('database is locked');
    expect(ids(result.current.items)).toEqual([1, 2, 3]);
    await act(() => result.current.loadMore());
    expect(fake.callsOf('conversations.page')).toHaveLength(4);
  });

  it('a burst of change events refreshes once, 50 ms after the first, a flood every 250 ms; none after unmount', async () => {
    vi.useFakeTimers();
    const fake = installFakeApi({ 'conversations.page': (): Page => ({ items: rows(1, 2), nextCursor: null, counts: countsOf(rows(1, 2)) }) });
    const { result, unmount } = renderHook(() => useConversations('active'));
    await act(async () => {});
    expect(ids(result.current.items)).toEqual([1, 2]);
    expect(fake.callsOf('conversations.page')).toHaveLength(1);

    act(() => {
      for (let i = 0; i < 5; i++) fake.emit('conversations.changed', { accountId: 1, conversationIds: [i + 1] });
    });
    await act(() => vi.advanceTimersByTimeAsync(49));
    expect(fake.callsOf('conversations.page')).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(fake.callsOf('conversations.page')).toHaveLength(2);
    // Changes keep coming: the next refresh starts 250 ms after the last one did.
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [1] }));
    await act(() => vi.advanceTimersByTimeAsync(249));
    expect(fake.callsOf('conversations.page')).toHaveLength(2);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(fake.callsOf('conversations.page')).toHaveLength(3);

    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [1] }));
    unmount();
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(fake.callsOf('conversations.page')).toHaveLength(3);
  });

  it('another filter shows loading and no rows until its first page comes', async () => {
    const page = deferred<Page>();
    installFakeApi({ 'conversations.page': ({ filter }) => (filter === 'active' ? { items: rows(1, 2), nextCursor: 'c', counts: countsOf(rows(1, 2)) } : page.promise) });
    const { result, rerender } = renderHook(({ filter }: { filter: 'active' | 'closed' }) => useConversations(filter), { initialProps: { filter: 'active' } });
    await waitFor(() => expect(result.current.items).toHaveLength(2));
    rerender({ filter: 'closed' });
    expect(result.current).toMatchObject({ items: [], loading: true, hasMore: false, error: null });
    await act(async () => page.resolve({ items: [], nextCursor: null, counts: countsOf(rows(1, 2)) }));
    expect(result.current.loading).toBe(false);
  });
});
