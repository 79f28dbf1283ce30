import { useCallback, useEffect, useState } from 'react';
import type { Account, ConversationFilter, ConversationSummary, StatusCounts } from '../../shared/domain';
import { api } from './api';

export interface InboxState {
  accounts: Account[];
  conversations: ConversationSummary[];
  counts: StatusCounts;
  loading: boolean;
  error: string | null;
}

const emptyCounts: StatusCounts = { active: 0, resolved: 0, closed: 0, all: 0 };

export function useInbox(filter: ConversationFilter) {
  const [state, setState] = useState<InboxState>({ accounts: [], conversations: [], counts: emptyCounts, loading: true, error: null });

  const load = useCallback(async () => {
    try {
      const [accounts, page] = await Promise.all([
        api().invoke('accounts.list'),
        api().invoke('conversations.page', { filter, limit: 100 }),
      ]);
      setState({ accounts, conversations: page.items, counts: page.counts, loading: false, error: null });
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error: error instanceof Error ? error.message : String(error) }));
    }
  }, [filter]);

  useEffect(() => {
    void load();
    const offs = [
      api().on('conversations.changed', () => void load()),
      api().on('connection.state', () => void load()),
    ];
    return () => offs.forEach((off) => off());
  }, [load]);

  return { ...state, reload: load };
}
