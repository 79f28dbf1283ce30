import { useTranslation } from 'react-i18next';
import { displayText } from '../../../shared/display-text';
import type { ConversationSummary } from '../../../shared/domain';
import { useConversationDetails } from '../hooks/useConversationDetails';
import { dateTime } from '../lib/format';
import { useVisitorName } from '../lib/names';
import { PresenceDot, presenceOf } from './PresenceDot';

export function DetailsPane({ conversation, lang }: { conversation: ConversationSummary; lang: string }) {
  const { t } = useTranslation();
  const details = useConversationDetails(conversation);
  const visitorName = useVisitorName();
  return (
    <aside className="details-pane" aria-label={t('details.label')}>
      <h2>{t('details.visitor')}</h2>
      <dl>
        <dt>{t('details.name')}</dt>
        <dd>{visitorName(conversation.visitorName)}</dd>
        {conversation.visitorUsername && (
          <>
            <dt>{t('details.username')}</dt>
            <dd>{displayText(conversation.visitorUsername)}</dd>
          </>
        )}
        <dt>{t('details.email')}</dt>
        <dd>{conversation.visitorEmail ?? '—'}</dd>
        <dt>{t('details.firstSeen')}</dt>
        <dd>{dateTime(details?.firstSeenAt ?? conversation.createdAt, lang)}</dd>
        <dt>{t('details.conversations')}</dt>
        <dd>{details ? details.conversationCount.toLocaleString(lang) : '…'}</dd>
        <dt>{t('details.status')}</dt>
        <dd>
          {t(`status.${conversation.status}`)}
          {conversation.statusIsLocal ? ` (${t('pane.localStatus')})` : ''}
        </dd>
        <dt>{t('details.presence')}</dt>
        <dd>{conversation.visitorPresence ? t(`presence.${presenceOf(conversation)}`) : conversation.visitorOnline ? t('pane.online') : t('details.away')}</dd>
        <dt>{t('details.lastActivity')}</dt>
        <dd>{conversation.lastMessageAt ? dateTime(conversation.lastMessageAt, lang) : '—'}</dd>
      </dl>
      {details?.members && details.members.length > 0 && (
        <>
          <h3 id="members-title">{t('details.members', { count: details.members.length })}</h3>
          <ul className="members" aria-labelledby="members-title">
            {details.members.map((m) => (
              <li key={m.id} aria-label={`${visitorName(m.name)}, ${t(`presence.${m.presence}`)}`}>
                <PresenceDot presence={m.presence} />
                <span className="member-name">{visitorName(m.name)}</span>
                <span className="member-presence">{t(`presence.${m.presence}`)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3 id="status-history-title">{t('details.history')}</h3>
      {details && details.statusHistory.length === 0 ? (
        <p className="muted">{t('details.historyEmpty')}</p>
      ) : (
        <ol className="status-history" aria-labelledby="status-history-title">
          {details?.statusHistory.map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <span className={`chip chip-${h.status}`}>{t(`status.${h.status}`)}</span>{' '}
              <span className="muted">
                {t(`details.source.${h.source}`)} · <time dateTime={new Date(h.at).toISOString()}>{dateTime(h.at, lang)}</time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
