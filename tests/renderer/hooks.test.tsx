// The renderer's data hooks over the fake ConsoleApi (the process boundary): what each loads, which
// pushed events it follows, and what it shows when the core fails.
import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodOutput } from '../../src/shared/contract';
import type { ConversationDetails, FeedEntry } from '../../src/shared/domain';
import { ConsoleError } from '../../src/shared/errors';
import { useAccounts } from '../../src/renderer/src/hooks/useAccounts';
import { useAppMode } from '../../src/renderer/src/hooks/useAppMode';
import { useConversationDetails } from '../../src/renderer/src/hooks/useConversationDetails';
import { useFeed } from '../../src/renderer/src/hooks/useFeed';
import { useFocusReport } from '../../src/renderer/src/hooks/useFocusReport';
import { useMessages } from '../../src/renderer/src/hooks/useMessages';
import { useSavedReplies } from '../../src/renderer/src/hooks/useSavedReplies';
import { useTransportConnected } from '../../src/renderer/src/hooks/useTransportConnected';
import { deferred, installFakeApi } from './support/fake-api';
import { account, conversation, message } from './support/fixtures';

afterEach(() => vi.restoreAllMocks());

const entry = (id: number, over: Partial<FeedEntry> = {}): FeedEntry => ({
  id,
  accountId: 1,
  remoteId: `n${id}`,
  type: 'note',
  title: `Entry ${id}`,
  body: '',
  payload: null,
  createdAt: 1_700_000_000_000 + id,
  readAt: null,
  ...over,
});
const details = (conversationId: number, over: Partial<ConversationDetails> = {}): ConversationDetails => ({
  conversationId,
  firstSeenAt: 1_700_000_000_000,
  conversationCount: 1,
  statusHistory: [],
  members: [],
  ...over,
});

describe('useAccounts', () => {
  it('loads the accounts with their outbox counts and follows connection, outbox and progress events', async () => {
    const fake = installFakeApi({
      'accounts.list': () => [account({ id: 1 }), account({ id: 2, name: 'other.example' })],
      'outbox.counts': () => [{ accountId: 2, pending: 3, failed: 1 }],
    });
    const { result } = renderHook(() => useAccounts());
    expect(result.current.accounts).toBeNull();
    await waitFor(() => expect(result.current.accounts?.map((a) => a.id)).toEqual([1, 2]));
    expect(result.current.outbox).toEqual({ 2: { accountId: 2, pending: 3, failed: 1 } });
    expect(result.current.error).toBeNull();

    act(() => fake.emit('connection.state', { accountId: 2, state: 'offline', detail: 'no route', lastSyncedAt: 123 }));
    expect(result.current.accounts?.[1]).toMatchObject({ connectionState: 'offline', stateDetail: 'no route', lastSyncedAt: 123 });
    expect(result.current.accounts?.[0]).toMatchObject({ connectionState: 'live', stateDetail: null, lastSyncedAt: null });
    act(() => fake.emit('outbox.counts', { accountId: 1, pending: 1, failed: 0 }));
    expect(result.current.outbox).toEqual({ 1: { accountId: 1, pending: 1, failed: 0 }, 2: { accountId: 2, pending: 3, failed: 1 } });
    act(() => fake.emit('sync.progress', { accountId: 1, done: 5, total: 10 }));
    act(() => fake.emit('sync.progress', { accountId: 2, done: 1, total: null }));
    expect(result.current.progress).toEqual({ 1: { accountId: 1, done: 5, total: 10 }, 2: { accountId: 2, done: 1, total: null } });
  });

  it('reloads when every conversation changed (an account added or removed), not for some of them', async () => {
    let accounts = [account({ id: 1 })];
    const fake = installFakeApi({ 'accounts.list': () => accounts, 'outbox.counts': () => [] });
    const { result } = renderHook(() => useAccounts());
    await waitFor(() => expect(result.current.accounts).toHaveLength(1));
    accounts = [account({ id: 1 }), account({ id: 2 })];
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [7] }));
    await act(async () => {});
    expect(fake.callsOf('accounts.list')).toHaveLength(1);
    act(() => fake.emit('conversations.changed', { accountId: 2, conversationIds: [] }));
    await waitFor(() => expect(result.current.accounts).toHaveLength(2));
    expect(fake.callsOf('outbox.counts')).toHaveLength(2);
  });

  it('says why the first load failed, and a reload that works clears it', async () => {
    let fail = true;
    installFakeApi({
      'accounts.list': () => {
        if (fail) throw new ConsoleError('unavailable', 'The core is not ready.');
        return [account()];
      },
      'outbox.counts': () => [{ accountId: 1, pending: 0, failed: 2 }],
    });
    const { result } = renderHook(() => useAccounts());
    await waitFor(() => expect(result.current.error).toBe('The core is not ready.'));
    expect(result.current.accounts).toBeNull();
    await act(() => result.current.reload());
    expect(result.current.error).toBe('The core is not ready.');
    fail = false;
    await act(() => result.current.reload());
    expect(result.current.error).toBeNull();
    expect(result.current.accounts).toHaveLength(1);
    expect(result.current.outbox).toEqual({ 1: { accountId: 1, pending: 0, failed: 2 } });
  });

  // main.tsx renders in StrictMode: the first mount's load is cancelled, and its late answer must
  // not overwrite the second one's.
  it("in StrictMode the cancelled first load's late answer is dropped, and so is its failure", async () => {
    const late = deferred<MethodOutput<'accounts.list'>>();
    let n = 0;
    const fake = installFakeApi({ 'accounts.list': () => (++n === 1 ? late.promise : [account({ id: 2 })]), 'outbox.counts': () => [] });
    const { result, unmount } = renderHook(() => useAccounts(), { reactStrictMode: true });
    await waitFor(() => expect(result.current.accounts?.map((a) => a.id)).toEqual([2]));
    await act(async () => late.reject(new ConsoleError('internal', 'stale failure')));
    expect(result.current.error).toBeNull();
    expect(result.current.accounts?.map((a) => a.id)).toEqual([2]);
    unmount();
    expect(fake.listeners('connection.state')).toBe(0);
  });

  it("in StrictMode the cancelled first load's late list is dropped", async () => {
    const late = deferred<MethodOutput<'accounts.list'>>();
    let n = 0;
    installFakeApi({ 'accounts.list': () => (++n === 1 ? late.promise : [account({ id: 2 })]), 'outbox.counts': () => [] });
    const { result } = renderHook(() => useAccounts(), { reactStrictMode: true });
    await waitFor(() => expect(result.current.accounts?.map((a) => a.id)).toEqual([2]));
    await act(async () => late.resolve([account({ id: 1 })]));
    expect(result.current.accounts?.map((a) => a.id)).toEqual([2]);
  });
});

