import type { TFunction } from 'i18next';
import { useId, useMemo, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../shared/domain';
import { timeOfDay } from '../lib/format';
import { eventView, previewJson } from '../lib/timeline';

/**
 * One event of an agent's run (a step, a tool call, a tool result, an error) as a compact row
 * between the messages. The row is a button (aria-expanded) that shows the event's whole text and
 * its payload, as plain text with a size cap; nothing of it is ever parsed as markup. Whether it
 * is open is kept by the list: the windowed list unmounts rows scrolled far away, and an opened
 * row must still be open when the reader scrolls back.
 */
export function TimelineStep({ message, lang, open, onToggle, index, measure, t }: { message: Message; lang: string; open: boolean; onToggle: (id: number) => void; index: number; measure: Ref<HTMLLIElement>; t: TFunction }) {
  // `t` comes from the window (MessageItem's RowTexts): a row mounts whenever it scrolls in.
  const detailsId = useId();
  const view = useMemo(() => eventView(message), [message]);
  const kindLabel = view.error ? t('timeline.error') : view.step ? t('timeline.step') : t('timeline.event');
  return (
    <li className={`timeline-step${view.error ? ' error' : ''}${view.step ? ' step-marker' : ''}`} data-message-id={message.id} data-index={index} ref={measure}>
      <button
        type="button"
        className="timeline-toggle"
        aria-expanded={open}
        aria-controls={open ? detailsId : undefined}
        aria-label={`${kindLabel}: ${view.label}, ${timeOfDay(message.createdAt, lang)}`}
        onClick={() => onToggle(message.id)}
      >
        <span className="timeline-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {view.error && (
          <span className="timeline-error-mark" aria-hidden="true">
            !
          </span>
        )}
        <span className="timeline-label">{view.label}</span>
        <span className="timeline-time">{timeOfDay(message.createdAt, lang)}</span>
      </button>
      {open && <StepDetails id={detailsId} text={view.text} data={view.data} truncated={view.truncated} />}
    </li>
  );
}

function StepDetails({ id, text, data, truncated }: { id: string; text: string | null; data: unknown; truncated: boolean }) {
  const { t } = useTranslation();
  // Built only once the row is opened: a closed row costs one line of text.
  const json = useMemo(() => (data === null ? null : previewJson(data)), [data]);
  const shownText = text && text.length > 20_000 ? text.slice(0, 20_000) : text;
  return (
    <div className="timeline-details" id={id}>
      {shownText && <p className="timeline-text">{shownText}</p>}
      {json && (
        <>
          <p className="muted small">{t('timeline.payload')}</p>
          <pre className="timeline-payload">{json.text}</pre>
        </>
      )}
      {(json?.clipped || truncated) && <p className="muted small">{t('timeline.clipped')}</p>}
      {!shownText && !json && <p className="muted small">{t('timeline.noDetails')}</p>}
    </div>
  );
}
