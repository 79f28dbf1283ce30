import { useCallback, useEffect, useRef, useState } from 'react';
import type { FeedEntry } from '../../../shared/domain';
import { api } from '../api';
import { useApiEvent } from './useApiEvent';

const PAGE = 50;

export interface FeedState {
  items: FeedEntry[];
  unread: number;
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => Promise<void>;
  markRead: (ids: number[]) => Promise<void>;
  markAllRead: () => Promise<void>;
}

/** Every notification feed entry, newest first, kept current by 'feed.changed'. */
export function useFeed(enabled: boolean): FeedState {
  const [items, setItems] = useState<FeedEntry[]>([]);
  const [unread, setUnread] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const shown = useRef(PAGE);

  // One reload of as many entries as are shown: new ones land on top, read changes in place.
  const reload = useCallback(async () => {
    try {
      const r = await api().invoke('feed.page', { limit: Math.min(500, shown.current) });
      setItems(r.items);
      setUnread(r.unread);
      setCursor(r.nextCursor);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);
  useApiEvent('feed.changed', () => {
    if (enabled) void reload();
  });

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    try {
      const r = await api().invoke('feed.page', { cursor, limit: PAGE });
      setItems((prev) => [...prev, ...r.items]);
      setCursor(r.nextCursor);
      shown.current += PAGE;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [cursor]);

  const markRead = useCallback(async (ids: number[]) => {
    if (ids.length === 0) return;
    try {
      await api().invoke('feed.markRead', { entryIds: ids });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  const markAllRead = useCallback(async () => {
    try {
      await api().invoke('feed.markAllRead', {});
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  return { items, unread, loading, error, hasMore: cursor !== null, loadMore, markRead, markAllRead };
}
