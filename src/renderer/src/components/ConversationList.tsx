import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/domain';
import { relativeTime } from '../lib/format';
import { displayText, useVisitorName } from '../lib/names';

interface Props {
  conversations: ConversationSummary[];
  loading: boolean;
  selectedId: number | null;
  typing: ReadonlySet<number>;
  hasMore: boolean;
  onLoadMore: () => void;
  onSelect: (id: number) => void;
  now: number;
}

const ROW = 68;

export function ConversationList({ conversations, loading, selectedId, typing, hasMore, onLoadMore, onSelect, now }: Props) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const visitorName = useVisitorName();
  // TanStack Virtual hands out functions the React Compiler cannot memoize; this component stays uncompiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: conversations.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 8 });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && lastIndex >= conversations.length - 20) onLoadMore();
  }, [lastIndex, conversations.length, hasMore, onLoadMore]);

  // Keyboard selection follows the selected conversation, wherever new activity moves it.
  const selectedIndex = conversations.findIndex((c) => c.id === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  return (
    <section className="list-pane" aria-label={t('list.label')}>
      <div className="list-scroll" ref={scroller} data-testid="conversation-scroller">
        <ul className="conversations" aria-label={t('list.label')} aria-busy={loading} style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((row) => {
            const c = conversations[row.index]!;
            const name = visitorName(c.visitorName);
            const label = [
              name,
              c.unreadCount > 0 ? t('list.unread', { count: c.unreadCount }) : null,
              t(`status.${c.status}`),
              c.muted ? t('pane.muted') : null,
              typing.has(c.id) ? t('list.typing') : null,
            ]
              .filter(Boolean)
              .join(', ');
            return (
              <li
                key={c.id}
                aria-label={label}
                aria-current={c.id === selectedId ? 'true' : undefined}
                className={`conversation${c.unreadCount > 0 ? ' unread' : ''}${c.id === selectedId ? ' selected' : ''}`}
                style={{ transform: `translateY(${row.start}px)`, height: ROW }}
                onClick={() => onSelect(c.id)}
              >
                <div className="row-top">
                  <span className={`presence${c.visitorOnline ? ' online' : ''}`} aria-hidden="true" />
                  <span className="name">{name}</span>
                  <span className="time">{c.lastMessageAt ? relativeTime(c.lastMessageAt, now, i18n.language) : ''}</span>
                </div>
                <div className="row-bottom">
                  <span className="preview">{typing.has(c.id) ? <em>{t('list.typing')}</em> : displayText(c.lastMessagePreview)}</span>
                  {c.muted && <span className="chip chip-muted">{t('pane.muted')}</span>}
                  {c.status !== 'active' && <span className={`chip chip-${c.status}`}>{t(`status.${c.status}`)}</span>}
                  {c.unreadCount > 0 && <span className={`badge${c.muted ? ' badge-muted' : ''}`}>{c.unreadCount}</span>}
                </div>
              </li>
            );
          })}
        </ul>
      </div>
      {!loading && conversations.length === 0 && (
        <div className="empty" role="status">
          <p className="empty-title">{t('list.empty')}</p>
          <p className="muted">{t('list.emptyHint')}</p>
        </div>
      )}
    </section>
  );
}
