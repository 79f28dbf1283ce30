import { useEffect } from 'react';
import { api } from '../api';
import { logFailure } from '../lib/errors';

/**
 * Tells the core which conversation is on screen and whether the window has focus: a
 * conversation the owner is looking at gets no notification, and seeing it clears its own.
 */
export function useFocusReport(conversationId: number | null): void {
  useEffect(() => {
    const report = () => {
      const focused = document.visibilityState === 'visible' && document.hasFocus();
      void api()
        .invoke('app.focus', { focused, conversationId })
        .catch((e: unknown) => logFailure('app.focus', e));
    };
    report();
    window.addEventListener('focus', report);
    window.addEventListener('blur', report);
    document.addEventListener('visibilitychange', report);
    return () => {
      window.removeEventListener('focus', report);
      window.removeEventListener('blur', report);
      document.removeEventListener('visibilitychange', report);
    };
  }, [conversationId]);
}
