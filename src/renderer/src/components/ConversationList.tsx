import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/domain';

interface Props {
  conversations: ConversationSummary[];
  loading: boolean;
}

export function ConversationList({ conversations, loading }: Props) {
  const { t } = useTranslation();
  return (
    <section className="list-pane">
      <ul className="conversations" aria-label={t('list.label')} aria-busy={loading}>
        {conversations.map((c) => (
          <li key={c.id} aria-label={`${c.visitorName ?? t('list.anonymous')}${c.unreadCount > 0 ? ` (${c.unreadCount})` : ''}`} className={c.unreadCount > 0 ? 'unread' : ''}>
            <span className="name">{c.visitorName ?? t('list.anonymous')}</span>
            <span className="preview">{c.lastMessagePreview ?? ''}</span>
          </li>
        ))}
      </ul>
      {!loading && conversations.length === 0 && (
        <div className="empty" role="status">
          <p className="empty-title">{t('list.empty')}</p>
          <p className="muted">{t('list.emptyHint')}</p>
        </div>
      )}
    </section>
  );
}
