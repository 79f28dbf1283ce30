import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/domain';
import { dateTime, timeOfDay } from '../lib/format';

interface Props {
  account: Account;
  pending: number;
  progress: { done: number; total: number | null } | undefined;
  onSignIn: (account: Account) => void;
}

const SIGN_IN_WARNING_MS = 24 * 3600 * 1000;

/** The time, updated every minute (for warnings that come due while the app is open). */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** What the user must know to trust what they see: offline, syncing, sign-in needed, unsent replies. */
export function StatusBanner({ account, pending, progress, onSignIn }: Props) {
  const { t, i18n } = useTranslation();
  const now = useMinuteClock();
  const synced = account.lastSyncedAt ? timeOfDay(account.lastSyncedAt, i18n.language) : null;
  const pendingText = pending > 0 ? ` ${t('banner.pending', { count: pending })}` : '';
  const signInBanner = (role: 'alert' | 'status', text: string) => (
    <div className="banner warn" role={role}>
      <span>
        {text}
        {pendingText}
      </span>
      <button type="button" onClick={() => onSignIn(account)}>
        {t('actions.signInAgain')}
      </button>
    </div>
  );
  switch (account.connectionState) {
    case 'auth-expired':
      return signInBanner('alert', t('banner.authExpired', { name: account.name }));
    case 'offline':
    case 'unavailable':
    case 'connecting':
      return (
        <div className="banner offline" role="status">
          {account.connectionState === 'connecting' ? t('banner.reconnecting', { name: account.name }) : t('banner.offline', { name: account.name })}{' '}
          {synced ? t('banner.syncedAt', { time: synced }) : t('banner.neverSynced')}
          {pendingText}
        </div>
      );
    case 'syncing':
      return (
        <div className="banner syncing" role="status">
          {progress?.total ? t('banner.syncingProgress', { done: progress.done, total: progress.total }) : t('banner.syncing')}
          {progress?.total ? <progress max={progress.total} value={progress.done} aria-label={t('banner.syncing')} /> : null}
          {pendingText}
        </div>
      );
    default:
      // A sign-in that cannot renew itself: warn a day ahead, with the way to renew it.
      if (account.signInEndsAt && account.signInEndsAt - now < SIGN_IN_WARNING_MS) {
        return signInBanner('status', t('banner.signInEnds', { name: account.name, time: dateTime(account.signInEndsAt, i18n.language) }));
      }
      if (account.stateDetail?.startsWith('Limited sync')) {
        return (
          <div className="banner info" role="status" title={account.stateDetail}>
            {t('banner.limited')}
            {pendingText}
          </div>
        );
      }
      return pending > 0 ? (
        <div className="banner info" role="status">
          {t('banner.pending', { count: pending })}
        </div>
      ) : null;
  }
}
