import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useApiEvent } from '../hooks/useApiEvent';
import { logFailure } from '../lib/errors';
import { playSound } from '../lib/sounds';

interface Props {
  onOpen: (conversationId: number) => void;
  /** Opens the Notifications view with this feed entry selected. */
  onOpenFeedEntry: (feedEntryId: number) => void;
}

/**
 * The page's side of getting the owner's attention: the unread count in the window title,
 * notification sounds (both modes; the window plays them even while hidden in the tray), and
 * in browser mode the notifications themselves through the Web Notification API. Renders
 * nothing.
 */
export function AttentionBridge({ onOpen, onOpenFeedEntry }: Props) {
  const { t } = useTranslation();
  const shown = useRef(new Map<string, Notification>());
  const openRef = useRef({ onOpen, onOpenFeedEntry });
  useEffect(() => {
    openRef.current = { onOpen, onOpenFeedEntry };
  });

  useEffect(() => {
    const setTitle = (unread: number) => (document.title = unread > 0 ? `(${unread}) ${t('app.title')}` : t('app.title'));
    void api()
      .invoke('app.badge')
      .then((b) => setTitle(b.unread))
      .catch((e: unknown) => logFailure('app.badge', e));
    return api().on('app.badge', (b) => setTitle(b.unread));
  }, [t]);

  useApiEvent('notifications.sound', ({ sound, volume }) => playSound(sound, volume));

  useApiEvent('notifications.show', (n) => {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    shown.current.get(n.key)?.close();
    // The text goes in as plain strings; the browser never interprets it as markup.
    const notification = new Notification(n.title, { body: n.body, tag: n.key, silent: true });
    notification.onclick = () => {
      window.focus();
      notification.close();
      if (n.feedEntryId != null) openRef.current.onOpenFeedEntry(n.feedEntryId);
      else if (n.conversationId !== null) openRef.current.onOpen(n.conversationId);
    };
    notification.onclose = () => {
      if (shown.current.get(n.key) === notification) shown.current.delete(n.key);
    };
    shown.current.set(n.key, notification);
  });

  useApiEvent('notifications.close', ({ key }) => {
    shown.current.get(key)?.close();
    shown.current.delete(key);
  });

  // The desktop shell's notification clicks (and the tray, and links) arrive as events.
  useApiEvent('app.openConversation', ({ conversationId }) => openRef.current.onOpen(conversationId));
  useApiEvent('app.openFeedEntry', ({ feedEntryId }) => openRef.current.onOpenFeedEntry(feedEntryId));

  return null;
}
