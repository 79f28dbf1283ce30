import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { applyLiveChanges, emptyMessageList, mergeMessages, type LiveChange, type MessageList } from '../lib/message-list';
import { useApiEvent } from './useApiEvent';

/** One conversation's messages: the newest page first, older pages on demand, live updates and removals. */
export function useMessages(conversationId: number | null) {
  const [list, setList] = useState<MessageList>(emptyMessageList);
  const [loading, setLoading] = useState(conversationId !== null);
  const [error, setError] = useState<string | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const cursor = useRef<string | null>(null);
  const loadingOlder = useRef(false);
  const live = useLiveBatch(setList);

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

  useApiEvent('messages.added', (e) => e.conversationId === conversationId && live({ merge: e.messages }));
  useApiEvent('messages.updated', (e) => e.conversationId === conversationId && live({ merge: e.messages }));
  useApiEvent('messages.removed', (e) => e.conversationId === conversationId && live({ remove: e.messageIds }));

  return { messages: list.messages, loading, error, hasOlder, loadOlder };
}

/** A hidden window draws no frames: its changes are folded in this often instead. */
const HIDDEN_FLUSH_MS = 250;

/**
 * Live changes folded into the list once per frame, in the order they came: an agent run sends
 * about a hundred events a second, and every render of the pane measures and lays out its rows
 * (bench openmanusui). A timer stands in for the frame where none is drawn (a hidden window),
 * so changes never pile up.
 */
function useLiveBatch(setList: (update: (current: MessageList) => MessageList) => void): (change: LiveChange) => void {
  const pending = useRef<LiveChange[]>([]);
  const scheduled = useRef<{ frame: number; timer: ReturnType<typeof setTimeout> } | null>(null);
  const cancel = useCallback(() => {
    const s = scheduled.current;
    if (!s) return;
    cancelAnimationFrame(s.frame);
    clearTimeout(s.timer);
    scheduled.current = null;
  }, []);
  const flush = useCallback(() => {
    cancel();
    const changes = pending.current;
    pending.current = [];
    if (changes.length > 0) setList((current) => applyLiveChanges(current, changes));
  }, [cancel, setList]);
  // The pane is mounted per conversation: what is still pending belongs to the one left.
  useEffect(() => cancel, [cancel]);
  return useCallback(
    (change: LiveChange) => {
      pending.current.push(change);
      if (!scheduled.current) scheduled.current = { frame: requestAnimationFrame(flush), timer: setTimeout(flush, HIDDEN_FLUSH_MS) };
    },
    [flush],
  );
}
