// useConversations across a switch of filter: what the list shows while the new filter's first
// page is on its way, an old filter's late failure, and "load more" after the switch (mutants of
// the hook's switch handling that the race tests did not catch).
import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ConversationFilter, ConversationSummary } from '../../src/shared/domain';
import type { MethodOutput } from '../../src/shared/contract';
import { ConsoleError } from '../../src/shared/errors';
import { useConversations } from '../../src/renderer/src/hooks/useConversations';
import { deferred, installFakeApi } from './support/fake-api';
import { conversation, countsOf } from './support/fixtures';

type Page = MethodOutput<'conversations.page'>;
const ids = (items: ConversationSummary[]) => items.map((c) => c.id);
const render = (filter: ConversationFilter) =>
  renderHook(({ filter: f }: { filter: ConversationFilter }) => useConversations(f), { initialProps: { filter } });

describe('useConversations across a filter switch', () => {
  it('starts loading with nothing more to load, and says whether there is more once the page is in', async () => {
    const all = [conversation(1), conversation(2)];
    const first = deferred<Page>();
    installFakeApi({ 'conversations.page': () => first.promise });
    const { result } = render('active');
    expect(result.current).toMatchObject({ loading: true, hasMore: false, items: [] });
    await act(async () => first.resolve({ items: all, nextCursor: null, counts: countsOf(all) }));
    expect(result.current).toMatchObject({ loading: false, hasMore: false });
    expect(ids(result.current.items)).toEqual([1, 2]);
  });

  it('shows none of the old rows, and "loading", while the new filter’s first page is on its way', async () => {
    const all = [conversation(1, { status: 'resolved' }), conversation(2)];
    const resolvedPage = deferred<Page>();
    installFakeApi({
      'conversations.page': ({ filter }) => (filter === 'resolved' ? resolvedPage.promise : { items: [all[1]!], nextCursor: 'more', counts: countsOf(all) }),
    });
    const { result, rerender } = render('active');
    await waitFor(() => expect(ids(result.current.items)).toEqual([2]));
    expect(result.current.hasMore).toBe(true);
    rerender({ filter: 'resolved' });
    expect(result.current).toMatchObject({ loading: true, hasMore: false, items: [] });
    await act(async () => resolvedPage.resolve({ items: [all[0]!], nextCursor: null, counts: countsOf(all) }));
    expect(ids(result.current.items)).toEqual([1]);
    expect(result.current.loading).toBe(false);
  });

  it('an old filter’s page that fails after the switch neither shows its error nor ends the new filter’s loading', async () => {
    const all = [conversation(1, { status: 'resolved' }), conversation(2)];
    const activePage = deferred<Page>();
    const resolvedPage = deferred<Page>();
    installFakeApi({ 'conversations.page': ({ filter }) => (filter === 'active' ? activePage.promise : resolvedPage.promise) });
    const { result, rerender } = render('active');
    rerender({ filter: 'resolved' });
    await act(async () => activePage.reject(new ConsoleError('unavailable', 'The old page failed.')));
    expect(result.current.error).toBeNull();
    expect(result.current.loading).toBe(true);
    await act(async () => resolvedPage.resolve({ items: [all[0]!], nextCursor: null, counts: countsOf(all) }));
    expect(result.current).toMatchObject({ loading: false, error: null });
  });

  it('"load more" after a switch asks for the filter shown, and says when the list ends', async () => {
    const all = [conversation(1, { status: 'resolved' }), conversation(2, { status: 'resolved' }), conversation(3)];
    const fake = installFakeApi({
      'conversations.page': ({ filter, cursor }) => {
        const rows = all.filter((c) => c.status === filter);
        if (filter === 'active') return { items: rows, nextCursor: 'active-more', counts: countsOf(all) };
        if (cursor === 'resolved-more') return { items: rows.slice(1), nextCursor: 'resolved-end', counts: countsOf(all) };
        if (cursor === 'resolved-end') return { items: [], nextCursor: null, counts: countsOf(all) };
        return { items: rows.slice(0, 1), nextCursor: 'resolved-more', counts: countsOf(all) };
      },
    });
    const { result, rerender } = render('active');
    await waitFor(() => expect(ids(result.current.items)).toEqual([3]));
    rerender({ filter: 'resolved' });
    await waitFor(() => expect(ids(result.current.items)).toEqual([1]));
    expect(result.current.hasMore).toBe(true);
    await act(() => result.current.loadMore());
    const last = fake.callsOf('conversations.page').at(-1) as { filter: string; cursor?: string };
    expect(last).toMatchObject({ filter: 'resolved', cursor: 'resolved-more' });
    expect(ids(result.current.items)).toEqual([1, 2]);
    expect(result.current.hasMore).toBe(true);
    await act(() => result.current.loadMore());
    expect(fake.callsOf('conversations.page').at(-1)).toMatchObject({ filter: 'resolved', cursor: 'resolved-end' });
    expect(result.current.hasMore).toBe(false);
  });
});
