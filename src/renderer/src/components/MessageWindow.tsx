import { defaultRangeExtractor, measureElement as measureRow, useVirtualizer, type Range, type VirtualItem, type Virtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type FocusEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../shared/domain';
import { logFailure } from '../lib/errors';
import { messageRows, rowIndexByKey, type MessageRow } from '../lib/message-rows';
import { useVisitorName } from '../lib/names';
import { ReadingPlace } from '../lib/reading-place';
import { DayRow, MessageItem, type RowTexts } from './MessageItem';

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

/**
 * Rows whose height does not depend on their text (a day divider, a closed timeline step: one
 * line, cut with an ellipsis) are estimated at the height the last such row measured. A row
 * whose first measurement differs from its estimate makes the virtualizer move the end and render
 * the window once more, with another forced layout: an agent run adds a step row every frame
 * (bench openmanusui). Other rows (bubbles, notes) wrap with their text and keep ESTIMATE.
 */
type Shape = 'day' | 'step';
function shapeOf(row: MessageRow | undefined, opened: ReadonlySet<number>): Shape | null {
  if (!row) return null;
  if (row.kind === 'day') return 'day';
  return row.message.kind === 'event' && !opened.has(row.message.id) ? 'step' : null;
}

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
  // Where the reader is, kept while not following: rows loaded or measured above or below never move it.
  const [place] = useState(() => new ReadingPlace());
  // Kept here, not in the rows: a row scrolled out of the window unmounts, and must come back
  // as the reader left it (an opened step still open, the search hit still marked).
  const [opened, setOpened] = useState<ReadonlySet<number>>(() => new Set());
  const [flashId, setFlashId] = useState<number | null>(null);
  const toggle = useCallback((id: number) => {
    // The reader opened or closed a step to read it: the pane stays there (following resumes at the end),
    // kept by that row, whose step grows below its top.
    follow.current = false;
    if (scroller.current) place.keepBy(scroller.current, id);
    setOpened((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set(s).add(id)));
  }, [place]);
  // The row holding keyboard focus stays drawn wherever the window goes, so focus is never lost.
  const focusedKey = useRef<string | number | null>(null);
  const { t } = useTranslation();
  const visitorName = useVisitorName();
  const texts = useMemo<RowTexts>(() => ({ t, visitorName }), [t, visitorName]);
  const [learnt] = useState(() => new Map<Shape, number>());
  // Stable between renders of the same rows: the virtualizer lays every row out again whenever
  // its key function changes, and it renders on every scroll and measurement.
  const getItemKey = useCallback((i: number) => rows[i]!.key, [rows]);
  const estimateSize = useCallback(
    (i: number) => {
      const shape = shapeOf(rows[i], opened);
      return (shape && learnt.get(shape)) ?? (shape === 'day' ? DAY_ESTIMATE : ESTIMATE);
    },
    [rows, opened, learnt],
  );
  const measureElement = useCallback(
    (el: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>) => {
      const size = measureRow(el, entry, instance);
      const shape = shapeOf(rows[instance.indexFromElement(el)], opened);
      if (shape && size > 0) learnt.set(shape, size);
      return size;
    },
    [rows, opened, learnt],
  );

  const rangeExtractor = useCallback(
    (range: Range) => {
      // The focused row, and the row the reader's place is kept by, stay drawn.
      const indexes = defaultRangeExtractor(range);
      const kept = [focusedKey.current, place.id].map((key) => (key === null ? undefined : indexOf.get(key)));
      const extra = kept.filter((i): i is number => i !== undefined && !indexes.includes(i));
      return extra.length === 0 ? indexes : [...new Set([...indexes, ...extra])].sort((a, b) => a - b);
    },
    [indexOf, place],
  );
  // TanStack Virtual hands out functions the React Compiler cannot memoize; this component stays uncompiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize,
    getItemKey,
    measureElement,
    gap: GAP,
    overscan: OVERSCAN,
    rangeExtractor,
    anchorTo: 'end',
    scrollEndThreshold: AT_END,
    // Its writes go through the reading place, so they are not taken for the reader's scrolling.
    scrollToFn: (offset, { adjustments = 0, behavior }, instance) => {
      if (instance.scrollElement) place.scrollTo(instance.scrollElement, offset + adjustments, behavior);
    },
  });
  const items = virtualizer.getVirtualItems();

  // The owner sent a reply: back to the newest row, where it appears.
  const sentTick = useRef(followTick);
  if (sentTick.current !== followTick) {
    sentTick.current = followTick;
    follow.current = true;
  }

  // After every render (new rows, rows measured, the typing hint under them): while following,
  // the pane is put at its end, where a conversation opens; otherwise the reader's row is put back.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // A scroll that no scroll event has reported yet (the event comes with the next frame, and a render
    // can come first) is taken into account first: following must not undo the reader's scrolling up.
    if (Math.abs(el.scrollTop - lastTop.current) > 1) onScroll();
    if (!follow.current) place.restore(el);
    else if (el.scrollHeight - el.scrollTop - el.clientHeight > 1) place.scrollTo(el, el.scrollHeight);
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
    place.forget();
    setFlashId(scrollToMessageId);
    virtualizer.scrollToIndex(index, { align: 'center' });
  }, [scrollToMessageId, indexOf, hasOlder, older, virtualizer, place]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const top = el.scrollTop;
    const byReader = place.scrolled(el);
    if (el.scrollHeight - top - el.clientHeight < AT_END) follow.current = true;
    else if (byReader && top < lastTop.current) follow.current = false;
    lastTop.current = top;
    // The window's own write may have been the virtualizer's, from its layout: the DOM decides.
    if (!byReader && !follow.current) place.restore(el);
    // Near the top the next older page loads; the reader's row stays put when it lands above.
    if (top < NEAR_TOP && hasOlder) older();
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
            texts={texts}
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
  texts,
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
  texts: RowTexts;
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
        texts={texts}
      />
    </>
  );
}
