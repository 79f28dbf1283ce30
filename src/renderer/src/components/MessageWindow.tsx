import { defaultRangeExtractor, useVirtualizer, type Range, type VirtualItem } from '@tanstack/react-virtual';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type FocusEvent } from 'react';
import type { Message } from '../../../shared/domain';
import { logFailure } from '../lib/errors';
import { messageRows, rowIndexByKey, type MessageRow } from '../lib/message-rows';
import { DayRow, MessageItem } from './MessageItem';

/** A one-line bubble or timeline row; measured rows replace it once drawn. */
const ESTIMATE = 44;
const DAY_ESTIMATE = 32;
/** The list's flex gap (styles.css `.messages`), which the window adds between rows. */
const GAP = 6;
/** Rows drawn beyond the visible ones, each way. */
const OVERSCAN = 8;
/** Within this many pixels of the end the window follows new rows (and the typing hint). */
const AT_END = 40;
/** This close to the top, the next older page loads. */
const NEAR_TOP = 80;

interface Props {
  label: string;
  messages: Message[];
  loading: boolean;
  loadingText: string;
  /** The typing hint under the last row, if someone is typing. */
  typing: string | null;
  hasOlder: boolean;
  loadOlder: () => Promise<boolean>;
  lang: string;
  confirmLinksInPage: boolean;
  visitor: string | null;
  /** A search hit to scroll into view and highlight, once it is among the loaded messages. */
  scrollToMessageId: number | null;
  /** Changes whenever the owner sends: the window goes back to the newest row. */
  followTick: number;
}

/**
 * The conversation's rows, windowed: only what is on screen plus OVERSCAN rows each way are in
 * the DOM, so style, layout and paint stay the same size however long the history grows (an
 * agent run adds a thousand rows; bench openmanusui). The rows stay in normal flow (the list's
 * flex column aligns the owner's bubbles right); padding stands in for the rows not drawn.
 * Anchored to the end: new rows are followed while the reader is at the end, an older page
 * loaded above keeps the row under the reader in place, and a row that grows keeps the end pinned.
 */
