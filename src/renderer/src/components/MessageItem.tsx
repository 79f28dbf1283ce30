import { memo, type Ref } from 'react';
import type { TFunction } from 'i18next';
import type { Message } from '../../../shared/domain';
import { api } from '../api';
import { dateTime, dayLabel, timeOfDay } from '../lib/format';
import { MessageText } from './MessageText';
import { useNotices } from './Notices';
import { TimelineStep } from './TimelineStep';

/** What every row of the windowed list gets: its place (for measuring) and the measuring ref. */
interface Placed {
  index: number;
  measure: Ref<HTMLLIElement>;
}

/**
 * The window's texts, looked up by the window once and handed to its rows. The window mounts a
 * row for every row that scrolls in (an agent run: one a frame), and `useTranslation` in a row
 * copies the whole i18next instance on each mount (react-i18next's wrapper), a tenth of the
 * page's script in bench openmanusui. Both change with the language, so the rows draw again then.
 */
export interface RowTexts {
  t: TFunction;
  visitorName: (raw: string | null | undefined) => string;
}

export const DayRow = memo(function DayRow({ at, lang, index, measure }: Placed & { at: number; lang: string }) {
  return (
    <li className="day" aria-hidden="true" data-index={index} ref={measure}>
      <span>{dayLabel(at, lang)}</span>
    </li>
  );
});

// Memoised: a long history (an agent run adds hundreds of rows) re-renders only the rows that
// changed when a message arrives or the draft changes, not every row (bench openmanusui).
export const MessageItem = memo(function MessageItem({
  message: m,
  showDay,
  newSender,
  lang,
  confirmLinksInPage,
  visitor,
  flash,
  open,
  onToggle,
  index,
  measure,
  texts,
}: Placed & {
  texts: RowTexts;
  message: Message;
  showDay: boolean;
  /** The previous message is someone else's: a room member's name is shown above this one. */
  newSender: boolean;
  lang: string;
  confirmLinksInPage: boolean;
  visitor: string | null;
  /** The search hit the pane jumped to. */
  flash: boolean;
  /** An agent's event row is open. */
  open: boolean;
  onToggle: (id: number) => void;
}) {
  const { t, visitorName } = texts;
  const { run } = useNotices();
  // An agent's steps, tool calls and results: compact rows of the timeline, not bubbles.
  if (m.kind === 'event') return <TimelineStep message={m} lang={lang} open={open} onToggle={onToggle} index={index} measure={measure} t={t} />;
  if (m.kind === 'system') {
    const failed = (m.payload as { run?: unknown } | null)?.run;
    return (
      <li className={`system-note${failed === 'failed' || failed === 'stuck' ? ' error' : ''}`} data-message-id={m.id} data-index={index} ref={measure}>
        <MessageText text={m.content} confirmInPage={confirmLinksInPage} />
        <span className="timeline-time">{timeOfDay(m.createdAt, lang)}</span>
      </li>
    );
  }
  const mine = m.senderType === 'admin';
  // The site's AI auto-responder or an agent: neither the owner nor the visitor.
  const ai = m.senderType === 'ai' || m.senderType === 'agent';
  const who = mine ? t('pane.you') : m.senderType === 'agent' ? t('pane.agent') : ai ? t('pane.assistant') : visitorName(m.senderName ?? visitor);
  // Another member of a room: named above the bubble whenever the sender changes.
  const member = m.senderType === 'member';
  const edited = m.editedAt !== null ? t('pane.editedAt', { time: dateTime(m.editedAt, lang) }) : null;
  return (
    <li
      className={`message ${mine ? 'mine' : 'theirs'}${ai ? ' ai' : ''} delivery-${m.delivery}${flash ? ' flash' : ''}`}
      data-message-id={m.id}
      data-index={index}
      ref={measure}
      aria-label={`${who}, ${timeOfDay(m.createdAt, lang)}${edited ? `, ${t('pane.edited')}` : ''}`}
    >
      {(ai || (member && (newSender || showDay))) && <div className={`sender${member ? ' member' : ''}`}>{who}</div>}
      <div className="bubble">
        <MessageText text={m.content} confirmInPage={confirmLinksInPage} />
      </div>
      <div className="meta">
        <span>{timeOfDay(m.createdAt, lang)}</span>
        {edited && (
          <span className="edited" title={edited}>
            {t('pane.edited')}
          </span>
        )}
        {mine && <span className={`delivery ${m.delivery}`}>{t(`delivery.${m.delivery}`)}</span>}
        {mine && m.delivery === 'failed' && (
          <>
            {m.failureReason && <span className="failure">{m.failureReason}</span>}
            <button type="button" className="link" onClick={() => void run(t('notice.retrySend'), () => api().invoke('outbox.retry', { messageId: m.id }))}>
              {t('actions.retry')}
            </button>
            {/* The core answers with a messages.removed event, which takes it off the list. */}
            <button type="button" className="link" onClick={() => void run(t('notice.discard'), () => api().invoke('outbox.discard', { messageId: m.id }))}>
              {t('actions.discard')}
            </button>
          </>
        )}
      </div>
    </li>
  );
});
