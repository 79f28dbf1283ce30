import { useCallback, useEffect, useState } from 'react';
import type { Account } from '../../../shared/domain';
import { api } from '../api';
import { useApiEvent } from './useApiEvent';

export function useAccounts() {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outbox, setOutbox] = useState<Record<number, { pending: number; failed: number }>>({});
  const [progress, setProgress] = useState<Record<number, { done: number; total: number | null }>>({});

  const load = useCallback(async () => {
    try {
      setAccounts(await api().invoke('accounts.list'));
      const counts = await api().invoke('outbox.counts');
      setOutbox(Object.fromEntries(counts.map((c) => [c.accountId, c])));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  useEffect(() => {
    let cancelled = false;
    Promise.all([api().invoke('accounts.list'), api().invoke('outbox.counts')])
      .then(([list, counts]) => {
        if (cancelled) return;
        setAccounts(list);
        setOutbox(Object.fromEntries(counts.map((c) => [c.accountId, c])));
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, []);
  useApiEvent('connection.state', (s) =>
    setAccounts((list) => list?.map((a) => (a.id === s.accountId ? { ...a, connectionState: s.state, stateDetail: s.detail, lastSyncedAt: s.lastSyncedAt } : a)) ?? list),
  );
  useApiEvent('outbox.counts', (c) => setOutbox((o) => ({ ...o, [c.accountId]: c })));
  useApiEvent('sync.progress', (p) => setProgress((o) => ({ ...o, [p.accountId]: p })));
  useApiEvent('conversations.changed', (c) => {
    if (c.conversationIds.length === 0) void load();
  });

  return { accounts, error, outbox, progress, reload: load };
}
