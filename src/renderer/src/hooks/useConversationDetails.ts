import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationDetails, ConversationSummary } from '../../../shared/domain';
import { api } from '../api';
import { logFailure } from '../lib/errors';
import { useApiEvent } from './useApiEvent';

/**
 * The details pane's data for one conversation: first seen, conversation count, status history.
 * Fetched again whenever the conversation changes (its status, a sync), newest answer wins.
 */
export function useConversationDetails(conversation: ConversationSummary) {
  const { id, status, visitorEmail } = conversation;
  const [details, setDetails] = useState<ConversationDetails | null>(null);
  const latest = useRef(0);

  const load = useCallback(() => {
    const request = ++latest.current;
    void api()
      .invoke('conversations.details', { conversationId: id })
      .then((d) => request === latest.current && setDetails(d))
      // The pane keeps what it showed (or "…"); the next change event loads it again.
      .catch((e: unknown) => logFailure('conversations.details', e));
  }, [id]);

  // Status and email are in the dependencies on purpose: a change to either changes the answer.
  useEffect(() => load(), [load, status, visitorEmail]);
  useApiEvent('conversations.changed', (e) => {
    if (e.conversationIds.length === 0 || e.conversationIds.includes(id)) load();
  });

  return details && details.conversationId === id ? details : null;
}