describe('useFeed', () => {
  it('loads when enabled, reloads as many as are shown on feed.changed, pages on and marks read', async () => {
    let items = [entry(3), entry(2)];
    const fake = installFakeApi({
      'feed.page': ({ cursor, limit }) => (cursor ? { items: [entry(1)], nextCursor: null, unread: 3 } : { items: items.slice(0, limit), nextCursor: 'c1', unread: items.length }),
      'feed.markRead': () => null,
      'feed.markAllRead': () => null,
    });
    const { result, rerender } = renderHook(({ enabled }: { enabled: boolean }) => useFeed(enabled), { initialProps: { enabled: false } });
    act(() => fake.emit('feed.changed', { accountId: 1, entries: [] }));
    await act(async () => {});
    expect(fake.callsOf('feed.page')).toEqual([]);
    expect(result.current.loading).toBe(true);

    rerender({ enabled: true });
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(fake.callsOf('feed.page')).toEqual([{ limit: 50 }]);
    expect(result.current).toMatchObject({ unread: 2, hasMore: true, error: null });
    expect(result.current.items.map((e) => e.id)).toEqual([3, 2]);

    await act(() => result.current.loadMore());
    expect(fake.callsOf('feed.page')[1]).toEqual({ cursor: 'c1', limit: 50 });
    expect(result.current.items.map((e) => e.id)).toEqual([3, 2, 1]);
    expect(result.current.hasMore).toBe(false);
    await act(() => result.current.loadMore());
    expect(fake.callsOf('feed.page')).toHaveLength(2);

    items = [entry(4), entry(3), entry(2)];
    act(() => fake.emit('feed.changed', { accountId: 1, entries: [] }));
    await waitFor(() => expect(result.current.items.map((e) => e.id)).toEqual([4, 3, 2]));
    expect(fake.callsOf('feed.page')[2]).toEqual({ limit: 100 });

    await act(() => result.current.markRead([]));
    expect(fake.callsOf('feed.markRead')).toEqual([]);
    await act(() => result.current.markRead([4]));
    await act(() => result.current.markAllRead());
    expect(fake.callsOf('feed.markRead')).toEqual([{ entryIds: [4] }]);
    expect(fake.callsOf('feed.markAllRead')).toEqual([{}]);
  });

  it('shows each failure and clears it with the next load that works', async () => {
    let fail = true;
    const broken = () => {
      throw new ConsoleError('internal', 'Disk is full.');
    };
    installFakeApi({
      'feed.page': ({ cursor }) => {
        if (fail || cursor) throw new ConsoleError('unavailable', cursor ? 'No more pages.' : 'Feed is down.');
        return { items: [entry(1)], nextCursor: 'c1', unread: 1 };
      },
      'feed.markRead': broken,
      'feed.markAllRead': broken,
    });
    const { result } = renderHook(() => useFeed(true));
    await waitFor(() => expect(result.current.error).toBe('Feed is down.'));
    expect(result.current.loading).toBe(false);
    expect(result.current.items).toEqual([]);
    fail = false;
    const { result: again } = renderHook(() => useFeed(true));
    await waitFor(() => expect(again.current.items).toHaveLength(1));
    expect(again.current.error).toBeNull();
    await act(() => again.current.loadMore());
    expect(again.current.error).toBe('No more pages.');
    await act(() => again.current.markRead([1]));
    expect(again.current.error).toBe('Disk is full.');
  });

  it('a failed mark-all-read is shown', async () => {
    installFakeApi({
      'feed.page': () => ({ items: [], nextCursor: null, unread: 0 }),
      'feed.markAllRead': () => {
        throw new ConsoleError('internal', 'Could not mark them read.');
      },
    });
    const { result } = renderHook(() => useFeed(true));
    await waitFor(() => expect(result.current.loading).toBe(false));
    await act(() => result.current.markAllRead());
    expect(result.current.error).toBe('Could not mark them read.');
  });
});

