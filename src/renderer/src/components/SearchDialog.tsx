import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../shared/domain';
import { api } from '../api';
import { useVisitorName } from '../lib/names';

interface Props {
  onClose: () => void;
  onOpen: (conversationId: number, messageId: number | null) => void;
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

/** Ctrl/Cmd+K: one box over every mirrored message and visitor; works offline. */
export function SearchDialog({ onClose, onOpen, onOpenFeedEntry }: Props) {
  const { t, i18n } = useTranslation();
  const visitorName = useVisitorName();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (!query.trim()) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      api()
        .invoke('search', { query, limit: 50 })
        .then((r) => !cancelled && (setHits(r), setError(null)))
        .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    }, 80);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query]);

  const active = query.trim().length > 0;
  const shown = useMemo(() => (active ? hits : []), [active, hits]);
  const groups = useMemo(() => {
    const map = new Map<number, SearchHit[]>();
    for (const h of shown) if (h.conversationId !== null) map.set(h.conversationId, [...(map.get(h.conversationId) ?? []), h]);
    return [...map.entries()];
  }, [shown]);
  const feedHits = useMemo(() => shown.filter((h) => h.feedEntryId !== undefined), [shown]);

  return (
    <div className="overlay" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog search-dialog" role="dialog" aria-modal="true" aria-label={t('search.title')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <input ref={input} type="search" role="searchbox" aria-label={t('search.label')} placeholder={t('search.placeholder')} value={query} onChange={(e) => setQuery(e.target.value)} />
        {error && <p className="form-error">{error}</p>}
        {query.trim() && shown.length === 0 && !error && <p className="muted center">{t('search.none')}</p>}
        <ul className="search-results" aria-label={t('search.results')}>
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
    </div>
  );
}
