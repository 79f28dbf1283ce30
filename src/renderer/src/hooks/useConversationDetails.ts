import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationDetails, ConversationSummary } from '../../../shared/domain';
import { api } from '../api';
import { logFailure } from '../lib/errors';
import { useApiEvent } from './useApiEvent';

/**
 * The details pane's data for one conversation: first seen, conversation count, status history.
 * Fetched again whenever the conversation changes (its status, a sync), newest answer wins.
 * One load at a time per conversation: changes while one is on its way ask for one more after
 * it, not one each (an agent run changes the open conversation with every event, about a hundred
 * a second; bench openmanusui). An answer equal to what is shown does not draw the pane again.
 */
export function useConversationDetails(conversation: ConversationSummary) {
  const { id, status, visitorEmail } = conversation;
  const [details, setDetails] = useState<ConversationDetails | null>(null);
  const latest = useRef(0);
  const inFlight = useRef<{ id: number; again: boolean } | null>(null);

  const load = useCallback(() => {
    const waiting = inFlight.current;
    if (waiting && waiting.id === id) {
      waiting.again = true;
      return;
    }
    const start = () => {
      const request = ++latest.current;
      const flight = (inFlight.current = { id, again: false });
      void api()
        .invoke('conversations.details', { conversationId: id })
        .then((d) => request === latest.current && setDetails((shown) => (shown && sameDetails(shown, d) ? shown : d)))
        // The pane keeps what it showed (or "…"); the next change event loads it again.
        .catch((e: unknown) => logFailure('conversations.details', e))
        .finally(() => {
          if (inFlight.current !== flight) return;
          inFlight.current = null;
          if (flight.again) start();
        });
    };
    start();
  }, [id]);

  // Another conversation (or none) from here on: what is on its way for the last one is dropped.
  useEffect(
    () => () => {
      inFlight.current = null;
      latest.current++;
    },
    [id],
  );
  // Status and email are in the dependencies on purpose: a change to either changes the answer.
  useEffect(() => load(), [load, status, visitorEmail]);
  useApiEvent('conversations.changed', (e) => {
    if (e.conversationIds.length === 0 || e.conversationIds.includes(id)) load();
  });

  return details && details.conversationId === id ? details : null;
}

// Plain data from the wire (numbers, strings, arrays of them): the same text is the same answer.
const sameDetails = (a: ConversationDetails, b: ConversationDetails) => JSON.stringify(a) === JSON.stringify(b);
