import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { emptyMessageList, mergeMessages, removeMessages, type MessageList } from '../lib/message-list';
import { useApiEvent } from './useApiEvent';

/** One conversation's messages: the newest page first, older pages on demand, live updates and removals. */
export function useMessages(conversationId: number | null) {
  const [list, setList] = useState<MessageList>(emptyMessageList);
  const [loading, setLoading] = useState(conversationId !== null);
  const [error, setError] = useState<string | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const cursor = useRef<string | null>(null);
  const loadingOlder = useRef(false);

  // Mounted per conversation (the pane is keyed by it), so there is nothing to reset here.
  useEffect(() => {
    if (conversationId === null) return;
    let cancelled = false;
    api()
      .invoke('messages.page', { conversationId, limit: 50 })
      .then((page) => {
        if (cancelled) return;
        cursor.current = page.nextCursor;
        setHasOlder(page.nextCursor !== null);
        setList((current) => mergeMessages(current, page.items));
        setError(null);
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [conversationId]);

  const loadOlder = useCallback(async () => {
    if (conversationId === null || !cursor.current || loadingOlder.current) return false;
    loadingOlder.current = true;
    try {
      const page = await api().invoke('messages.page', { conversationId, limit: 50, before: cursor.current });
      cursor.current = page.nextCursor;
      setHasOlder(page.nextCursor !== null);
      setList((current) => mergeMessages(current, page.items));
      return page.items.length > 0;
    } finally {
      loadingOlder.current = false;
    }
  }, [conversationId]);

  useApiEvent('messages.added', (e) => e.conversationId === conversationId && setList((current) => mergeMessages(current, e.messages)));
  useApiEvent('messages.updated', (e) => e.conversationId === conversationId && setList((current) => mergeMessages(current, e.messages)));
  useApiEvent('messages.removed', (e) => e.conversationId === conversationId && setList((current) => removeMessages(current, e.messageIds)));

  return { messages: list.messages, loading, error, hasOlder, loadOlder };
}
