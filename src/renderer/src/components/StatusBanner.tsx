import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/domain';
import { timeOfDay } from '../lib/format';

interface Props {
  account: Account;
  pending: number;
  progress: { done: number; total: number | null } | undefined;
  onSignIn: (account: Account) => void;
}

/** What the user must know to trust what they see: offline, syncing, sign-in needed, unsent replies. */
export function StatusBanner({ account, pending, progress, onSignIn }: Props) {
  const { t, i18n } = useTranslation();
  const synced = account.lastSyncedAt ? timeOfDay(account.lastSyncedAt, i18n.language) : null;
  const pendingText = pending > 0 ? ` ${t('banner.pending', { count: pending })}` : '';
  switch (account.connectionState) {
    case 'auth-expired':
      return (
        <div className="banner warn" role="alert">
          <span>
            {t('banner.authExpired', { name: account.name })}
            {pendingText}
          </span>
          <button type="button" onClick={() => onSignIn(account)}>
            {t('actions.signInAgain')}
          </button>
        </div>
      );
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
