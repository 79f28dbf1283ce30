import { useEffect, useRef, useState } from 'react';
import type { ConversationDetails, ConversationSummary } from '../../../shared/domain';
import { api } from '../api';
import { CoalescedLoad } from '../lib/coalesced-load';
import { logFailure } from '../lib/errors';
import { useApiEvent } from './useApiEvent';

/** While changes keep coming (an agent run: ~100 a second), the details load at most this often. */
const CHANGE_GAP_MS = 500;

/**
 * The details pane's data for one conversation: first seen, conversation count, status history.
 * Fetched at once when another conversation opens or its status or email changes, and again
 * after the changes a sync reports: one load at a time, and a flood of changes (an agent run)
 * loads them twice a second, not once per change (bench openmanusui). An answer equal to what
 * is shown does not draw the pane again.
 */
export function useConversationDetails(conversation: ConversationSummary) {
  const { id, status, visitorEmail } = conversation;
  const [details, setDetails] = useState<ConversationDetails | null>(null);
  const loads = useRef<CoalescedLoad | null>(null);

  // One loader per conversation: what is on its way for the last one is dropped when it answers.
  useEffect(() => {
    let current = true;
    const load = new CoalescedLoad(
      async () => {
        const d = await api().invoke('conversations.details', { conversationId: id });
        if (current) setDetails((shown) => (shown && sameDetails(shown, d) ? shown : d));
      },
      // The pane keeps what it showed (or "…"); the next change loads it again.
      { delayMs: 0, gapMs: CHANGE_GAP_MS, oneAtATime: true, onError: (e) => logFailure('conversations.details', e) },
    );
    loads.current = load;
    return () => {
      current = false;
      load.stop();
    };
  }, [id]);
  // Status and email are in the dependencies on purpose: a change to either changes the answer.
  useEffect(() => loads.current?.loadNow(), [id, status, visitorEmail]);
  useApiEvent('conversations.changed', (e) => {
    if (e.conversationIds.length === 0 || e.conversationIds.includes(id)) loads.current?.request();
  });

  return details && details.conversationId === id ? details : null;
}

// Plain data from the wire (numbers, strings, arrays of them): the same text is the same answer.
const sameDetails = (a: ConversationDetails, b: ConversationDetails) => JSON.stringify(a) === JSON.stringify(b);
