import { useMemo, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { splitLinks } from '../lib/links';
import { shortenForDisplay } from '../lib/long-text';
import { capCombiningMarks } from '../../../shared/display-text';

export interface MessageTextProps {
  text: string;
  /** Electron asks in the main process before anything opens; browser mode asks here. */
  confirmInPage: boolean;
}

/**
 * Untrusted text, rendered as text. http(s) and mailto links are clickable, and open in the
 * system browser only after the user confirms the full address, however the link is triggered
 * (click, middle-click, keyboard); links cannot be dragged out. A long message shows its first
 * part and a button for the rest.
 */
export function MessageText({ text, confirmInPage }: MessageTextProps) {
  const { t, i18n } = useTranslation();
  const [whole, setWhole] = useState(false);
  const shortened = useMemo(() => shortenForDisplay(text), [text]);
  const shown = whole ? text : shortened.text;
  // Real scripts stack a few marks; hundreds would draw over the header.
  const parts = useMemo(() => splitLinks(capCombiningMarks(shown, 8)), [shown]);

  const follow = (href: string) => (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    // Only the primary button (click, Enter) and the middle one (auxclick) open anything.
    if (event.type === 'auxclick' && event.button !== 1) return;
    if (confirmInPage && !window.confirm(t('links.confirm', { url: href }))) return;
    window.open(href, '_blank', 'noopener,noreferrer');
  };

  const rendered = parts.map((part, i) =>
    part.kind === 'text' ? (
      <span key={i}>{part.text}</span>
    ) : (
      <a key={i} href={part.href} rel="noopener noreferrer nofollow" draggable={false} onDragStart={(e) => e.preventDefault()} onClick={follow(part.href)} onAuxClick={follow(part.href)}>
        {part.text}
      </a>
    ),
  );

  return (
    <>
      {/* The whole of a long message breaks anywhere without the costly min-content measure. */}
      {whole && shortened.hidden > 0 ? <span className="long-whole">{rendered}</span> : rendered}
      {shortened.hidden > 0 && !whole && (
        <span className="long-message">
          <span className="long-message-note">{t('message.truncated', { shown: (shortened.total - shortened.hidden).toLocaleString(i18n.language), total: shortened.total.toLocaleString(i18n.language) })}</span>
          <button type="button" className="link" onClick={() => setWhole(true)}>
            {t('message.showWhole')}
          </button>
        </span>
      )}
    </>
  );
}
