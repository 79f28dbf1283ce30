import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MirrorRecovery } from '../../../shared/contract';
import { api } from '../api';
import { useApiEvent } from '../hooks/useApiEvent';

/** Tells the user, once per start, that the local copy was damaged, rebuilt, and where the old file is. */
export function MirrorRecoveryBanner() {
  const { t } = useTranslation();
  const [notice, setNotice] = useState<MirrorRecovery | null>(null);
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    void api()
      .invoke('mirror.recovery')
      .then(setNotice)
      .catch(() => {});
  }, []);
  useApiEvent('mirror.recovered', setNotice);
  if (!notice || dismissed) return null;
  return (
    <div className="banner warn mirror-recovery" role="alert">
      <span>
        {t('recovery.text')}{' '}
        {notice.keptAccounts === 0 ? t('recovery.nothingKept') : notice.keptReplies > 0 ? t('recovery.kept', { count: notice.keptReplies }) : t('recovery.resyncing')}{' '}
        {notice.lostReplies > 0 ? `${t('recovery.lost', { count: notice.lostReplies })} ` : ''}
        {t('recovery.where')} <code className="path">{notice.movedTo}</code>
      </span>
      <button type="button" onClick={() => setDismissed(true)} title={notice.reason}>
        {t('recovery.dismiss')}
      </button>
    </div>
  );
}
