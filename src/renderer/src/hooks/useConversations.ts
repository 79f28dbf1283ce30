import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationFilter, ConversationSummary, StatusCounts } from '../../../shared/domain';
import { api } from '../api';
import { useApiEvent } from './useApiEvent';

const PAGE = 100;
const emptyCounts: StatusCounts = { active: 0, resolved: 0, closed: 0, all: 0 };

/** The inbox list: pages loaded on demand, refreshed in place when the core reports changes. */
export function useConversations(filter: ConversationFilter) {
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [counts, setCounts] = useState<StatusCounts>(emptyCounts);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [shownFilter, setShownFilter] = useState(filter);
  const cursor = useRef<string | null>(null);
  const loadingMore = useRef(false);
  const loaded = useRef(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // A new filter shows "loading" until its first page arrives (state adjusted during render).
  if (shownFilter !== filter) {
    setShownFilter(filter);
    setLoading(true);
  }

  const refresh = useCallback(async () => {
    try {
      const limit = Math.min(500, Math.max(PAGE, loaded.current));
      const page = await api().invoke('conversations.page', { filter, limit });
      cursor.current = page.nextCursor;
      setHasMore(page.nextCursor !== null);
      loaded.current = page.items.length;
      setItems(page.items);
      setCounts(page.counts);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [filter]);

  const loadMore = useCallback(async () => {
    if (!cursor.current || loadingMore.current) return;
    loadingMore.current = true;
    try {
      const page = await api().invoke('conversations.page', { filter, limit: PAGE * 5, cursor: cursor.current });
      cursor.current = page.nextCursor;
      setHasMore(page.nextCursor !== null);
      setItems((list) => {
        const seen = new Set(list.map((c) => c.id));
        const next = [...list, ...page.items.filter((c) => !seen.has(c.id))];
        loaded.current = next.length;
        return next;
      });
    } finally {
      loadingMore.current = false;
    }
  }, [filter]);

  useEffect(() => {
    loaded.current = 0;
    void refresh();
  }, [refresh]);

  // Bursts of changes refresh once.
  useApiEvent('conversations.changed', () => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      void refresh();
    }, 50);
  });

  return { items, counts, loading, error, hasMore, loadMore, refresh };
}
