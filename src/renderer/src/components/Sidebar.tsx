import { useTranslation } from 'react-i18next';
import { displayText } from '../../../shared/display-text';
import type { Account, Availability, ConversationFilter, StatusCounts } from '../../../shared/domain';
import type { Settings, SettingsPatch } from '../../../shared/settings';

const filters: ConversationFilter[] = ['active', 'resolved', 'closed', 'all'];

interface Props {
  accounts: Account[];
  counts: StatusCounts;
  filter: ConversationFilter;
  onFilter: (filter: ConversationFilter) => void;
  settings: Settings | null;
  onSettings: (patch: SettingsPatch) => void;
  onAddAccount: () => void;
  /** The one account the list shows, or null for all of them. */
  accountFilter: number | null;
  onAccountFilter: (accountId: number | null) => void;
  onOpenSettings: () => void;
  demoVisitorUrl: string | null;
  /** Shown when an account of shape 'feed' exists. */
  notifications: { unread: number; active: boolean; onOpen: () => void } | null;
}

export function Sidebar({ accounts, counts, filter, onFilter, settings, onSettings, onAddAccount, onOpenSettings, demoVisitorUrl, notifications, accountFilter, onAccountFilter }: Props) {
  const { t } = useTranslation();
  return (
    <nav className="sidebar" aria-label={t('app.title')}>
      <h1 className="brand">{t('app.title')}</h1>
      <section>
        <h2>{t('sidebar.accounts')}</h2>
        {accounts.length === 0 ? (
          <p className="muted">{t('sidebar.noAccounts')}</p>
        ) : (
          <ul className="accounts">
            {accounts.length > 1 && (
              <li>
                <button type="button" className="account-filter" aria-pressed={accountFilter === null} onClick={() => onAccountFilter(null)}>
                  <span className="account-name">{t('sidebar.allAccounts')}</span>
                </button>
              </li>
            )}
            {accounts.map((a) => (
              <li key={a.id} title={a.stateDetail ?? undefined}>
                {/* One account's conversations only (and back to all): the inbox is shared by every account. */}
                <button
                  type="button"
                  className="account-filter"
                  aria-pressed={accountFilter === a.id}
                  disabled={accounts.length < 2}
                  onClick={() => onAccountFilter(accountFilter === a.id ? null : a.id)}
                >
                  <span className={`dot state-${a.connectionState}`} aria-hidden="true" />
                  <span className="account-name">{displayText(a.name)}</span>
                  <span className="muted small">{t(`sidebar.state.${a.connectionState}`)}</span>
                </button>
                {a.capabilities.historyReadMarksRead && <p className="account-note">{t('sidebar.historyReadMarksRead')}</p>}
              </li>
            ))}
          </ul>
        )}
        <button type="button" className="link" onClick={onAddAccount}>
          {t('sidebar.addAccount')}
        </button>
        {demoVisitorUrl && (
          <p className="demo-note">
            {t('sidebar.demoNote')}{' '}
            <a
              href={demoVisitorUrl}
              onClick={(e) => {
                e.preventDefault();
                window.open(demoVisitorUrl, '_blank', 'noopener,noreferrer');
              }}
            >
              {t('sidebar.openVisitorPage')}
            </a>
          </p>
        )}
      </section>
      <section>
        <h2>{t('sidebar.filters')}</h2>
        <div className="filters" role="group" aria-label={t('sidebar.filters')}>
          {filters.map((f) => (
            <button key={f} type="button" aria-label={t(`filter.${f}`)} aria-pressed={!notifications?.active && filter === f} className="filter" onClick={() => onFilter(f)}>
              <span>{t(`filter.${f}`)}</span>
              <span className="count" aria-hidden="true">
                {counts[f]}
              </span>
            </button>
          ))}
        </div>
      </section>
      {notifications && (
        <section className="filters">
          <button type="button" aria-label={t('feed.entry', { count: notifications.unread })} aria-pressed={notifications.active} className="filter" onClick={notifications.onOpen}>
            <span>{t('feed.title')}</span>
            <span className={`count${notifications.unread > 0 ? ' unread-count' : ''}`} aria-hidden="true">
              {notifications.unread}
            </span>
          </button>
        </section>
      )}
      {settings && (
        <section className="prefs">
          <h2>{t('sidebar.you')}</h2>
          <label className="select-label">
            {t('settings.availability')}
            <select aria-label={t('settings.availability')} value={settings.availability} onChange={(e) => onSettings({ availability: e.target.value as Availability })}>
              <option value="online">{t('availability.online')}</option>
              <option value="away">{t('availability.away')}</option>
              <option value="offline">{t('availability.offline')}</option>
            </select>
          </label>
          <label className="select-label">
            {t('settings.theme')}
            <select value={settings.theme} onChange={(e) => onSettings({ theme: e.target.value as Settings['theme'] })}>
              <option value="system">{t('settings.system')}</option>
              <option value="light">{t('settings.light')}</option>
              <option value="dark">{t('settings.dark')}</option>
            </select>
          </label>
          <label className="select-label">
            {t('settings.language')}
            <select value={settings.language} onChange={(e) => onSettings({ language: e.target.value as Settings['language'] })}>
              <option value="system">{t('settings.system')}</option>
              <option value="en">English</option>
              <option value="id">Bahasa Indonesia</option>
            </select>
          </label>
          {settings.doNotDisturb && <p className="dnd-note">{t('sidebar.dndOn')}</p>}
          <button type="button" className="link-button" onClick={onOpenSettings} title="Ctrl/⌘ ,">
            {t('settings.open')}
          </button>
          <p className="muted small-hint">{t('keys.hint')}</p>
        </section>
      )}
    </nav>
  );
}