export const MessageWindow = memo(function MessageWindow({ label, messages, loading, loadingText, typing, hasOlder, loadOlder, lang, confirmLinksInPage, visitor, scrollToMessageId, followTick }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => messageRows(messages), [messages]);
  const indexOf = useMemo(() => rowIndexByKey(rows), [rows]);
  // Following the newest row. Only the reader stops it, scrolling up or opening a step (content growing, or the
  // window's own scrolling, never moves the pane up), and reaching the end again resumes it.
  const follow = useRef(true);
  const lastTop = useRef(0);
  // Kept here, not in the rows: a row scrolled out of the window unmounts, and must come back
  // as the reader left it (an opened step still open, the search hit still marked).
  const [opened, setOpened] = useState<ReadonlySet<number>>(() => new Set());
  const [flashId, setFlashId] = useState<number | null>(null);
  const toggle = useCallback((id: number) => {
    // The reader opened or closed a step to read it: the pane stays there (following resumes at the end).
    follow.current = false;
    setOpened((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set(s).add(id)));
  }, []);
  // The row holding keyboard focus stays drawn wherever the window goes, so focus is never lost.
  const focusedKey = useRef<string | number | null>(null);

  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      const focused = focusedKey.current === null ? undefined : indexOf.get(focusedKey.current);
      if (focused === undefined || indexes.includes(focused)) return indexes;
      return [...indexes, focused].sort((a, b) => a - b);
    },
    [indexOf],
  );
  // TanStack Virtual hands out functions the React Compiler cannot memoize; this component stays uncompiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]?.kind === 'day' ? DAY_ESTIMATE : ESTIMATE),
    getItemKey: (i) => rows[i]!.key,
    gap: GAP,
    overscan: OVERSCAN,
    rangeExtractor,
    anchorTo: 'end',
    scrollEndThreshold: AT_END,
  });
  const items = virtualizer.getVirtualItems();

  // The owner sent a reply: back to the newest row, where it appears.
  const sentTick = useRef(followTick);
  if (sentTick.current !== followTick) {
    sentTick.current = followTick;
    follow.current = true;
  }

  // After every render (new rows, rows measured, the typing hint under them): while following,
  // the pane is put at its end. A conversation opens there.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && follow.current && el.scrollHeight - el.scrollTop - el.clientHeight > 1) el.scrollTop = el.scrollHeight;
  });

  const older = useCallback(() => void loadOlder().catch((e: unknown) => logFailure('messages.page', e)), [loadOlder]);

  // A search hit: scrolled to the centre and marked, once. Older pages load until it is among
  // the messages (or there are none left), and a screen more: centred within the first screen, the
  // pane would be near the top and load the next page under the reader.
  const jumped = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (scrollToMessageId === null || jumped.current === scrollToMessageId) return;
    const index = indexOf.get(scrollToMessageId);
    const item = index === undefined ? undefined : virtualizer.measurementsCache[index];
    if (hasOlder && (!item || item.start < (scroller.current?.clientHeight ?? 0))) {
      older();
      return;
    }
    if (index === undefined) return;
    jumped.current = scrollToMessageId;
    follow.current = false;
    setFlashId(scrollToMessageId);
    virtualizer.scrollToIndex(index, { align: 'center' });
  }, [scrollToMessageId, indexOf, hasOlder, older, virtualizer]);

  // Near the top, the first message drawn below the top edge, and how far below it is: when the
  // older page arrives above, that message is put back there. (The virtualizer's own end anchor
  // keeps the row at the top edge in place, which near the top is the day divider: it stays
  // first, so it would let the page push every message down.)
  const topAnchor = useRef<{ key: number; below: number } | null>(null);
  const firstKey = rows[0]?.key;
  useLayoutEffect(() => {
    const anchor = topAnchor.current;
    if (!anchor) return;
    topAnchor.current = null;
    const item = virtualizer.measurementsCache[indexOf.get(anchor.key) ?? -1];
    if (item) virtualizer.scrollToOffset(item.start - anchor.below);
  }, [firstKey, indexOf, virtualizer]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const top = el.scrollTop;
    if (el.scrollHeight - top - el.clientHeight < AT_END) follow.current = true;
    else if (top < lastTop.current) follow.current = false;
    lastTop.current = top;
    topAnchor.current = null;
    if (top >= NEAR_TOP || !hasOlder) return;
    const below = virtualizer.getVirtualItems().find((item) => item.start >= top && rows[item.index]?.kind === 'message');
    if (below) topAnchor.current = { key: below.key as number, below: below.start - top };
    older();
  };

  const onFocus = (event: FocusEvent<HTMLUListElement>) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    const key = row ? rows[Number(row.dataset.index)]?.key : undefined;
    focusedKey.current = key ?? null;
  };
  const onBlur = (event: FocusEvent<HTMLUListElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget)) focusedKey.current = null;
  };

  const first = items[0];
  const last = items.at(-1);
  const listStyle = first && last ? { paddingTop: first.start, paddingBottom: virtualizer.getTotalSize() - last.end } : undefined;

  return (
    // Focusable so a long history scrolls from the keyboard too (axe: scrollable-region-focusable).
    <div className="messages-scroll" ref={scroller} onScroll={onScroll} tabIndex={0}>
      {loading && messages.length === 0 && <p className="muted center">{loadingText}</p>}
      <ul className="messages" aria-label={label} style={listStyle} onFocus={onFocus} onBlur={onBlur}>
        {items.map((item, i) => (
          <WindowRow
            key={item.key}
            item={item}
            before={items[i - 1]}
            row={rows[item.index]!}
            lang={lang}
            confirmLinksInPage={confirmLinksInPage}
            visitor={visitor}
            flashId={flashId}
            opened={opened}
            onToggle={toggle}
            measure={virtualizer.measureElement}
          />
        ))}
      </ul>
      {typing !== null && (
        <p className="typing" role="status">
          {typing}
        </p>
      )}
    </div>
  );
});

/**
 * One drawn row, and before it, where the drawn rows are not consecutive (the focused row kept
 * far from the window), a spacer the height of the rows left out.
 */
function WindowRow({
  item,
  before,
  row,
  lang,
  confirmLinksInPage,
  visitor,
  flashId,
  opened,
  onToggle,
  measure,
}: {
  item: VirtualItem;
  before: VirtualItem | undefined;
  row: MessageRow;
  lang: string;
  confirmLinksInPage: boolean;
  visitor: string | null;
  flashId: number | null;
  opened: ReadonlySet<number>;
  onToggle: (id: number) => void;
  measure: (node: HTMLLIElement | null) => void;
}) {
  // The flex gap comes twice around the spacer: once before it, once after.
  const skipped = before && before.index !== item.index - 1 ? item.start - before.end - 2 * GAP : 0;
  const spacer = skipped > 0 && <li className="rows-skipped" aria-hidden="true" style={{ height: skipped }} />;
  if (row.kind === 'day') {
    return (
      <>
        {spacer}
        <DayRow at={row.at} lang={lang} index={item.index} measure={measure} />
      </>
    );
  }
  const id = row.message.id;
  return (
    <>
      {spacer}
      <MessageItem
        message={row.message}
        showDay={row.showDay}
        newSender={row.newSender}
        lang={lang}
        confirmLinksInPage={confirmLinksInPage}
        visitor={visitor}
        flash={flashId === id}
        open={opened.has(id)}
        onToggle={onToggle}
        index={item.index}
        measure={measure}
      />
    </>
  );
}
