import { useCallback, useEffect, useState } from 'react';
import type { SavedReply } from '../../../shared/saved-replies';
import { api } from '../api';
import { errorText } from '../lib/errors';
import { useApiEvent } from './useApiEvent';

/** The saved replies, loaded again whenever the core says they changed (here or in another window). */
export function useSavedReplies() {
  const [replies, setReplies] = useState<SavedReply[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void api()
      .invoke('savedReplies.list')
      .then((list) => {
        setReplies(list);
        setError(null);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(load, [load]);
  useApiEvent('savedReplies.changed', load);
  return { replies: replies ?? [], loaded: replies !== null, error, reload: load };
}
