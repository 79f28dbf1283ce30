import { useTranslation } from 'react-i18next';
import type { Account, ConversationFilter, StatusCounts } from '../../../shared/domain';

const filters: ConversationFilter[] = ['active', 'resolved', 'closed', 'all'];

interface Props {
  accounts: Account[];
  counts: StatusCounts;
  filter: ConversationFilter;
  onFilter: (filter: ConversationFilter) => void;
}

export function Sidebar({ accounts, counts, filter, onFilter }: Props) {
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
            {accounts.map((a) => (
              <li key={a.id}>
                <span className={`dot state-${a.connectionState}`} aria-hidden="true" />
                <span>{a.name}</span>
                <span className="muted small">{t(`sidebar.state.${a.connectionState}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2>{t('sidebar.filters')}</h2>
        <div className="filters" role="group" aria-label={t('sidebar.filters')}>
          {filters.map((f) => (
            <button key={f} type="button" aria-label={t(`filter.${f}`)} aria-pressed={filter === f} className="filter" onClick={() => onFilter(f)}>
              <span>{t(`filter.${f}`)}</span>
              <span className="count" aria-hidden="true">
                {counts[f]}
              </span>
            </button>
          ))}
        </div>
      </section>
    </nav>
  );
}
