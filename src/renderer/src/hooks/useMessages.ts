import { useCallback, useEffect, useRef, useState } from 'react';
import type { Message } from '../../../shared/domain';
import { api } from '../api';
import { useApiEvent } from './useApiEvent';

const order = (a: Message, b: Message) => a.createdAt - b.createdAt || a.id - b.id;

function merge(list: Message[], incoming: Message[]): Message[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort(order);
}

/** One conversation's messages: the newest page first, older pages on demand, live updates. */
export function useMessages(conversationId: number | null) {
  const [messages, setMessages] = useState<Message[]>([]);
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
        setMessages((current) => merge(current, page.items));
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
      setMessages((current) => merge(current, page.items));
      return page.items.length > 0;
    } finally {
      loadingOlder.current = false;
    }
  }, [conversationId]);

  useApiEvent('messages.added', (e) => e.conversationId === conversationId && setMessages((current) => merge(current, e.messages)));
  useApiEvent('messages.updated', (e) => e.conversationId === conversationId && setMessages((current) => merge(current, e.messages)));

  return { messages, loading, error, hasOlder, loadOlder };
}