describe('useMessages', () => {
  it('loads the newest page, older pages once at a time, and follows added, updated and removed messages of its conversation only', async () => {
    const older = deferred<MethodOutput<'messages.page'>>();
    const fake = installFakeApi({
      'messages.page': ({ before }) => (before ? older.promise : { items: [message(3, 7), message(4, 7)], nextCursor: 'b3' }),
    });
    const { result } = renderHook(() => useMessages(7));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(fake.callsOf('messages.page')).toEqual([{ conversationId: 7, limit: 50 }]);
    expect(result.current.messages.map((m) => m.id)).toEqual([3, 4]);
    expect(result.current.hasOlder).toBe(true);

    let first!: Promise<boolean>;
    act(() => {
      first = result.current.loadOlder();
    });
    expect(await act(() => result.current.loadOlder())).toBe(false);
    expect(fake.callsOf('messages.page')).toHaveLength(2);
    expect(fake.callsOf('messages.page')[1]).toEqual({ conversationId: 7, limit: 50, before: 'b3' });
    older.resolve({ items: [message(1, 7), message(2, 7)], nextCursor: null });
    expect(await act(() => first)).toBe(true);
    expect(result.current.messages.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    expect(result.current.hasOlder).toBe(false);
    expect(await act(() => result.current.loadOlder())).toBe(false);
    expect(fake.callsOf('messages.page')).toHaveLength(2);

    // Live changes are folded in once per frame.
    act(() => fake.emit('messages.added', { conversationId: 8, messages: [message(9, 8)] }));
    act(() => fake.emit('messages.added', { conversationId: 7, messages: [message(5, 7)] }));
    act(() => fake.emit('messages.updated', { conversationId: 8, messages: [message(5, 8, { content: 'elsewhere' })] }));
    act(() => fake.emit('messages.updated', { conversationId: 7, messages: [message(4, 7, { content: 'edited' })] }));
    await waitFor(() => expect(result.current.messages.map((m) => [m.id, m.content])).toEqual([[1, 'Text 1'], [2, 'Text 2'], [3, 'Text 3'], [4, 'edited'], [5, 'Text 5']]));
    act(() => fake.emit('messages.removed', { conversationId: 8, messageIds: [1] }));
    act(() => fake.emit('messages.removed', { conversationId: 7, messageIds: [2] }));
    await waitFor(() => expect(result.current.messages.map((m) => m.id)).toEqual([1, 3, 4, 5]));
  });

  it('an empty older page says so; a failed first load is shown', async () => {
    installFakeApi({ 'messages.page': ({ before }) => (before ? { items: [], nextCursor: null } : { items: [message(1, 7)], nextCursor: 'b1' }) });
    const { result } = renderHook(() => useMessages(7));
    await waitFor(() => expect(result.current.hasOlder).toBe(true));
    expect(await act(() => result.current.loadOlder())).toBe(false);
    expect(result.current.hasOlder).toBe(false);

    installFakeApi({
      'messages.page': () => {
        throw new ConsoleError('not-found', 'No such conversation.');
      },
    });
    const { result: failed } = renderHook(() => useMessages(8));
    await waitFor(() => expect(failed.current.loading).toBe(false));
    expect(failed.current.error).toBe('No such conversation.');
    expect(failed.current.messages).toEqual([]);
  });

  it("in StrictMode the cancelled first load ending first does not end the loading", async () => {
    const second = deferred<MethodOutput<'messages.page'>>();
    let n = 0;
    installFakeApi({ 'messages.page': () => (++n === 1 ? { items: [message(1, 7)], nextCursor: null } : second.promise) });
    const { result } = renderHook(() => useMessages(7), { reactStrictMode: true });
    await waitFor(() => expect(n).toBe(2));
    await act(async () => {});
    expect(result.current.loading).toBe(true);
    expect(result.current.messages).toEqual([]);
    await act(async () => second.resolve({ items: [message(2, 7)], nextCursor: null }));
    expect(result.current.loading).toBe(false);
    expect(result.current.messages.map((m) => m.id)).toEqual([2]);
  });

  it('no conversation: nothing to load and no older pages', async () => {
    const fake = installFakeApi({});
    const { result } = renderHook(() => useMessages(null));
    expect(result.current.loading).toBe(false);
    expect(await act(() => result.current.loadOlder())).toBe(false);
    expect(fake.calls).toEqual([]);
  });

  it("in StrictMode the cancelled first load's late answer, or failure, is dropped", async () => {
    const late = deferred<MethodOutput<'messages.page'>>();
    let n = 0;
    installFakeApi({ 'messages.page': () => (++n === 1 ? late.promise : { items: [message(2, 7)], nextCursor: null }) });
    const { result } = renderHook(() => useMessages(7), { reactStrictMode: true });
    await waitFor(() => expect(result.current.messages.map((m) => m.id)).toEqual([2]));
    await act(async () => late.resolve({ items: [message(1, 7)], nextCursor: 'x' }));
    expect(result.current.messages.map((m) => m.id)).toEqual([2]);
    expect(result.current.hasOlder).toBe(false);

    const failing = deferred<MethodOutput<'messages.page'>>();
    let k = 0;
    installFakeApi({ 'messages.page': () => (++k === 1 ? failing.promise : { items: [message(3, 8)], nextCursor: null }) });
    const { result: other } = renderHook(() => useMessages(8), { reactStrictMode: true });
    await waitFor(() => expect(other.current.loading).toBe(false));
    await act(async () => failing.reject(new ConsoleError('internal', 'stale failure')));
    expect(other.current.error).toBeNull();
  });
});

describe('useConversationDetails', () => {
  it('loads for the conversation shown, again when its status or email changes or a change event names it, newest answer winning', async () => {
    let count = 1;
    const fake = installFakeApi({ 'conversations.details': ({ conversationId }) => details(conversationId, { conversationCount: count }) });
    const { result, rerender } = renderHook(({ c }) => useConversationDetails(c), { initialProps: { c: conversation(1) } });
    await waitFor(() => expect(result.current?.conversationCount).toBe(1));
    expect(fake.callsOf('conversations.details')).toEqual([{ conversationId: 1 }]);

    count = 2;
    rerender({ c: conversation(1, { status: 'resolved' }) });
    await waitFor(() => expect(result.current?.conversationCount).toBe(2));
    count = 3;
    rerender({ c: conversation(1, { status: 'resolved', visitorEmail: 'ana@example.com' }) });
    await waitFor(() => expect(result.current?.conversationCount).toBe(3));
    rerender({ c: conversation(1, { status: 'resolved', visitorEmail: 'ana@example.com', unreadCount: 4 }) });
    await act(async () => {});
    expect(fake.callsOf('conversations.details')).toHaveLength(3);

    count = 4;
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [2] }));
    await act(async () => {});
    expect(fake.callsOf('conversations.details')).toHaveLength(3);
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [2, 1] }));
    await waitFor(() => expect(result.current?.conversationCount).toBe(4));
    count = 5;
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [] }));
    await waitFor(() => expect(result.current?.conversationCount).toBe(5));
  });

  it('shows nothing of another conversation, and an older answer does not overwrite a newer one', async () => {
    const slow = deferred<ConversationDetails>();
    installFakeApi({ 'conversations.details': ({ conversationId }) => (conversationId === 1 ? slow.promise : details(conversationId)) });
    const { result, rerender } = renderHook(({ c }) => useConversationDetails(c), { initialProps: { c: conversation(1) } });
    rerender({ c: conversation(2) });
    await waitFor(() => expect(result.current?.conversationId).toBe(2));
    await act(async () => slow.resolve(details(1)));
    expect(result.current?.conversationId).toBe(2);
  });

  it("while the next conversation's details are on their way, the previous one's are not shown", async () => {
    const slow = deferred<ConversationDetails>();
    installFakeApi({ 'conversations.details': ({ conversationId }) => (conversationId === 2 ? slow.promise : details(conversationId)) });
    const { result, rerender } = renderHook(({ c }) => useConversationDetails(c), { initialProps: { c: conversation(1) } });
    await waitFor(() => expect(result.current?.conversationId).toBe(1));
    rerender({ c: conversation(2) });
    expect(result.current).toBeNull();
    await act(async () => slow.resolve(details(2)));
    expect(result.current?.conversationId).toBe(2);
  });

  it('changes while a load is on its way ask for one more load after it, not one each; an equal answer keeps the shown object', async () => {
    const answers: ReturnType<typeof deferred<ConversationDetails>>[] = [];
    const fake = installFakeApi({
      'conversations.details': () => {
        const next = deferred<ConversationDetails>();
        answers.push(next);
        return next.promise;
      },
    });
    const { result } = renderHook(() => useConversationDetails(conversation(1)));
    expect(fake.callsOf('conversations.details')).toHaveLength(1);
    for (let i = 0; i < 5; i++) act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [1] }));
    expect(fake.callsOf('conversations.details')).toHaveLength(1);
    await act(async () => answers[0]!.resolve(details(1, { conversationCount: 2 })));
    await waitFor(() => expect(fake.callsOf('conversations.details')).toHaveLength(2));
    expect(result.current?.conversationCount).toBe(2);
    const shown = result.current;
    await act(async () => answers[1]!.resolve(details(1, { conversationCount: 2 })));
    expect(result.current).toBe(shown);
    expect(fake.callsOf('conversations.details')).toHaveLength(2);
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [1] }));
    // The next change loads again (a flood's changes at most twice a second).
    await waitFor(() => expect(fake.callsOf('conversations.details')).toHaveLength(3));
    await act(async () => answers[2]!.resolve(details(1, { conversationCount: 3 })));
    expect(result.current?.conversationCount).toBe(3);
  });

  it('a failed load keeps what was shown and is logged', async () => {
    let fail = false;
    const fake = installFakeApi({
      'conversations.details': ({ conversationId }) => {
        if (fail) throw new ConsoleError('internal', 'Disk error.');
        return details(conversationId, { conversationCount: 2 });
      },
    });
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { result } = renderHook(() => useConversationDetails(conversation(1)));
    await waitFor(() => expect(result.current?.conversationCount).toBe(2));
    fail = true;
    act(() => fake.emit('conversations.changed', { accountId: 1, conversationIds: [1] }));
    await waitFor(() => expect(logged).toHaveBeenCalled());
    expect(String(logged.mock.calls.flat().join(' '))).toContain('conversations.details');
    expect(result.current?.conversationCount).toBe(2);
  });
});

