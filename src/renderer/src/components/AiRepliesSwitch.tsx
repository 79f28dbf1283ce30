// The "AI replies" switch of a site with an AI auto-responder (the portfolio site as deployed):
// reads the site's setting, switches it, and follows changes made on the site itself.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useApiEvent } from '../hooks/useApiEvent';

export function AiRepliesSwitch({ accountId }: { accountId: number }) {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api()
      .invoke('accounts.aiReplies', { accountId })
      .then((r) => live && setEnabled(r.enabled))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [accountId]);
  useApiEvent('ai.changed', (e) => {
    if (e.accountId === accountId) setEnabled(e.enabled);
  });

  const toggle = async (next: boolean) => {
    const before = enabled;
    // Shown at once; the site's answer (or a failure) settles it.
    setEnabled(next);
    setBusy(true);
    setError(null);
    try {
      setEnabled((await api().invoke('accounts.setAiReplies', { accountId, enabled: next })).enabled);
    } catch (e) {
      setEnabled(before);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <label className="ai-switch" title={error ?? t('pane.aiRepliesHint')}>
      <input type="checkbox" role="switch" checked={enabled === true} disabled={enabled === null || busy} onChange={(e) => void toggle(e.target.checked)} />
      {t('pane.aiReplies')}
      {error && <span className="failure"> {t('pane.aiRepliesError')}</span>}
    </label>
  );
}
