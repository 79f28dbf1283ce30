import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationFilter } from '../../shared/domain';
import { ConversationList } from './components/ConversationList';
import { Sidebar } from './components/Sidebar';
import { useInbox } from './useInbox';

export function App() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<ConversationFilter>('active');
  const inbox = useInbox(filter);
  return (
    <div className="app">
      <Sidebar accounts={inbox.accounts} counts={inbox.counts} filter={filter} onFilter={setFilter} />
      <main className="main">
        {inbox.error && (
          <div className="banner error" role="alert">
            <span>{t('error.load', { message: inbox.error })}</span>
            <button type="button" onClick={() => void inbox.reload()}>
              {t('error.retry')}
            </button>
          </div>
        )}
        <div className="panes">
          <ConversationList conversations={inbox.conversations} loading={inbox.loading} />
          <section className="conversation-pane empty" aria-label={t('pane.none')}>
            <p className="empty-title">{t('pane.none')}</p>
            <p className="muted">{t('pane.noneHint')}</p>
          </section>
        </div>
      </main>
    </div>
  );
}
