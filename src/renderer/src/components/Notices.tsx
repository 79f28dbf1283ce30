import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMeaning, errorText, isRetryable } from '../lib/errors';

interface Notice {
  id: number;
  /** What failed, as a sentence: "Could not mute the conversation." */
  what: string;
  meaning: string;
  detail: string;
  retry: (() => void) | null;
}

interface Notices {
  /** Shows what failed and why; with Retry when trying again can help. */
  report: (what: string, error: unknown, retry?: () => void) => void;
  /** Runs a user action; a failure is reported with a Retry that runs it again. */
  run: (what: string, action: () => Promise<unknown>) => Promise<boolean>;
}

const NoticesContext = createContext<Notices | null>(null);

/** The status line of failed actions, at the bottom of the window, for everything inside it. */
export function NoticesProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setNotices((list) => list.filter((n) => n.id !== id)), []);

  const show = useCallback(
    (what: string, error: unknown, retry?: () => void): number => {
      console.warn(`Switchboard: ${what}`, error);
      const notice: Notice = { id: nextId.current++, what, meaning: errorMeaning(error, t), detail: errorText(error), retry: retry && isRetryable(error) ? retry : null };
      // The same action failing again replaces its notice; at most three are shown.
      setNotices((list) => [...list.filter((n) => n.what !== what), notice].slice(-3));
      return notice.id;
    },
    [t],
  );
  const report = useCallback((what: string, error: unknown, retry?: () => void) => void show(what, error, retry), [show]);

  const run = useCallback(
    (what: string, action: () => Promise<unknown>): Promise<boolean> => {
      // Only this action's own notice goes away when a retry of it succeeds.
      let shown: number | null = null;
      const attempt = async (): Promise<boolean> => {
        try {
          await action();
          if (shown !== null) dismiss(shown);
          return true;
        } catch (e) {
          shown = show(what, e, () => void attempt());
          return false;
        }
      };
      return attempt();
    },
    [show, dismiss],
  );

  const value = useMemo(() => ({ report, run }), [report, run]);
  return (
    <NoticesContext.Provider value={value}>
      {children}
      {notices.length > 0 && (
        <div className="notices">
          {notices.map((n) => (
            <div key={n.id} className="notice" role="alert">
              <div className="notice-text">
                <strong>{n.what}</strong> {n.meaning}
                {n.detail && <span className="notice-detail">{n.detail}</span>}
              </div>
              {n.retry && (
                <button
                  type="button"
                  onClick={() => {
                    dismiss(n.id);
                    n.retry?.();
                  }}
                >
                  {t('actions.retry')}
                </button>
              )}
              <button type="button" onClick={() => dismiss(n.id)}>
                {t('notice.dismiss')}
              </button>
            </div>
          ))}
        </div>
      )}
    </NoticesContext.Provider>
  );
}

export function useNotices(): Notices {
  const notices = useContext(NoticesContext);
  if (!notices) throw new Error('useNotices is used outside NoticesProvider.');
  return notices;
}