describe('useFocusReport', () => {
  it('reports the conversation shown and whether the window has focus, on focus, blur and visibility changes, until unmounted', async () => {
    const fake = installFakeApi({ 'app.focus': () => null });
    let focused = true;
    vi.spyOn(document, 'hasFocus').mockImplementation(() => focused);
    let visibility: DocumentVisibilityState = 'visible';
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    const { rerender, unmount } = renderHook(({ id }: { id: number | null }) => useFocusReport(id), { initialProps: { id: 5 as number | null } });
    expect(fake.callsOf('app.focus')).toEqual([{ focused: true, conversationId: 5 }]);
    focused = false;
    act(() => window.dispatchEvent(new Event('blur')));
    focused = true;
    act(() => window.dispatchEvent(new Event('focus')));
    visibility = 'hidden';
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(fake.callsOf('app.focus').slice(1)).toEqual([
      { focused: false, conversationId: 5 },
      { focused: true, conversationId: 5 },
      { focused: false, conversationId: 5 },
    ]);
    visibility = 'visible';
    rerender({ id: null });
    expect(fake.callsOf('app.focus').at(-1)).toEqual({ focused: true, conversationId: null });
    const before = fake.callsOf('app.focus').length;
    // Only the current conversation's listeners are left: one report per event.
    act(() => window.dispatchEvent(new Event('focus')));
    expect(fake.callsOf('app.focus')).toHaveLength(before + 1);
    unmount();
    act(() => window.dispatchEvent(new Event('focus')));
    act(() => window.dispatchEvent(new Event('blur')));
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(fake.callsOf('app.focus')).toHaveLength(before + 1);
  });

  it('a failed report is logged', async () => {
    installFakeApi({});
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => {});
    renderHook(() => useFocusReport(1));
    await waitFor(() => expect(logged).toHaveBeenCalled());
    expect(String(logged.mock.calls.flat().join(' '))).toContain('app.focus');
  });
});

