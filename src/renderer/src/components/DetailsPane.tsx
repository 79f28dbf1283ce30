import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/domain';

export function DetailsPane({ conversation, lang }: { conversation: ConversationSummary; lang: string }) {
  const { t } = useTranslation();
  return (
    <aside className="details-pane" aria-label={t('details.label')}>
      <h2>{t('details.visitor')}</h2>
      <dl>
        <dt>{t('details.name')}</dt>
        <dd>{conversation.visitorName ?? t('list.anonymous')}</dd>
        <dt>{t('details.email')}</dt>
        <dd>{conversation.visitorEmail ?? '—'}</dd>
        <dt>{t('details.status')}</dt>
        <dd>
          {t(`status.${conversation.status}`)}
          {conversation.statusIsLocal ? ` (${t('pane.localStatus')})` : ''}
        </dd>
        <dt>{t('details.presence')}</dt>
        <dd>{conversation.visitorOnline ? t('pane.online') : t('details.away')}</dd>
        <dt>{t('details.lastActivity')}</dt>
        <dd>{conversation.lastMessageAt ? new Date(conversation.lastMessageAt).toLocaleString(lang) : '—'}</dd>
      </dl>
    </aside>
  );
}
