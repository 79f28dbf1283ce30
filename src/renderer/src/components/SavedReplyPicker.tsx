import { useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedReply } from '../../../shared/saved-replies';
import { useSavedReplies } from '../hooks/useSavedReplies';
import { matchSavedReplies, slashQuery } from '../lib/saved-replies';

const SHOWN = 8;

export interface SavedReplyPickerState {
  open: boolean;
  items: SavedReply[];
  activeIndex: number;
  query: string;
  loaded: boolean;
  total: number;
  error: string | null;
  choose: (reply: SavedReply) => void;
  /** The composer's keys while the picker is open; true when it handled the key. */
  onKeyDown: (event: KeyboardEvent) => boolean;
  /** The composer's "Saved replies" button: browse them all, the pick goes after the draft. */
  browse: () => void;
}

/**
 * Saved replies from the composer: typing "/" at the start of the draft filters them (the pick
 * replaces the "/…"); the button lists them all (the pick is added to the draft).
 */
export function useSavedReplyPicker(draft: string, onDraft: (text: string) => void): SavedReplyPickerState {
  const { replies, loaded, error } = useSavedReplies();
  const slash = slashQuery(draft);
  const [dismissedAt, setDismissedAt] = useState<string | null>(null);
  const [browsingAt, setBrowsingAt] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const browsing = browsingAt !== null && browsingAt === draft;
  const open = browsing || (slash !== null && dismissedAt !== draft);
  const query = browsing ? '' : (slash ?? '');
  const items = useMemo(() => (open ? matchSavedReplies(replies, query).slice(0, SHOWN) : []), [open, replies, query]);
  const [shownQuery, setShownQuery] = useState(query);
  if (shownQuery !== query) {
    setShownQuery(query);
    setActive(0);
  }
  const activeIndex = Math.min(active, Math.max(0, items.length - 1));

  const choose = (reply: SavedReply) => {
    setBrowsingAt(null);
    onDraft(browsing && draft.trim() ? `${draft.replace(/\s+$/, '')}\n${reply.content}` : reply.content);
  };

  const onKeyDown = (event: KeyboardEvent): boolean => {
    if (!open) return false;
    if (event.key === 'Escape') {
      setDismissedAt(draft);
      setBrowsingAt(null);
    } else if (event.key === 'ArrowDown' && items.length > 0) setActive((activeIndex + 1) % items.length);
    else if (event.key === 'ArrowUp' && items.length > 0) setActive((activeIndex - 1 + items.length) % items.length);
    else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && items[activeIndex]) choose(items[activeIndex]);
    else return false;
    event.preventDefault();
    event.stopPropagation();
    return true;
  };

  return { open, items, activeIndex, query, loaded, total: replies.length, error, choose, onKeyDown, browse: () => setBrowsingAt(draft) };
}

export const optionId = (listId: string, reply: SavedReply) => `${listId}-${reply.id}`;

/** The list above the composer while the picker is open. */
export function SavedReplyPicker({ picker, listId }: { picker: SavedReplyPickerState; listId: string }) {
  const { t } = useTranslation();
  if (!picker.open) return null;
  const empty = !picker.loaded ? t('pane.loading') : picker.error ? picker.error : picker.total === 0 ? t('saved.noneYet') : picker.items.length === 0 ? t('saved.noMatch', { query: picker.query }) : null;
  const active = picker.items[picker.activeIndex];
  return (
    <div className="saved-picker">
      {empty ? (
        <p className="muted saved-empty" role="status">
          {empty}
        </p>
      ) : (
        <ul id={listId} role="listbox" aria-label={t('saved.title')}>
          {picker.items.map((r, i) => (
            <li
              key={r.id}
              id={optionId(listId, r)}
              role="option"
              aria-selected={i === picker.activeIndex}
              className={i === picker.activeIndex ? 'active' : undefined}
              // mousedown, not click: the reply box keeps focus.
              onMouseDown={(e) => {
                e.preventDefault();
                picker.choose(r);
              }}
            >
              <span className="saved-title">{r.title}</span>
              <span className="saved-text">{r.content}</span>
            </li>
          ))}
        </ul>
      )}
      {!empty && <p className="muted small-hint">{t('saved.pickerHint')}</p>}
      <p className="sr-only" aria-live="polite">
        {active ? `${active.title}: ${active.content}` : ''}
      </p>
    </div>
  );
}