describe('small hooks', () => {
  it('useAppMode is null until the core says, then its mode; a failure is logged and leaves it null', async () => {
    installFakeApi({ 'app.info': () => ({ version: '1', mode: 'web', secretsEncrypted: false, dataDir: '/tmp' }) });
    const { result } = renderHook(() => useAppMode());
    expect(result.current).toBeNull();
    await waitFor(() => expect(result.current).toBe('web'));

    installFakeApi({});
    const logged = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { result: failed } = renderHook(() => useAppMode());
    await waitFor(() => expect(logged).toHaveBeenCalled());
    expect(String(logged.mock.calls.flat().join(' '))).toContain('app.info');
    expect(failed.current).toBeNull();
  });

  it("useAppMode in StrictMode drops the cancelled first load's late answer", async () => {
    const late = deferred<MethodOutput<'app.info'>>();
    let n = 0;
    installFakeApi({ 'app.info': () => (++n === 1 ? late.promise : { version: '1', mode: 'web', secretsEncrypted: false, dataDir: '/tmp' }) });
    const { result } = renderHook(() => useAppMode(), { reactStrictMode: true });
    await waitFor(() => expect(result.current).toBe('web'));
    await act(async () => late.resolve({ version: '1', mode: 'electron', secretsEncrypted: true, dataDir: '/tmp' }));
    expect(result.current).toBe('web');
  });

  it('useSavedReplies loads, reloads on savedReplies.changed and shows a failure', async () => {
    let fail = false;
    let replies = [{ id: 1, title: 'Hi', content: 'Hello!', updatedAt: 1 }];
    const fake = installFakeApi({
      'savedReplies.list': () => {
        if (fail) throw new ConsoleError('internal', 'Could not read them.');
        return replies;
      },
    });
    const { result } = renderHook(() => useSavedReplies());
    expect(result.current).toMatchObject({ replies: [], loaded: false, error: null });
    await waitFor(() => expect(result.current.loaded).toBe(true));
    expect(result.current.replies.map((r) => r.title)).toEqual(['Hi']);
    fail = true;
    act(() => fake.emit('savedReplies.changed', { count: 1 }));
    await waitFor(() => expect(result.current.error).not.toBeNull());
    expect(result.current.replies.map((r) => r.title)).toEqual(['Hi']);
    fail = false;
    replies = [...replies, { id: 2, title: 'Bye', content: 'Goodbye!', updatedAt: 2 }];
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.replies).toHaveLength(2));
    expect(result.current.error).toBeNull();
  });

  it('useTransportConnected follows the transport, and is true where the transport never says', () => {
    installFakeApi({});
    expect(renderHook(() => useTransportConnected()).result.current).toBe(true);

    let listener: ((connected: boolean) => void) | null = null;
    const unsubscribe = vi.fn();
    Object.defineProperty(window.switchboard, 'onConnection', {
      configurable: true,
      value: (l: (connected: boolean) => void) => {
        listener = l;
        return unsubscribe;
      },
    });
    const { result, unmount } = renderHook(() => useTransportConnected());
    expect(result.current).toBe(true);
    act(() => listener?.(false));
    expect(result.current).toBe(false);
    act(() => listener?.(true));
    expect(result.current).toBe(true);
    unmount();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
  });
});
