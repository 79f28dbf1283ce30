import { useTranslation } from 'react-i18next';
import { splitLinks } from '../lib/links';

/**
 * Untrusted text, rendered as text. http(s) and mailto links are clickable, and open in the
 * system browser only after the user confirms the full address.
 */
export function MessageText({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <>
      {splitLinks(text).map((part, i) =>
        part.kind === 'text' ? (
          <span key={i}>{part.text}</span>
        ) : (
          <a
            key={i}
            href={part.href}
            rel="noopener noreferrer nofollow"
            onClick={(event) => {
              event.preventDefault();
              if (window.confirm(t('links.confirm', { url: part.href }))) window.open(part.href, '_blank', 'noopener,noreferrer');
            }}
          >
            {part.text}
          </a>
        ),
      )}
    </>
  );
}
