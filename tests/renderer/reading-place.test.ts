// The conversation pane's reading place (lib/reading-place.ts) over a pane laid out by hand: happy-dom
// has no layout, so each row's box is its offset in the list minus the pane's scrollTop. The real
// layout, the virtualizer and the browser's scroll events are covered by the e2e
// tests/e2e/conversation-window.web.spec.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import { ReadingPlace } from '../../src/renderer/src/lib/reading-place';

const PANE_TOP = 100;
const PANE_HEIGHT = 400;

/** A pane with message rows 50 px apart from `first` (ids 1..n), scrolled to `top`. */
function pane(n: number) {
  const el = document.createElement('div');
  const list = document.createElement('ul');
  el.append(list);
  let scrollTop = 0;
  // Where each row starts in the list; moving them stands for rows above loading or being measured.
  const starts = new Map<number, number>();
  const rect = (top: number, height: number) => ({ top, bottom: top + height, left: 0, right: 300, width: 300, height, x: 0, y: top, toJSON: () => ({}) });
  for (let id = 1; id <= n; id++) {
    const li = document.createElement('li');
    li.dataset.messageId = String(id);
    starts.set(id, (id - 1) * 50);
    li.getBoundingClientRect = () => rect(PANE_TOP + starts.get(id)! - scrollTop, 44) as DOMRect;
    list.append(li);
  }
  el.getBoundingClientRect = () => rect(PANE_TOP, PANE_HEIGHT) as DOMRect;
  Object.defineProperty(el, 'scrollTop', { get: () => scrollTop, set: (v: number) => (scrollTop = Math.max(0, v)) });
  el.scrollTo = ((o: ScrollToOptions) => (scrollTop = Math.max(0, o.top ?? scrollTop))) as typeof el.scrollTo;
  /** Rows from `id` on move down by `by` px (a row above them grew, or a page came in above). */
  const shift = (id: number, by: number) => {
    for (const [k, v] of starts) if (k >= id) starts.set(k, v + by);
  };
  const topOf = (id: number) => starts.get(id)! - scrollTop;
  return { el, shift, topOf, scrollBy: (d: number) => (scrollTop += d) };
}

describe('ReadingPlace', () => {
  let place: ReadingPlace;
  beforeEach(() => {
    place = new ReadingPlace();
  });

  it("keeps the reader's row where it was when rows above it move, whatever their cause", () => {
    const p = pane(40);
    p.scrollBy(1010); // row 21 starts at 1000: the first row whose top is in the pane is 22, 40 px down
    expect(place.scrolled(p.el)).toBe(true);
    expect(place.id).toBe(22);
    expect(p.topOf(22)).toBe(40);
    p.shift(5, 32); // a day divider above measured taller than estimated
    expect(p.topOf(22)).toBe(72);
    place.restore(p.el);
    expect(p.topOf(22)).toBe(40);
    p.shift(1, 500); // an older page above
    place.restore(p.el);
    expect(p.topOf(22)).toBe(40);
  });

  it('does not move the pane for rows that change below the reader', () => {
    const p = pane(40);
    p.scrollBy(1010);
    place.scrolled(p.el);
    p.shift(30, 53); // a new bubble at the end
    place.restore(p.el);
    expect(p.el.scrollTop).toBe(1010);
  });

  it("tells its own writes from the reader's scrolling: only the reader takes a new place", () => {
    const p = pane(40);
    p.scrollBy(1010);
    place.scrolled(p.el);
    p.shift(1, 32);
    place.restore(p.el); // writes 1042
    expect(place.scrolled(p.el)).toBe(false); // the scroll event of that write
    expect(place.id).toBe(22);
    p.scrollBy(-300); // the reader scrolls up
    expect(place.scrolled(p.el)).toBe(true);
    expect(place.id).not.toBe(22);
  });

  it("takes the row the pane's top edge cuts through when no row starts inside the pane", () => {
    const p = pane(3);
    p.scrollBy(120); // row 3 starts at 100: 20 px above the top, and nothing starts inside
    place.scrolled(p.el);
    expect(place.id).toBe(3);
    p.shift(1, 10);
    place.restore(p.el);
    expect(p.topOf(3)).toBe(-20);
  });

  it('keeps the place by a chosen row, and keeps none once told to forget it', () => {
    const p = pane(40);
    p.scrollBy(1010);
    place.scrolled(p.el);
    place.keepBy(p.el, 25); // a step opened in row 25
    expect(place.id).toBe(25);
    p.shift(23, 100);
    place.restore(p.el);
    expect(p.topOf(25)).toBe(190);
    place.forget();
    p.shift(1, 100);
    place.restore(p.el);
    expect(p.topOf(25)).toBe(290);
  });
});
