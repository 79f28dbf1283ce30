import { forwardRef, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../shared/domain';
import { api } from '../api';
import { errorMeaning } from '../lib/errors';
import { useVisitorName } from '../lib/names';
import { InlineError } from './InlineError';

interface FieldProps {
  query: string;
  onQuery: (query: string) => void;
}

/** The search field at the top of the conversation list (Ctrl/⌘+K focuses it). */
export const SearchField = forwardRef<HTMLInputElement, FieldProps>(function SearchField({ query, onQuery }, ref) {
  const { t } = useTranslation();
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && query) {
      // First Escape clears the search; the next one leaves the field (the inbox's shortcut).
      event.preventDefault();
      event.stopPropagation();
      onQuery('');
    } else if (event.key === 'ArrowDown') {
      const first = document.querySelector<HTMLElement>('.search-results .search-hit');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  return (
    <div className="search-field" role="search">
      <input
        ref={ref}
        type="search"
        aria-label={t('search.label')}
        aria-keyshortcuts="Control+K Meta+K"
        placeholder={t('search.fieldPlaceholder')}
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {/* The shortcut's hint, while the field is empty and not in use. */}
      <kbd className="search-kbd" aria-hidden="true">
        {/Mac|iPhone|iPad/.test(navigator.platform) ? '⌘ K' : 'Ctrl K'}
      </kbd>
    </div>
  );
});

interface ResultsProps {
  query: string;
  onOpen: (conversationId: number, messageId: number | null) => void;
  /** A notification feed entry was chosen (accounts of shape 'feed'). */
  onOpenFeedEntry: (entryId: number) => void;
}

/** One hit: its highlighted snippet (plain text, never HTML) and when. */
function HitButton({ hit, lang, onClick }: { hit: SearchHit; lang: string; onClick: () => void }) {
  return (
    <button type="button" className="search-hit" onClick={onClick}>
      <span className="snippet">{hit.snippet.map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}</span>
      {hit.createdAt && <span className="muted small">{new Date(hit.createdAt).toLocaleString(lang)}</span>}
    </button>
  );
}

/** One box over every mirrored message and visitor; works offline. Shown in place of the list. */
export function SearchResults({ query, onOpen, onOpenFeedEntry }: ResultsProps) {
  const visitorName = useVisitorName();
  const { t, i18n } = useTranslation();
  const [answer, setAnswer] = useState<{ query: string; hits: SearchHit[] } | null>(null);
  const [error, setError] = useState<{ query: string; text: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(query);

  useEffect(() => {
    latest.current = query;
    const timer = setTimeout(() => {
      api()
        .invoke('search', { query, limit: 50 })
        .then((hits) => {
          if (latest.current !== query) return;
          setAnswer({ query, hits });
          setError(null);
        })
        .catch((e: unknown) => latest.current === query && setError({ query, text: `${t('search.failed')} ${errorMeaning(e, t)}` }));
    }, 80);
    return () => clearTimeout(timer);
  }, [query, attempt, t]);

  const hits = useMemo(() => (answer?.query === query ? answer.hits : []), [answer, query]);
  const groups = useMemo(() => {
    const map = new Map<number, SearchHit[]>();
    for (const h of hits) if (h.conversationId !== null) map.set(h.conversationId, [...(map.get(h.conversationId) ?? []), h]);
    return [...map.entries()];
  }, [hits]);
  const feedHits = useMemo(() => hits.filter((h) => h.feedEntryId !== undefined), [hits]);
  const done = answer?.query === query;

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...event.currentTarget.querySelectorAll<HTMLElement>('.search-hit')];
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    const next = buttons[at + (event.key === 'ArrowDown' ? 1 : -1)];
    event.preventDefault();
    event.stopPropagation();
    if (next) next.focus();
    else if (event.key === 'ArrowUp') document.querySelector<HTMLElement>('.search-field input')?.focus();
  };

  return (
    <div className="search-scroll">
      {error?.query === query && <InlineError text={error.text} onRetry={() => setAttempt((n) => n + 1)} />}
      <p className="sr-only" role="status">
        {done ? t('search.count', { count: hits.length }) : ''}
      </p>
      {done && hits.length === 0 && <p className="muted center">{t('search.none')}</p>}
      <ul className="search-results" aria-label={t('search.results')} aria-busy={!done} onKeyDown={onKeyDown}>
        {groups.map(([conversationId, group]) => (
          <li key={conversationId} className="search-group">
            <h3>{visitorName(group[0]?.visitorName)}</h3>
            <ul>
              {group.map((hit) => (
                <li key={`${hit.messageId ?? 'c'}-${conversationId}`}>
                  <HitButton hit={hit} lang={i18n.language} onClick={() => onOpen(conversationId, hit.messageId)} />
                </li>
              ))}
            </ul>
          </li>
        ))}
        {feedHits.length > 0 && (
          <li className="search-group">
            <h3>{t('feed.title')}</h3>
            <ul>
              {feedHits.map((hit) => (
                <li key={`feed-${hit.feedEntryId}`}>
                  <HitButton hit={hit} lang={i18n.language} onClick={() => onOpenFeedEntry(hit.feedEntryId!)} />
                </li>
              ))}
            </ul>
          </li>
        )}
      </ul>
    </div>
  );
}
