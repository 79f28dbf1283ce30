import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/domain';
import { relativeTime } from '../lib/format';
import { displayText, useVisitorName } from '../lib/names';
import { AgentRunChip } from './AgentRunChip';
import { PresenceDot, presenceOf } from './PresenceDot';
import { RowFontWarmup } from './RowFontWarmup';

interface Props {
  conversations: ConversationSummary[];
  loading: boolean;
  selectedId: number | null;
  typing: ReadonlySet<number>;
  hasMore: boolean;
  onLoadMore: () => void;
  /** Moves the selection (arrows, j/k, Home/End) without opening. */
  onSelect: (id: number) => void;
  /** Opens a conversation (click, Enter, Space). */
  onOpen: (id: number) => void;
  now: number;
  /** Account names by id, when the list shows more than one account (rows then name theirs). */
  accountNames?: ReadonlyMap<number, string> | null;
}

const ROW = 68;
/** Rows drawn beyond the visible ones once the list is on screen (smooth scrolling)… */
const OVERSCAN = 8;
/** …and while the first rows are drawn: only what the first screen needs (bench ui, first mount). */
const FIRST_OVERSCAN = 1;

/** FIRST_OVERSCAN until the first rows have been painted, then OVERSCAN. */
function useOverscanAfterFirstRows(hasRows: boolean): number {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (!hasRows || painted) return;
    // A frame, then a task: the wider range renders after the first rows' frame is painted.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setPainted(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [hasRows, painted]);
  return painted ? OVERSCAN : FIRST_OVERSCAN;
}

/**
 * The rows of the inbox, virtualized. One row is in the Tab order (the selected one, else the
 * first shown: a roving tabindex); arrows move the selection and focus along with it.
 */
export function ConversationList({ conversations, loading, selectedId, typing, hasMore, onLoadMore, onSelect, onOpen, now, accountNames = null }: Props) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [focusInside, setFocusInside] = useState(false);
  const visitorName = useVisitorName();
  // TanStack Virtual hands out functions the React Compiler cannot memoize; this component stays uncompiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: conversations.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: useOverscanAfterFirstRows(conversations.length > 0) });
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

  // While a row has focus, focus moves with the selection (once the row is rendered).
  const selectedShown = rows.some((r) => r.index === selectedIndex);
  useEffect(() => {
    if (!focusInside || !selectedShown || selectedId === null) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-conversation-id="${selectedId}"]`);
    if (row && document.activeElement !== row) row.focus({ preventScroll: true });
  }, [focusInside, selectedShown, selectedId]);

  const tabStop = selectedShown ? selectedId : (conversations[rows[0]?.index ?? -1]?.id ?? null);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey || conversations.length === 0) return;
    const at = selectedIndex === -1 ? 0 : selectedIndex;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW * 8) / ROW) - 1);
    const targets: Record<string, number> = {
      ArrowDown: at + 1,
      j: at + 1,
      ArrowUp: at - 1,
      k: at - 1,
      Home: 0,
      End: conversations.length - 1,
      PageDown: at + page,
      PageUp: at - page,
    };
    if (event.key in targets) {
      const next = conversations[Math.min(conversations.length - 1, Math.max(0, selectedIndex === -1 ? 0 : targets[event.key]!))];
      if (next) onSelect(next.id);
    } else if (event.key === 'Enter' || event.key === ' ') {
      const focused = (event.target as HTMLElement).closest<HTMLElement>('[data-conversation-id]');
      if (focused) onOpen(Number(focused.dataset.conversationId));
    } else return;
    // Handled here: the inbox's own shortcuts must not move the selection a second time.
    event.preventDefault();
    event.stopPropagation();
  };

  const accountOf = (c: ConversationSummary) => accountNames?.get(c.accountId) ?? null;
  // Looked up once per language, not four times a row: translation calls were the largest part
  // of the inbox's first render (bench: ui, first mount).
  const words = useMemo(
    () => ({
      status: { active: t('status.active'), resolved: t('status.resolved'), closed: t('status.closed') },
      muted: t('pane.muted'),
      typing: t('list.typing'),
    }),
    [t],
  );
  const unreadWords = new Map<number, string>();
  const unreadOf = (count: number) => {
    let text = unreadWords.get(count);
    if (text === undefined) unreadWords.set(count, (text = t('list.unread', { count })));
    return text;
  };
  const labelOf = (c: ConversationSummary) =>
    [
      visitorName(c.visitorName),
      accountOf(c),
      c.unreadCount > 0 ? unreadOf(c.unreadCount) : null,
      words.status[c.status],
      c.muted ? words.muted : null,
      typing.has(c.id) ? words.typing : null,
      c.agentRun && c.agentRun !== 'finished' ? t(`agentRun.${c.agentRun}`) : null,
    ]
      .filter(Boolean)
      .join(', ');
  const selected = selectedIndex >= 0 ? conversations[selectedIndex] : undefined;

  return (
    <>
      <div className="list-scroll" ref={scroller} data-testid="conversation-scroller">
        {loading && conversations.length === 0 && <RowFontWarmup />}
        <ul
          ref={listRef}
          className="conversations"
          aria-label={t('list.label')}
          aria-busy={loading}
          style={{ height: virtualizer.getTotalSize() }}
          onKeyDown={onKeyDown}
          onFocus={() => setFocusInside(true)}
          onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setFocusInside(false)}
        >
          {rows.map((row) => {
            const c = conversations[row.index]!;
            const name = visitorName(c.visitorName);
            return (
              <li
                key={c.id}
                data-conversation-id={c.id}
                tabIndex={c.id === tabStop ? 0 : -1}
                aria-label={labelOf(c)}
                aria-current={c.id === selectedId ? 'true' : undefined}
                className={`conversation${c.unreadCount > 0 ? ' unread' : ''}${c.id === selectedId ? ' selected' : ''}`}
                style={{ transform: `translateY(${row.start}px)`, height: ROW }}
                onClick={() => onOpen(c.id)}
                // Selection follows focus (a click, or focus put here by a script or a dialog closing).
                onFocus={() => c.id !== selectedId && onSelect(c.id)}
              >
                <div className="row-top">
                  <PresenceDot presence={presenceOf(c)} />
                  <span className="name">{name}</span>
                  {accountOf(c) && <span className="row-account muted small">{displayText(accountOf(c))}</span>}
                  <span className="time">{c.lastMessageAt ? relativeTime(c.lastMessageAt, now, i18n.language) : ''}</span>
                </div>
                <div className="row-bottom">
                  <span className="preview">{typing.has(c.id) ? <em>{words.typing}</em> : displayText(c.lastMessagePreview)}</span>
                  {c.agentRun && c.agentRun !== 'finished' && <AgentRunChip run={c.agentRun} compact />}
                  {c.muted && <span className="chip chip-muted">{words.muted}</span>}
                  {c.status !== 'active' && <span className={`chip chip-${c.status}`}>{words.status[c.status]}</span>}
                  {c.unreadCount > 0 && <span className={`badge${c.muted ? ' badge-muted' : ''}`}>{c.unreadCount}</span>}
                </div>
              </li>
            );
          })}
        </ul>
      </div>
      {/* The selection is announced wherever focus is (j/k work from anywhere outside a field). */}
      <p className="sr-only" aria-live="polite" data-testid="selection-announcer">
        {selected && !focusInside ? t('list.selected', { label: labelOf(selected) }) : ''}
      </p>
      {!loading && conversations.length === 0 && (
        <div className="empty" role="status">
          <p className="empty-title">{t('list.empty')}</p>
          <p className="muted">{t('list.emptyHint')}</p>
        </div>
      )}
    </>
  );
}
