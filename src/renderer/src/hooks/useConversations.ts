import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ConversationFilter, ConversationSummary, StatusCounts } from '../../../shared/domain';
import { api } from '../api';
import { CoalescedLoad } from '../lib/coalesced-load';
import { errorText, logFailure } from '../lib/errors';
import { useApiEvent } from './useApiEvent';

const PAGE = 100;
const emptyCounts: StatusCounts = { active: 0, resolved: 0, closed: 0, all: 0 };
/** A change refreshes the list after this; a burst of changes refreshes once… */
const CHANGE_DELAY_MS = 50;
/** …and while changes keep coming (an agent run: ~100 a second), at most this often. */
const CHANGE_GAP_MS = 250;

/** What a list load was for. An answer is used only while its ticket is still the latest one. */
interface Ticket {
  filter: ConversationFilter;
  accountId: number | undefined;
  generation: number;
}

/**
 * The inbox list: pages loaded on demand, refreshed in place when the core reports changes.
 * Loads for a filter or account that is no longer shown, or overtaken by a newer load, are
 * dropped when they answer, so the rows always belong to the filter and counts beside them.
 */
export function useConversations(filter: ConversationFilter, accountId?: number) {
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [counts, setCounts] = useState<StatusCounts>(emptyCounts);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [shown, setShown] = useState({ filter, accountId });
  const latest = useRef<Ticket>({ filter, accountId, generation: 0 });
  const cursor = useRef<string | null>(null);
  const loadingMore = useRef<Ticket | null>(null);
  const loaded = useRef(0);

  // Another filter or account shows "loading" and none of the old rows until its first page
  // arrives (state adjusted during render, so no frame shows old rows under the new filter).
  if (shown.filter !== filter || shown.accountId !== accountId) {
    setShown({ filter, accountId });
    setItems([]);
    setHasMore(false);
    setError(null);
    setLoading(true);
  }

  const isLatest = (t: Ticket) => {
    const l = latest.current;
    return t.filter === l.filter && t.accountId === l.accountId && t.generation === l.generation;
  };

  const refresh = useCallback(async () => {
    const ticket: Ticket = { filter, accountId, generation: ++latest.current.generation };
    try {
      const limit = Math.min(500, Math.max(PAGE, loaded.current));
      const page = await api().invoke('conversations.page', { filter, limit, ...(accountId === undefined ? {} : { accountId }) });
      if (!isLatest(ticket)) return;
      const first = loaded.current === 0;
      cursor.current = page.nextCursor;
      loaded.current = page.items.length;
      const show = () => {
        setHasMore(page.nextCursor !== null);
        setItems(page.items);
        setCounts(page.counts);
        setError(null);
        setLoading(false);
      };
      // A list's first page is drawn in the task that brought it, not in a render React schedules
      // as a later task: in a fresh window that task waited behind the other answers and timers
      // queued meanwhile (bench: ui, first mount). Later refreshes render as usual.
      if (first) flushSync(show);
      else show();
    } catch (e) {
      if (isLatest(ticket)) setError(errorText(e));
    } finally {
      if (isLatest(ticket)) setLoading(false);
    }
  }, [filter, accountId]);

  const loadMore = useCallback(async () => {
    const from = cursor.current;
    if (!from || loadingMore.current) return;
    const ticket: Ticket = { ...latest.current };
    loadingMore.current = ticket;
    try {
      const page = await api().invoke('conversations.page', { filter, limit: PAGE * 5, cursor: from, ...(accountId === undefined ? {} : { accountId }) });
      if (!isLatest(ticket)) return;
      cursor.current = page.nextCursor;
      setHasMore(page.nextCursor !== null);
      setItems((list) => {
        const seen = new Set(list.map((c) => c.id));
        const next = [...list, ...page.items.filter((c) => !seen.has(c.id))];
        loaded.current = next.length;
        return next;
      });
    } catch (e) {
      if (isLatest(ticket)) setError(errorText(e));
    } finally {
      if (loadingMore.current === ticket) loadingMore.current = null;
    }
  }, [filter, accountId]);

  // The change events' timer runs the refresh of the filter shown when it fires, not of the
  // render that scheduled it.
  const refreshRef = useRef(refresh);
  useEffect(() => {
    refreshRef.current = refresh;
    latest.current = { filter, accountId, generation: latest.current.generation + 1 };
    cursor.current = null;
    loadingMore.current = null;
    loaded.current = 0;
    void refresh();
  }, [refresh, filter, accountId]);

  // Bursts of changes refresh once, and floods a few times a second.
  const onChange = useRef<CoalescedLoad | null>(null);
  useEffect(() => {
    const load = new CoalescedLoad(() => refreshRef.current(), { delayMs: CHANGE_DELAY_MS, gapMs: CHANGE_GAP_MS, oneAtATime: false, onError: (e) => logFailure('conversations.page', e) });
    onChange.current = load;
    return () => load.stop();
  }, []);
  useApiEvent('conversations.changed', () => onChange.current?.request());

  return { items, counts, loading, error, hasMore, loadMore, refresh };
}
