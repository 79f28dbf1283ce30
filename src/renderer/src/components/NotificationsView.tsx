import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/domain';
import type { FeedState } from '../hooks/useFeed';
import { relativeTime } from '../lib/format';

interface Props {
  feed: FeedState;
  accounts: Account[];
  now: number;
  /** An entry to open (from the search): scrolled to, opened and marked read. The parent remounts the view when it changes. */
  focusEntryId: number | null;
}

/** The notification feeds (accounts of shape 'feed'): newest first, read kept on this computer. */
export function NotificationsView({ feed, accounts, now, focusEntryId }: Props) {
  const { t, i18n } = useTranslation();
  const [openId, setOpenId] = useState<number | null>(focusEntryId);
  const list = useRef<HTMLUListElement>(null);
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  const { items, markRead } = feed;

  const openEntry = (id: number) => {
    setOpenId((current) => (current === id ? null : id));
    const entry = items.find((e) => e.id === id);
    if (entry && entry.readAt === null) void markRead([id]);
  };

  useEffect(() => {
    if (focusEntryId === null) return;
    const entry = items.find((e) => e.id === focusEntryId);
    if (entry?.readAt === null) void markRead([focusEntryId]);
    list.current?.querySelector<HTMLElement>(`[data-entry="${focusEntryId}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [focusEntryId, items, markRead]);

  return (
    <section className="notifications-view" aria-label={t('feed.title')}>
      <header className="notifications-header">
        <h2>{t('feed.title')}</h2>
        <span className="muted small">{t('feed.unread', { count: feed.unread })}</span>
        <button type="button" onClick={() => void feed.markAllRead()} disabled={feed.unread === 0}>
          {t('feed.markAllRead')}
        </button>
      </header>
      {feed.error && (
        <p className="form-error" role="alert">
          {t('error.load', { message: feed.error })}
        </p>
      )}
      {!feed.loading && items.length === 0 && !feed.error && (
        <div className="empty">
          <p className="empty-title">{t('feed.empty')}</p>
          <p className="muted">{t('feed.emptyHint')}</p>
        </div>
      )}
      <ul ref={list} className="feed-list" aria-label={t('feed.title')}>
        {items.map((e) => (
          <li key={e.id} data-entry={e.id} className={`feed-entry${e.readAt === null ? ' unread' : ''}`}>
            <button type="button" aria-expanded={openId === e.id} onClick={() => openEntry(e.id)}>
              <span className="feed-title">
                {e.readAt === null && <span className="sr-only">{t('feed.unreadMark')} </span>}
                {e.title}
              </span>
              <span className="muted small">
                {names.get(e.accountId) ?? ''} · <time dateTime={new Date(e.createdAt).toISOString()}>{relativeTime(e.createdAt, now, i18n.language)}</time>
              </span>
              {e.body && <span className="feed-body">{e.body}</span>}
              {openId === e.id && <span className="muted small feed-when">{new Date(e.createdAt).toLocaleString(i18n.language)}</span>}
            </button>
          </li>
        ))}
      </ul>
      {feed.hasMore && (
        <button type="button" className="link" onClick={() => void feed.loadMore()}>
          {t('feed.more')}
        </button>
      )}
    </section>
  );
}
